"""Supplier risk: every supplier gets flags and a score, with each reason and its source
(rules in :mod:`tiplens.supply.scoring`).

The store is touched only through Ibis: the supplier list is joined to the reference
rows in use (DOL good x country, GSI country scores, G20 at-risk imports, sector
estimates) with the product matches as an in-memory table; the joined rows are then
turned into reasons in plain Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import ibis
import pyarrow as pa

from tiplens.supply.products import Matcher, broad_sector
from tiplens.supply.scoring import (
    Assessment,
    Rules,
    cite,
    dol_reasons,
    g20_reasons,
    gsi_reasons,
    sector_reasons,
)
from tiplens.supply.tables import SupplyTables

NAME = "supplier-risk"
TITLE = "Supplier risk: flags, score and reasons"


SUPPLIER_SCHEMA = pa.schema([
    ("supplier", pa.string()), ("country", pa.string()), ("product", pa.string()), ("score", pa.int64()),
    ("level", pa.string()), ("reasons", pa.string()), ("gaps", pa.string()), ("flags", pa.string()),
    ("uncertain_match", pa.bool_()), ("supplier_id", pa.string()), ("iso3", pa.string()), ("sector", pa.string()),
    ("tier", pa.int32()), ("spend", pa.float64()), ("currency", pa.string()), ("supplier_key", pa.string()),
    ("source_file", pa.string()), ("source_line", pa.int64()),
])


@dataclass(frozen=True)
class Params:
    rules: Rules = field(default_factory=Rules)


@dataclass(frozen=True)
class RiskResult:
    suppliers: pa.Table  # one row per supplier line, with score, level, flags, reasons, gaps
    reasons: pa.Table  # long: supplier_key, supplier, flag, points, reason, source
    matches: pa.Table  # product, list, name, score, method, certain, suppliers
    unknown_countries: tuple[tuple[str, int], ...]  # (name as written, suppliers)
    unmatched_products: tuple[tuple[str, int], ...]  # products matched to no DOL good
    sources: dict[str, dict[str, Any]]  # kind -> source row used
    missing: tuple[str, ...]  # reference kinds not loaded
    params: Params = field(default_factory=Params)

    def to_frame(self, which: str = "suppliers"):
        return getattr(self, which).to_pandas()


def _match_table(products: list[str], lists: dict[str, Matcher]) -> pa.Table:
    rows: dict[str, list] = {k: [] for k in ("product", "list", "name", "score", "method", "certain")}
    for product in products:
        for list_name, matcher in lists.items():
            for m in matcher.match(product):
                for k, v in (("product", product), ("list", list_name), ("name", m.name), ("score", m.score),
                             ("method", m.method), ("certain", m.certain)):
                    rows[k].append(v)
    return pa.table(rows, schema=pa.schema([("product", pa.string()), ("list", pa.string()), ("name", pa.string()),
                                            ("score", pa.int64()), ("method", pa.string()), ("certain", pa.bool_())]))


def _rows(expr: ibis.Table) -> list[dict[str, Any]]:
    return expr.to_pyarrow().to_pylist()


def run(tables: SupplyTables, params: Params = Params()) -> RiskResult:
    s = tables.suppliers
    suppliers = _rows(s.order_by(["source_file", "source_line"]))
    products = sorted({r["product"] for r in suppliers if r["product"]})
    lists: dict[str, Matcher] = {}
    if tables.dol is not None:
        lists["dol"] = Matcher(r["good"] for r in _rows(tables.dol.select("good").distinct()))
    if tables.g20 is not None:
        lists["g20"] = Matcher(r["product"] for r in _rows(tables.g20.select("product").distinct()))
    match_arrow = _match_table(products, lists)
    m = ibis.memtable(match_arrow)
    keyed = s.select("supplier_key", "iso3", "product").filter(s.iso3.notnull())

    dol_hits: dict[str, list[dict]] = defaultdict(list)
    good_sector: dict[str, str] = {}
    if tables.dol is not None:
        d, md = tables.dol, m.filter(m.list == "dol")
        j = keyed.join(md, keyed.product == md.product).join(d, [md.name == d.good, keyed.iso3 == d.iso3])
        for r in _rows(j.select(keyed.supplier_key, keyed.product, good=md.name, score=md.score, certain=md.certain,
                                child_labor=d.child_labor, forced_labor=d.forced_labor,
                                forced_child_labor=d.forced_child_labor, inputs=d.inputs,
                                derived_country=d.derived_country)):
            dol_hits[r["supplier_key"]].append(r)
        for r in _rows(d.filter(d.good_sector.notnull()).group_by("good").aggregate(sector=d.good_sector.max())):
            good_sector[r["good"]] = r["sector"]
    gsi_rows: dict[str, dict] = {}
    if tables.gsi is not None:
        g = tables.gsi
        for r in _rows(g.filter(g.iso3.notnull()).select("iso3", "prevalence", "vulnerability", "government_response")):
            gsi_rows[r["iso3"]] = r
    g20_hits: dict[str, list[dict]] = defaultdict(list)
    if tables.g20 is not None:
        t, mg = tables.g20, m.filter(m.list == "g20")
        agg = t.filter(t.origin_iso3.notnull()).group_by(["product", "origin_iso3"]).aggregate(
            value_kusd=t.value_kusd.sum(), importers=t.importer.nunique())
        j = keyed.join(mg, keyed.product == mg.product).join(agg, [mg.name == agg.product,
                                                                   keyed.iso3 == agg.origin_iso3])
        for r in _rows(j.select(keyed.supplier_key, keyed.product, name=mg.name, score=mg.score, certain=mg.certain,
                                value_kusd=agg.value_kusd, importers=agg.importers)):
            g20_hits[r["supplier_key"]].append(r)
    shares: dict[tuple[str, str], dict] = {}
    if tables.sector is not None:
        e = tables.sector.filter(tables.sector.iso3.notnull() & tables.sector.broad_sector.notnull())
        by = e.group_by(["iso3", "broad_sector"]).aggregate(value=e.value.sum())
        tot = e.group_by("iso3").aggregate(total=e.value.sum())
        for r in _rows(by.join(tot, "iso3").select(by.iso3, by.broad_sector, by.value, tot.total)):
            shares[(r["iso3"], r["broad_sector"])] = r
    world: dict[str, float] = {}
    if tables.sector_global is not None:
        for r in _rows(tables.sector_global.filter(tables.sector_global.broad_sector.notnull())):
            world[r["broad_sector"]] = world.get(r["broad_sector"], 0.0) + r["value"]
    return _assemble(suppliers, match_arrow, dol_hits, good_sector, gsi_rows, g20_hits, shares, world, tables, params)


def _sector_of(r: dict, dol_goods: list[dict], good_sector: dict[str, str]) -> str | None:
    named = broad_sector(r["sector"], None)
    if named:
        return named
    from_goods = {good_sector.get(h["good"]) for h in dol_goods if h["certain"]} - {None, "Other"}
    if len(from_goods) == 1:
        return from_goods.pop()
    return broad_sector(None, r["product"])


def _assemble(suppliers, match_arrow, dol_hits, good_sector, gsi_rows, g20_hits, shares, world, tables,
              params: Params) -> RiskResult:
    rules, src = params.rules, tables.sources
    matched = defaultdict(list)
    for row in match_arrow.to_pylist():
        matched[(row["product"], row["list"])].append(row)
    missing = tuple(k for k in ("dol_goods", "gsi_countries", "g20_imports", "sector_country") if k not in src)
    out_rows, long_rows = [], []
    unknown: dict[str, int] = defaultdict(int)
    unmatched: dict[str, int] = defaultdict(int)
    for r in suppliers:
        a = Assessment()
        country = r["country_name"] or r["country"] or "(no country)"
        dm = [dict(x, good=x["name"]) for x in matched.get((r["product"], "dol"), [])]
        sector = _sector_of(r, dm, good_sector)
        if not r["product"]:
            a.gaps.append("no product given: no product checks")
        elif tables.dol is not None and not dm:
            unmatched[r["product"]] += 1
            a.gaps.append(f"product {r['product']!r} matches no good on the DOL list")
        if r["iso3"] is None:
            if r["country"]:
                unknown[r["country"]] += 1
                a.gaps.append(f"country {r['country']!r} not recognised: no country checks (fix the name)")
            else:
                a.gaps.append("no country given: no country checks")
        else:
            hits = dol_hits.get(r["supplier_key"], [])
            dol_reasons(a, rules, hits, country, cite(src.get("dol_goods")))
            listed = {h["good"] for h in hits}
            elsewhere = sorted({h["good"] for h in dm if h["certain"]} - listed)
            if elsewhere and tables.dol is not None:
                a.gaps.append(f"{', '.join(elsewhere)}: on the DOL list for other countries, not for {country}")
            if dm and not any(h["certain"] for h in dm) and not hits:
                a.uncertain = True
                shown = ", ".join(f"{h['good']!r} {h['score']}%" for h in dm)
                a.gaps.append(f"product {r['product']!r} matches DOL goods only uncertainly ({shown}); none is "
                              f"listed for {country}: verify the product")
            if tables.gsi is not None:
                gsi_reasons(a, rules, gsi_rows.get(r["iso3"]), country, cite(src.get("gsi_countries")))
            if tables.g20 is not None:
                g20_reasons(a, rules, g20_hits.get(r["supplier_key"], []), country, cite(src.get("g20_imports")))
            if tables.sector is not None:
                sector_reasons(a, rules, shares.get((r["iso3"], sector)) if sector else None, sector, country,
                               cite(src.get("sector_country")), world, cite(src.get("sector_global")))
        level = a.level(rules, r["iso3"] is not None)
        out_rows.append({
            "supplier": r["supplier"], "country": country, "product": r["product"], "score": a.score, "level": level,
            "reasons": "; ".join(f"{x.text} [+{x.points}; {x.source}]" for x in a.reasons),
            "gaps": "; ".join(a.gaps), "flags": "|".join(x.flag for x in a.reasons),
            "uncertain_match": a.uncertain, "supplier_id": r["supplier_id"], "iso3": r["iso3"], "sector": sector,
            "tier": r["tier"], "spend": r["spend"], "currency": r["currency"], "supplier_key": r["supplier_key"],
            "source_file": r["source_file"], "source_line": r["source_line"]})
        for x in a.reasons:
            long_rows.append({"supplier_key": r["supplier_key"], "supplier": r["supplier"], "flag": x.flag,
                              "points": x.points, "reason": x.text, "source": x.source})
    uses: dict[str, int] = defaultdict(int)
    for r in suppliers:
        if r["product"]:
            uses[r["product"]] += 1
    mt = match_arrow.append_column("suppliers", pa.array([uses[p] for p in match_arrow.column("product").to_pylist()],
                                                         pa.int64()))
    long_schema = pa.schema([("supplier_key", pa.string()), ("supplier", pa.string()), ("flag", pa.string()),
                             ("points", pa.int64()), ("reason", pa.string()), ("source", pa.string())])
    return RiskResult(
        suppliers=pa.Table.from_pylist(out_rows, schema=SUPPLIER_SCHEMA),
        reasons=pa.Table.from_pylist(long_rows, schema=long_schema), matches=mt,
        unknown_countries=tuple(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))),
        unmatched_products=tuple(sorted(unmatched.items(), key=lambda kv: (-kv[1], kv[0]))),
        sources=dict(src), missing=missing, params=params)

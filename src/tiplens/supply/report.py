"""The supply report: supplier risk (priorities, portfolio, every supplier with its
reasons, product matching, reference data in use) and any extra sections another part
of the pillar adds (``extra_sections``, e.g. the statement assessment).

``assess`` runs the registered analyses; ``build`` lays the results out; ``write``
writes ``report.html`` and ``tables/*.csv`` (suppliers.csv, priorities.csv, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

from tiplens import provenance
from tiplens.engines import connect, engine_name
from tiplens.errors import BadInput
from tiplens.report import Chart, Note, Report, Section, Table, write_report
from tiplens.store import Study
from tiplens.supply import charts
from tiplens.supply.analyses import portfolio, risk
from tiplens.supply.priorities import priorities
from tiplens.supply.schema import DDL, KINDS
from tiplens.supply.scoring import LEVELS, SHORT
from tiplens.supply.tables import supply_tables

CAVEAT = ("Scores are leads for due diligence, not findings about a supplier: they say where the published "
          "reference data point to a risk of forced or child labour, and why. A high score calls for questions, "
          "traceability and audits; a low score is not evidence of good practice.")
SUPPLIER_COLUMNS = ["supplier", "country", "product", "score", "level", "reasons", "gaps", "flags",
                    "uncertain_match", "supplier_id", "iso3", "sector", "tier", "spend", "currency",
                    "source_file", "source_line"]


@dataclass(frozen=True)
class SupplyReportParams:
    engine: str = "duckdb"
    sources: tuple[tuple[str, int], ...] = ()  # (kind, source_id) to use instead of the newest edition
    risk: risk.Params = field(default_factory=risk.Params)
    portfolio: portfolio.Params = field(default_factory=portfolio.Params)


@dataclass(frozen=True)
class Assessed:
    risk: risk.RiskResult
    portfolio: portfolio.PortfolioResult
    priorities: object  # pa.Table


def has_suppliers(study: Study) -> bool:
    return study.has_table("suppliers") and bool(study.query("SELECT count(*) FROM suppliers")[0][0])


def assess(study: Study, params: SupplyReportParams = SupplyReportParams()) -> Assessed:
    if not has_suppliers(study):
        raise BadInput(f"{study.path}: the study has no suppliers; run 'tiplens supply import' first")
    study.ensure(DDL)
    tables = supply_tables(connect(study, params.engine), dict(params.sources))
    result = risk.run(tables, params.risk)
    folio = portfolio.run(ibis.memtable(result.suppliers), params.portfolio)
    return Assessed(result, folio, priorities(result.suppliers, result.reasons))


def build(study: Study, params: SupplyReportParams = SupplyReportParams(), *, synthetic: bool = False,
          extra_sections: list[Section] | None = None, assessed: Assessed | None = None) -> Report:
    extra = list(extra_sections or [])
    sections: list[Section] = []
    sources: list[str] = []
    files: dict[str, str] = {}
    if has_suppliers(study) or not extra:
        a = assessed or assess(study, params)
        for make in SECTIONS:
            section = make(a, files)
            if section is not None:
                sections.append(section)
        sources = _citations(a)
        subtitle = f"{a.portfolio.totals.suppliers:,} supplier lines"
    else:
        subtitle = "no supplier list in this study"
    sections.extend(extra)
    return Report(
        title="Supply-chain due diligence", subtitle=subtitle + (" (synthetic demonstration data)" if synthetic else ""),
        sections=sections, synthetic=synthetic, sources=sources,
        provenance=provenance.describe(study, "supply", {"report": params}, engine_name(params.engine)), files=files)


def write(study: Study, out: str | Path, params: SupplyReportParams = SupplyReportParams(), *,
          synthetic: bool = False, extra_sections: list[Section] | None = None,
          assessed: Assessed | None = None) -> Path:
    return write_report(build(study, params, synthetic=synthetic, extra_sections=extra_sections, assessed=assessed),
                        out)


def _frame(table) -> pd.DataFrame:
    """Arrow -> pandas keeping integer columns with gaps as integers (tier 1, not 1.0)."""
    import pyarrow as pa

    ints = {pa.int8(), pa.int16(), pa.int32(), pa.int64()}
    return table.to_pandas(types_mapper=lambda t: pd.Int64Dtype() if t in ints else None)


def _overview(a: Assessed, files: dict[str, str]) -> Section:
    t, r = a.portfolio.totals, a.risk
    levels = ", ".join(f"{t.by_level.get(k, 0):,} {k}" for k in LEVELS)
    blocks: list = [Note(CAVEAT, "warning"), Note(f"{t.suppliers:,} supplier lines: {levels}.", "finding")]
    if t.spend:
        blocks.append(Note(f"Spend at risk (high or medium): {t.spend_at_risk:,.0f} of {t.spend:,.0f} "
                           f"({t.share_at_risk:.0%}); {t.with_spend:,} of {t.suppliers:,} lines give a spend.",
                           "finding"))
    else:
        blocks.append(Note("No spend was given, so spend at risk cannot be computed."))
    used = [f"{SHORT[k]}: {s['edition']} ({s['file']})" + (" [SYNTHETIC]" if s.get("synthetic") else "")
            for k, s in r.sources.items()]
    blocks.append(Note("Reference data in use: " + ("; ".join(used) if used else "none") + "."))
    for kind in r.missing:
        blocks.append(Note(f"Not loaded: {SHORT[kind]} - {KINDS[kind][1]}. Load it with 'tiplens supply reference "
                           "load'.", "warning"))
    if r.unknown_countries:
        names = ", ".join(f"{n!r} ({k})" for n, k in r.unknown_countries)
        blocks.append(Note(f"Countries not recognised (suppliers left unassessed; fix the names): {names}.",
                           "warning"))
    uncertain = sum(bool(x) for x in r.suppliers.column("uncertain_match").to_pylist())
    if uncertain:
        blocks.append(Note(f"{uncertain:,} supplier line(s) have an uncertain product match; see 'Product "
                           "matching'.", "warning"))
    return Section("overview", "Overview", blocks)


def _priorities(a: Assessed, files: dict[str, str]) -> Section:
    frame = _frame(a.priorities).drop(columns=["supplier_key"])
    return Section("priorities", "Priorities", [
        Table("priorities", frame, title="Suppliers to look at first", max_rows=30,
              caption="High, then medium risk, then suppliers that could not be assessed; by spend within a level."),
    ], intro="Which suppliers to look at first and what to ask them.")


def _portfolio(a: Assessed, files: dict[str, str]) -> Section:
    p = a.portfolio
    heat = _frame(p.heat)
    by_country = _frame(p.by_country)
    blocks: list = []
    if len(heat):
        blocks.append(Chart(charts.heatmap(heat, "Highest supplier score by country and product"),
                            title="Country x product", caption=f"Up to {p.params.top_countries} countries and "
                            f"{p.params.top_products} products, those with the most spend at risk first; "
                            "suppliers that could not be assessed are left out."))
    s = a.risk.suppliers.to_pandas()
    if s["spend"].notna().any():
        long = s.groupby(["country", "level"], as_index=False)["spend"].sum()
        long["level_order"] = long["level"].map({k: i for i, k in enumerate(LEVELS)})
        blocks.append(Chart(charts.spend_by_level(long, "Spend by country and risk level"), title="Spend at risk"))
    blocks.append(Table("portfolio_countries", by_country, title="By country", max_rows=25))
    blocks.append(Table("portfolio_products", _frame(p.by_product), title="By product", max_rows=25))
    blocks.append(Table("portfolio_heat", heat, title="Country x product", max_rows=15))
    return Section("portfolio", portfolio.TITLE, blocks)


def _suppliers(a: Assessed, files: dict[str, str]) -> Section:
    frame = _frame(a.risk.suppliers)[SUPPLIER_COLUMNS].sort_values(["score", "supplier"], ascending=[False, True])
    files["tables/suppliers.csv"] = frame.to_csv(index=False)
    page = frame[["supplier", "country", "product", "tier", "spend", "score", "level", "flags", "gaps"]].copy()
    page["flags"] = page["flags"].str.replace("|", ", ", regex=False)
    return Section("suppliers", risk.TITLE, [
        Table("", page, title="Every supplier line", max_rows=40,
              caption="flags: what adds points (the reasons, with sources, are below); gaps: what could not be "
                      "checked. Full table with the reasons: tables/suppliers.csv."),
        Table("reasons", _frame(a.risk.reasons).drop(columns=["supplier_key"]), title="Reasons, one per row",
              max_rows=25),
        Table("scoring_rules", _rules_frame(a.risk.params.rules), title="Scoring rules"),
    ])


def _matching(a: Assessed, files: dict[str, str]) -> Section:
    m = _frame(a.risk.matches)
    blocks: list = []
    unsure = m[~m["certain"]] if len(m) else m
    if len(unsure):
        blocks.append(Note(f"{unsure['product'].nunique():,} product(s) matched only uncertainly: check them and "
                           "correct the product names or extend the vocabulary.", "warning"))
    if a.risk.unmatched_products:
        names = ", ".join(f"{p!r} ({n})" for p, n in a.risk.unmatched_products[:40])
        more = len(a.risk.unmatched_products) - 40
        blocks.append(Note(f"Products matching no DOL good (suppliers): {names}" + (f" and {more} more" if more > 0
                           else "") + ". No DOL check was possible for them."))
    blocks.append(Table("product_matches", m, title="How products were matched to the reference lists", max_rows=60,
                        caption="method: exact, synonym (bundled vocabulary), contains, fuzzy; certain = False is "
                                "an uncertain match that counts half."))
    return Section("matching", "Product matching", blocks)


def _reference(a: Assessed, files: dict[str, str]) -> Section:
    rows = [{"kind": k, "source_id": s["source_id"], "publisher": s["publisher"], "title": s["title"],
             "edition": s["edition"], "file": s["file"], "sha256": (s["sha256"] or "")[:16], "rows": s["rows"],
             "synthetic": s["synthetic"], "notes": s["notes"]} for k, s in a.risk.sources.items()]
    rows += [{"kind": k, "notes": "NOT LOADED: " + KINDS[k][1]} for k in a.risk.missing]
    frame = pd.DataFrame(rows)
    files["tables/reference_sources.csv"] = frame.to_csv(index=False)
    page = frame[[c for c in ("kind", "source_id", "edition", "file", "rows", "notes") if c in frame]]
    return Section("reference", "Reference data", [
        Table("", page, title="Sources in use, with what each lacks",
              caption="Publisher, title and file hash of each: tables/reference_sources.csv."),
    ], intro="The newest edition of each kind is used unless 'tiplens supply risk --source KIND=ID' names another.")


def _rules_frame(rules) -> pd.DataFrame:
    rows = [("dol_forced_labour", "good x country on the DOL list for forced labour", rules.dol_forced),
            ("dol_child_labour", "good x country on the DOL list for child labour", rules.dol_child),
            ("dol_forced_child_labour", "good x country on the DOL list for forced child labour",
             rules.dol_forced_child),
            ("dol_inputs", "made with inputs produced with child or forced labour (DOL)", rules.dol_inputs),
            ("g20_at_risk_import", "product x origin among the GSI G20 at-risk imports", rules.g20)]
    rows += [("gsi_prevalence", f"prevalence >= {t:g} per 1,000", p) for t, p in rules.prevalence]
    rows += [("gsi_vulnerability", f"vulnerability >= {t:g}%", p) for t, p in rules.vulnerability]
    rows += [("gsi_government_response", f"government response < {t:g}%", p) for t, p in rules.response]
    rows += [("sector_concentration", f"sector holds >= {t:.0%} of the country's modelled forced labour", p)
             for t, p in rules.sector_share]
    frame = pd.DataFrame(rows, columns=["flag", "when", "points"])
    frame.loc[len(frame)] = ["(levels)", f"high >= {rules.high}, medium >= {rules.medium}, uncertain matches "
                             "count half; score capped at 100", None]
    return frame


def _citations(a: Assessed) -> list[str]:
    out = []
    for s in a.risk.sources.values():
        tag = " SYNTHETIC demonstration table generated by tiplens, not the publisher's data." if s["synthetic"] else ""
        out.append(f"{s['publisher']}, {s['title']}, edition {s['edition']} (file {s['file']}).{tag}")
    return out


# Section builders in report order: (assessed, extra_files) -> Section | None; ``extra_files`` maps a
# file name in the report folder to its text (written after the tables, so it may replace one).
SECTIONS: list[Callable[[Assessed, dict[str, str]], Section | None]] = [
    _overview, _priorities, _portfolio, _suppliers, _matching, _reference,
]

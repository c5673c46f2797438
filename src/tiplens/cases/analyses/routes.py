"""Routes: corridors from citizenship to country of exploitation (ISO 3166 alpha-2 and
names), the domestic and cross-border shares, flows between UN M49 regions and
sub-regions, the top corridors and the fastest-growing ones between two periods.

A corridor needs both countries known; CTDC's country of exploitation is often the
country where the victim was identified or assisted (codebook), so a "route" is from
citizenship to that country, not a travelled path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from tiplens.cases.tables import CasesTables, period_label

NAME = "routes"
TITLE = "Routes: citizenship to country of exploitation"


@dataclass(frozen=True)
class Params:
    periods: tuple[tuple[int, int], ...] = ()  # growth compares the first and last period
    top: int = 20
    min_victims: int = 10  # a corridor needs this many victims in the later period to rank for growth


@dataclass(frozen=True)
class RoutesResult:
    corridors: pa.Table  # origin, destination, origin_name, destination_name, victims, cross_border, regions
    summary: pa.Table  # kind (domestic | cross-border), victims
    by_region: pa.Table  # origin_region, destination_region, victims
    by_subregion: pa.Table  # origin_subregion, destination_subregion, victims
    growth: pa.Table  # origin, destination, names, first, last, victims_first, victims_last, change, ratio
    known: int  # victims with both countries known
    total: int
    params: Params = field(default_factory=Params)

    def to_frame(self):
        return self.corridors.to_pandas()


def _named(t: ibis.Table, regions: ibis.Table) -> ibis.Table:
    o = regions.select(origin=regions.iso2, origin_name=regions.name, origin_region=regions.region,
                       origin_subregion=regions.subregion)
    d = regions.select(destination=regions.iso2, destination_name=regions.name,
                       destination_region=regions.region, destination_subregion=regions.subregion)
    return t.left_join(o, t.origin == o.origin).drop("origin_right") \
            .left_join(d, ibis._.destination == d.destination).drop("destination_right")


def run(tables: CasesTables, params: Params = Params()) -> RoutesResult:
    c = tables.need_cases()
    total = int(c.count().to_pyarrow().as_py())
    known = c.filter(c.citizenship.notnull() & c.country_of_exploitation.notnull())
    flows = known.group_by(origin=known.citizenship, destination=known.country_of_exploitation).aggregate(
        victims=ibis._.count())
    named = _named(flows, tables.regions).mutate(cross_border=ibis._.origin != ibis._.destination)
    corridors = named.order_by([ibis.desc("victims"), "origin", "destination"]).to_pyarrow()
    n_known = sum(corridors.column("victims").to_pylist())
    cross = sum(v for v, x in zip(corridors.column("victims").to_pylist(),
                                  corridors.column("cross_border").to_pylist(), strict=True) if x)
    summary = pa.table({"kind": ["domestic", "cross-border"], "victims": [n_known - cross, cross]})
    by_region = _between(named, "region")
    by_subregion = _between(named, "subregion")
    growth = _growth(known, tables.regions, params)
    return RoutesResult(corridors, summary, by_region, by_subregion, growth, n_known, total, params)


def _between(named: ibis.Table, level: str) -> pa.Table:
    o, d = f"origin_{level}", f"destination_{level}"
    agg = named.group_by([o, d]).aggregate(victims=named.victims.sum())
    return agg.order_by([ibis.desc("victims"), o, d]).to_pyarrow()


def _growth(known: ibis.Table, regions: ibis.Table, params: Params) -> pa.Table:
    schema = pa.schema([("origin", pa.string()), ("destination", pa.string()), ("origin_name", pa.string()),
                        ("destination_name", pa.string()), ("first", pa.string()), ("last", pa.string()),
                        ("victims_first", pa.int64()), ("victims_last", pa.int64()),
                        ("per_year_first", pa.float64()), ("per_year_last", pa.float64()), ("ratio", pa.float64())])
    periods = params.periods
    if len(periods) < 2:
        dated = known.filter(known.year.notnull())
        stats = dated.aggregate(lo=dated.year.min(), hi=dated.year.max()).to_pyarrow().to_pylist()[0]
        if stats["lo"] is None or stats["hi"] - stats["lo"] < 1:
            return schema.empty_table()
        mid = (stats["lo"] + stats["hi"]) // 2
        periods = ((stats["lo"], mid), (mid + 1, stats["hi"]))
    first, last = periods[0], periods[-1]
    labels = (f"{first[0]}-{first[1]}", f"{last[0]}-{last[1]}")
    t = known.mutate(period=period_label(known.year, (first, last)))
    t = t.filter(t.period.notnull())
    agg = t.group_by(origin=t.citizenship, destination=t.country_of_exploitation).aggregate(
        victims_first=(t.period == labels[0]).cast("int64").sum(),
        victims_last=(t.period == labels[1]).cast("int64").sum())
    rows = _named(agg, regions).to_pyarrow().to_pylist()
    span_a, span_b = first[1] - first[0] + 1, last[1] - last[0] + 1
    out = []
    for r in rows:
        if r["victims_last"] < params.min_victims:
            continue
        pa_, pb = r["victims_first"] / span_a, r["victims_last"] / span_b
        ratio = (pb + 0.5) / (pa_ + 0.5)  # +0.5 per year keeps new corridors finite
        out.append({**{k: r[k] for k in ("origin", "destination", "origin_name", "destination_name",
                                          "victims_first", "victims_last")},
                    "first": labels[0], "last": labels[1], "per_year_first": pa_, "per_year_last": pb,
                    "ratio": ratio if math.isfinite(ratio) else None})
    out.sort(key=lambda r: (-(r["ratio"] or 0), -r["victims_last"], r["origin"], r["destination"]))
    return pa.Table.from_pylist(out[: params.top], schema=schema)

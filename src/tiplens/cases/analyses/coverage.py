"""Coverage of country statistics (UNODC GLOTIP): per year, how many countries reported,
how many cells were suppressed ("<5") and how many victims the reporting countries
detected; and a balanced panel over the countries that reported in every year of a
window, so a drop in reporting is not read as a drop in trafficking.

Only the headline rows are summed (dimension, category, sex and age all "Total"), one
per country-year: the by-sex, by-age, by-form and by-citizenship rows overlap them and
are never added to them. UNODC's sub-regional aggregates (codes that are not ISO
alpha-3) are counted apart from countries. A suppressed headline ("<5") counts as a
reporting country whose value is unknown (between 0 and 4), shown in ``suppressed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from tiplens.cases.schema import DETECTED, GLOTIP_SOURCE
from tiplens.cases.tables import CasesTables

NAME = "coverage"
TITLE = "Coverage of country statistics"
# Seed 001 reads UNODC's figures as about 49,000 detected victims in 2020, 42,000 in 2021
# and about 41,000 in 2023.
SEED_CLAIMS: tuple[tuple[int, int], ...] = ((2020, 49_000), (2021, 42_000), (2023, 41_000))


@dataclass(frozen=True)
class Params:
    indicator: str = DETECTED
    source: str = GLOTIP_SOURCE
    panel: tuple[int, int] | None = None  # inclusive window; default: the last five years with data
    claims: tuple[tuple[int, int], ...] = SEED_CLAIMS
    replication_panel: tuple[int, int] = (2019, 2021)


@dataclass(frozen=True)
class CoverageResult:
    yearly: pa.Table  # year, countries, with_value, suppressed, victims, areas, area_victims, suppressed_cells
    panel: pa.Table  # year, countries, victims, index (first year = 100)
    panel_window: tuple[int, int] | None
    panel_countries: tuple[str, ...]
    replication: pa.Table  # year, claimed, glotip_victims, countries, panel_victims, panel_countries
    params: Params = field(default_factory=Params)

    def to_frame(self):
        return self.yearly.to_pandas()


def headline(stats: ibis.Table, params: Params) -> ibis.Table:
    s = stats.filter((stats.source == params.source) & (stats.indicator == params.indicator)
                     & (stats.dimension == "Total") & (stats.category == "Total") & (stats.sex == "Total")
                     & (stats.age == "Total") & (stats.part == 1) & stats.year.notnull())
    return s


def run(tables: CasesTables, params: Params = Params()) -> CoverageResult:
    stats = tables.need_stats()
    h = headline(stats, params)
    country = h.iso3.notnull()
    yearly = h.group_by("year").aggregate(
        countries=h.iso3.nunique(),
        with_value=(country & h.value.notnull()).sum(),
        suppressed=(country & h.suppressed).sum(),
        victims=h.value.sum(where=country),
        areas=(~country).sum(),
        area_victims=h.value.sum(where=~country),
    )
    every = stats.filter((stats.source == params.source) & (stats.indicator == params.indicator))
    cells = every.group_by(cy=every.year).aggregate(suppressed_cells=every.suppressed.sum(), cells=every.count())
    yearly = yearly.left_join(cells, yearly.year == cells.cy).drop("cy").order_by("year").to_pyarrow()
    years = [y for y in yearly.column("year").to_pylist() if y is not None]
    window = params.panel or ((max(years) - 4, max(years)) if years else None)
    panel, members = balanced_panel(h, window)
    replication = _replication(h, params, yearly)
    return CoverageResult(yearly, panel, window, members, replication, params)


def balanced_panel(h: ibis.Table, window: tuple[int, int] | None) -> tuple[pa.Table, tuple[str, ...]]:
    """Victims per year summed over the countries with a known value in every year of ``window``."""
    empty = pa.table({"year": pa.array([], pa.int64()), "countries": pa.array([], pa.int64()),
                      "victims": pa.array([], pa.float64()), "index": pa.array([], pa.float64())})
    if window is None:
        return empty, ()
    a, b = window
    span = b - a + 1
    inside = h.filter(h.iso3.notnull() & h.value.notnull() & (h.year >= a) & (h.year <= b))
    full = inside.group_by("iso3").aggregate(n=inside.year.nunique()).filter(ibis._.n == span)
    members = tuple(sorted(full.iso3.to_pyarrow().to_pylist()))
    rows = inside.semi_join(full, "iso3")
    agg = rows.group_by("year").aggregate(countries=rows.iso3.nunique(), victims=rows.value.sum()).order_by("year")
    out = agg.to_pyarrow()
    if out.num_rows == 0:
        return empty, members
    base = out.column("victims")[0].as_py() or 0
    index = [(v / base * 100 if base else None) for v in out.column("victims").to_pylist()]
    return out.append_column("index", pa.array(index, pa.float64())), members


def _replication(h: ibis.Table, params: Params, yearly: pa.Table) -> pa.Table:
    by_year = {r["year"]: r for r in yearly.to_pylist()}
    panel, members = balanced_panel(h, params.replication_panel)
    panel_by_year = {r["year"]: r for r in panel.to_pylist()}
    rows = []
    for year, claimed in params.claims:
        y = by_year.get(year, {})
        p = panel_by_year.get(year, {})
        rows.append({"year": year, "claimed": claimed, "glotip_victims": y.get("victims"),
                     "countries": y.get("countries"), "suppressed": y.get("suppressed"),
                     "area_victims": y.get("area_victims"),
                     "panel_victims": p.get("victims"), "panel_countries": len(members) if p else None})
    return pa.Table.from_pylist(rows, schema=pa.schema([
        ("year", pa.int64()), ("claimed", pa.int64()), ("glotip_victims", pa.float64()), ("countries", pa.int64()),
        ("suppressed", pa.int64()), ("area_victims", pa.float64()), ("panel_victims", pa.float64()),
        ("panel_countries", pa.int64())]))

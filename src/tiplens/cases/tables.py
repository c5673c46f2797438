"""The Ibis tables an analysis receives, and expressions shared by several analyses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from tiplens.knowledge.countries import region_table


@dataclass(frozen=True)
class CasesTables:
    cases: ibis.Table | None  # one row per victim record
    stats: ibis.Table | None  # country_stats, long format
    regions: ibis.Table  # iso2, iso3, m49, name, region, subregion, intermediate_region

    def need_cases(self) -> ibis.Table:
        """The case records; a clear error when the study has none."""
        if self.cases is None:
            raise ValueError("the study has no case records: import some with `tiplens cases import`")
        return self.cases

    def need_stats(self) -> ibis.Table:
        """The country statistics; a clear error when the study has none."""
        if self.stats is None:
            raise ValueError("the study has no country statistics: import GLOTIP or GSI with `tiplens cases import`")
        return self.stats


def cases_tables(backend: Any, names: set[str]) -> CasesTables:
    """``names``: the study's tables that exist (see :func:`study_tables`)."""
    cases = backend.table("cases") if "cases" in names else None
    stats = backend.table("country_stats") if "country_stats" in names else None
    return CasesTables(cases=cases, stats=stats, regions=ibis.memtable(region_table()))


FORM_LABELS = ("sexual exploitation", "forced labour", "sexual and labour", "other forms")


def form_category(t: ibis.Table) -> ibis.Value:
    """One form per victim for crosstabs: sexual exploitation, forced labour, both, other
    forms (marriage, military, organ removal, other), or NULL when none is known."""
    other = (t.form_other | t.form_forced_marriage | t.form_forced_military | t.form_organ_removal).fill_null(False)
    sexual = t.form_sexual.fill_null(False)
    labour = t.form_forced_labour.fill_null(False)
    return (ibis.cases((sexual & labour, FORM_LABELS[2]), (sexual, FORM_LABELS[0]), (labour, FORM_LABELS[1]),
                       (other, FORM_LABELS[3]), else_=ibis.null("string")))


def period_label(year: ibis.Value, periods: tuple[tuple[int, int], ...]) -> ibis.Value:
    """'2015-2019' for a year inside one of ``periods``; NULL otherwise."""
    branches = [((year >= a) & (year <= b), f"{a}-{b}" if a != b else str(a)) for a, b in periods]
    if not branches:
        return ibis.null("string")
    return ibis.cases(*branches, else_=ibis.null("string"))


def study_tables(study: Any) -> set[str]:
    """Names of the study's tables (read with fetchall, so the connection is left idle)."""
    return {r[0] for r in study.query("SELECT table_name FROM information_schema.tables")}

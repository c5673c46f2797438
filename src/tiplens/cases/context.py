"""What the cases report's section builders share: the tables, the parameters, the
publisher (privacy guard and its log) and the extra files of the report folder."""

from __future__ import annotations

from dataclasses import dataclass, field

from tiplens.cases.publish import Publisher
from tiplens.cases.tables import CasesTables


@dataclass(frozen=True)
class CasesReportParams:
    threshold: int = 10  # smallest published count (--k of the report)
    periods: tuple[tuple[int, int], ...] = ()
    epsilon: float = 1.0  # total budget of the differentially private counts; 0 = none
    engine: str = "duckdb"
    seed: int = 2023


@dataclass
class Context:
    tables: CasesTables
    params: CasesReportParams
    pub: Publisher
    files: dict[str, str] = field(default_factory=dict)
    dp: list[dict] = field(default_factory=list)
    results: dict[str, object] = field(default_factory=dict)  # analysis results sections share (run once)

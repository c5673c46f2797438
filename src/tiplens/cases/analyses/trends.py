"""Victims per year and per period, the change between consecutive periods with a 95%
interval, and the yearly series split by sex, age band and form of exploitation.

Counts are detected/registered victims, not prevalence: a change can come from more
identification or more contributing organisations as much as from more trafficking.
The change between periods is the ratio of mean victims per year, with a Wald interval
on the log scale and an exact conditional (binomial) test of equal yearly rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import ibis
import pyarrow as pa
from scipy import stats

from tiplens.cases.tables import CasesTables, form_category

NAME = "trends"
TITLE = "Trends in detected victims"
SPLITS = ("sex", "age_band", "form")


@dataclass(frozen=True)
class Params:
    periods: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class PeriodChange:
    first: str
    second: str
    victims_first: int
    victims_second: int
    years_first: int
    years_second: int
    ratio: float  # mean victims per year, second / first
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class TrendsResult:
    yearly: pa.Table  # year, victims
    by_split: dict[str, pa.Table]  # split -> (year, <split>, victims)
    periods: pa.Table  # period, first_year, last_year, years, victims, per_year
    changes: tuple[PeriodChange, ...]
    unknown_year: int
    total: int
    params: Params = field(default_factory=Params)

    def to_frame(self):
        return self.yearly.to_pandas()


def run(tables: CasesTables, params: Params = Params()) -> TrendsResult:
    t = tables.need_cases()
    total = int(t.count().to_pyarrow().as_py())
    known = t.filter(t.year.notnull())
    yearly = known.group_by("year").aggregate(victims=known.count()).order_by("year").to_pyarrow()
    by_split = {}
    for split in SPLITS:
        key = form_category(known) if split == "form" else known[split]
        agg = known.mutate(**{split: key}).group_by(["year", split]).aggregate(victims=ibis._.count())
        by_split[split] = agg.order_by(["year", split]).to_pyarrow()
    years = yearly.column("year").to_pylist()
    counts = dict(zip(years, yearly.column("victims").to_pylist(), strict=True))
    periods = params.periods or default_periods(years)
    rows = []
    for a, b in periods:
        n = sum(v for y, v in counts.items() if a <= y <= b)
        span = b - a + 1
        rows.append({"period": f"{a}-{b}" if a != b else str(a), "first_year": a, "last_year": b, "years": span,
                     "victims": n, "per_year": n / span})
    period_table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("period", pa.string()), ("first_year", pa.int64()), ("last_year", pa.int64()), ("years", pa.int64()),
        ("victims", pa.int64()), ("per_year", pa.float64())]))
    changes = tuple(change(r1, r2) for r1, r2 in zip(rows, rows[1:], strict=False))
    unknown = total - sum(counts.values())
    return TrendsResult(yearly, by_split, period_table, changes, unknown, total, params)


def default_periods(years: list[int]) -> tuple[tuple[int, int], ...]:
    """Five-year periods ending with the last year, when the caller names none."""
    if not years:
        return ()
    lo, hi = min(years), max(years)
    out = []
    end = hi
    while end >= lo:
        out.append((max(lo, end - 4), end))
        end -= 5
    return tuple(reversed(out))


def change(first: dict, second: dict) -> PeriodChange:
    a, b, ta, tb = first["victims"], second["victims"], first["years"], second["years"]
    if a == 0 or b == 0:
        ratio = math.inf if a == 0 and b else (math.nan if a == 0 else 0.0)
        return PeriodChange(first["period"], second["period"], a, b, ta, tb, ratio, math.nan, math.nan, math.nan)
    ratio = (b / tb) / (a / ta)
    se = math.sqrt(1 / a + 1 / b)
    p = stats.binomtest(b, a + b, tb / (ta + tb)).pvalue
    return PeriodChange(first["period"], second["period"], a, b, ta, tb, ratio, ratio * math.exp(-1.96 * se),
                        ratio * math.exp(1.96 * se), float(p))

"""Posting volume per day, week, month and year, by kind; the rate ratio between periods
with a confidence interval; and a single change-point search on the monthly series."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import ibis
import numpy as np
import pyarrow as pa
from scipy import stats

from tiplens.social.schema import KINDS
from tiplens.social.tables import SocialTables

NAME = "volume"
TITLE = "Posting volume over time"


@dataclass(frozen=True)
class Params:
    periods: tuple[tuple[int, int], ...] = ()  # inclusive year ranges to compare, e.g. ((2015, 2016), (2017, 2023))
    permutations: int = 999
    seed: int = 20150701


@dataclass(frozen=True)
class RateRatio:
    first: str
    second: str
    posts_first: int
    posts_second: int
    days_first: int
    days_second: int
    ratio: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class ChangePoint:
    month: str  # first month of the second regime
    rate_before: float  # posts per month
    rate_after: float
    likelihood_ratio: float
    p_value: float  # permutation p-value (months shuffled), with the seed in Params


@dataclass(frozen=True)
class VolumeResult:
    daily: pa.Table
    weekly: pa.Table
    monthly: pa.Table
    yearly: pa.Table
    rate_ratios: tuple[RateRatio, ...] = ()
    change_point: ChangePoint | None = None
    params: Params = field(default_factory=Params)

    def to_frame(self, grain: str = "yearly"):
        return getattr(self, grain).to_pandas()


def _by_period(posts: ibis.Table, key: ibis.Value, name: str) -> pa.Table:
    kinds = {k: (posts.kind == k).sum() for k in KINDS}
    agg = posts.group_by(**{name: key}).aggregate(posts=posts.count(), **kinds).order_by(name)
    return agg.to_pyarrow()


def run(tables: SocialTables, params: Params = Params()) -> VolumeResult:
    posts = tables.posts.filter(tables.posts.created_at.notnull())
    ts = posts.created_at
    daily = _by_period(posts, ts.date(), "day")
    weekly = _by_period(posts, ts.truncate("W").date(), "week")
    monthly = _by_period(posts, ts.strftime("%Y-%m"), "month")
    yearly = _by_period(posts, ts.year(), "year")
    ratios = tuple(_rate_ratios(daily, params.periods)) if params.periods else ()
    cp = change_point(monthly, params.permutations, params.seed)
    if not ratios and cp is not None:
        ratios = (_split_ratio(daily, cp.month),)
    return VolumeResult(daily, weekly, monthly, yearly, ratios, cp, params)


def poisson_rate_ratio(a: int, ta: float, b: int, tb: float) -> tuple[float, float, float, float]:
    """Ratio of rates (b/tb)/(a/ta) with a 95% Wald interval on the log scale and an exact
    conditional (binomial) two-sided p-value for equal rates."""
    if a == 0 or b == 0:
        return (math.inf if a == 0 and b else 0.0), math.nan, math.nan, math.nan
    ratio = (b / tb) / (a / ta)
    se = math.sqrt(1 / a + 1 / b)
    lo, hi = ratio * math.exp(-1.96 * se), ratio * math.exp(1.96 * se)
    p = stats.binomtest(b, a + b, tb / (ta + tb)).pvalue
    return ratio, lo, hi, float(p)


def _days(daily: pa.Table, y0: int, y1: int) -> tuple[int, int]:
    days = daily.column("day").to_pylist()
    counts = daily.column("posts").to_pylist()
    first, last = min(days), max(days)
    start, end = max(date(y0, 1, 1), first), min(date(y1, 12, 31), last)
    n = sum(c for d, c in zip(days, counts, strict=True) if start <= d <= end)
    return n, max((end - start).days + 1, 0)


def _rate_ratios(daily: pa.Table, periods: tuple[tuple[int, int], ...]):
    if daily.num_rows == 0:
        return
    for (a0, a1), (b0, b1) in zip(periods, periods[1:], strict=False):
        na, ta = _days(daily, a0, a1)
        nb, tb = _days(daily, b0, b1)
        if ta == 0 or tb == 0:
            continue
        ratio, lo, hi, p = poisson_rate_ratio(na, ta, nb, tb)
        yield RateRatio(f"{a0}-{a1}", f"{b0}-{b1}", na, nb, ta, tb, ratio, lo, hi, p)


def _split_ratio(daily: pa.Table, month: str) -> RateRatio:
    days = daily.column("day").to_pylist()
    counts = daily.column("posts").to_pylist()
    split = date(int(month[:4]), int(month[5:7]), 1)
    first, last = min(days), max(days)
    na = sum(c for d, c in zip(days, counts, strict=True) if d < split)
    nb = sum(c for d, c in zip(days, counts, strict=True) if d >= split)
    ta, tb = (split - first).days, (last - split).days + 1
    ratio, lo, hi, p = poisson_rate_ratio(na, ta, nb, tb)
    return RateRatio(f"{first:%Y-%m}..{_prev_month(month)}", f"{month}..{last:%Y-%m}", na, nb, ta, tb, ratio, lo, hi, p)


def _prev_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def _all_months(monthly: pa.Table) -> tuple[list[str], np.ndarray]:
    """The monthly series with empty months filled with 0 (a month with no post is data)."""
    months = monthly.column("month").to_pylist()
    counts = dict(zip(months, monthly.column("posts").to_pylist(), strict=True))
    y, m = int(months[0][:4]), int(months[0][5:7])
    out: list[str] = []
    while True:
        key = f"{y}-{m:02d}"
        out.append(key)
        if key == months[-1]:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out, np.array([counts.get(k, 0) for k in out], dtype=float)


def _best_split(x: np.ndarray) -> tuple[int, float]:
    """Index k maximising the Poisson log-likelihood of rates x[:k], x[k:] (k in 1..n-1)."""
    n = len(x)
    csum = np.cumsum(x)
    total = csum[-1]
    k = np.arange(1, n)
    s1, s2 = csum[:-1], total - csum[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        l1 = np.where(s1 > 0, s1 * np.log(s1 / k), 0.0)
        l2 = np.where(s2 > 0, s2 * np.log(s2 / (n - k)), 0.0)
    l0 = total * math.log(total / n) if total > 0 else 0.0
    lr = 2 * (l1 + l2 - l0)
    best = int(np.argmax(lr))
    return best + 1, float(lr[best])


def change_point(monthly: pa.Table, permutations: int = 999, seed: int = 0) -> ChangePoint | None:
    if monthly.num_rows < 4:
        return None
    months, x = _all_months(monthly)
    if len(x) < 4 or x.sum() == 0:
        return None
    k, lr = _best_split(x)
    rng = np.random.default_rng(seed)
    exceed = sum(_best_split(rng.permutation(x))[1] >= lr for _ in range(permutations))
    return ChangePoint(months[k], float(x[:k].mean()), float(x[k:].mean()), lr, (exceed + 1) / (permutations + 1))

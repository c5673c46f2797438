"""Engagement of posts that interact with organisations against posts that do not.

A post "interacts" when it mentions, replies to or quotes an account in the organisation
registry (``group="organisation"``, the default: the claim under test is about
organisations) or, with ``group="any"``, any other account. Retweets are left out: the
counts a retweet shows belong to the original post. Posts whose metric is missing (a
source without that count) are left out and counted in ``n_missing``; missing is never 0.

Statistics: medians; the Mann-Whitney U test (two-sided); the rank-biserial correlation
r = 2U/(n1 n2) - 1 (P(interacting > other) - P(interacting < other)); a percentile
bootstrap interval for the ratio (and difference) of medians; and a negative-binomial
regression of the metric on interaction, year, kind and media, whose exp(coefficient) is
the incidence rate ratio (IRR). The engine returns one row per distinct (group, value,
year, kind, media) with its count; the statistics work on those counts, so the data
never leave the engine row by row."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import optimize, stats
from threadpoolctl import threadpool_limits

from tiplens.knowledge.organisations import load_organisations
from tiplens.social.tables import SocialTables

NAME = "engagement"
TITLE = "Engagement when the account interacts with organisations"
METRICS = ("likes", "reposts", "replies", "quotes", "views")
GROUPS = ("organisation", "any")
MIN_GROUP_FOR_REGRESSION = 5
BINS = ((0, 0, "0"), (1, 4, "1-4"), (5, 9, "5-9"), (10, 19, "10-19"), (20, 49, "20-49"), (50, None, "50+"))


@dataclass(frozen=True)
class Params:
    metric: str = "likes"
    group: str = "organisation"  # organisation | any
    organisations: str | None = None  # registry YAML; None = the bundled one
    resamples: int = 2000
    confidence: float = 0.95
    seed: int = 20150701


@dataclass(frozen=True)
class Regression:
    irr: float
    ci_low: float
    ci_high: float
    p_value: float
    alpha: float  # NB2 dispersion: var = mu + alpha mu^2
    n: int
    covariates: tuple[str, ...]
    reference: str  # the baseline the other levels are compared with


@dataclass(frozen=True)
class EngagementResult:
    metric: str
    group: str
    n_interacting: int
    n_other: int
    n_missing: int  # non-retweet posts without the metric, left out
    n_retweets_excluded: int
    median_interacting: float
    median_other: float
    mean_interacting: float
    mean_other: float
    u_statistic: float  # U of the interacting group
    p_value: float
    rank_biserial: float
    ratio_of_medians: float
    ratio_ci: tuple[float, float]
    difference_of_medians: float
    difference_ci: tuple[float, float]
    regression: Regression | None
    yearly: pa.Table  # year, posts, likes, reposts, replies, quotes (sums over non-retweets; null = none)
    by_year_group: pa.Table  # year, group, posts, median, mean
    distribution: pa.Table  # group, bin, posts, share
    notes: tuple[str, ...] = ()
    params: Params = field(default_factory=Params)

    def to_frame(self, part: str = "yearly"):
        return getattr(self, part).to_pandas()

    def to_json(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k not in ("yearly", "by_year_group", "distribution", "params")}
        out["params"] = asdict(self.params)
        out["test"] = "Mann-Whitney U, two-sided; rank-biserial r = 2U/(n1*n2) - 1"
        out["interval"] = (f"percentile bootstrap, {self.params.resamples} resamples, seed {self.params.seed}, "
                           f"{self.params.confidence:.0%}")
        out["regression_model"] = "negative binomial (NB2) GLM, log link; IRR = exp(coefficient of interacting)"
        return _finite(out)


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _flagged(tables: SocialTables, params: Params) -> ibis.Table:
    """The keys of the posts that interact, each once, with hit = 1; only joined to the window's
    posts, so the study's interactions serve (narrowing them to the window first would be a
    second pass over the post keys)."""
    it = tables.interactions if tables.study_interactions is None else tables.study_interactions
    e = it.filter(it.kind.isin(["mention", "reply", "quote"]) & (it.target_account.lower() != it.source_account.lower()))
    if params.group == "organisation":
        e = e.filter(e.target_account.lower().isin(list(load_organisations(params.organisations).handles())))
    return e.select("post_id", "platform").distinct().mutate(hit=ibis.literal(1))


def run(tables: SocialTables, params: Params = Params()) -> EngagementResult:
    if params.metric not in METRICS:
        raise ValueError(f"metric {params.metric!r} is not one of {', '.join(METRICS)}")
    if params.group not in GROUPS:
        raise ValueError(f"group {params.group!r} is not one of {', '.join(GROUPS)}")
    p = tables.posts
    n_rt = int(p.filter(p.kind == "retweet").count().to_pyarrow().as_py())
    p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    yearly = _yearly(p)
    j = p.left_join(_flagged(tables, params), ["post_id", "platform"])
    j = j.select(interacting=j.hit.notnull(), value=j[params.metric], year=j.created_at.year(),
                 kind=j.kind.fill_null("unknown"), has_media=j.has_media)
    keys = ["interacting", "value", "year", "kind", "has_media"]
    # one pass over the join: the groups without a value are the posts left out
    agg = j.group_by(keys).aggregate(n=j.count()).to_pyarrow()
    missing = pc.is_null(agg.column("value"))
    n_missing = int(pc.sum(agg.column("n").filter(missing)).as_py() or 0)
    agg = agg.filter(pc.invert(missing))
    # in a fixed order: the engine returns groups in any order, and the regression's sums (so its
    # last digits) followed it from run to run
    agg = agg.sort_by([(k, "ascending") for k in keys])
    cols = {c: agg.column(c).to_pylist() for c in agg.column_names}
    grp = np.array(cols["interacting"], dtype=bool)
    val = np.array(cols["value"], dtype=float)
    cnt = np.array(cols["n"], dtype=np.int64)
    x1, x0 = np.repeat(val[grp], cnt[grp]), np.repeat(val[~grp], cnt[~grp])
    notes = [f"{n_rt:,} retweets left out: the counts a retweet shows belong to the original post."]
    if n_missing:
        notes.append(f"{n_missing:,} posts without a {params.metric} count left out (missing, not zero).")
    nan = math.nan
    if len(x1) and len(x0):
        u, pval = stats.mannwhitneyu(x1, x0, alternative="two-sided")
        u, pval = float(u), float(pval)
        rb = 2 * u / (len(x1) * len(x0)) - 1
    else:
        u = pval = rb = nan
        notes.append("one of the groups is empty: no comparison is possible.")
    m1 = float(np.median(x1)) if len(x1) else nan
    m0 = float(np.median(x0)) if len(x0) else nan
    ratio, ratio_ci, diff, diff_ci = _bootstrap(val, cnt, grp, params, notes)
    reg = _regression(cols, params, notes) if len(x1) and len(x0) else None
    return EngagementResult(
        metric=params.metric, group=params.group, n_interacting=len(x1), n_other=len(x0), n_missing=n_missing,
        n_retweets_excluded=n_rt, median_interacting=m1, median_other=m0,
        mean_interacting=float(x1.mean()) if len(x1) else nan, mean_other=float(x0.mean()) if len(x0) else nan,
        u_statistic=u, p_value=pval, rank_biserial=rb, ratio_of_medians=ratio, ratio_ci=ratio_ci,
        difference_of_medians=diff, difference_ci=diff_ci, regression=reg, yearly=yearly,
        by_year_group=_by_year_group(cols), distribution=_distribution(x1, x0), notes=tuple(notes), params=params)


def _yearly(p: ibis.Table) -> pa.Table:
    d = p.filter(p.created_at.notnull())
    d = d.mutate(year=d.created_at.year())
    sums = {m: d[m].sum() for m in ("likes", "reposts", "replies", "quotes")}
    return d.group_by("year").aggregate(posts=d.count(), **sums).order_by("year").to_pyarrow()


def weighted_median(values: np.ndarray, counts: np.ndarray) -> float:
    """Median of ``values`` repeated ``counts`` times (mean of the two middle values when even)."""
    order = np.argsort(values)
    v, c = values[order], np.cumsum(counts[order])
    n = c[-1]
    lo, hi = v[np.searchsorted(c, (n - 1) // 2, side="right")], v[np.searchsorted(c, n // 2, side="right")]
    return float((lo + hi) / 2)


def _boot_medians(values: np.ndarray, counts: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Medians of ``resamples`` bootstrap samples: resampling n posts with replacement is a
    multinomial draw of counts over the distinct values (done in chunks to bound memory)."""
    n = int(counts.sum())
    order = np.argsort(values)
    v, prob = values[order], counts[order] / n
    out = []
    chunk = max(1, 2_000_000 // max(len(v), 1))
    for start in range(0, resamples, chunk):
        draws = np.cumsum(rng.multinomial(n, prob, size=min(chunk, resamples - start)), axis=1)
        lo = (draws <= (n - 1) // 2).sum(axis=1)
        hi = (draws <= n // 2).sum(axis=1)
        out.append((v[lo] + v[hi]) / 2)
    return np.concatenate(out)


def _collapse(val: np.ndarray, cnt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u, inv = np.unique(val, return_inverse=True)
    return u, np.bincount(inv, weights=cnt).astype(np.int64)


def _bootstrap(val, cnt, grp, params: Params, notes: list[str]):
    nan = (math.nan, math.nan)
    if not grp.any() or grp.all():
        return math.nan, nan, math.nan, nan
    v1, c1 = _collapse(val[grp], cnt[grp])
    v0, c0 = _collapse(val[~grp], cnt[~grp])
    m1, m0 = weighted_median(v1, c1), weighted_median(v0, c0)
    rng = np.random.default_rng(params.seed)
    b1 = _boot_medians(v1, c1, params.resamples, rng)
    b0 = _boot_medians(v0, c0, params.resamples, rng)
    tail = (1 - params.confidence) / 2 * 100
    diff_ci = tuple(float(x) for x in np.percentile(b1 - b0, [tail, 100 - tail]))
    if m0 == 0:
        notes.append("the median of posts without interaction is 0, so the ratio of medians is undefined; "
                     "read the difference of medians instead.")
        return math.nan, nan, m1 - m0, diff_ci
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = b1 / b0
    zero = int((b0 == 0).sum())
    if zero:
        notes.append(f"{zero} of {params.resamples} bootstrap resamples had a median of 0 without interaction; "
                     "their ratio is infinite and counts at the top of the interval.")
    ratios = np.where(np.isnan(ratios), np.inf, ratios)
    ratio_ci = tuple(float(x) for x in np.percentile(ratios, [tail, 100 - tail]))
    return m1 / m0, ratio_ci, m1 - m0, diff_ci


def design(cols: dict[str, list]) -> tuple[np.ndarray, list[str], str]:
    """Design matrix: constant, interacting, year, kind and media indicators. Reference levels:
    the first year, kind 'original' (else the most common), no media. Constant or redundant
    columns are dropped."""
    n = len(cols["n"])
    names, mats = ["const", "interacting"], [np.ones(n), np.array(cols["interacting"], dtype=float)]
    years = sorted({y for y in cols["year"] if y is not None})
    for y in years[1:]:
        names.append(f"year={y}")
        mats.append(np.array([yy == y for yy in cols["year"]], dtype=float))
    kinds = sorted(set(cols["kind"]))
    ref_kind = "original" if "original" in kinds else max(kinds, key=cols["kind"].count)
    for k in kinds:
        if k != ref_kind:
            names.append(f"kind={k}")
            mats.append(np.array([kk == k for kk in cols["kind"]], dtype=float))
    media = cols["has_media"]
    if any(m is True for m in media):
        names.append("has_media")
        mats.append(np.array([m is True for m in media], dtype=float))
    if any(m is None for m in media) and any(m is not None for m in media):
        names.append("media_unknown")
        mats.append(np.array([m is None for m in media], dtype=float))
    x = np.column_stack(mats)
    keep = [0, 1] + [i for i in range(2, x.shape[1]) if np.ptp(x[:, i]) > 0]
    x, names = x[:, keep], [names[i] for i in keep]
    i = len(names) - 1
    while np.linalg.matrix_rank(x) < x.shape[1] and i >= 2:
        x, names = np.delete(x, i, axis=1), names[:i] + names[i + 1:]
        i -= 1
    ref = f"year {years[0] if years else '-'}, kind {ref_kind}, no media"
    return x, names, ref


def _regression(cols: dict[str, list], params: Params, notes: list[str]) -> Regression | None:
    # the two classes needed, not statsmodels.api (which imports every model: about a second)
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    x, names, ref = design(cols)
    y = np.array(cols["value"], dtype=float)
    w = np.array(cols["n"], dtype=float)
    g = x[:, 1] == 1
    if min(w[g].sum(), w[~g].sum()) < MIN_GROUP_FOR_REGRESSION:
        notes.append(f"negative-binomial regression not fitted: fewer than {MIN_GROUP_FOR_REGRESSION} posts in a group.")
        return None
    if (y[g] * w[g]).sum() == 0 or (y[~g] * w[~g]).sum() == 0:
        notes.append(f"negative-binomial regression not fitted: every post in one group has 0 {params.metric}, "
                     "so the rate ratio is not estimable (it would be 0 or infinite).")
        return None
    if np.linalg.matrix_rank(x) < x.shape[1] or y.max() == 0:
        notes.append("negative-binomial regression not fitted: the metric does not vary or the groups are confounded.")
        return None

    def fit(log_alpha: float):
        family = families.NegativeBinomial(alpha=math.exp(log_alpha))
        return GLM(y, x, family=family, freq_weights=w).fit(maxiter=200)

    try:  # small matrices: one BLAS thread is many times faster than several competing ones
        with threadpool_limits(1):
            best = optimize.minimize_scalar(lambda a: -fit(a).llf, bounds=(-9.0, 5.0), method="bounded",
                                            options={"xatol": 1e-4})
            res = fit(best.x)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
        notes.append(f"negative-binomial regression failed to fit ({exc}).")
        return None
    b, se = float(res.params[1]), float(res.bse[1])
    if not (math.isfinite(b) and math.isfinite(se)) or abs(b) > 20 or se > 10:
        notes.append("negative-binomial regression not reported: the fit did not give a finite, stable estimate "
                     "(a covariate level may separate the data).")
        return None
    z = stats.norm.ppf(0.5 + params.confidence / 2)
    return Regression(irr=math.exp(b), ci_low=math.exp(b - z * se), ci_high=math.exp(b + z * se),
                      p_value=float(res.pvalues[1]), alpha=math.exp(best.x), n=int(w.sum()),
                      covariates=tuple(names[2:]), reference=ref)


def _by_year_group(cols: dict[str, list]) -> pa.Table:
    acc: dict[tuple[int, str], tuple[list[float], list[int]]] = {}
    for g, v, y, n in zip(cols["interacting"], cols["value"], cols["year"], cols["n"], strict=True):
        if y is None:
            continue
        vals, cnts = acc.setdefault((y, "interacting" if g else "other"), ([], []))
        vals.append(float(v))
        cnts.append(int(n))
    rows = []
    for (y, g), (vals, cnts) in sorted(acc.items()):
        v, c = np.array(vals), np.array(cnts)
        rows.append({"year": y, "group": g, "posts": int(c.sum()), "median": weighted_median(v, c),
                     "mean": float((v * c).sum() / c.sum())})
    return pa.Table.from_pylist(rows, schema=pa.schema([("year", pa.int64()), ("group", pa.string()),
                                                         ("posts", pa.int64()), ("median", pa.float64()),
                                                         ("mean", pa.float64())]))


def _distribution(x1: np.ndarray, x0: np.ndarray) -> pa.Table:
    rows = []
    for name, x in (("interacting", x1), ("other", x0)):
        for lo, hi, label in BINS:
            k = int(((x >= lo) & (x <= (hi if hi is not None else np.inf))).sum())
            rows.append({"group": name, "bin": label, "posts": k, "share": k / len(x) if len(x) else math.nan})
    return pa.Table.from_pylist(rows)

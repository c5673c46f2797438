"""Report section: engagement when the account interacts with organisations, with the test
of the study's claim written out in plain language."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from tiplens.report import Chart, Note, Section, Table
from tiplens.social import charts as social_charts
from tiplens.social.analyses import engagement
from tiplens.social.sections import years_as_text
from tiplens.social.tables import SocialTables

if TYPE_CHECKING:
    from tiplens.social.report import SocialReportParams

CLAIM = "engagement increased when IOM interacted with other organisations"
ALPHA = 0.05


def section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section | None:
    main = engagement.Params(metric=params.metric, group="organisation", organisations=params.organisations,
                             seed=params.seed)
    res = engagement.run(tables, main)
    alt = engagement.run(tables, replace(main, group="any"))
    payload = res.to_json()
    payload["claim"] = CLAIM
    payload["verdict"] = verdict(res)[0]
    payload["alternative_any_account"] = {k: v for k, v in alt.to_json().items()
                                          if k not in ("params", "test", "interval", "regression_model")}
    files["engagement_test.json"] = json.dumps(payload, indent=2, default=str, allow_nan=False)
    m = res.metric
    blocks: list = [Note(reading(res), "finding"), Note(alt_reading(alt), "text")]
    blocks += [Note(n, "text") for n in res.notes]
    blocks.append(Table("", _test_table(res), title="Test results", export=False,
                        caption="Also in engagement_test.json (with the same figures for interaction with any account)."))
    byg = res.by_year_group.to_pandas()
    if len(byg):
        blocks.append(Chart(social_charts.grouped_bars(byg, "year", "median", "group", y_title=f"median {m} per post",
                                                       title=f"Median {m} per post, by year"),
                            title=f"Median {m}: interacting with organisations vs not",
                            caption="'interacting' = the post mentions, replies to or quotes an organisation in the "
                                    "registry. Retweets left out."))
        dist = res.distribution.to_pandas()
        blocks.append(Chart(social_charts.grouped_bars(dist, "bin", "share", "group", y_format="%",
                                                       x_sort=[b[2] for b in engagement.BINS],
                                                       x_title=f"{m} per post", y_title="share of the group's posts",
                                                       title=f"Distribution of {m} per post"),
                            title=f"How {m} are distributed"))
    yearly = res.yearly.to_pandas()
    blocks.append(Table("engagement_yearly", years_as_text(yearly), title="Engagement per year",
                        caption="Sums over posts that are not retweets; empty where the source has no such count."))
    blocks.append(Table("engagement_by_group_year", years_as_text(byg), title=f"{m.capitalize()} per year and group", max_rows=40))
    return Section("engagement", engagement.TITLE, blocks, intro=(
        f"Compares the {m} of posts that interact with organisations (mention, reply to or quote an account in the "
        "organisation registry) with the other posts. Organisations are the default because that is the claim under "
        "test; the same figures for interaction with any account follow. Retweets are left out (the counts a retweet "
        "shows belong to the original) and posts without the count are left out, not taken as zero."))


def _magnitude(r: float) -> str:
    a = abs(r)
    return "negligible" if a < 0.1 else "small" if a < 0.3 else "medium" if a < 0.5 else "large"


def verdict(res: engagement.EngagementResult) -> tuple[str, str]:
    """(short verdict, explanation) for the study's claim."""
    if math.isnan(res.p_value):
        return "not testable", "one of the two groups has no post, so the claim cannot be tested on this data"
    if min(res.n_interacting, res.n_other) < engagement.MIN_GROUP_FOR_REGRESSION:
        return "not testable", (f"only {min(res.n_interacting, res.n_other)} post(s) in one group; at least "
                                f"{engagement.MIN_GROUP_FOR_REGRESSION} are needed for a meaningful comparison")
    reg = res.regression
    higher = res.rank_biserial > 0
    if res.p_value >= ALPHA:
        return "not supported", (f"the difference could be chance (p = {res.p_value:.2g} is not below {ALPHA})")
    if not higher:
        return "contradicted", "posts that interact with organisations get less engagement, not more"
    if reg is not None and reg.ci_low <= 1 <= reg.ci_high:
        return "partly supported", ("the raw difference is clear, but it is not distinguishable from no effect once "
                                    "year, kind and media are held constant")
    if reg is not None and reg.ci_high < 1:
        return "partly supported", "the raw difference reverses once year, kind and media are held constant"
    return "supported", ("the difference is unlikely to be chance and holds when year, kind and media are held "
                         "constant" if reg is not None else "the difference is unlikely to be chance (no regression fitted)")


def reading(res: engagement.EngagementResult) -> str:
    m = res.metric
    short, why = verdict(res)
    if short == "not testable":
        return f"The study's claim that \"{CLAIM}\" cannot be tested here: {why}."
    ratio = (f"a ratio of {res.ratio_of_medians:.2f} (95% bootstrap CI {res.ratio_ci[0]:.2f}-{res.ratio_ci[1]:.2f})"
             if not math.isnan(res.ratio_of_medians) else
             f"a difference of {res.difference_of_medians:g} (95% bootstrap CI {res.difference_ci[0]:g} to {res.difference_ci[1]:g})")
    text = (f"Posts that interact with organisations (n = {res.n_interacting:,}) have a median of {res.median_interacting:g} "
            f"{m}; the other posts (n = {res.n_other:,}) {res.median_other:g}: {ratio}. Mann-Whitney U = {res.u_statistic:,.0f}, "
            f"p = {res.p_value:.2g}; rank-biserial r = {res.rank_biserial:.2f} ({_magnitude(res.rank_biserial)}: an "
            f"interacting post beats a non-interacting one {(1 + res.rank_biserial) / 2:.0%} of the time, ties split).")
    reg = res.regression
    if reg is not None:
        text += (f" Holding year, kind and media constant, a negative-binomial regression gives an incidence rate ratio "
                 f"of {reg.irr:.2f} (95% CI {reg.ci_low:.2f}-{reg.ci_high:.2f}, p = {reg.p_value:.2g}): about "
                 f"{abs(reg.irr - 1):.0%} {'more' if reg.irr >= 1 else 'fewer'} {m} per post.")
    text += (f" Verdict on the study's claim that \"{CLAIM}\": {short.upper()} on this data - {why}. This is an "
             "association in observational data, not proof that interacting causes engagement.")
    return text


def alt_reading(res: engagement.EngagementResult) -> str:
    if math.isnan(res.p_value):
        return "Counting interaction with any account: no comparison possible."
    text = (f"Counting interaction with any account instead (n = {res.n_interacting:,} vs {res.n_other:,}): medians "
            f"{res.median_interacting:g} vs {res.median_other:g}, rank-biserial r = {res.rank_biserial:.2f}, "
            f"p = {res.p_value:.2g}")
    if res.regression is not None:
        text += f", IRR {res.regression.irr:.2f} ({res.regression.ci_low:.2f}-{res.regression.ci_high:.2f})"
    return text + "."


def _test_table(res: engagement.EngagementResult) -> pd.DataFrame:
    reg = res.regression
    rows = [
        ("posts interacting with organisations", res.n_interacting), ("other posts", res.n_other),
        (f"posts without a {res.metric} count (left out)", res.n_missing),
        ("retweets (left out)", res.n_retweets_excluded),
        (f"median {res.metric}, interacting", res.median_interacting), (f"median {res.metric}, other", res.median_other),
        (f"mean {res.metric}, interacting", res.mean_interacting), (f"mean {res.metric}, other", res.mean_other),
        ("Mann-Whitney U (interacting group)", res.u_statistic), ("p-value (two-sided)", res.p_value),
        ("rank-biserial r", res.rank_biserial), ("ratio of medians", res.ratio_of_medians),
        ("ratio of medians, 95% bootstrap CI", _ci(res.ratio_ci)),
        ("difference of medians", res.difference_of_medians),
        ("difference of medians, 95% bootstrap CI", _ci(res.difference_ci)),
        ("bootstrap resamples, seed", f"{res.params.resamples}, {res.params.seed}"),
    ]
    if reg is not None:
        rows += [("NB regression: incidence rate ratio", reg.irr), ("IRR 95% CI", _ci((reg.ci_low, reg.ci_high))),
                 ("IRR p-value", reg.p_value), ("NB dispersion alpha", reg.alpha),
                 ("controls", ", ".join(reg.covariates) or "none"), ("reference levels", reg.reference)]
    return pd.DataFrame({"statistic": [r[0] for r in rows], "value": [_fmt(r[1]) for r in rows]})


def _ci(ci: tuple[float, float]) -> str:
    return "" if any(math.isnan(x) for x in ci) else f"{_fmt(ci[0])} - {_fmt(ci[1])}"


def _fmt(v) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if math.isinf(v):
            return "inf"
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{v:.3g}" if abs(v) < 1e-3 or abs(v) >= 1e5 else f"{v:,.3f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)

"""Engagement comparison on hand-listed posts: medians, U and rank-biserial by hand; the
regression against statsmodels' own negative-binomial maximum likelihood on per-post rows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tests.properties import examples
from tests.social.rows import insert, post
from tiplens.social.analyses import engagement

# interacting with an organisation in the registry: likes 5, 8, 12, 20
# other posts: 1 (no interaction), 3 (mentions an unlisted account), 4, 8, 2
HAND = [
    ("a1", 5, [("unmigration", "mention")]), ("a2", 8, [("stateprm", "reply")]),
    ("a3", 12, [("unodc", "quote")]), ("a4", 20, [("iomasiapacific", "mention"), ("warga", "mention")]),
    ("b1", 1, []), ("b2", 3, [("warga", "mention")]), ("b3", 4, []), ("b4", 8, []), ("b5", 2, []),
]


def _tables(study):
    posts, edges = [], []
    for i, (pid, likes, targets) in enumerate(HAND):
        posts.append(post(pid, f"2021-{1 + i % 12:02d}-01 00:00:00", likes=likes, has_media=i % 2 == 0))
        edges += [(pid, "iomindonesia", t, k) for t, k in targets]
    # a retweet of an organisation with big counts (they belong to the original) and a post without likes
    posts.append(post("rt", "2021-05-05 00:00:00", kind="retweet", likes=100))
    edges.append(("rt", "iomindonesia", "unmigration", "retweet"))
    posts.append(post("nolikes", "2021-06-06 00:00:00", likes=None))
    edges.append(("nolikes", "iomindonesia", "unmigration", "mention"))
    return insert(study, posts, interactions=edges)


def test_hand_computed_statistics(study):
    res = engagement.run(_tables(study), engagement.Params(resamples=500))
    assert (res.n_interacting, res.n_other, res.n_missing, res.n_retweets_excluded) == (4, 5, 1, 1)
    assert (res.median_interacting, res.median_other) == (10.0, 3.0)  # (8 + 12) / 2; middle of 1 2 3 4 8
    # U by hand: 5 beats 4 others; 8 beats 4 and ties 1 (0.5); 12 and 20 beat all 5 -> 4 + 4.5 + 5 + 5
    assert res.u_statistic == 18.5
    assert math.isclose(res.rank_biserial, 2 * 18.5 / (4 * 5) - 1)  # 0.85
    assert math.isclose(res.ratio_of_medians, 10 / 3) and res.difference_of_medians == 7.0
    expected_p = stats.mannwhitneyu([5, 8, 12, 20], [1, 3, 4, 8, 2], alternative="two-sided").pvalue
    assert math.isclose(res.p_value, expected_p)
    assert any("retweets left out" in n for n in res.notes) and any("without a likes count" in n for n in res.notes)


def test_any_account_moves_the_unlisted_mention_into_the_group(study):
    res = engagement.run(_tables(study), engagement.Params(group="any", resamples=200))
    assert (res.n_interacting, res.n_other) == (5, 4)
    assert (res.median_interacting, res.median_other) == (8.0, 3.0)  # 3 5 8 12 20; 1 2 4 8


def test_bootstrap_is_seeded_and_brackets_the_estimate(study):
    tables = _tables(study)
    a = engagement.run(tables, engagement.Params(resamples=400, seed=7))
    b = engagement.run(tables, engagement.Params(resamples=400, seed=7))
    assert a.ratio_ci == b.ratio_ci and a.difference_ci == b.difference_ci
    assert a.difference_ci[0] <= a.difference_of_medians <= a.difference_ci[1]
    assert a.ratio_ci[0] <= a.ratio_of_medians <= a.ratio_ci[1]


def test_yearly_sums_leave_retweets_out_and_keep_missing_missing(study):
    tables = insert(study, [
        post("1", "2020-01-01 00:00:00", likes=3, reposts=1, quotes=None),
        post("2", "2020-02-01 00:00:00", likes=4, reposts=2, quotes=None),
        post("3", "2020-03-01 00:00:00", kind="retweet", likes=50, reposts=50, quotes=None),
        post("4", "2021-01-01 00:00:00", likes=None, reposts=None, replies=None, quotes=None),
    ])
    rows = engagement.run(tables, engagement.Params(resamples=10)).yearly.to_pylist()
    assert rows[0] == {"year": 2020, "posts": 2, "likes": 7, "reposts": 3, "replies": 0, "quotes": None}
    assert rows[1] == {"year": 2021, "posts": 1, "likes": None, "reposts": None, "replies": None, "quotes": None}


def test_a_metric_nobody_has_is_not_testable(study):
    res = engagement.run(_tables(study), engagement.Params(metric="views", resamples=10))
    assert res.n_missing == 10 and res.n_interacting == 0 and math.isnan(res.p_value)
    assert res.regression is None
    assert res.to_json()["p_value"] is None  # JSON has no NaN


def test_negative_binomial_matches_statsmodels_maximum_likelihood(study):
    import pandas as pd
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(11)
    posts, edges, rows = [], [], []
    for i in range(400):
        year = 2018 + i % 4
        kind = ("original", "reply", "quote")[i % 3]
        media = bool(rng.random() < 0.4)
        inter = bool(rng.random() < 0.45)
        mu = 4.0 * (2.0 if inter else 1.0) * (1.3 if media else 1.0) * (1 + 0.2 * (year - 2018))
        likes = int(rng.negative_binomial(2, 2 / (2 + mu)))
        posts.append(post(f"n{i}", f"{year}-03-01 00:00:00", kind=kind, likes=likes, has_media=media))
        if inter:
            edges.append((f"n{i}", "iomindonesia", "unodc", "mention"))
        rows.append({"likes": likes, "interacting": int(inter), "year": year, "kind": kind, "has_media": int(media)})
    res = engagement.run(insert(study, posts, interactions=edges), engagement.Params(resamples=50))
    frame = pd.DataFrame(rows)
    ref = smf.negativebinomial("likes ~ interacting + C(year) + C(kind, Treatment('original')) + has_media",
                               frame).fit(disp=0, maxiter=200)
    b, se = ref.params["interacting"], ref.bse["interacting"]
    reg = res.regression
    assert reg is not None and reg.n == 400
    assert math.isclose(reg.irr, math.exp(b), rel_tol=1e-3)
    assert math.isclose(reg.ci_low, math.exp(b - 1.959964 * se), rel_tol=2e-2)
    assert math.isclose(reg.alpha, ref.params["alpha"], rel_tol=2e-2)
    assert 1.5 < reg.irr < 2.7  # the simulated effect is 2
    assert set(reg.covariates) == {"year=2019", "year=2020", "year=2021", "kind=quote", "kind=reply", "has_media"}


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 5)), min_size=1, max_size=15))
def test_weighted_median_equals_the_median_of_the_expanded_values(pairs):
    values = np.array([float(v) for v, _ in pairs])
    counts = np.array([c for _, c in pairs])
    assert engagement.weighted_median(values, counts) == float(np.median(np.repeat(values, counts)))


def test_bad_params():
    with pytest.raises(ValueError, match="metric"):
        engagement.run(None, engagement.Params(metric="hearts"))
    with pytest.raises(ValueError, match="group"):
        engagement.run(None, engagement.Params(group="friends"))


def test_a_window_counts_only_its_own_posts_interactions(study):
    from datetime import date

    from tiplens.social.tables import social_tables

    _tables(study)
    window = social_tables(study.tables(), since=date(2021, 3, 1))  # a1 and a2 (January, February) fall out
    res = engagement.run(window, engagement.Params(resamples=200))
    assert (res.n_interacting, res.n_other, res.n_missing) == (2, 5, 1)
    assert (res.median_interacting, res.median_other) == (16.0, 3.0)  # 12 20; 1 2 3 4 8

"""Volume analysis on a hand-made fixture; expected values worked out by hand."""

from __future__ import annotations

import math

from tests.social.helpers import twarc2_page, tweet, write_lines
from tiplens.social.analyses import volume
from tiplens.social.importing import import_files
from tiplens.social.tables import social_tables


def _study_with(study, tmp_path, stamps_and_refs):
    tweets = []
    for i, (when, ref) in enumerate(stamps_and_refs, start=1):
        t = tweet(i, when)
        if ref:
            t["referenced_tweets"] = [{"type": ref, "id": "999"}]
        tweets.append(t)
    import_files(study, [write_lines(tmp_path / "f.jsonl", [twarc2_page(tweets)])])
    return social_tables(study.tables())


def test_counts_by_year_month_and_kind(study, tmp_path):
    rows = [("2016-01-05T10:00:00Z", None), ("2016-01-20T10:00:00Z", "retweeted"),
            ("2016-03-01T00:00:00Z", "replied_to"), ("2017-02-02T23:59:59Z", "quoted"),
            ("2017-02-03T00:00:00Z", None)]
    res = volume.run(_study_with(study, tmp_path, rows), volume.Params(permutations=9))
    yearly = {r["year"]: r for r in res.yearly.to_pylist()}
    assert yearly[2016]["posts"] == 3 and yearly[2017]["posts"] == 2
    assert (yearly[2016]["original"], yearly[2016]["retweet"], yearly[2016]["reply"]) == (1, 1, 1)
    assert yearly[2017]["quote"] == 1
    monthly = {r["month"]: r["posts"] for r in res.monthly.to_pylist()}
    assert monthly == {"2016-01": 2, "2016-03": 1, "2017-02": 2}


def test_rate_ratio_between_given_periods(study, tmp_path):
    # 2 posts in 2015 (Jan 1 .. Dec 31 spans 365 days), 8 posts in 2016 up to 2016-12-31 (366 days)
    rows = [("2015-01-01T00:00:00Z", None), ("2015-12-31T00:00:00Z", None)]
    rows += [(f"2016-{m:02d}-01T00:00:00Z", None) for m in range(1, 8)] + [("2016-12-31T00:00:00Z", None)]
    res = volume.run(_study_with(study, tmp_path, rows), volume.Params(periods=((2015, 2015), (2016, 2016)), permutations=9))
    (rr,) = res.rate_ratios
    assert (rr.posts_first, rr.posts_second, rr.days_first, rr.days_second) == (2, 8, 365, 366)
    expected = (8 / 366) / (2 / 365)
    assert math.isclose(rr.ratio, expected)
    se = math.sqrt(1 / 2 + 1 / 8)
    assert math.isclose(rr.ci_low, expected * math.exp(-1.96 * se))
    assert math.isclose(rr.ci_high, expected * math.exp(1.96 * se))


def test_change_point_finds_a_step_in_a_plain_series():
    import pyarrow as pa

    months = [f"2015-{m:02d}" for m in range(1, 13)] + [f"2016-{m:02d}" for m in range(1, 13)]
    counts = [2] * 12 + [20] * 12
    cp = volume.change_point(pa.table({"month": months, "posts": counts}), permutations=199, seed=1)
    assert cp is not None and cp.month == "2016-01"
    assert (cp.rate_before, cp.rate_after) == (2.0, 20.0)
    assert cp.p_value < 0.01


def test_change_point_is_not_significant_on_a_flat_series():
    import pyarrow as pa

    months = [f"2015-{m:02d}" for m in range(1, 13)]
    cp = volume.change_point(pa.table({"month": months, "posts": [5] * 12}), permutations=99, seed=1)
    assert cp is not None and cp.p_value == 1.0

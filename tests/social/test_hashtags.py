"""Hashtags on a six-post twarc2 fixture, counted by hand."""

from __future__ import annotations

import math

from tests.social.helpers import twarc2_page, tweet, write_lines
from tests.social.rows import insert, post
from tiplens.social.analyses import hashtags
from tiplens.social.importing import import_files
from tiplens.social.tables import social_tables


def _tags(*tags: str) -> dict:
    return {"entities": {"hashtags": [{"tag": t} for t in tags]}}


def _six_posts(study, tmp_path):
    tweets = [
        tweet(1, "2020-01-05T10:00:00Z", "#Indonesia #migration", **_tags("Indonesia", "migration")),
        tweet(2, "2020-02-05T10:00:00Z", "#INDONESIA and #indonesia again #covid19", **_tags("INDONESIA", "indonesia", "covid19")),
        tweet(3, "2020-03-05T10:00:00Z", "#COVID19 #Migration", **_tags("COVID19", "Migration")),
        tweet(4, "2021-01-05T10:00:00Z", "no tags at all", **_tags()),
        tweet(5, "2021-02-05T10:00:00Z", "#IOMAsiaPacific #indonesia", **_tags("IOMAsiaPacific", "indonesia")),
        tweet(6, "2021-03-05T10:00:00Z", "RT @x: #Indonesia", referenced_tweets=[{"type": "retweeted", "id": "99"}],
              **_tags("Indonesia")),
    ]
    import_files(study, [write_lines(tmp_path / "six.jsonl", [twarc2_page(tweets)])])
    return social_tables(study.tables())


def test_case_folded_and_counted_once_per_post(study, tmp_path):
    res = hashtags.run(_six_posts(study, tmp_path), hashtags.Params(min_pair_posts=1))
    # by hand: indonesia in posts 1,2,5,6; migration 1,3; covid19 2,3; iomasiapacific 5
    overall = {r["hashtag"]: (r["posts"], r["share"]) for r in res.overall.to_pylist()}
    assert {k: v[0] for k, v in overall.items()} == {"indonesia": 4, "migration": 2, "covid19": 2, "iomasiapacific": 1}
    assert math.isclose(overall["indonesia"][1], 4 / 6)
    assert math.isclose(overall["iomasiapacific"][1], 1 / 6)
    assert res.overall.column("hashtag").to_pylist()[0] == "indonesia"
    assert (res.total_posts, res.posts_with_hashtags) == (6, 5)


def test_top_per_year_with_ties_broken_alphabetically(study, tmp_path):
    res = hashtags.run(_six_posts(study, tmp_path))
    rows = [(r["year"], r["rank"], r["hashtag"], r["posts"], r["year_posts"]) for r in res.per_year.to_pylist()]
    assert rows == [
        (2020, 1, "covid19", 2, 3), (2020, 2, "indonesia", 2, 3), (2020, 3, "migration", 2, 3),
        (2021, 1, "indonesia", 2, 3), (2021, 2, "iomasiapacific", 1, 3),
    ]
    trend = {(r["year"], r["hashtag"]): r["share"] for r in res.trend.to_pylist()}
    assert math.isclose(trend[(2021, "indonesia")], 2 / 3)


def test_co_occurrence_pairs(study, tmp_path):
    tables = _six_posts(study, tmp_path)
    pairs = hashtags.run(tables, hashtags.Params(min_pair_posts=1)).pairs.to_pylist()
    assert {(p["source"], p["target"], p["posts"]) for p in pairs} == {
        ("indonesia", "migration", 1), ("covid19", "indonesia", 1), ("covid19", "migration", 1),
        ("indonesia", "iomasiapacific", 1)}
    assert hashtags.run(tables).pairs.num_rows == 0  # default: a pair needs two posts


def test_retweets_can_be_left_out(study, tmp_path):
    res = hashtags.run(_six_posts(study, tmp_path), hashtags.Params(exclude_retweets=True))
    overall = {r["hashtag"]: r["posts"] for r in res.overall.to_pylist()}
    assert overall["indonesia"] == 3 and res.total_posts == 5


def test_unfolded_rows_are_folded_by_the_analysis(study):
    # rows written by hand (not by an importer): '#Foo' and 'FOO' in one post are one tag
    tables = insert(study, [post("a", "2022-01-01 00:00:00"), post("b", "2022-06-01 00:00:00")],
                    entities=[("a", "hashtag", "#Foo"), ("a", "hashtag", "FOO"), ("b", "hashtag", "foo"),
                              ("b", "mention", "foo")])
    res = hashtags.run(tables)
    assert [(r["hashtag"], r["posts"]) for r in res.overall.to_pylist()] == [("foo", 2)]


def test_no_hashtags(study):
    res = hashtags.run(insert(study, [post("a", "2022-01-01 00:00:00")]))
    assert res.overall.num_rows == 0 and res.posts_with_hashtags == 0 and res.total_posts == 1


def test_undated_posts_count_overall_but_in_no_year(study):
    """A post without a date counts in the overall table and its share, not in any year."""
    rows = [post("1", "2020-01-01 00:00:00"), post("2", "2020-06-01 00:00:00"), post("3", "2021-01-01 00:00:00"),
            {**post("4", "2021-01-01 00:00:00"), "created_at": None}]
    ents = [("1", "hashtag", "a"), ("2", "hashtag", "a"), ("2", "hashtag", "b"), ("3", "hashtag", "b"),
            ("4", "hashtag", "b"), ("4", "hashtag", "c")]
    res = hashtags.run(insert(study, rows, ents), hashtags.Params(top=2, min_pair_posts=1))
    # by hand: a in 1, 2; b in 2, 3, 4; c in 4 (undated); 4 posts in all, 2 in 2020, 1 dated in 2021
    assert [(r["hashtag"], r["posts"], r["share"]) for r in res.overall.to_pylist()] == \
        [("b", 3, 0.75), ("a", 2, 0.5), ("c", 1, 0.25)]
    assert [(r["year"], r["rank"], r["hashtag"], r["posts"], r["year_posts"]) for r in res.per_year.to_pylist()] == \
        [(2020, 1, "a", 2, 2), (2020, 2, "b", 1, 2), (2021, 1, "b", 1, 1)]
    assert [(r["year"], r["hashtag"], r["posts"]) for r in res.trend.to_pylist()] == \
        [(2020, "a", 2), (2020, "b", 1), (2021, "b", 1)]  # the top 2 overall (b, a), in the years they occur
    assert (res.total_posts, res.posts_with_hashtags) == (4, 4)
    assert {(r["source"], r["target"], r["posts"]) for r in res.pairs.to_pylist()} == {("a", "b", 1), ("b", "c", 1)}


def test_only_the_windows_posts_count_and_entities_without_a_post_never(study):
    posts = [post("p1", "2020-01-01 00:00:00", account="a"), post("p2", "2021-01-01 00:00:00", account="b"),
             post("p3", "2021-06-01 00:00:00", account="a")]
    entities = [("p1", "hashtag", "one"), ("p1", "hashtag", "two"), ("p2", "hashtag", "one"), ("p2", "hashtag", "two"),
                ("p3", "hashtag", "two"), ("p9", "hashtag", "one"), ("p9", "hashtag", "two")]  # p9: no such post
    insert(study, posts, entities)
    every = hashtags.run(social_tables(study.tables()), hashtags.Params(min_pair_posts=1))
    assert {r["hashtag"]: r["posts"] for r in every.overall.to_pylist()} == {"two": 3, "one": 2}
    assert every.pairs.to_pylist() == [{"source": "one", "target": "two", "posts": 2}]
    assert (every.total_posts, every.posts_with_hashtags) == (3, 3)
    mine = hashtags.run(social_tables(study.tables(), account="a"), hashtags.Params(min_pair_posts=1))
    assert {r["hashtag"]: r["posts"] for r in mine.overall.to_pylist()} == {"two": 2, "one": 1}
    assert mine.pairs.to_pylist() == [{"source": "one", "target": "two", "posts": 1}]
    assert (mine.total_posts, mine.posts_with_hashtags) == (2, 2)
    assert mine.per_year.select(["year", "hashtag", "posts"]).to_pylist() == [
        {"year": 2020, "hashtag": "one", "posts": 1}, {"year": 2020, "hashtag": "two", "posts": 1},
        {"year": 2021, "hashtag": "two", "posts": 1}]

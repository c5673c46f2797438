"""Analyses on real twarc2 pages, checked against plain-Python counts over the raw file."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import shared
from tiplens.social.analyses import engagement, hashtags
from tiplens.social.importing import import_files
from tiplens.social.tables import social_tables

pytestmark = pytest.mark.real


def _raw_tweets(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield from json.loads(line).get("data") or []


def test_hashtags_and_engagement_groups_on_a_real_search(study):
    path = shared("social-samples", "twarc2-docnow-testdata", "2sets.jsonl")
    import_files(study, [path])
    tables = social_tables(study.tables())
    tweets = list(_raw_tweets(path))

    expected = Counter()
    for t in tweets:
        expected.update({h["tag"].casefold() for h in (t.get("entities") or {}).get("hashtags") or []})
    got = {r["hashtag"]: r["posts"] for r in hashtags.run(tables).overall.to_pylist()}
    assert got == dict(expected)

    retweets = sum(any(r["type"] == "retweeted" for r in t.get("referenced_tweets") or []) for t in tweets)
    res = engagement.run(tables, engagement.Params(group="any", resamples=100))
    assert res.n_retweets_excluded == retweets
    assert res.n_interacting + res.n_other + res.n_missing == len(tweets) - retweets

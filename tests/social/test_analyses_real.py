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


def _retweeted(path):
    """tweet id -> the tweet it retweets, from the same page's includes (None when not there)."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                page = json.loads(line)
                included = {t["id"]: t for t in (page.get("includes") or {}).get("tweets") or []}
                for t in page.get("data") or []:
                    ids = [r["id"] for r in t.get("referenced_tweets") or [] if r["type"] == "retweeted"]
                    out[t["id"]] = included.get(ids[0]) if ids else None
    return out


def test_hashtags_and_engagement_groups_on_a_real_search(study):
    path = shared("social-samples", "twarc2-docnow-testdata", "2sets.jsonl")
    import_files(study, [path])
    tables = social_tables(study.tables())
    tweets = list(_raw_tweets(path))

    retweeted = _retweeted(path)

    def tags(t):
        return {h["tag"].casefold() for h in ((t or {}).get("entities") or {}).get("hashtags") or []}

    # a retweet counts the retweeted tweet's hashtags too: the API cuts the retweet's own text
    expected = Counter()
    for t in tweets:
        expected.update(tags(t) | tags(retweeted[t["id"]]))
    assert expected["brexit"] == 100  # every tweet of the #brexit search page, retweets included
    got = {r["hashtag"]: r["posts"] for r in hashtags.run(tables).overall.to_pylist()}
    assert got == dict(expected)

    retweets = sum(any(r["type"] == "retweeted" for r in t.get("referenced_tweets") or []) for t in tweets)
    res = engagement.run(tables, engagement.Params(group="any", resamples=100))
    assert res.n_retweets_excluded == retweets
    assert res.n_interacting + res.n_other + res.n_missing == len(tweets) - retweets

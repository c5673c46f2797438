"""twarc2 importer on the real DocNow test files; expectations counted from the raw JSON."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tests.social.helpers import twarc2_page, tweet, write_lines
from tiplens.social.importing import import_files

pytestmark = pytest.mark.real


def _raw_tweets(path):
    """Independent reading: every collected tweet of every line (pages or flattened)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        out.extend(obj["data"] if "data" in obj else [obj])
    return out


@pytest.mark.parametrize("name", ["brexit.jsonl", "2sets.jsonl", "entities_test.jsonl", "flat.jsonl"])
def test_every_collected_tweet_is_imported(study, name):
    path = shared("social-samples", "twarc2-docnow-testdata", name)
    raw = _raw_tweets(path)
    report = import_files(study, [path])
    ids = {t["id"] for t in raw}
    assert report.read == len(raw)
    assert report.imported == len(ids)
    assert report.duplicates == len(raw) - len(ids)
    assert report.rejected == 0
    kinds = dict(study.query("SELECT kind, count(*) FROM posts GROUP BY kind"))
    rts = sum(1 for t in raw if any(r["type"] == "retweeted" for r in t.get("referenced_tweets", [])))
    assert kinds.get("retweet", 0) == rts


def test_brexit_hashtags_authors_and_retweet_texts_match_the_raw_page(study):
    path = shared("social-samples", "twarc2-docnow-testdata", "brexit.jsonl")
    page = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    users = {u["id"]: u["username"].lower() for u in page["includes"]["users"]}
    users_raw = {u["id"]: u["username"] for u in page["includes"]["users"]}
    import_files(study, [path])
    included = {t["id"]: t for t in page["includes"]["tweets"]}

    def retweeted(t):
        ids = [r["id"] for r in t.get("referenced_tweets", []) if r["type"] == "retweeted"]
        return included.get(ids[0]) if ids else None

    def tags(t):
        return {h["tag"].casefold() for h in t.get("entities", {}).get("hashtags", [])}

    # a retweet carries the retweeted tweet's hashtags too (its own text is cut at 140 characters)
    expected_tags = sum(len(tags(t) | (tags(retweeted(t)) if retweeted(t) else set())) for t in page["data"])
    got = study.query("SELECT count(*) FROM post_entities WHERE kind = 'hashtag'")[0][0]
    assert got == expected_tags
    texts = dict(study.query("SELECT post_id, text FROM posts"))
    for t in page["data"]:
        if (o := retweeted(t)) is not None:
            whole = (o.get("note_tweet") or {}).get("text") or o["text"]
            assert texts[t["id"]] == f"RT @{users_raw[o['author_id']]}: {whole}"
    assert sum(1 for t in page["data"] if retweeted(t)) == 67  # SOURCE.md's count of retweets
    authors = dict(study.query("SELECT post_id, account FROM posts"))
    assert all(authors[t["id"]] == users[t["author_id"]] for t in page["data"])
    with_tags = sum(1 for t in page["data"] if t.get("entities", {}).get("hashtags"))
    assert with_tags == 77  # SOURCE.md's own count, checked independently of the importer


def test_reimport_is_idempotent(study):
    path = shared("social-samples", "twarc2-docnow-testdata", "brexit.jsonl")
    first = import_files(study, [path])
    second = import_files(study, [path])
    assert (second.imported, second.duplicates) == (0, first.imported)
    assert study.query("SELECT count(*) FROM posts")[0][0] == first.imported


def test_bad_lines_are_rejected_with_line_numbers_and_rest_imported(study, tmp_path):
    good = twarc2_page([tweet(1, "2020-01-01T00:00:00.000Z"), tweet(2, "2020-01-02T00:00:00.000Z")])
    lines = [good, '{"data": [{"id": "3", "text": "trunc', "[1, 2]", twarc2_page([{"text": "no id"}])]
    report = import_files(study, [write_lines(tmp_path / "mixed.jsonl", lines)])
    assert (report.read, report.imported, report.rejected) == (5, 2, 3)
    rejects = study.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [r[0] for r in rejects] == [2, 3, 4]
    assert "not valid JSON" in rejects[0][1] and "no id" in rejects[2][1]

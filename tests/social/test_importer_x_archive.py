"""X personal archive importer: the real tweets.js (expectations counted from the raw file
with the json module) and hand-made archive folders for note tweets, account.js, circles."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest

from tests.conftest import shared
from tiplens.social.importing import import_files


def _raw_archive(path):
    text = path.read_text(encoding="utf-8")
    return [o["tweet"] for o in json.loads(text[text.index("=") + 1:])]


@pytest.mark.real
def test_real_archive_counts_years_kinds_and_counts(study):
    path = shared("social-samples", "x-archive-andreruffert", "tweets.js")
    raw = _raw_archive(path)
    report = import_files(study, [path], account="andreruffert")
    assert (report.read, report.imported, report.rejected) == (len(raw), len({t["id_str"] for t in raw}), 0)
    years = Counter(datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y").year for t in raw)
    got = dict(study.query("SELECT year(created_at), count(*) FROM posts GROUP BY 1"))
    assert got == dict(years)
    kinds = dict(study.query("SELECT kind, count(*) FROM posts GROUP BY kind"))
    assert kinds["retweet"] == sum(1 for t in raw if t["full_text"].startswith("RT @"))
    likes, reposts = study.query("SELECT sum(likes), sum(reposts) FROM posts")[0]
    assert likes == sum(int(t["favorite_count"]) for t in raw)  # counts are strings in the archive
    assert reposts == sum(int(t["retweet_count"]) for t in raw)
    assert study.query("SELECT count(*) FROM posts WHERE replies IS NOT NULL OR quotes IS NOT NULL")[0][0] == 0
    assert study.query("SELECT DISTINCT account FROM posts") == [("andreruffert",)]
    with_tags = study.query("SELECT count(DISTINCT post_id) FROM post_entities WHERE kind = 'hashtag'")[0][0]
    assert with_tags == sum(1 for t in raw if t["entities"].get("hashtags"))
    replies_with_parent = {t["id_str"]: t["in_reply_to_status_id_str"] for t in raw
                           if t.get("in_reply_to_status_id_str") and not t["full_text"].startswith("RT @")}
    rows = dict(study.query("SELECT post_id, parent_id FROM posts WHERE kind = 'reply'"))
    assert all(replies_with_parent[k] == v for k, v in rows.items())
    assert len(rows) <= len(replies_with_parent)  # a reply that quotes counts as a quote


@pytest.mark.real
def test_real_archive_without_account_says_so(study):
    path = shared("social-samples", "x-archive-andreruffert", "tweets.js")
    report = import_files(study, [path])
    assert report.imported > 0
    assert "pass --account" in report.files[0].note
    assert study.query("SELECT count(*) FROM posts WHERE account IS NOT NULL")[0][0] == 0


def at(t: str) -> str:
    return datetime.fromisoformat(t).strftime("%a %b %d %H:%M:%S +0000 %Y")


def arch_tweet(i: int, text: str, when: str = "2023-02-08T15:12:34", **extra) -> dict:
    return {"tweet": {"id_str": str(i), "id": str(i), "created_at": at(when), "full_text": text,
                      "favorite_count": "3", "retweet_count": "1", "lang": "en",
                      "entities": {"hashtags": [], "user_mentions": [], "urls": []}, **extra}}


def write_js(path, name, items):
    path.write_text(f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2), encoding="utf-8")
    return path


LONG = "Migrant workers have rights. " * 15 + "#LabourMigration"


def _archive(tmp_path):
    cut = LONG[:260] + "… https://t.co/abc"
    tweets = write_js(tmp_path / "tweets.js", "tweets", [
        arch_tweet(1000, cut, entities={"hashtags": [], "user_mentions": [],
                                        "urls": [{"expanded_url": "https://twitter.com/i/web/status/1000"}]}),
        arch_tweet(1001, "short one", when="2023-02-09T10:00:00"),
        arch_tweet(1002, "a circle post", when="2023-02-10T10:00:00"),
    ])
    write_js(tmp_path / "note-tweet.js", "note_tweet", [{"noteTweet": {
        "noteTweetId": "77", "createdAt": "2023-02-08T15:12:34.000Z",
        "core": {"text": LONG, "hashtags": [{"text": "LabourMigration"}], "mentions": [], "urls": []}}}])
    write_js(tmp_path / "account.js", "account", [{"account": {"username": "IOM_Test", "accountDisplayName": "IOM"}}])
    write_js(tmp_path / "twitter-circle-tweet.js", "twitter_circle_tweet", [arch_tweet(1002, "a circle post")])
    return tweets


def test_long_posts_account_and_circles(study, tmp_path):
    tweets = _archive(tmp_path)
    report = import_files(study, [tweets])
    assert (report.read, report.imported, report.rejected) == (3, 2, 1)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, account_name, text, likes FROM posts")}
    assert rows["1000"] == ("iom_test", "IOM", LONG, 3)
    assert study.query("SELECT value FROM post_entities WHERE post_id = '1000' AND kind = 'hashtag'") == [("labourmigration",)]
    (line, reason), = study.query("SELECT line, reason FROM rejects")
    assert "circle" in reason and line == [i for i, t in enumerate(tweets.read_text().splitlines(), 1) if t == "  {"][2]


def test_note_file_imported_with_tweets_is_a_duplicate(study, tmp_path):
    tweets = _archive(tmp_path)
    report = import_files(study, [tmp_path / "note-tweet.js", tweets])
    # the note becomes tweet 1000 with its whole text; tweets.js then brings it again
    assert (report.read, report.imported, report.duplicates, report.rejected) == (4, 2, 1, 1)
    assert study.query("SELECT text, likes FROM posts WHERE post_id = '1000'") == [(LONG, 3)]


def test_note_file_alone_is_imported_standalone(study, tmp_path):
    write_js(tmp_path / "note-tweet.js", "note_tweet", [{"noteTweet": {
        "noteTweetId": "77", "createdAt": "2023-02-08T15:12:34.000Z", "core": {"text": LONG}}}])
    report = import_files(study, [tmp_path / "note-tweet.js"], account="@Org")
    assert report.imported == 1
    assert study.query("SELECT post_id, account, text, likes FROM posts") == [("77", "org", LONG, None)]


def test_plain_array_other_archive_files_and_truncation(study, tmp_path):
    plain = tmp_path / "tweets-plain.json"
    plain.write_text(json.dumps([arch_tweet(1, "RT @UNmigration: hi"), arch_tweet(2, "ok")], indent=2), encoding="utf-8")
    likes = write_js(tmp_path / "like.js", "like", [{"like": {"tweetId": "5"}}, {"like": {"tweetId": "6"}}])
    whole = write_js(tmp_path / "tweets-part1.js", "tweets", [arch_tweet(i, f"t{i}") for i in range(10, 14)]).read_text()
    cut = tmp_path / "tweets-cut.js"
    cut.write_text(whole[: whole.index('"t12"')], encoding="utf-8")
    report = import_files(study, [plain, likes, cut], account="org")
    by_file = {f.file.rsplit("/", 1)[-1]: (f.read, f.imported, f.rejected) for f in report.files}
    assert by_file == {"tweets-plain.json": (2, 2, 0), "like.js": (1, 0, 1), "tweets-cut.js": (3, 2, 1)}
    assert study.query("SELECT kind, parent_account FROM posts WHERE post_id = '1'") == [("retweet", "unmigration")]
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects ORDER BY file")]
    assert any("holds no posts" in r for r in reasons) and any("truncated" in r for r in reasons)

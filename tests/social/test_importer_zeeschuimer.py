"""Zeeschuimer / 4CAT NDJSON importer: the real capture (expectations read from the raw
lines with the json module, for both item shapes) and hand-made items."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tiplens.social.importing import import_files


def _tweet_of(item):
    """Independent unwrapping: data is the tweet, or wraps it as data.tweet."""
    data = item["data"]
    return data["tweet"] if "tweet" in data and "legacy" not in data else data


@pytest.mark.real
def test_real_capture_both_shapes(study):
    path = shared("social-samples", "zeeschuimer-x-ndjson", "twitter-test.ndjson")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tweets = [_tweet_of(i) for i in items]
    assert any("__typename" not in i["data"] for i in items)  # the sample holds the second shape
    report = import_files(study, [path])
    ids = {t["rest_id"] for t in tweets}
    assert (report.read, report.imported, report.duplicates, report.rejected) == (len(items), len(ids), len(items) - len(ids), 0)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, likes, reposts, replies, quotes, views, kind FROM posts")}
    for t in tweets:
        leg = t["legacy"]
        account, likes, reposts, replies, quotes, views, kind = rows[t["rest_id"]]
        assert account == t["core"]["user_results"]["result"]["legacy"]["screen_name"].lower()
        assert (likes, reposts, replies, quotes) == (leg["favorite_count"], leg["retweet_count"],
                                                     leg["reply_count"], leg["quote_count"])
        assert views == (int(t["views"]["count"]) if "count" in t.get("views", {}) else None)
        expected = ("retweet" if "retweeted_status_result" in leg else "quote" if "quoted_status_result" in t
                    else "reply" if leg.get("in_reply_to_status_id_str") else "original")
        assert kind == expected
    tagged = study.query("SELECT count(DISTINCT post_id) FROM post_entities WHERE kind = 'hashtag'")[0][0]
    assert tagged == sum(1 for t in tweets if t["legacy"]["entities"].get("hashtags"))


@pytest.mark.real
def test_long_posts_take_the_note_text(study):
    path = shared("social-samples", "zeeschuimer-x-ndjson", "twitter-test.ndjson")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    notes = {_tweet_of(i)["rest_id"]: _tweet_of(i)["note_tweet"]["note_tweet_results"]["result"]["text"]
             for i in items if "note_tweet" in _tweet_of(i)}
    import_files(study, [path])
    texts = dict(study.query("SELECT post_id, text FROM posts"))
    assert notes and all(texts[k] == v for k, v in notes.items())


def gql(rest_id: str, screen_name: str, text: str, **legacy) -> dict:
    return {"__typename": "Tweet", "rest_id": rest_id,
            "core": {"user_results": {"result": {"__typename": "User", "legacy": {"screen_name": screen_name}}}},
            "views": {"count": "40", "state": "EnabledWithCount"},
            "legacy": {"id_str": rest_id, "created_at": "Tue Oct 10 07:57:53 +0000 2023", "full_text": text,
                       "favorite_count": 2, "retweet_count": 1, "reply_count": 0, "quote_count": 0,
                       "entities": {"hashtags": [], "user_mentions": []}, **legacy}}


def item(data: dict, platform: str = "twitter.com") -> str:
    return json.dumps({"item_id": data.get("rest_id", "x"), "timestamp_collected": 1697110676723,
                       "source_platform": platform, "data": data})


def test_wrapped_retweets_other_platforms_and_tombstones(study, tmp_path):
    original = gql("10", "UNmigration", "Safe migration for all")
    rt = gql("11", "IOM_Indonesia", "RT @UNmigration: Safe migration…",
             retweeted_status_result={"result": {"__typename": "TweetWithVisibilityResults", "tweet": original}})
    wrapped = {"__typename": "TweetWithVisibilityResults", "tweet": gql("12", "Someone", "hidden reach")}
    newer = gql("13", "x", "2025 shape")
    newer["core"]["user_results"]["result"] = {"core": {"screen_name": "NewShape", "name": "N"}, "legacy": {}}
    lines = [item(rt), item(wrapped), item(newer), item({"rest_id": "9"}, platform="tiktok.com"),
             item({"__typename": "TweetTombstone"}), "garbage"]
    f = tmp_path / "capture.ndjson"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (6, 3, 3)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, kind, parent_id, parent_account, text, views FROM posts")}
    assert rows["11"] == ("iom_indonesia", "retweet", "10", "unmigration", "RT @UNmigration: Safe migration for all", 40)
    assert rows["12"][0] == "someone" and rows["13"][0] == "newshape"
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects ORDER BY line")]
    assert "tiktok.com" in reasons[0] and "TweetTombstone" in reasons[1] and "not valid JSON" in reasons[2]

"""Zeeschuimer / 4CAT NDJSON of X items in the shapes the real sample lacks: 4CAT's own NDJSON
download (the tweet at the top level, Zeeschuimer's fields under ``__import_meta``), the older
``adaptive.json`` items (``legacy`` + ``user``, no ``rest_id``), promoted tweets, unavailable
tweets and quotes of withheld tweets. Invented content; expectations written out by hand."""

from __future__ import annotations

import json

from tests.social.helpers import import_and_read

WHEN = "Tue Oct 10 07:57:53 +0000 2023"


def gql(rest_id: str, screen_name: str, text: str, tweet_extra: dict | None = None, **legacy) -> dict:
    tweet = {"__typename": "Tweet", "rest_id": rest_id,
             "core": {"user_results": {"result": {"__typename": "User", "legacy": {"screen_name": screen_name,
                                                                                   "name": screen_name.title()}}}},
             "views": {"count": "12", "state": "EnabledWithCount"},
             "legacy": {"id_str": rest_id, "created_at": WHEN, "full_text": text, "favorite_count": 3,
                        "retweet_count": 2, "reply_count": 1, "quote_count": 0,
                        "entities": {"hashtags": [], "user_mentions": [], "urls": []}, **legacy}}
    tweet.update(tweet_extra or {})
    return tweet


def zs(data: dict, platform: str = "x.com", **extra) -> str:
    """Zeeschuimer's own NDJSON line."""
    return json.dumps({"nav_index": "1:1", "item_id": data.get("rest_id", "x"), "timestamp_collected": 1697110676723,
                       "source_platform": platform, "source_platform_url": f"https://{platform}/search",
                       "data": {**data, **extra}})


def fourcat(data: dict, platform: str = "x.com") -> str:
    """4CAT's NDJSON download: the item's data at the top level, the rest under __import_meta."""
    return json.dumps({**data, "__import_meta": {"nav_index": "1:1", "item_id": data.get("rest_id", "x"),
                                                 "timestamp_collected": 1697110676723, "source_platform": platform}})


def _import(study, tmp_path, lines, name="items.ndjson"):
    return import_and_read(study, tmp_path / name, "\n".join(lines) + "\n",
                           "account, kind, parent_id, parent_account, text, likes, views")


def test_4cat_ndjson_download_reads_like_zeeschuimer_lines(study, tmp_path):
    tagged = gql("21", "IOM_Indonesia", "Know the signs #EndTrafficking @UNODC",
                 entities={"hashtags": [{"text": "EndTrafficking"}], "user_mentions": [{"screen_name": "UNODC"}],
                           "urls": []})
    reply = gql("22", "IOM_Indonesia", "@UNODC thank you", in_reply_to_status_id_str="7",
                in_reply_to_screen_name="UNODC")
    report, rows, reasons = _import(study, tmp_path, [fourcat(tagged), fourcat(reply),
                                                      fourcat({"id": "v1", "desc": "a video"}, "tiktok.com")])
    assert (report.read, report.imported, report.rejected) == (3, 2, 1)
    assert rows["21"] == ("iom_indonesia", "original", None, None, "Know the signs #EndTrafficking @UNODC", 3, 12)
    assert rows["22"][:4] == ("iom_indonesia", "reply", "7", "unodc")
    assert study.query("SELECT kind, value FROM post_entities WHERE post_id = '21' ORDER BY kind") == [
        ("hashtag", "endtrafficking"), ("mention", "unodc")]
    assert "tiktok.com" in reasons[0]


def test_4cat_file_is_recognised_by_content(tmp_path):
    from tiplens.social import importers
    from tiplens.social.importing import read_head

    f = tmp_path / "dataset.ndjson"
    f.write_text(fourcat(gql("21", "a", "hello")) + "\n", encoding="utf-8")
    assert importers.detect(f, read_head(f)).NAME == "zeeschuimer"


def test_adaptive_items_legacy_and_user_without_rest_id(study, tmp_path):
    # the older capture of X's adaptive.json: the tweet in 'legacy' (v1.1 shape), the author in 'user'
    plain = {"id": 31, "type": "adaptive", "user": {"id_str": "5", "screen_name": "IOMIndonesia", "name": "IOM"},
             "legacy": {"id_str": "31", "user_id_str": "5", "created_at": WHEN, "full_text": "Hotline 24/7 #SafeMigration",
                        "favorite_count": 4, "retweet_count": 1, "reply_count": 0, "quote_count": 0,
                        "entities": {"hashtags": [{"text": "SafeMigration"}], "user_mentions": [], "urls": []}}}
    # adaptive retweets name the retweeted tweet by id only; the text gives its author
    rt = {"id": 32, "type": "adaptive", "user": {"id_str": "5", "screen_name": "IOMIndonesia"},
          "legacy": {"id_str": "32", "user_id_str": "5", "created_at": WHEN, "retweeted_status_id_str": "30",
                     "full_text": "RT @UNmigration: Migration is…", "favorite_count": 0, "retweet_count": 9,
                     "entities": {"hashtags": [], "user_mentions": [{"screen_name": "UNmigration"}], "urls": []}}}
    report, rows, _ = _import(study, tmp_path, [zs(plain), fourcat(rt)])
    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    assert rows["31"][:3] == ("iomindonesia", "original", None) and rows["31"][5] == 4
    assert rows["32"][:4] == ("iomindonesia", "retweet", "30", "unmigration")
    assert study.query("SELECT target_account, kind FROM interactions WHERE post_id = '32'") == [("unmigration", "retweet")]


def test_promoted_and_unavailable_items_are_rejects_with_reasons(study, tmp_path):
    ad = gql("41", "BrandX", "Buy now")
    normal = gql("42", "IOM_Indonesia", "Campaign post")
    report, rows, reasons = _import(study, tmp_path, [
        zs(ad, id="41", promoted=True), zs(normal, id="42", promoted=False),
        zs({"__typename": "TweetUnavailable", "reason": "Suspended"})])
    assert (report.read, report.imported, report.rejected) == (3, 1, 2)
    assert set(rows) == {"42"}
    assert "promoted" in reasons[0] and "TweetUnavailable" in reasons[1]


def test_quote_of_a_withheld_tweet_and_retweet_of_a_long_post(study, tmp_path):
    quote = gql("51", "IOM_Indonesia", "Important thread", is_quote_status=True, quoted_status_id_str="50",
                quoted_status_permalink={"expanded": "https://twitter.com/UNODC/status/50"},
                tweet_extra={"quoted_status_result": {"result": {"__typename": "TweetTombstone",
                                                                 "tombstone": {"text": {"text": "unavailable"}}}}})
    long_text = "Word " * 70 + "#Tag"
    original = gql("60", "UNmigration", long_text[:270] + "…", tweet_extra={
        "note_tweet": {"note_tweet_results": {"result": {"text": long_text,
                                                         "entity_set": {"hashtags": [{"text": "Tag"}]}}}}})
    rt = gql("61", "IOM_Indonesia", "RT @UNmigration: Word Word…",
             retweeted_status_result={"result": {"__typename": "TweetWithVisibilityResults", "tweet": original}})
    report, rows, _ = _import(study, tmp_path, [zs(quote), zs(rt)])
    assert (report.imported, report.rejected) == (2, 0)
    assert rows["51"][:4] == ("iom_indonesia", "quote", "50", "unodc")
    assert rows["61"][:4] == ("iom_indonesia", "retweet", "60", "unmigration")
    assert rows["61"][4] == "RT @UNmigration: " + long_text
    assert ("hashtag", "tag") in study.query("SELECT kind, value FROM post_entities WHERE post_id = '61'")


def test_replies_captured_from_a_thread_view_keep_their_wrapper(study, tmp_path):
    # Zeeschuimer pushes the replies of a TweetDetail view without unwrapping them, with an id
    # that JavaScript's parseInt could not read (null in the JSON)
    inner = gql("71", "IOM_Indonesia", "@UNODC agreed", in_reply_to_status_id_str="70", in_reply_to_screen_name="UNODC")
    wrapped = {"__typename": "TweetWithVisibilityResults", "tweet": inner, "id": None}
    report, rows, _ = _import(study, tmp_path, [zs(wrapped), fourcat(wrapped)])
    assert (report.read, report.imported, report.duplicates, report.rejected) == (2, 1, 1, 0)
    assert rows["71"][:4] == ("iom_indonesia", "reply", "70", "unodc")

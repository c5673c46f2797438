"""twarc2 / API v2 output in shapes the shared samples lack: a page whose first tweets are
long (the keys that name the format come late), pages of users or of tweet counts (other
twarc2 commands), 4CAT's Twitter API v2 NDJSON (tweets with ``author_user``) and its
error items. Invented content; expectations written out by hand."""

from __future__ import annotations

import json

from tests.social.helpers import import_and_read
from tiplens.social import importers
from tiplens.social.importing import read_head

WHEN = "2023-07-30T08:00:00.000Z"


def _import(study, tmp_path, lines, name="pages.jsonl"):
    return import_and_read(study, tmp_path / name, "\n".join(lines) + "\n",
                           "account, kind, parent_id, parent_account, text, likes")


def test_a_page_whose_first_tweet_is_long_is_recognised(tmp_path):
    # the API puts context_annotations first; 40 of them run past the first few KB, and
    # 'includes' / 'meta' come after every tweet of the page
    annotations = [{"domain": {"id": str(i), "name": "Domain name " * 3, "description": "A long description " * 4},
                    "entity": {"id": str(1000 + i), "name": "Entity"}} for i in range(40)]
    tweet = {"context_annotations": annotations, "edit_history_tweet_ids": ["1"], "id": "1", "author_id": "9",
             "text": "Know the signs", "created_at": WHEN}
    page = {"data": [tweet], "includes": {"users": [{"id": "9", "username": "IOMIndonesia", "name": "IOM"}]},
            "meta": {"result_count": 1}}
    f = tmp_path / "search.jsonl"
    f.write_text(json.dumps(page) + "\n", encoding="utf-8")
    assert f.read_text(encoding="utf-8").index('"author_id"') > 4000
    assert importers.detect(f, read_head(f)).NAME == "twarc2"


def test_pages_of_users_or_counts_are_not_posts(study, tmp_path):
    users = {"data": [{"id": "9", "username": "IOMIndonesia", "name": "IOM", "created_at": "2012-01-01T00:00:00.000Z",
                       "public_metrics": {"followers_count": 10, "following_count": 2, "tweet_count": 5}},
                      {"id": "8", "username": "UNODC", "name": "UNODC", "created_at": "2010-01-01T00:00:00.000Z"}],
             "meta": {"result_count": 2}}
    counts = {"data": [{"end": "2023-07-31T00:00:00.000Z", "start": "2023-07-30T00:00:00.000Z", "tweet_count": 42}],
              "meta": {"total_tweet_count": 42}}
    report, rows, reasons = _import(study, tmp_path, [json.dumps(users), json.dumps(counts)])
    assert (report.read, report.imported, report.rejected) == (3, 0, 3)
    assert rows == {}
    assert sum("user account, not a tweet" in r for r in reasons) == 2
    assert sum("tweet count, not a tweet" in r for r in reasons) == 1


def test_4cat_api_v2_ndjson_with_author_user(study, tmp_path):
    # 4CAT's Twitter API v2 data source writes each tweet with its author spliced in as
    # author_user, and referenced tweets enriched the same way
    original = {"id": "70", "author_id": "8", "text": "Safe migration for all", "created_at": WHEN,
                "author_user": {"id": "8", "username": "UNmigration", "name": "UN Migration"}}
    rt = {"id": "71", "author_id": "9", "text": "RT @UNmigration: Safe migration for all", "created_at": WHEN,
          "author_user": {"id": "9", "username": "IOMIndonesia", "name": "IOM Indonesia"},
          "public_metrics": {"like_count": 0, "retweet_count": 5, "reply_count": 0, "quote_count": 0},
          "referenced_tweets": [{"type": "retweeted", **original}],
          "entities": {"mentions": [{"start": 3, "end": 15, "username": "UNmigration", "id": "8"}]}}
    reply = {"id": "72", "author_id": "9", "text": "@UNODC thanks", "created_at": WHEN, "in_reply_to_user_id": "7",
             "author_user": {"id": "9", "username": "IOMIndonesia"},
             "in_reply_to_user": {"id": "7", "username": "UNODC"},
             "public_metrics": {"like_count": 2, "retweet_count": 0, "reply_count": 0, "quote_count": 0},
             "referenced_tweets": [{"type": "replied_to", "id": "69"}]}
    error = {"value": "73", "detail": "Could not find tweet with ids: [73].", "title": "Not Found Error",
             "resource_type": "tweet", "parameter": "ids", "resource_id": "73", "id": "73", "created_at": WHEN,
             "text": "", "author_user": {"name": "UNKNOWN", "username": "UNKNOWN"}, "author_id": "UNKNOWN",
             "public_metrics": {}, "subject": "Could not find tweet with ids: [73]."}
    lines = [json.dumps(t) for t in (rt, reply, error)]
    f = tmp_path / "4cat-twitterv2.ndjson"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert importers.detect(f, read_head(f)).NAME == "twarc2"
    report, rows, reasons = _import(study, tmp_path, lines, name="4cat-twitterv2.ndjson")
    assert (report.read, report.imported, report.rejected) == (3, 2, 1)
    assert rows["71"][:4] == ("iomindonesia", "retweet", "70", "unmigration")
    assert rows["72"][:4] == ("iomindonesia", "reply", "69", "unodc")
    assert "Could not find tweet" in reasons[0]
    # no entities on the reply: its @UNODC is found in the text, a mention beside the reply edge
    assert sorted(study.query("SELECT post_id, target_account, kind FROM interactions")) == [
        ("71", "unmigration", "retweet"), ("72", "unodc", "mention"), ("72", "unodc", "reply")]

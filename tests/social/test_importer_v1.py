"""Twitter API v1.1 importer: the real WHO sample (expectations counted from the raw JSON)
and hand-made tweets for the shapes the sample lacks."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tiplens.social.importing import import_files


def _who():
    return shared("social-samples", "who-tweets-v1-sample", "who_tweets_2020-04-07.json")


def tw(i: int, text: str = "hello", **extra) -> dict:
    return {"id": i, "id_str": str(i), "created_at": "Tue Apr 07 22:41:21 +0000 2020", "full_text": text,
            "user": {"screen_name": "Org", "name": "An Org"}, "entities": {"hashtags": [], "user_mentions": []},
            "favorite_count": 1, "retweet_count": 2, **extra}


@pytest.mark.real
def test_who_sample_every_tweet_imported_by_id_str(study):
    path = _who()
    raw = json.loads(path.read_text(encoding="utf-8"))
    report = import_files(study, [path])
    assert (report.read, report.imported, report.rejected) == (len(raw), len(raw), 0)
    ids = {r[0] for r in study.query("SELECT post_id FROM posts")}
    assert ids == {t["id_str"] for t in raw}
    # the numeric id lost precision in this file: it must never be used
    assert not ids & {str(t["id"]) for t in raw}


@pytest.mark.real
def test_who_sample_kinds_counts_and_entities(study):
    path = _who()
    raw = json.loads(path.read_text(encoding="utf-8"))
    import_files(study, [path])
    kinds = dict(study.query("SELECT kind, count(*) FROM posts GROUP BY kind"))
    rts = [t for t in raw if "retweeted_status" in t]
    replies = [t for t in raw if "retweeted_status" not in t and not t.get("is_quote_status")
               and t.get("in_reply_to_status_id_str")]
    assert kinds.get("retweet", 0) == len(rts)
    assert kinds.get("reply", 0) == len(replies)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, likes, reposts, replies, quotes, parent_account FROM posts")}
    for t in raw:
        account, likes, reposts, n_replies, quotes, parent = rows[t["id_str"]]
        assert account == t["user"]["screen_name"].lower()
        assert (likes, reposts) == (t["favorite_count"], t["retweet_count"])
        assert n_replies is None and quotes is None  # v1.1 standard has no reply/quote counts: missing, not 0
        if "retweeted_status" in t:
            assert parent == t["retweeted_status"]["user"]["screen_name"].lower()
    # retweets carry the original's whole text, not the 140-character cut
    texts = dict(study.query("SELECT post_id, text FROM posts"))
    for t in rts:
        assert texts[t["id_str"]].endswith(t["retweeted_status"]["full_text"].replace("&amp;", "&"))
    reply_edges = study.query("SELECT count(*) FROM interactions WHERE kind = 'reply'")[0][0]
    assert reply_edges == sum(1 for t in replies if t.get("in_reply_to_screen_name"))


def test_extended_tweet_quote_reply_and_escapes(study, tmp_path):
    compat = tw(1, "cut…", truncated=True, extended_tweet={
        "full_text": "whole text about #Migration &amp; safety @IOM",
        "entities": {"hashtags": [{"text": "Migration"}], "user_mentions": [{"screen_name": "IOM"}],
                     "urls": [{"expanded_url": "https://iom.int"}]}})
    compat.pop("full_text")
    compat["text"] = "cut…"
    quote = tw(2, "look", is_quote_status=True, quoted_status_id_str="99",
               quoted_status={"id_str": "99", "user": {"screen_name": "UNmigration"}, "full_text": "x"})
    reply = tw(3, "@a hi", in_reply_to_status_id_str="77", in_reply_to_screen_name="A",
               extended_entities={"media": [{"media_url_https": "https://pbs/x.jpg"}]})
    f = tmp_path / "tweets.jsonl"
    f.write_text("\n".join(json.dumps(t) for t in (compat, quote, reply)) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert (report.imported, report.rejected) == (3, 0)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, text, kind, parent_id, parent_account, has_media FROM posts")}
    assert rows["1"][:2] == ("whole text about #Migration & safety @IOM", "original")
    assert rows["2"][1:4] == ("quote", "99", "unmigration")
    assert rows["3"][1:] == ("reply", "77", "a", True)
    tags = study.query("SELECT value FROM post_entities WHERE post_id = '1' AND kind = 'hashtag'")
    assert tags == [("migration",)]


def test_search_response_and_single_object(study, tmp_path):
    page = tmp_path / "search.json"
    page.write_text(json.dumps({"statuses": [tw(1), tw(2)], "search_metadata": {"count": 2}}), encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps(tw(3), indent=2), encoding="utf-8")
    report = import_files(study, [page, single])
    assert (report.read, report.imported) == (3, 3)


def test_ids_stream_notices_and_dates(study, tmp_path):
    big = tw(1)
    del big["id_str"]
    big["id"] = 1247655733505732600  # above 2**53: may be rounded
    small = tw(2)
    del small["id_str"]
    small["id"] = 12345  # exact
    lines = [json.dumps(big), json.dumps(small), json.dumps({"delete": {"status": {"id_str": "5"}}}),
             json.dumps(tw(4, created_at="yesterday")), json.dumps(tw(5, created_at=None)), "{not json"]
    f = tmp_path / "stream.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (6, 1, 5)
    assert study.query("SELECT post_id FROM posts") == [("12345",)]
    rejects = study.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [r[0] for r in rejects] == [1, 3, 4, 5, 6]
    assert "lost precision" in rejects[0][1] and "stream message 'delete'" in rejects[1][1]
    assert "not a date" in rejects[2][1] and "no created_at" in rejects[3][1] and "not valid JSON" in rejects[4][1]


def test_truncated_array_keeps_items_before_the_cut(study, tmp_path):
    whole = json.dumps([tw(1), tw(2), tw(3)], indent=2)
    cut = whole[: whole.index('"id_str": "3"') + 5]
    f = tmp_path / "cut.json"
    f.write_text(cut, encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (3, 2, 1)
    line_of_third = whole[: whole.index('"id": 3')].count("\n")  # the line of its opening brace
    (line, reason), = study.query("SELECT line, reason FROM rejects")
    assert line == line_of_third
    assert "truncated" in reason

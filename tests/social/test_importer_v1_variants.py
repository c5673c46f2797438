"""Twitter API v1.1 tweets in shapes the WHO sample lacks: compatibility mode (cut ``text``,
the whole text and its entities in ``extended_tweet``) for retweets and quotes, a retweet of a
quote (the quote belongs to the retweeted tweet), and a stream file mixing tweets with
``delete`` / ``limit`` notices. Invented content; expectations written out by hand."""

from __future__ import annotations

import json

from tests.social.helpers import import_and_read
from tiplens.social.importing import import_files

WHEN = "Sun Jul 30 08:00:00 +0000 2023"
LONG = ("On World Day against Trafficking in Persons we remember every survivor and ask everyone to learn "
        "the signs of trafficking #EndTrafficking #WDATIP")


def compat(i: str, who: str, full: str, hashtags=(), mentions=(), **extra) -> dict:
    """A compatibility-mode tweet: 'text' cut at 140 characters, the whole in extended_tweet."""
    ents = {"hashtags": [{"text": h} for h in hashtags], "user_mentions": [{"screen_name": m} for m in mentions],
            "urls": []}
    cut = full if len(full) <= 140 else full[:139] + "…"
    return {"id_str": i, "created_at": WHEN, "text": cut, "truncated": len(full) > 140,
            "user": {"screen_name": who, "name": who}, "favorite_count": 1, "retweet_count": 2,
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
            **({"extended_tweet": {"full_text": full, "display_text_range": [0, len(full)], "entities": ents}}
               if len(full) > 140 else {"entities": ents}), **extra}


def _import(study, tmp_path, lines):
    report, rows, _ = import_and_read(study, tmp_path / "stream.jsonl", "\n".join(lines) + "\n",
                                      "kind, parent_id, parent_account, text")
    return report, rows


def test_compat_mode_retweet_and_quote_get_the_whole_text_and_its_entities(study, tmp_path):
    assert len(LONG) > 140
    original = compat("1", "UNmigration", LONG, hashtags=("EndTrafficking", "WDATIP"))
    rt = compat("2", "IOMIndonesia", "RT @UNmigration: " + LONG, retweeted_status=original)
    quote = compat("3", "IOMIndonesia", "Please share this, @UNODC: " + LONG, mentions=("UNODC",),
                   is_quote_status=True, quoted_status_id_str="1", quoted_status=original)
    report, rows = _import(study, tmp_path, [json.dumps(t) for t in (rt, quote)])
    assert (report.imported, report.rejected) == (2, 0)
    assert rows["2"] == ("retweet", "1", "unmigration", "RT @UNmigration: " + LONG)
    assert rows["3"] == ("quote", "1", "unmigration", "Please share this, @UNODC: " + LONG)
    tags = study.query("SELECT value FROM post_entities WHERE post_id = '2' AND kind = 'hashtag' ORDER BY value")
    assert tags == [("endtrafficking",), ("wdatip",)]
    assert study.query("SELECT value FROM post_entities WHERE post_id = '3' AND kind = 'mention'") == [("unodc",)]


def test_a_retweet_of_a_quote_is_a_retweet_only(study, tmp_path):
    quoted = compat("10", "UNODC", "Report out today")
    quoting = compat("11", "UNmigration", "Read this", is_quote_status=True, quoted_status_id_str="10",
                     quoted_status=quoted)
    # v1.1 repeats the retweeted tweet's quote at the top level of the retweet
    rt = compat("12", "IOMIndonesia", "RT @UNmigration: Read this", retweeted_status=quoting,
                is_quote_status=True, quoted_status_id_str="10", quoted_status=quoted)
    report, rows = _import(study, tmp_path, [json.dumps(rt)])
    assert rows["12"][:3] == ("retweet", "11", "unmigration")
    assert study.query("SELECT target_account, kind FROM interactions WHERE post_id = '12'") == [
        ("unmigration", "retweet")]


def test_stream_notices_between_tweets_are_accounted(study, tmp_path):
    lines = [json.dumps(compat("20", "IOMIndonesia", "first")),
             json.dumps({"delete": {"status": {"id": 19, "id_str": "19", "user_id": 5, "user_id_str": "5"},
                                    "timestamp_ms": "1690704000000"}}),
             json.dumps({"limit": {"track": 12, "timestamp_ms": "1690704000001"}}),
             json.dumps(compat("21", "IOMIndonesia", "second"))]
    report, rows = _import(study, tmp_path, lines)
    assert (report.read, report.imported, report.rejected) == (4, 2, 2)
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects ORDER BY line")]
    assert "'delete'" in reasons[0] and "'limit'" in reasons[1]


def test_tweets_with_trimmed_users_are_noted_or_take_the_account_given(study, tmp_path):
    # trim_user=true: the user object holds only the id
    lines = [json.dumps(compat(str(30 + i), "x", "trimmed") | {"user": {"id": 5, "id_str": "5"}}) for i in range(2)]
    f = tmp_path / "trimmed.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert report.imported == 2
    assert "2 tweet(s) name their author by id only" in report.files[0].note
    assert study.query("SELECT count(*) FROM posts WHERE account IS NULL")[0][0] == 2

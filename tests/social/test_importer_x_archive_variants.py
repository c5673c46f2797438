"""X personal archive files in forms the shared sample lacks: the older ``window.YTD.tweet``
name with unwrapped items, archives split into ``tweets.js`` + ``tweets-part1.js`` with a long
post whose note sits beside them, ``deleted-tweets.js``, note-tweet.js with its entity lists,
and the pre-2019 archive's monthly ``data/js/tweets/YYYY_MM.js`` (``Grailbird.data``). Invented
content; expectations written out by hand."""

from __future__ import annotations

import json

from tiplens.social import importers
from tiplens.social.importing import import_files, read_head

LONG = "Every worker deserves fair recruitment, and no fees. " * 7 + "#FairRecruitment @ILO"


def tw(i: int, text: str, when: str = "Wed Feb 08 15:12:34 +0000 2023", **extra) -> dict:
    return {"id_str": str(i), "id": str(i), "created_at": when, "full_text": text, "favorite_count": "5",
            "retweet_count": "2", "entities": {"hashtags": [], "user_mentions": [], "urls": []}, **extra}


def js(path, name, items, part=0):
    path.write_text(f"window.YTD.{name}.part{part} = " + json.dumps(items, indent=2), encoding="utf-8")
    return path


def _rows(study):
    return {r[0]: r[1:] for r in study.query("SELECT post_id, account, kind, parent_account, text, likes FROM posts")}


def test_older_tweet_js_with_unwrapped_items(study, tmp_path):
    f = js(tmp_path / "tweet.js", "tweet", [tw(1, "hello"), tw(2, "RT @UNODC: report out")])
    assert importers.detect(f, read_head(f)).NAME == "x-archive"
    report = import_files(study, [f], account="OrgHandle")
    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    rows = _rows(study)
    assert rows["1"] == ("orghandle", "original", None, "hello", 5)
    assert rows["2"][:3] == ("orghandle", "retweet", "unodc")


def test_multi_part_archive_and_a_note_for_a_post_in_the_second_part(study, tmp_path):
    js(tmp_path / "account.js", "account", [{"account": {"username": "IOM_Test", "accountDisplayName": "IOM"}}])
    part0 = js(tmp_path / "tweets.js", "tweets", [{"tweet": tw(10, "first part")}])
    cut = LONG[:270] + "… https://t.co/x"
    part1 = js(tmp_path / "tweets-part1.js", "tweets", [{"tweet": tw(20, cut, when="Fri Mar 03 09:00:00 +0000 2023")}],
               part=1)
    note = {"noteTweet": {"noteTweetId": "900", "updatedAt": "2023-03-03T09:00:00.000Z",
                          "lifecycle": {"value": "0", "name": "Active", "originalDescriptor": {"value": "0"}},
                          "createdAt": "2023-03-03T09:00:00.000Z",
                          "core": {"styletags": [], "urls": [], "text": LONG,
                                   "mentions": [{"screenName": "ILO", "fromIndex": "380", "toIndex": "384"}],
                                   "cashtags": [], "hashtags": [{"text": "FairRecruitment", "fromIndex": "363",
                                                                 "toIndex": "379"}]}}}
    js(tmp_path / "note-tweet.js", "note_tweet", [note])
    report = import_files(study, [part0, part1])
    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    rows = _rows(study)
    assert rows["10"][:2] == ("iom_test", "original")
    assert rows["20"] == ("iom_test", "original", None, LONG, 5)
    assert sorted(study.query("SELECT kind, value FROM post_entities WHERE post_id = '20'")) == [
        ("hashtag", "fairrecruitment"), ("mention", "ilo")]
    # the note-tweet file itself gives the same post (a duplicate now)
    again = import_files(study, [tmp_path / "note-tweet.js"])
    assert (again.read, again.imported, again.duplicates) == (1, 0, 1)


def test_deleted_tweets_file_is_read(study, tmp_path):
    f = js(tmp_path / "deleted-tweets.js", "deleted_tweets",
           [{"tweet": tw(30, "posted then deleted", deleted_at="Thu Feb 09 10:00:00 +0000 2023")}])
    report = import_files(study, [f], account="org")
    assert (report.read, report.imported) == (1, 1)
    assert _rows(study)["30"][3] == "posted then deleted"


def test_pre_2019_archive_monthly_grailbird_files(study, tmp_path):
    # data/js/tweets/2014_05.js: a first line naming the month, then the tweets with their user object
    user = {"name": "IOM Indonesia", "screen_name": "IOMIndonesia", "protected": False, "id_str": "5", "id": 5}
    original = {"id_str": "400", "id": 400, "text": "Safe migration saves lives #Migration",
                "created_at": "2014-05-01 08:00:00 +0000", "source": "web",
                "user": {"name": "UN Migration", "screen_name": "UNmigration", "id_str": "8", "id": 8},
                "entities": {"user_mentions": [], "media": [], "hashtags": [{"text": "Migration", "indices": [27, 37]}],
                             "urls": []}}
    items = [
        {"id_str": "401", "id": 401, "text": "Hotline open today @UNODC", "created_at": "2014-05-02 09:30:00 +0000",
         "source": "web", "user": user, "geo": {},
         "entities": {"user_mentions": [{"screen_name": "UNODC", "id_str": "7"}], "media": [], "hashtags": [],
                      "urls": []}},
        {"id_str": "402", "id": 402, "text": "RT @UNmigration: Safe migration saves lives #Migration",
         "created_at": "2014-05-03 10:00:00 +0000", "source": "web", "user": user, "retweeted_status": original,
         "entities": {"user_mentions": [{"screen_name": "UNmigration", "id_str": "8"}], "media": [],
                      "hashtags": [{"text": "Migration"}], "urls": []}},
        {"id_str": "403", "id": 403, "text": "@UNODC thanks", "created_at": "2014-05-04 11:00:00 +0200",
         "source": "web", "user": user, "in_reply_to_status_id_str": "399", "in_reply_to_screen_name": "UNODC",
         "entities": {"user_mentions": [{"screen_name": "UNODC"}], "media": [], "hashtags": [], "urls": []}},
    ]
    folder = tmp_path / "data" / "js" / "tweets"
    folder.mkdir(parents=True)
    f = folder / "2014_05.js"
    f.write_text("Grailbird.data.tweets_2014_05 = \n" + json.dumps(items, indent=1), encoding="utf-8")
    assert importers.detect(f, read_head(f)).NAME == "x-archive"
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (3, 3, 0)
    assert not report.files[0].note  # the tweets name their account
    rows = {r[0]: r[1:] for r in study.query(
        "SELECT post_id, account, kind, parent_id, parent_account, likes, strftime(created_at, '%H:%M') FROM posts")}
    assert rows["401"] == ("iomindonesia", "original", None, None, None, "09:30")
    assert rows["402"] == ("iomindonesia", "retweet", "400", "unmigration", None, "10:00")
    assert rows["403"] == ("iomindonesia", "reply", "399", "unodc", None, "09:00")


def test_an_edited_post_counts_once_as_its_last_version(study, tmp_path):
    versions = ["500", "501", "502"]
    first = tw(500, "Hotline: 0800-000 #typo", edit_info={"initial": {
        "editTweetIds": versions, "editableUntil": "2023-02-08T16:12:34.000Z", "editsRemaining": "3",
        "isEditEligible": True}})
    middle = tw(501, "Hotline: 0800-001", edit_info={"edit": {"initialTweetId": "500", "editControlInitial": {
        "editTweetIds": versions, "editableUntil": "2023-02-08T16:12:34.000Z", "editsRemaining": "3",
        "isEditEligible": True}}})
    last = tw(502, "Hotline: 0800-001 #SafeMigration", edit_info={"edit": {"initialTweetId": "500",
                                                                         "editControlInitial": {"editTweetIds": versions}}})
    # an edited post whose last version is not in the file keeps the version that is
    lone = tw(600, "kept", edit_info={"initial": {"editTweetIds": ["600", "601"]}})
    never = tw(700, "never edited", edit_info={"initial": {"editTweetIds": ["700"]}})
    odd = tw(800, "edit ids not a list", edit_info={"initial": {"editTweetIds": 800}})  # read as never edited
    f = js(tmp_path / "tweets.js", "tweets", [{"tweet": t} for t in (first, middle, last, lone, never, odd)])
    report = import_files(study, [f], account="org")
    assert (report.read, report.imported, report.rejected) == (6, 4, 2)
    assert set(_rows(study)) == {"502", "600", "700", "800"}
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects")]
    assert all("earlier version of edited post 502" in r for r in reasons)


def test_the_manifest_is_recognised_and_one_reject(study, tmp_path):
    f = tmp_path / "manifest.js"
    f.write_text("window.__THAR_CONFIG = " + json.dumps({
        "userInfo": {"accountId": "1", "userName": "IOM_Test", "displayName": "IOM"},
        "archiveInfo": {"generationDate": "2023-03-01T00:00:00.000Z"},
        "dataTypes": {"tweets": {"files": [{"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0",
                                            "count": "2"}]}}}, indent=2), encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (1, 0, 1)
    (reason,) = study.query("SELECT reason FROM rejects")[0]
    assert "'manifest'" in reason and "holds no posts" in reason

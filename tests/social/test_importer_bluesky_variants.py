"""Bluesky feed items and records in forms the shared page lacks: replies whose parent is not
found or blocked, quotes with media (``recordWithMedia``), quotes of deleted posts and embeds
of feeds (not posts), external link cards, facets over emoji and Indonesian text, a pinned
post (``reasonPin``), listRecords of likes and follows (not posts), and a repository export's
other collections. Invented content; expectations written out by hand."""

from __future__ import annotations

import json

from tests.social.helpers import import_and_read
from tests.social.test_importer_bluesky import DID, build_car
from tiplens.social.importing import import_files

OTHER = "did:plc:otherotherotherotherothe"


def view(rkey: str, text: str, **record) -> dict:
    return {"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": "bafy",
            "author": {"did": DID, "handle": "ngo.bsky.social", "displayName": "NGO"},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2024-05-01T10:00:00.000Z", **record},
            "likeCount": 3, "repostCount": 1, "replyCount": 0, "quoteCount": 2, "indexedAt": "2024-05-01T10:00:01Z"}


def _import(study, tmp_path, doc, name="feed.json"):
    report, rows, _ = import_and_read(study, tmp_path / name, json.dumps(doc),
                                      "kind, parent_id, parent_account, has_media, lang", short_ids=True)
    return report, rows


def test_replies_to_missing_or_blocked_posts_and_quotes_of_several_kinds(study, tmp_path):
    gone = f"at://{OTHER}/app.bsky.feed.post/gone"
    blocked = f"at://{OTHER}/app.bsky.feed.post/blk"
    r1 = view("r1", "still replying", reply={"root": {"uri": gone, "cid": "c"}, "parent": {"uri": gone, "cid": "c"}})
    r2 = view("r2", "me too", reply={"root": {"uri": blocked, "cid": "c"}, "parent": {"uri": blocked, "cid": "c"}})
    quoted = f"at://{OTHER}/app.bsky.feed.post/q"
    q1 = view("q1", "look", embed={"$type": "app.bsky.embed.recordWithMedia",
                                   "record": {"$type": "app.bsky.embed.record", "record": {"uri": quoted, "cid": "c"}},
                                   "media": {"$type": "app.bsky.embed.images", "images": [{"alt": "a chart"}]}})
    q1["embed"] = {"$type": "app.bsky.embed.recordWithMedia#view",
                   "record": {"record": {"$type": "app.bsky.embed.record#viewRecord", "uri": quoted,
                                         "author": {"did": OTHER, "handle": "ilo.bsky.social"}}},
                   "media": {"$type": "app.bsky.embed.images#view", "images": []}}
    deleted = f"at://{OTHER}/app.bsky.feed.post/del"
    q2 = view("q2", "this was removed", embed={"$type": "app.bsky.embed.record", "record": {"uri": deleted, "cid": "c"}})
    q2["embed"] = {"$type": "app.bsky.embed.record#view",
                   "record": {"$type": "app.bsky.embed.record#viewNotFound", "uri": deleted, "notFound": True}}
    feedgen = f"at://{OTHER}/app.bsky.feed.generator/news"
    g1 = view("g1", "follow this feed", embed={"$type": "app.bsky.embed.record", "record": {"uri": feedgen, "cid": "c"}})
    page = {"feed": [
        {"post": r1, "reply": {"root": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": gone, "notFound": True},
                               "parent": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": gone, "notFound": True}}},
        {"post": r2, "reply": {"parent": {"$type": "app.bsky.feed.defs#blockedPost", "uri": blocked, "blocked": True,
                                          "author": {"did": OTHER}}}},
        {"post": q1}, {"post": q2}, {"post": g1}], "cursor": "x"}
    report, rows = _import(study, tmp_path, page)
    assert (report.read, report.imported, report.rejected) == (5, 5, 0)
    assert rows["r1"][:3] == ("reply", gone, OTHER)
    assert rows["r2"][:3] == ("reply", blocked, OTHER)
    assert rows["q1"][:4] == ("quote", quoted, "ilo.bsky.social", True)
    assert rows["q2"][:3] == ("quote", deleted, OTHER)
    assert rows["g1"][:2] == ("original", None)


def test_link_cards_images_and_facets_over_emoji_and_indonesian_text(study, tmp_path):
    text = "🚨 Waspada perdagangan orang! #StopTPPO bersama @bp2mi.bsky.social 👉 https://ngo.example/lapor"
    raw = text.encode("utf-8")
    tag, men, url = raw.index(b"#StopTPPO"), raw.index(b"@bp2mi"), raw.index(b"https://")
    facets = [
        {"index": {"byteStart": tag, "byteEnd": tag + len(b"#StopTPPO")},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "StopTPPO"}]},
        {"index": {"byteStart": men, "byteEnd": men + len(b"@bp2mi.bsky.social")},
         "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bp2mi"}]},
        {"index": {"byteStart": url, "byteEnd": len(raw)},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://ngo.example/lapor"}]}]
    p1 = view("e1", text, facets=facets, langs=["id", "en"],
              embed={"$type": "app.bsky.embed.external",
                     "external": {"uri": "https://ngo.example/report", "title": "Report", "description": ""}})
    p2 = view("e2", "foto", embed={"$type": "app.bsky.embed.images", "images": [{"alt": "x", "image": {}}]})
    report, rows = _import(study, tmp_path, {"feed": [{"post": p1}, {"post": p2}]})
    assert report.imported == 2
    assert rows["e1"][3:] == (False, "id") and rows["e2"][3] is True
    ents = sorted(study.query("SELECT kind, value FROM post_entities WHERE post_id LIKE '%/e1'"))
    assert ents == [("hashtag", "stoptppo"), ("mention", "bp2mi.bsky.social"),
                    ("url", "https://ngo.example/lapor"), ("url", "https://ngo.example/report")]


def test_a_pinned_post_is_the_post_itself_then_a_duplicate(study, tmp_path):
    pinned = view("p1", "our hotline numbers")
    page = {"feed": [{"post": pinned, "reason": {"$type": "app.bsky.feed.defs#reasonPin"}},
                     {"post": view("p2", "news")}, {"post": pinned}]}
    report, rows = _import(study, tmp_path, page)
    assert (report.read, report.imported, report.duplicates) == (3, 2, 1)
    assert rows["p1"][0] == "original"


def test_list_records_of_likes_and_follows_are_not_posts(study, tmp_path):
    records = {"records": [
        {"uri": f"at://{DID}/app.bsky.feed.like/l1", "cid": "c",
         "value": {"$type": "app.bsky.feed.like", "createdAt": "2024-05-01T10:00:00Z",
                   "subject": {"uri": f"at://{OTHER}/app.bsky.feed.post/x", "cid": "c"}}},
        {"uri": f"at://{DID}/app.bsky.graph.follow/f1", "cid": "c",
         "value": {"$type": "app.bsky.graph.follow", "createdAt": "2024-05-01T10:00:00Z", "subject": OTHER}},
        {"uri": f"at://{DID}/app.bsky.feed.post/s1", "cid": "c",
         "value": {"$type": "app.bsky.feed.post", "text": "a post", "createdAt": "2024-05-01T10:00:00Z"}}],
        "cursor": "s1"}
    report, rows = _import(study, tmp_path, records, name="records.json")
    assert (report.read, report.imported, report.rejected) == (3, 1, 2)
    assert set(rows) == {"s1"}
    reasons = sorted(r[0] for r in study.query("SELECT reason FROM rejects"))
    assert "app.bsky.feed.like" in reasons[0] and "not a post" in reasons[0]
    assert "app.bsky.graph.follow" in reasons[1]


def test_a_repository_export_says_what_else_it_held(study, tmp_path):
    records = {
        "app.bsky.feed.post/3p1": {"$type": "app.bsky.feed.post", "text": "hello", "createdAt": "2024-01-01T00:00:00Z"},
        "app.bsky.feed.like/3l1": {"$type": "app.bsky.feed.like", "createdAt": "2024-01-01T00:00:00Z",
                                   "subject": {"uri": f"at://{OTHER}/app.bsky.feed.post/z", "cid": "c"}},
        "app.bsky.feed.like/3l2": {"$type": "app.bsky.feed.like", "createdAt": "2024-01-01T00:00:00Z",
                                   "subject": {"uri": f"at://{OTHER}/app.bsky.feed.post/y", "cid": "c"}},
        "app.bsky.graph.follow/3f1": {"$type": "app.bsky.graph.follow", "createdAt": "2024-01-01T00:00:00Z",
                                      "subject": OTHER},
        "app.bsky.feed.threadgate/3p1": {"$type": "app.bsky.feed.threadgate", "post": f"at://{DID}/app.bsky.feed.post/3p1",
                                         "createdAt": "2024-01-01T00:00:00Z"},
    }
    f = tmp_path / "repo.car"
    f.write_bytes(build_car(records))
    report = import_files(study, [f], account="ngo.bsky.social")
    assert (report.read, report.imported, report.rejected) == (1, 1, 0)
    note = report.files[0].note
    assert "not posts" in note and "app.bsky.feed.like 2" in note and "app.bsky.graph.follow 1" in note

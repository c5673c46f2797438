"""ActivityPub outboxes in forms the Mastodon sample lacks: an outbox fetched from a server
(its first page embedded under ``first``, or only linked), a saved ``OrderedCollectionPage``,
notes from other servers (``contentMap`` without ``content``, ``tag`` as one object,
Pleroma's ``directMessage``, quote posts by ``quote``/``quoteUrl``/``_misskey_quote``, a boost
whose object is embedded) and an actor named by id rather than by name. Invented content;
expectations written out by hand."""

from __future__ import annotations

import json

from tests.social.helpers import import_and_read
from tiplens.social.importing import import_files

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR = "https://ngo.example/users/org"


def note(n: int, html: str | None, actor: str = ACTOR, **obj) -> dict:
    body = {"id": f"{actor}/statuses/{n}", "type": "Note", "attributedTo": actor,
            "published": f"2023-07-{n:02d}T08:00:00Z", "to": [PUBLIC], "cc": [f"{actor}/followers"], **obj}
    if html is not None:
        body["content"] = html
    return {"id": f"{actor}/statuses/{n}/activity", "type": "Create", "actor": actor,
            "published": body["published"], "to": body["to"], "cc": body["cc"], "object": body}


def _import(study, tmp_path, doc, name="outbox.json"):
    return import_and_read(study, tmp_path / name, json.dumps(doc, indent=1),
                           "account, kind, parent_id, parent_account, text, lang", short_ids=True)


def test_fetched_outbox_with_its_first_page_embedded(study, tmp_path):
    doc = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{ACTOR}/outbox", "type": "OrderedCollection",
           "totalItems": 2, "first": {"id": f"{ACTOR}/outbox?page=true", "type": "OrderedCollectionPage",
                                      "next": f"{ACTOR}/outbox?max_id=1&page=true", "partOf": f"{ACTOR}/outbox",
                                      "orderedItems": [note(1, "<p>one</p>"), note(2, "<p>two</p>")]}}
    report, rows, _ = _import(study, tmp_path, doc)
    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    assert rows["1"][:2] == ("org@ngo.example", "original") and rows["2"][4] == "two"


def test_outbox_that_only_links_its_pages_is_one_clear_reject(study, tmp_path):
    doc = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{ACTOR}/outbox", "type": "OrderedCollection",
           "totalItems": 40, "first": f"{ACTOR}/outbox?page=true", "last": f"{ACTOR}/outbox?min_id=0&page=true"}
    report, rows, reasons = _import(study, tmp_path, doc)
    assert (report.read, report.imported, report.rejected) == (1, 0, 1)
    assert "first page" in reasons[0] and "outbox?page=true" in reasons[0]


def test_a_saved_collection_page(study, tmp_path):
    doc = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{ACTOR}/outbox?page=2",
           "type": "OrderedCollectionPage", "partOf": f"{ACTOR}/outbox", "orderedItems": [note(3, "<p>three</p>")]}
    report, rows, _ = _import(study, tmp_path, doc, name="page2.json")
    assert (report.read, report.imported) == (1, 1)


def test_notes_from_other_servers(study, tmp_path):
    items = [
        # contentMap only (no content), one language
        note(4, None, contentMap={"id": "<p>Kenali tanda-tanda <a href=\"https://ngo.example/tags/TPPO\">#TPPO</a></p>"},
             tag={"type": "Hashtag", "name": "#TPPO", "href": "https://ngo.example/tags/TPPO"}),
        # Pleroma / Akkoma: a direct message says so
        note(5, "<p>psst</p>", to=["https://other.example/users/friend"], cc=[], directMessage=True),
        # quote posts: Mastodon 4.4 'quote', Akkoma 'quoteUrl', Misskey '_misskey_quote'
        note(6, "<p>read this</p>", quote="https://un.example/users/unodc/statuses/60"),
        note(7, "<p>and this</p>", quoteUrl="https://un.example/@unhcr/70"),
        note(8, "<p>also</p>", _misskey_quote="https://un.example/users/ilo/statuses/80",
             inReplyTo="https://un.example/users/iom/statuses/81"),
        # a content warning does not hide the post
        note(9, "<p>hard story</p>", sensitive=True, summary="trafficking case"),
        # a boost with its object embedded
        {"id": f"{ACTOR}/statuses/10/activity", "type": "Announce", "actor": ACTOR,
         "published": "2023-07-10T08:00:00Z", "to": [PUBLIC], "cc": ["https://un.example/users/iom"],
         "object": {"id": "https://un.example/users/iom/statuses/100", "type": "Note",
                    "attributedTo": "https://un.example/users/iom", "content": "<p>origin</p>"}},
    ]
    report, rows, reasons = _import(study, tmp_path, {"type": "OrderedCollection", "orderedItems": items})
    assert (report.read, report.imported, report.rejected) == (7, 6, 1)
    assert rows["4"][1:] == ("original", None, None, "Kenali tanda-tanda #TPPO", "id")
    assert study.query("SELECT value FROM post_entities WHERE kind = 'hashtag'") == [("tppo",)]
    assert "direct message" in reasons[0]
    assert rows["6"][1:4] == ("quote", "https://un.example/users/unodc/statuses/60", "unodc@un.example")
    assert rows["7"][1:4] == ("quote", "https://un.example/@unhcr/70", "unhcr@un.example")
    assert rows["8"][1:4] == ("quote", "https://un.example/users/ilo/statuses/80", "ilo@un.example")
    assert ("iom@un.example", "reply") in study.query("SELECT target_account, kind FROM interactions "
                                                        "WHERE post_id LIKE '%/8'")
    assert rows["9"][4] == "hard story"
    assert rows["activity"][1:4] == ("retweet", "https://un.example/users/iom/statuses/100", "iom@un.example")


def test_actor_named_by_id_takes_its_name_from_actor_json(study, tmp_path):
    actor = "https://misskey.example/users/9f8e7d6c5b"
    (tmp_path / "actor.json").write_text(json.dumps({"id": actor, "type": "Person", "preferredUsername": "NGO"}),
                                         encoding="utf-8")
    report, rows, _ = _import(study, tmp_path, {"type": "OrderedCollection",
                                                "orderedItems": [note(11, "<p>hi</p>", actor=actor)]})
    assert report.imported == 1
    assert rows["11"][0] == "ngo@misskey.example"


def test_other_files_of_the_archive_say_what_they_are(study, tmp_path):
    # likes.json and bookmarks.json list URLs of other people's posts; actor.json is the profile
    (tmp_path / "likes.json").write_text(json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams", "id": "likes.json", "type": "OrderedCollection",
        "orderedItems": ["https://un.example/users/iom/statuses/1", "https://un.example/users/iom/statuses/2"]}),
        encoding="utf-8")
    (tmp_path / "actor.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"], "id": ACTOR,
        "type": "Person", "preferredUsername": "org", "name": "An NGO", "inbox": f"{ACTOR}/inbox",
        "outbox": "outbox.json", "followers": f"{ACTOR}/followers"}), encoding="utf-8")
    report = import_files(study, [tmp_path / "likes.json", tmp_path / "actor.json"])
    by_file = {f.file.rsplit("/", 1)[-1]: (f.format, f.read, f.imported, f.rejected) for f in report.files}
    assert by_file == {"likes.json": ("mastodon", 2, 0, 2), "actor.json": ("mastodon", 1, 0, 1)}
    reasons = dict(study.query("SELECT file, list(reason) FROM rejects GROUP BY file"))
    (profile,) = reasons[str(tmp_path / "actor.json")]
    assert "profile" in profile and "outbox.json" in profile
    likes = reasons[str(tmp_path / "likes.json")]
    assert len(likes) == 2 and all("a link to a post, not an activity" in r for r in likes)

"""Bluesky importer: the real getAuthorFeed page (expectations from the raw JSON), hand-made
feed items for reposts, quotes and facets, and a repository CAR file encoded here."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import shared
from tiplens.social.importing import import_files

DID = "did:plc:abcdefghijklmnopqrstuvwx"


@pytest.mark.real
def test_real_feed_page(study):
    path = shared("social-samples", "bluesky-authorfeed-page", "getAuthorFeed_page.json")
    feed = json.loads(path.read_text(encoding="utf-8"))["feed"]
    report = import_files(study, [path])
    assert (report.read, report.imported, report.rejected) == (len(feed), len({f["post"]["uri"] for f in feed}), 0)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, likes, reposts, replies, quotes, kind, "
                                             "parent_id, text FROM posts")}
    for f in feed:
        p = f["post"]
        account, likes, reposts, replies, quotes, kind, parent, text = rows[p["uri"]]
        assert account == p["author"]["handle"]
        assert (likes, reposts, replies, quotes) == (p["likeCount"], p["repostCount"], p["replyCount"], p["quoteCount"])
        assert kind == ("reply" if "reply" in p["record"] else "original")
        assert parent == p["record"].get("reply", {}).get("parent", {}).get("uri")
        assert text == p["record"]["text"]
    media = study.query("SELECT count(*) FROM posts WHERE has_media")[0][0]
    assert media == sum(1 for f in feed if f["post"]["record"].get("embed", {}).get("$type") == "app.bsky.embed.images")


def post_view(rkey: str, text: str, handle: str = "ngo.bsky.social", **record) -> dict:
    return {"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": "bafy", "author": {"did": DID, "handle": handle},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2024-05-01T10:00:00.000Z", **record},
            "likeCount": 4, "repostCount": 1, "replyCount": 0, "quoteCount": 0, "indexedAt": "2024-05-01T10:00:01Z"}


def test_reposts_quotes_facets_and_old_entities(study, tmp_path):
    text = "Café #Safe migration with @ilo.org https://ilo.org"
    raw = text.encode()
    tag_at, men_at, url_at = raw.index(b"#Safe"), raw.index(b"@ilo.org"), raw.index(b"https://")
    faceted = post_view("a1", text, facets=[
        {"index": {"byteStart": tag_at, "byteEnd": tag_at + 5}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Safe"}]},
        {"index": {"byteStart": men_at, "byteEnd": men_at + 8}, "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:ilo"}]},
        {"index": {"byteStart": url_at, "byteEnd": len(raw)}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://ilo.org"}]}])
    old = post_view("a2", "hi @unhcr.bsky.social", entities=[
        {"index": {"start": 3, "end": 21}, "type": "mention", "value": "did:plc:unhcr"}])
    quoted_uri = "at://did:plc:iom/app.bsky.feed.post/q1"
    quote = post_view("a3", "see this", embed={"$type": "app.bsky.embed.record", "record": {"uri": quoted_uri, "cid": "x"}})
    quote["embed"] = {"$type": "app.bsky.embed.record#view",
                      "record": {"uri": quoted_uri, "author": {"handle": "iom.bsky.social"}}}
    other = post_view("o1", "their post", handle="unicef.bsky.social")
    other["uri"] = "at://did:plc:unicef/app.bsky.feed.post/o1"
    page = {"feed": [{"post": faceted}, {"post": old}, {"post": quote},
                     {"post": other, "reason": {"$type": "app.bsky.feed.defs#reasonRepost",
                                                "by": {"did": DID, "handle": "ngo.bsky.social"},
                                                "indexedAt": "2024-05-02T00:00:00Z"}},
                     {"post": {"record": {}}}],
            "cursor": "c"}
    f = tmp_path / "feed.json"
    f.write_text(json.dumps(page), encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (5, 4, 1)
    ents = set(study.query("SELECT post_id, kind, value FROM post_entities"))
    a1 = f"at://{DID}/app.bsky.feed.post/a1"
    assert {(a1, "hashtag", "safe"), (a1, "mention", "ilo.org"), (a1, "url", "https://ilo.org")} <= ents
    assert (f"at://{DID}/app.bsky.feed.post/a2", "mention", "unhcr.bsky.social") in ents
    rows = {r[0].rsplit("/", 1)[-1]: r[1:] for r in study.query("SELECT post_id, account, kind, parent_id, parent_account, likes FROM posts")}
    assert rows["a3"][1:4] == ("quote", quoted_uri, "iom.bsky.social")
    repost = next(v for k, v in rows.items() if "repost" in k)
    assert repost == ("ngo.bsky.social", "retweet", other["uri"], "unicef.bsky.social", None)


# -- a repository CAR file, encoded here ------------------------------------------------

def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def build_car(records: dict[str, dict]) -> bytes:
    """A CAR v1 file: commit -> one MST node (keys prefix-compressed) -> records."""
    libipld = pytest.importorskip("libipld")

    def block(value):
        data = libipld.encode_dag_cbor(value)
        return bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest(), data

    blocks, entries, prev = [], [], b""
    for key in sorted(records):
        cid, data = block(records[key])
        blocks.append((cid, data))
        k = key.encode()
        p = next((i for i, (x, y) in enumerate(zip(prev, k, strict=False)) if x != y), min(len(prev), len(k)))
        entries.append({"p": p, "k": k[p:], "v": cid, "t": None})
        prev = k
    mst_cid, mst = block({"l": None, "e": entries})
    commit_cid, commit = block({"did": DID, "version": 3, "data": mst_cid, "rev": "r", "prev": None, "sig": b"s"})
    header = libipld.encode_dag_cbor({"version": 1, "roots": [commit_cid]})
    out = _varint(len(header)) + header
    for cid, data in [(commit_cid, commit), (mst_cid, mst), *blocks]:
        out += _varint(len(cid) + len(data)) + cid + data
    return out


CAR_RECORDS = {
    "app.bsky.feed.post/3k1": {"$type": "app.bsky.feed.post", "text": "Know your rights #migrants",
                               "createdAt": "2024-01-01T00:00:00Z", "langs": ["en"],
                               "facets": [{"index": {"byteStart": 17, "byteEnd": 26},
                                           "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "migrants"}]}]},
    "app.bsky.feed.post/3k2": {"$type": "app.bsky.feed.post", "text": "a reply", "createdAt": "2024-01-02T00:00:00Z",
                               "reply": {"root": {"uri": "at://did:plc:other/app.bsky.feed.post/r"},
                                         "parent": {"uri": "at://did:plc:other/app.bsky.feed.post/r"}}},
    "app.bsky.feed.post/3k3": {"$type": "app.bsky.feed.post", "text": "no date", "createdAt": "someday"},
    "app.bsky.feed.repost/3k4": {"$type": "app.bsky.feed.repost", "createdAt": "2024-01-03T00:00:00Z",
                                 "subject": {"uri": "at://did:plc:ilo/app.bsky.feed.post/z", "cid": "c"}},
    "app.bsky.feed.like/3k5": {"$type": "app.bsky.feed.like", "createdAt": "2024-01-03T00:00:00Z",
                               "subject": {"uri": "at://did:plc:ilo/app.bsky.feed.post/z", "cid": "c"}},
    "app.bsky.actor.profile/self": {"$type": "app.bsky.actor.profile", "displayName": "An NGO"},
}


def test_car_export(study, tmp_path):
    f = tmp_path / "repo.car"
    f.write_bytes(build_car(CAR_RECORDS))
    report = import_files(study, [f], account="ngo.bsky.social")
    assert report.files[0].format == "bluesky"
    posts = [k for k in CAR_RECORDS if k.startswith(("app.bsky.feed.post/", "app.bsky.feed.repost/"))]
    assert (report.read, report.imported, report.rejected) == (len(posts), len(posts) - 1, 1)
    rows = {r[0]: r[1:] for r in study.query("SELECT post_id, account, account_name, kind, parent_account, likes FROM posts")}
    assert rows[f"at://{DID}/app.bsky.feed.post/3k1"] == ("ngo.bsky.social", "An NGO", "original", None, None)
    assert rows[f"at://{DID}/app.bsky.feed.post/3k2"][2:4] == ("reply", "did:plc:other")
    assert rows[f"at://{DID}/app.bsky.feed.repost/3k4"][2:4] == ("retweet", "did:plc:ilo")
    assert study.query("SELECT value FROM post_entities WHERE kind = 'hashtag'") == [("migrants",)]
    # the same post from a feed page is a duplicate: one URI, one post
    page = tmp_path / "page.json"
    view = post_view("3k1", "Know your rights #migrants")
    page.write_text(json.dumps({"feed": [{"post": view}]}), encoding="utf-8")
    assert import_files(study, [page]).duplicates == 1


def test_truncated_car_keeps_the_records_before_the_cut(study, tmp_path):
    data = build_car({k: v for k, v in CAR_RECORDS.items() if k in ("app.bsky.feed.post/3k1", "app.bsky.feed.post/3k2")})
    f = tmp_path / "cut.car"
    f.write_bytes(data[:-10])
    report = import_files(study, [f])
    assert (report.imported, report.rejected) == (1, 2)  # the last record lost, and the damage reported
    reasons = " ".join(r[0] for r in study.query("SELECT reason FROM rejects"))
    assert "truncated" in reasons and "missing" in reasons
    assert "by DID" in report.files[0].note


def test_pages_as_a_list_and_one_per_line(study, tmp_path):
    pages = [{"feed": [{"post": post_view(f"p{i}{j}", "x")} for j in range(3)], "cursor": str(i)} for i in range(2)]
    listed = tmp_path / "pages.json"
    listed.write_text(json.dumps(pages, indent=2), encoding="utf-8")
    per_line = tmp_path / "pages.jsonl"
    per_line.write_text("\n".join(json.dumps(p) for p in pages) + "\n", encoding="utf-8")
    first = import_files(study, [listed])
    second = import_files(study, [per_line])
    assert (first.read, first.imported) == (6, 6)
    assert (second.read, second.duplicates) == (6, 6)


@pytest.mark.real
def test_a_record_with_values_of_the_wrong_type_is_a_reject(study, tmp_path):
    page = json.loads(shared("social-samples", "bluesky-authorfeed-page", "getAuthorFeed_page.json")
                      .read_text(encoding="utf-8"))
    page["feed"][0]["post"]["record"]["text"] = 5  # a number where the text belongs
    page["feed"][1]["post"]["author"]["handle"] = 7  # a number as the handle
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    report = import_files(study, [path])
    uris = {f["post"]["uri"] for f in page["feed"]}
    assert (report.read, report.rejected) == (len(page["feed"]), 2)
    assert report.imported == len(uris - {page["feed"][i]["post"]["uri"] for i in (0, 1)})
    assert all(r[0].startswith("item not imported:") for r in study.query("SELECT reason FROM rejects"))

"""Bluesky: ``app.bsky.feed.getAuthorFeed`` JSON pages (``{"feed": [{"post", "reply"?,
"reason"?}], "cursor"}``; one page, a list of pages or one page per line; ``posts`` and
``records`` lists from other endpoints too) and repository CAR exports (see
:mod:`.bluesky_car`).

A post's id is its ``at://`` URI, so the same post from a page and from a CAR export is
one post. A feed item with a ``reasonRepost`` is the account's repost (kind retweet) of
someone's post; ``record.reply`` makes a reply and an embedded post record a quote.
Hashtags, mentions and links come from the record's ``facets`` (or the older
``entities``), mention handles from the text they cover. Counts come from the page;
a CAR export has none (they stay missing) and names accounts by DID.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tiplens.importing import Reject
from tiplens.social.importers.base import (
    Item,
    Post,
    ReadContext,
    as_dict,
    guarded,
    json_keys,
    parse_time,
    to_int,
)
from tiplens.social.importers.bluesky_car import looks_like_car, read_repo
from tiplens.social.importers.jsondoc import iter_items

NAME = "bluesky"
_POST = "app.bsky.feed.post"
_REPOST = "app.bsky.feed.repost"


def sniff(head: str, path: Path) -> bool:
    s = head.lstrip()
    if s.startswith(("{", "[")):
        return "app.bsky." in s and bool(json_keys(s) & {"feed", "posts", "records", "uri", "$type"}) \
            or '"$type":"app.bsky.feed.post"' in s.replace(" ", "")
    with path.open("rb") as fh:
        return looks_like_car(fh.read(256))


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    with path.open("rb") as fh:
        is_car = looks_like_car(fh.read(256))
    if is_car:
        yield from _read_car(path, ctx)
        return
    for line, obj in iter_items(path, ctx, ("feed", "posts", "records")):
        yield line, obj if isinstance(obj, Reject) else map_item(obj, line)


def _collection(uri: str, record: Any) -> str | None:
    """The record's collection: from ``at://did/<collection>/<rkey>``, else its ``$type``."""
    parts = uri.split("/")
    if len(parts) >= 5 and "." in parts[3]:
        return parts[3]
    rtype = record.get("$type") if isinstance(record, dict) else None
    return str(rtype) if rtype else _POST  # a post view without its collection in the URI


def _did(uri: str | None) -> str | None:
    return uri.split("/")[2] if isinstance(uri, str) and uri.startswith("at://") and uri.count("/") >= 2 else None


def _read_car(path: Path, ctx: ReadContext) -> Iterator[Item]:
    repo = read_repo(path)
    account = ctx.account.lower().lstrip("@") if ctx.account else repo.did
    if not ctx.account:
        ctx.note("a repository export names its account by DID; pass --account HANDLE to use the handle")
    profile = next((r for k, _, r in repo.records if k == "app.bsky.actor.profile/self" and isinstance(r, dict)), {})
    others: dict[str, int] = {}
    for key, _, _ in repo.records:
        collection = key.split("/", 1)[0]
        if collection not in (_POST, _REPOST):
            others[collection] = others.get(collection, 0) + 1
    if others:
        ctx.note("records that are not posts, not counted: " + ", ".join(f"{c} {n:,}" for c, n in sorted(others.items())))
    for key, block, record in repo.records:
        collection = key.split("/", 1)[0]
        if collection not in (_POST, _REPOST):
            continue  # likes, follows, profile...: not posts (named in the note above)
        uri = f"at://{repo.did}/{key}"
        if not isinstance(record, dict):
            yield block or None, Reject(f"record {key} is missing from the file (truncated?)", block or None)
            continue
        post = map_record(record, uri, account, block)
        if isinstance(post, Post):
            post.account_name = profile.get("displayName")
        yield block, post
    for problem in repo.problems:
        yield None, Reject(problem)


def _facets(record: dict) -> tuple[list[str], list[str], list[str]]:
    """(hashtags, mentions, links) from facets, the older ``entities`` form and ``tags``."""
    text = record.get("text") or ""
    raw = text.encode("utf-8")
    tags: list[str] = [str(t) for t in record.get("tags") or [] if t]
    mentions: list[str] = []
    links: list[str] = []

    def covered(start: Any, end: Any) -> str:
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw):
            return raw[start:end].decode("utf-8", errors="ignore")
        return ""

    for facet in record.get("facets") or []:
        if not isinstance(facet, dict):
            continue
        index = facet.get("index") or {}
        span = covered(index.get("byteStart"), index.get("byteEnd"))
        for feat in facet.get("features") or []:
            ftype = str((feat or {}).get("$type") or "")
            if ftype.endswith("#tag"):
                tags.append(str(feat.get("tag") or span.lstrip("#")))
            elif ftype.endswith("#mention"):
                mentions.append(span.lstrip("@") if span.startswith("@") else str(feat.get("did") or ""))
            elif ftype.endswith("#link"):
                links.append(str(feat.get("uri") or span))
    for ent in record.get("entities") or []:
        if not isinstance(ent, dict):
            continue
        index = ent.get("index") or {}
        span = covered(index.get("start"), index.get("end")) or text[index.get("start", 0):index.get("end", 0)]
        etype, value = ent.get("type"), str(ent.get("value") or "")
        if etype == "mention":
            mentions.append(span.lstrip("@") if span.startswith("@") else value)
        elif etype == "link":
            links.append(value or span)
        elif etype in ("hashtag", "tag"):
            tags.append(value or span.lstrip("#"))
    return tags, [m for m in mentions if m], [u for u in links if u]


def _embedded_post(record: dict, view: dict) -> tuple[str | None, str | None, bool]:
    """(quoted post URI, its author's handle, has media) from the record's embed and its view."""
    embed = as_dict(record.get("embed"))
    etype = str(embed.get("$type") or "")
    ref = embed.get("record") if etype.startswith("app.bsky.embed.record") else None
    if isinstance(ref, dict) and isinstance(ref.get("record"), dict):  # recordWithMedia
        ref = ref["record"]
    media_part = embed.get("media") if etype.startswith("app.bsky.embed.recordWithMedia") else embed
    has_media = str((media_part or {}).get("$type") or "").startswith(("app.bsky.embed.images", "app.bsky.embed.video"))
    uri = ref.get("uri") if isinstance(ref, dict) else None
    if not (isinstance(uri, str) and f"/{_POST}/" in uri):
        return None, None, has_media
    shown = (view or {}).get("embed") or {}
    shown = shown.get("record") or {}
    shown = shown.get("record") if isinstance(shown.get("record"), dict) and "uri" not in shown else shown
    handle = ((shown or {}).get("author") or {}).get("handle")
    return uri, handle or _did(uri), has_media


@guarded
def map_record(record: Any, uri: str, account: str | None, line: int | None, view: dict | None = None,
               reply_ctx: dict | None = None) -> Post | Reject:
    """One ``app.bsky.feed.post`` (or ``.repost``) record; ``view`` adds counts and handles."""
    if not isinstance(record, dict):
        return Reject(f"{uri}: record is not an object", line)
    created = parse_time(record.get("createdAt")) or parse_time((view or {}).get("indexedAt"))
    if created is None:
        return Reject(f"{uri}: createdAt {str(record.get('createdAt'))[:40]!r} is not a date", line)
    if record.get("$type") == _REPOST or f"/{_REPOST}/" in uri:
        subject = (record.get("subject") or {}).get("uri")
        return Post(post_id=uri, platform="bluesky", account=account, created_at=created, text=None,
                    kind="retweet", parent_id=subject, parent_account=_did(subject))
    tags, mentions, links = _facets(record)
    quoted, quoted_by, has_media = _embedded_post(record, view or {})
    parent_uri = as_dict(as_dict(record.get("reply")).get("parent")).get("uri")
    parent_author = (((reply_ctx or {}).get("parent") or {}).get("author") or {}).get("handle")
    kind, parent_id, parent_account = "original", None, None
    refs: list[tuple[str, str]] = []
    if quoted:
        kind, parent_id, parent_account = "quote", quoted, quoted_by
        reply_to = parent_author or _did(parent_uri)
        if reply_to:
            refs.append(("reply", reply_to))
    elif parent_uri:
        kind, parent_id, parent_account = "reply", parent_uri, parent_author or _did(parent_uri)
    ext = (record.get("embed") or {}).get("external") if isinstance(record.get("embed"), dict) else None
    if isinstance(ext, dict) and ext.get("uri"):
        links.append(ext["uri"])
    v = view or {}
    langs = record.get("langs") or []
    return Post(
        post_id=uri, platform="bluesky", account=account, created_at=created, text=record.get("text"),
        kind=kind, lang=langs[0] if langs else None, parent_id=parent_id, parent_account=parent_account,
        likes=to_int(v.get("likeCount")), reposts=to_int(v.get("repostCount")),
        replies=to_int(v.get("replyCount")), quotes=to_int(v.get("quoteCount")),
        has_media=has_media, hashtags=tags, mentions=mentions, urls=list(dict.fromkeys(links)),
        references=refs,
    )


@guarded
def map_item(item: Any, line: int | None = None) -> Post | Reject:
    """A feed item ``{"post", "reply"?, "reason"?}``, a bare post view, or a listRecords entry."""
    if not isinstance(item, dict):
        return Reject("feed item is not a JSON object", line)
    view = as_dict(item.get("post")) or item
    record = view.get("record") or view.get("value")
    uri = view.get("uri")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return Reject("feed item has no at:// uri", line)
    collection = _collection(uri, record)
    if collection not in (_POST, _REPOST):  # listRecords of likes, follows, lists...
        return Reject(f"{collection or 'unknown'} record, not a post: left out ({uri})", line)
    author = as_dict(view.get("author"))
    account = (author.get("handle") or _did(uri) or "").lower() or None
    reason = as_dict(item.get("reason"))
    if str(reason.get("$type") or "").endswith("#reasonRepost"):
        by = as_dict(reason.get("by"))
        created = parse_time(reason.get("indexedAt")) or parse_time(reason.get("createdAt"))
        if created is None:
            return Reject(f"repost of {uri}: indexedAt is not a date", line)
        rid = reason.get("uri") or f"{uri}#repost-by-{by.get('did') or by.get('handle')}"
        original = map_record(record, uri, account, line, view)
        return Post(post_id=str(rid), platform="bluesky", account=(by.get("handle") or by.get("did") or "").lower() or None,
                    account_name=by.get("displayName"), created_at=created,
                    text=record.get("text") if isinstance(record, dict) else None, kind="retweet", parent_id=uri,
                    parent_account=account,
                    hashtags=original.hashtags if isinstance(original, Post) else [],
                    mentions=original.mentions if isinstance(original, Post) else [])
    post = map_record(record, uri, account, line, view, item.get("reply"))
    if isinstance(post, Post):
        post.account_name = author.get("displayName")
    return post

"""Mastodon's account archive: ``outbox.json``, an ActivityStreams ``OrderedCollection``
whose ``orderedItems`` are activities (a bare list of activities, or JSON Lines, too).

``Create`` of a Note (or Question, Article, Page) is a post: HTML content turned into
text, ``tag`` Hashtag/Mention entities, ``inReplyTo`` making it a reply. ``Announce`` is a
boost (kind retweet) whose object is usually only the URL of the boosted post. Accounts
are ``user@host`` in lower case, from the actor URL or ``actor.json`` beside the file.
The archive has no engagement counts: likes, reposts and replies stay missing (NULL),
never 0, unless a server put ``likes``/``shares`` totals on the note. Posts that were not
public (followers-only, direct messages) are left out with a reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tiplens.importing import Reject
from tiplens.social.importers.base import Item, Post, ReadContext, guarded, json_keys, parse_time, to_int
from tiplens.social.importers.jsondoc import iter_items

NAME = "mastodon"
PUBLIC = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")
_POST_TYPES = ("Note", "Question", "Article", "Page")
_USER_URL = re.compile(r"^/(?:users/|@)([^/@]+)(?:/|$)")
_TOTAL = re.compile(r'"totalItems"\s*:\s*(\d+)')
_QUOTE_KEYS = ("quote", "quoteUrl", "quoteUri", "_misskey_quote")  # Mastodon 4.4, Akkoma/Pleroma, Fedibird, Misskey


def sniff(head: str, path: Path) -> bool:
    s = head.lstrip()
    if not s.startswith(("{", "[")):
        return False
    keys = json_keys(s)
    return "orderedItems" in keys or ("activitystreams" in s and (
        {"actor", "object"} <= keys or ("first" in keys and "OrderedCollection" in s)
        or {"preferredUsername", "outbox", "inbox"} <= keys))  # the last: the archive's actor.json


def account_from_url(url: str | None) -> str | None:
    """``https://host/users/name`` or ``https://host/@name/123`` -> ``name@host``."""
    if not isinstance(url, str) or not url.startswith("http"):
        return None
    parts = urlsplit(url)
    m = _USER_URL.match(parts.path)
    if not m or not parts.hostname:
        return None
    return f"{m.group(1)}@{parts.hostname}".lower()


class _Text(HTMLParser):
    """Mastodon HTML to plain text: paragraphs and line breaks kept, link targets noted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")
        elif tag == "a":
            a = dict(attrs)
            cls = (a.get("class") or "").split()
            if a.get("href") and "mention" not in cls and "hashtag" not in cls and a.get("rel") != "tag":
                self.links.append(a["href"] or "")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts).strip()


def html_to_text(html: str | None) -> tuple[str | None, list[str]]:
    if not isinstance(html, str):
        return None, []
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.links


def _actor_json(folder: Path) -> tuple[str | None, str | None]:
    """(actor URL, ``name@host``) from ``actor.json`` beside the outbox, else Nones."""
    path = folder / "actor.json"
    if not path.is_file():
        return None, None
    try:
        actor = json.loads(path.read_text(encoding="utf-8"))
        host = urlsplit(actor.get("id") or actor.get("url") or "").hostname
        handle = f"{actor['preferredUsername']}@{host}".lower() if host and actor.get("preferredUsername") else None
        return (actor.get("id") if isinstance(actor.get("id"), str) else None), handle
    except (OSError, ValueError, KeyError, AttributeError):
        return None, None


_COLLECTIONS = ("OrderedCollection", "Collection", "OrderedCollectionPage", "CollectionPage")


def _activities(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    """The activities of the file: ``orderedItems``/``items`` of the collection or of the first
    page embedded under ``first`` (an outbox fetched from a server), or one per line."""
    for line, obj in iter_items(path, ctx, ("orderedItems", "items")):
        if not (isinstance(obj, dict) and obj.get("type") in _COLLECTIONS):
            yield line, obj
            continue
        first = obj.get("first")
        page = first if isinstance(first, dict) else {}
        items = page.get("orderedItems", page.get("items"))
        if isinstance(items, list):
            yield from ((line, item) for item in items)
            if isinstance(page.get("next"), str):
                ctx.note(f"the file holds the outbox's first page only; the next page ({page['next']}) "
                         "is not in it")
        elif isinstance(first, str):
            yield line, Reject(f"the collection lists no activities, only a link to its first page ({first}): "
                               "save the pages (first, then each 'next') and import those files", line)
        else:
            yield line, Reject(f"an empty {obj.get('type')}: no activities in it", line)


_ACTORS = ("Person", "Service", "Group", "Organization", "Application")


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    actor_url, actor_handle = _actor_json(path.parent)
    fallback = ctx.account.lower().lstrip("@") if ctx.account else actor_handle
    actors = {actor_url: actor_handle} if actor_url and actor_handle else {}
    count = 0
    for line, obj in _activities(path, ctx):
        if isinstance(obj, Reject):
            yield line, obj
            continue
        if isinstance(obj, dict) and obj.get("type") in _ACTORS and "outbox" in obj:
            yield line, Reject(f"the account's profile ({obj.get('type')} {obj.get('id')}), not posts: "
                               "import the archive's outbox.json", line)
            continue
        count += 1
        yield line, map_item(obj, line, fallback, actors)
    with path.open("rb") as fh:
        m = _TOTAL.search(fh.read(1 << 16).decode("utf-8", errors="replace"))
    if m and count and int(m.group(1)) != count:
        ctx.note(f"outbox says totalItems {int(m.group(1)):,} but holds {count:,} activities; all were read")


def _public(activity: dict, obj: dict) -> str | None:
    """None when public or unlisted (or the audience is not given), else why it is not."""
    if not any(key in d for d in (activity, obj) for key in ("to", "cc")):
        return None
    audience = [*_list(activity.get("to")), *_list(activity.get("cc")), *_list(obj.get("to")), *_list(obj.get("cc"))]
    if any(a in PUBLIC for a in audience):
        return None
    if any(isinstance(a, str) and a.endswith("/followers") for a in audience):
        return "followers-only post, not public: left out"
    return "direct message, not public: left out"


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value] if value else []


@guarded
def map_item(activity: Any, line: int | None = None, fallback_account: str | None = None,
             actors: dict[str, str] | None = None) -> Post | Reject:
    """One activity. ``actors``: handles of actor URLs that do not hold the name (``actor.json``;
    servers such as Misskey name actors by an id)."""
    if isinstance(activity, str) and activity.startswith("http"):  # likes.json, bookmarks.json
        return Reject(f"a link to a post, not an activity ({activity[:200]}): likes and bookmarks are "
                      "not the account's posts", line)
    if not isinstance(activity, dict):
        return Reject("activity is not a JSON object", line)
    actors = actors or {}
    kind = activity.get("type")
    obj = activity.get("object")
    actor = activity.get("actor")
    actor_url = actor.get("id") if isinstance(actor, dict) else actor
    account = actors.get(actor_url) if isinstance(actor_url, str) else None
    account = account or account_from_url(actor_url) or fallback_account
    if kind == "Announce":
        target = obj.get("id") if isinstance(obj, dict) else obj
        aid = activity.get("id")
        if not aid or not isinstance(target, str):
            return Reject("boost (Announce) without an id or a boosted post", line)
        created = parse_time(activity.get("published"))
        if created is None:
            return Reject(f"boost {aid}: published {str(activity.get('published'))[:40]!r} is not a date", line)
        why = _public(activity, {})
        if why:
            return Reject(f"{why.replace('post', 'boost')} ({aid})", line)
        author = obj.get("attributedTo") if isinstance(obj, dict) else None
        parent = account_from_url(target) or account_from_url(author if isinstance(author, str) else None) or next(
            (a for a in map(account_from_url, _list(activity.get("cc"))) if a and a != account), None)
        return Post(post_id=str(aid), platform="mastodon", account=account, created_at=created, text=None,
                    kind="retweet", parent_id=target, parent_account=parent)
    if kind != "Create":
        return Reject(f"activity type {kind!r} is not a post (Create or Announce)", line)
    if not isinstance(obj, dict) or obj.get("type") not in _POST_TYPES:
        otype = obj.get("type") if isinstance(obj, dict) else type(obj).__name__
        return Reject(f"Create of {otype!r}, not a Note", line)
    pid = obj.get("id") or activity.get("id")
    if not pid:
        return Reject("note has no id", line)
    created = parse_time(obj.get("published") or activity.get("published"))
    if created is None:
        return Reject(f"note {pid}: published {str(obj.get('published'))[:40]!r} is not a date", line)
    why = _public(activity, obj)
    if why:
        return Reject(f"{why} ({pid})", line)
    author = obj.get("attributedTo")
    account = (actors.get(author) if isinstance(author, str) else None) or account_from_url(author) or account
    content = obj.get("content")
    content_map: dict = obj["contentMap"] if isinstance(obj.get("contentMap"), dict) else {}
    if not isinstance(content, str) and content_map:  # servers that send only the language map
        content = next(iter(content_map.values()))
    text, links = html_to_text(content)
    hashtags, mentions, mention_urls = [], [], {}
    for tag in _list(obj.get("tag")):
        if not isinstance(tag, dict):
            continue
        name = str(tag.get("name") or "")
        if tag.get("type") == "Hashtag":
            hashtags.append(name)
        elif tag.get("type") == "Mention":
            handle = name.lstrip("@")
            host = urlsplit(str(tag.get("href") or "")).hostname
            if "@" not in handle and host:
                handle = f"{handle}@{host}"
            mentions.append(handle.lower())
            if tag.get("href"):
                mention_urls[str(tag["href"]).rstrip("/")] = handle.lower()
    reply_to = obj.get("inReplyTo")
    reply_to = reply_to.get("id") if isinstance(reply_to, dict) else reply_to
    parent_account = None
    if isinstance(reply_to, str):
        parent_account = account_from_url(reply_to) or next(
            (h for u, h in mention_urls.items() if reply_to.startswith(u + "/")), None)
    langs = list(content_map.keys())
    attachments = [a for a in _list(obj.get("attachment")) if isinstance(a, dict)]
    kind = "reply" if reply_to else "original"
    parent_id = reply_to if isinstance(reply_to, str) else None
    references: list[tuple[str, str]] = []
    quoted = next((q for q in (obj.get(k) for k in _QUOTE_KEYS) if isinstance(q, str) and q), None)
    if quoted:  # a quote post; a quote that also replies keeps the reply as an extra edge
        if kind == "reply" and parent_account:
            references.append(("reply", parent_account))
        kind, parent_id, parent_account = "quote", quoted, account_from_url(quoted)
    return Post(
        post_id=str(pid), platform="mastodon", account=account, created_at=created, text=text,
        kind=kind, lang=langs[0] if len(langs) == 1 else None,
        parent_id=parent_id, parent_account=parent_account, references=references,
        likes=to_int((obj.get("likes") or {}).get("totalItems")) if isinstance(obj.get("likes"), dict) else None,
        reposts=to_int((obj.get("shares") or {}).get("totalItems")) if isinstance(obj.get("shares"), dict) else None,
        has_media=bool(attachments), hashtags=hashtags, mentions=mentions, urls=links,
        media=[str(a.get("url") or "") for a in attachments if a.get("url")],
    )

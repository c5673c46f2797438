"""X posts captured by Zeeschuimer (and exported from 4CAT) as NDJSON: one item per line,
``{"item_id", "timestamp_collected", "source_platform", ..., "data": {...}}`` where
``data`` is X's web GraphQL tweet.

Both item shapes are read: ``data`` is the tweet (``__typename`` "Tweet", or none), or it
wraps the tweet as ``data.tweet`` (``TweetWithVisibilityResults``). The author is
``core.user_results.result`` (``legacy.screen_name``; newer captures put it in ``core``);
the tweet's fields are in ``legacy`` (the v1.1 shape, mapped by :mod:`.v1`), long posts in
``note_tweet``, views in ``views.count``. Older captures of X's ``adaptive.json`` hold
``{"type": "adaptive", "legacy": {...}, "user": {...}}`` without ``rest_id``; 4CAT's NDJSON
download puts the item's ``data`` at the top level and Zeeschuimer's own fields under
``__import_meta``. Items from other platforms, promoted tweets (ads X placed in the
timeline) and unreadable tweets are rejected with that reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tiplens.importing import Reject
from tiplens.social.importers import v1
from tiplens.social.importers.base import Item, Post, ReadContext, guarded, json_keys, to_int
from tiplens.social.importers.jsondoc import iter_items

NAME = "zeeschuimer"
_X_HOSTS = ("twitter.com", "x.com")


def sniff(head: str, path: Path) -> bool:
    s = head.lstrip()
    if not s.startswith("{"):
        return False
    keys = json_keys(s[:200_000])
    return "source_platform" in keys or ("timestamp_collected" in keys and "item_id" in keys) or \
        ({"rest_id", "legacy", "core"} <= keys and "full_text" in keys) or "__import_meta" in keys


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    for line, obj in iter_items(path, ctx):
        yield line, obj if isinstance(obj, Reject) else map_item(obj, line)


def unwrap(node: Any) -> dict | None:
    """The tweet inside a result: ``{"result": ...}``, ``TweetWithVisibilityResults`` or a tweet
    (an ``adaptive`` item, which has ``legacy`` and ``user`` but no ``rest_id``, included)."""
    for _ in range(4):
        if not isinstance(node, dict):
            return None
        if "legacy" in node and ("rest_id" in node or node.get("type") == "adaptive"):
            return node
        node = node.get("result") or node.get("tweet")
    return None


def _user(tweet: dict) -> dict:
    if tweet.get("type") == "adaptive":  # the v1.1 user object beside 'legacy'
        user: dict = tweet["user"] if isinstance(tweet.get("user"), dict) else {}
        return {"screen_name": user.get("screen_name"), "name": user.get("name")}
    result = ((tweet.get("core") or {}).get("user_results") or {}).get("result") or {}
    if result.get("__typename") == "UserUnavailable" or not isinstance(result, dict):
        return {}
    legacy, core = result.get("legacy") or {}, result.get("core") or {}
    return {"screen_name": legacy.get("screen_name") or core.get("screen_name"),
            "name": legacy.get("name") or core.get("name")}


def as_v1(tweet: dict) -> dict:
    """The GraphQL tweet as a v1.1 tweet: ``legacy`` plus the user, the whole long text,
    and the retweeted / quoted tweets converted the same way."""
    legacy = dict(tweet.get("legacy") or {})
    legacy.setdefault("id_str", tweet.get("rest_id"))
    user = _user(tweet)
    if user.get("screen_name"):
        legacy["user"] = user
    note = ((tweet.get("note_tweet") or {}).get("note_tweet_results") or {}).get("result") or {}
    if isinstance(note.get("text"), str):
        legacy["full_text"] = note["text"]
        es = note.get("entity_set") or {}
        if es:
            legacy["entities"] = {**(legacy.get("entities") or {}), **{k: v for k, v in es.items() if v}}
    rs = unwrap(legacy.pop("retweeted_status_result", None))
    if rs:
        legacy["retweeted_status"] = as_v1(rs)
    qs = unwrap(tweet.get("quoted_status_result") or legacy.pop("quoted_status_result", None))
    if qs:
        legacy["quoted_status"] = as_v1(qs)
    return legacy


@guarded
def map_item(item: Any, line: int | None = None) -> Post | Reject:
    if not isinstance(item, dict):
        return Reject("line is not a JSON object", line)
    meta: dict = item["__import_meta"] if isinstance(item.get("__import_meta"), dict) else item
    platform = str(meta.get("source_platform") or "twitter.com").lower()
    if not any(platform == h or platform.endswith("." + h) for h in _X_HOSTS):
        return Reject(f"Zeeschuimer item from {platform}: only X/Twitter items are read", line)
    data = item.get("data", item)
    tweet = unwrap(data)
    if tweet is None:
        typename = (data or {}).get("__typename") if isinstance(data, dict) else None
        why = f" ({typename})" if typename else ""
        return Reject(f"item {meta.get('item_id', '')} holds no readable tweet{why}".replace("  ", " "), line)
    if isinstance(data, dict) and data.get("promoted") is True:
        return Reject(f"promoted tweet {tweet.get('rest_id') or data.get('id')} (an ad X placed in the timeline, "
                      "not part of what was captured): left out", line)
    post = v1.map_item(as_v1(tweet), line)
    if isinstance(post, Post):
        views = (tweet.get("views") or {}).get("count")
        post.views = to_int(views)
    return post

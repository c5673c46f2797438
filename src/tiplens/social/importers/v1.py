"""Twitter API v1.1 tweets: a JSON array, one object (a search response's ``statuses``
or a premium search's ``results`` too), or JSON Lines as twarc 1 and stream collectors
write them.

Ids come from ``id_str``, never the numeric ``id`` (JavaScript tools round it above
2^53). The text is ``extended_tweet.full_text``, ``full_text`` or ``text``; a retweet
gets the complete text of the original (its own is cut at 140 characters). The same
mapping serves the X archive (``archive=True``) and Zeeschuimer's ``legacy`` objects.
"""

from __future__ import annotations

import re
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
from tiplens.social.importers.jsondoc import iter_items

NAME = "v1"
_STREAM_NOTICES = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
                   "warning", "friends", "event", "control")
_STATUS_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,30})/status(?:es)?/(\d+)", re.I)
_RT = re.compile(r"^RT @(\w{1,30}):")


def sniff(head: str, path: Path) -> bool:
    s = head.lstrip()
    if not s.startswith(("[", "{")):
        return False
    keys = json_keys(s)
    if keys & {"rest_id", "__typename", "source_platform", "author_id", "public_metrics", "tweet", "noteTweet"}:
        return False
    # screen_name, or (tweets collected with trim_user, whose user is only an id) the counts
    return "id_str" in keys and "user" in keys and bool(keys & {"text", "full_text"}) and \
        bool(keys & {"screen_name", "favorite_count", "retweet_count"})


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    nameless = 0
    for line, obj in iter_items(path, ctx, ("statuses", "results")):
        item = obj if isinstance(obj, Reject) else map_item(obj, line, account=ctx.account)
        if isinstance(item, Post) and item.account is None:
            nameless += 1
        yield line, item
    if nameless:  # collected with trim_user: the user object holds only the id
        ctx.note(f"{nameless:,} tweet(s) name their author by id only (no user.screen_name): "
                 "they have no account; pass --account HANDLE if the file holds one account's tweets")


def tweet_id(obj: dict, key: str = "id") -> str | None:
    """``<key>_str``, else ``<key>`` when it is a string or a number small enough to be exact."""
    s = obj.get(key + "_str")
    if s not in (None, ""):
        return str(s).strip()
    v = obj.get(key)
    if isinstance(v, str) and v.strip().isdigit():
        return v.strip()
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**53:
        return str(v)
    return None


def _text(t: dict) -> str | None:
    ext = as_dict(t.get("extended_tweet"))
    return ext.get("full_text") or t.get("full_text") or t.get("text")


def _unescape(text: str | None) -> str | None:
    """v1.1 text escapes exactly these three characters."""
    if not isinstance(text, str):
        return None
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _entities(t: dict) -> tuple[dict, list]:
    ext = as_dict(t.get("extended_tweet"))
    ent = as_dict(ext.get("entities") or t.get("entities"))
    media = as_dict(ext.get("extended_entities") or t.get("extended_entities")).get("media") or ent.get("media")
    return ent, (media if isinstance(media, list) else [])


def _screen_name(t: dict | None) -> str | None:
    user = (t or {}).get("user")
    return user.get("screen_name") if isinstance(user, dict) else None


@guarded
def map_item(tweet: Any, line: int | None = None, *, account: str | None = None, archive: bool = False) -> Post | Reject:
    """One v1.1 tweet. ``archive``: X archive rules (no ``retweeted_status``: a retweet is
    known by its "RT @user:" text, a quote by the status link it carries)."""
    if not isinstance(tweet, dict):
        return Reject("item is not a JSON object", line)
    for notice in _STREAM_NOTICES:
        if notice in tweet and "id_str" not in tweet:
            return Reject(f"stream message {notice!r}, not a tweet", line)
    tid = tweet_id(tweet)
    if tid is None:
        if isinstance(tweet.get("id"), int):
            return Reject(f"tweet has no id_str and its numeric id {tweet['id']} may have lost precision", line)
        return Reject("tweet has no id", line)
    if not tweet.get("created_at"):
        return Reject(f"tweet {tid} has no created_at", line)
    created = parse_time(tweet.get("created_at"))
    if created is None:
        return Reject(f"tweet {tid}: created_at {str(tweet.get('created_at'))[:40]!r} is not a date", line)

    text = _unescape(_text(tweet))
    ent, media = _entities(tweet)
    extra_ent: list[dict] = []
    links: list[tuple[str, str | None, str | None]] = []  # (kind, parent id, parent account)
    rs = tweet.get("retweeted_status")
    if isinstance(rs, dict):
        parent = _screen_name(rs)
        links.append(("retweet", tweet_id(rs), parent))
        full = _unescape(_text(rs))
        if full and parent:
            text = f"RT @{parent}: {full}"
        rs_ent, rs_media = _entities(rs)
        extra_ent.append(rs_ent)
        media = media or rs_media
    elif (rs_id := tweet_id(tweet, "retweeted_status_id")) or archive:
        # the retweeted tweet named by id only (X's adaptive.json), or not at all (the archive):
        # its author is the one the "RT @user:" text names
        m = _RT.match(text) if isinstance(text, str) else None
        if rs_id or m:
            links.append(("retweet", rs_id, m.group(1) if m else None))
    # a retweet of a quote repeats the retweeted tweet's quote at its top level: that quote is not the retweeter's
    qs = tweet.get("quoted_status") if not isinstance(rs, dict) else None
    qid = (tweet_id(tweet, "quoted_status_id") if not isinstance(rs, dict) else None) or (
        tweet_id(qs) if isinstance(qs, dict) else None)
    if qid or isinstance(qs, dict):
        qacc = _screen_name(qs) if isinstance(qs, dict) else None
        permalink = (tweet.get("quoted_status_permalink") or {}).get("expanded") or ""
        if not qacc and (pm := _STATUS_URL.match(permalink)):
            qacc = pm.group(1)
        links.append(("quote", qid, qacc))
    elif archive and not links:
        for u in reversed(ent.get("urls") or []):
            um = _STATUS_URL.match((u or {}).get("expanded_url") or "") if isinstance(u, dict) else None
            if um and um.group(1).lower() != "i" and um.group(2) != tid:
                links.append(("quote", um.group(2), um.group(1)))
                break
    rid = tweet_id(tweet, "in_reply_to_status_id")
    if rid:
        links.append(("reply", rid, tweet.get("in_reply_to_screen_name")))

    kind, parent_id, parent_account = "original", None, None
    references: list[tuple[str, str]] = []
    for lkind, lid, lacc in links:
        if kind == "original":
            kind, parent_id, parent_account = lkind, lid, lacc
        elif lacc:
            references.append((lkind, lacc))

    user = as_dict(tweet.get("user"))
    handle = user.get("screen_name") or account
    hashtags, mentions, urls = [], [], []
    for e in (ent, *extra_ent):
        hashtags += [h.get("text") or h.get("tag") or "" for h in e.get("hashtags") or [] if isinstance(h, dict)]
        mentions += [m.get("screen_name") or "" for m in e.get("user_mentions") or [] if isinstance(m, dict)]
        urls += [u.get("expanded_url") or u.get("url") or "" for u in e.get("urls") or [] if isinstance(u, dict)]
    media_ids = [str(m.get("media_url_https") or m.get("media_url") or m.get("id_str") or "")
                 for m in media if isinstance(m, dict)]
    return Post(
        post_id=tid,
        platform="twitter",
        account=handle.lower() if handle else None,
        account_name=user.get("name"),
        created_at=created,
        text=text,
        kind=kind,
        lang=tweet.get("lang"),
        parent_id=parent_id,
        parent_account=parent_account,
        likes=to_int(tweet.get("favorite_count")),
        reposts=to_int(tweet.get("retweet_count")),
        replies=to_int(tweet.get("reply_count")) if "reply_count" in tweet else None,
        quotes=to_int(tweet.get("quote_count")) if "quote_count" in tweet else None,
        has_media=bool(media_ids),
        hashtags=hashtags,
        mentions=mentions,
        urls=[u for u in urls if u and "/i/web/status/" not in u],
        media=[m for m in media_ids if m],
        references=references,
    )

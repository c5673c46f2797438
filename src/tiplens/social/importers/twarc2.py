"""Twitter API v2 as written by twarc2: response pages (``data``, ``includes``, ``meta``,
``errors``) one per line, or twarc2's flattened form (one tweet per line, ``author`` inline).

Only collected tweets (``data``) are posts; ``includes`` resolve authors and the tweets
they reference. Every tweet in a page carries the page's line number.
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
    guarded,
    iter_json_lines,
    json_keys,
    parse_time,
    to_int,
)

NAME = "twarc2"
_KIND = {"retweeted": "retweet", "quoted": "quote", "replied_to": "reply"}
_PRIORITY = ("retweeted", "quoted", "replied_to")


def sniff(head: str, path: Path) -> bool:
    first = head.lstrip()
    if not first.startswith("{"):
        return False
    # keys anywhere in the head: a page's 'includes' and 'meta' follow all its tweets, and a
    # tweet's context_annotations can fill the first kilobytes before 'author_id'
    keys = json_keys(first)
    if keys & {"source_platform", "rest_id", "__typename", "id_str", "__import_meta"}:
        return False  # Zeeschuimer/GraphQL items and v1.1 tweets carry these; API v2 objects never do
    page = "data" in keys and bool(keys & {"includes", "meta", "__twarc"})
    flat = "author_id" in keys and bool(keys & {"__twarc", "public_metrics", "author_user", "edit_history_tweet_ids"})
    return page or flat


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    return read_parsed(iter_json_lines(path, ctx.encoding), ctx)


def read_parsed(parsed: Iterator[tuple[int, Any]], ctx: ReadContext) -> Iterator[Item]:
    """Map already-parsed JSON lines; lets the driver split a large file across processes."""
    for line, obj in parsed:
        if isinstance(obj, Reject):
            yield line, obj
            continue
        if not isinstance(obj, dict):
            yield line, Reject("line is not a JSON object", line)
            continue
        if "data" in obj:
            data = obj["data"]
            if isinstance(data, dict):  # a single-tweet lookup response
                data = [data]
            if not isinstance(data, list):
                yield line, Reject("'data' is not a list of tweets", line)
                continue
            users, tweets = _includes(obj.get("includes") or {})
            for tweet in data:
                yield line, map_item(tweet, users, tweets, line)
        elif "id" in obj and ("text" in obj or "author_id" in obj):
            # twarc2's flattened form (author, in_reply_to_user and referenced tweets inline) and
            # 4CAT's API v2 NDJSON (the same with author_user)
            users = {}
            for user in (_author(obj), obj.get("in_reply_to_user")):
                if isinstance(user, dict):
                    users[str(user.get("id"))] = user
            tweets = {}
            for ref in obj.get("referenced_tweets") or []:
                if isinstance(ref, dict) and ref.get("id"):
                    tweets[str(ref["id"])] = ref
                    ref_author = _author(ref)
                    if ref_author is not None:
                        users[str(ref_author.get("id"))] = ref_author
            yield line, map_item(obj, users, tweets, line)
        elif "errors" in obj or "meta" in obj:
            continue  # a page that collected nothing: no item to account for
        else:
            yield line, Reject("JSON object is neither a twarc2 page nor a tweet", line)


def _includes(inc: dict) -> tuple[dict[str, dict], dict[str, dict]]:
    users = {str(u.get("id")): u for u in inc.get("users") or [] if isinstance(u, dict)}
    tweets = {str(t.get("id")): t for t in inc.get("tweets") or [] if isinstance(t, dict)}
    return users, tweets


@guarded
def map_item(tweet: Any, users: dict[str, dict], tweets: dict[str, dict], line: int | None = None) -> Post | Reject:
    if not isinstance(tweet, dict):
        return Reject("tweet is not a JSON object", line)
    if "text" not in tweet and "note_tweet" not in tweet:  # what other twarc2 commands write
        if "username" in tweet:
            return Reject(f"a user account, not a tweet (@{tweet['username']}; twarc2 users/followers output?)", line)
        if "tweet_count" in tweet:
            return Reject("a tweet count, not a tweet (twarc2 counts output?)", line)
    if "resource_id" in tweet and ("detail" in tweet or "title" in tweet):  # 4CAT's item for a failed lookup
        return Reject(f"API error for {tweet.get('resource_type') or 'item'} {tweet['resource_id']}: "
                      f"{str(tweet.get('detail') or tweet.get('title'))[:120]}", line)
    tid = tweet.get("id")
    if tid is None or str(tid).strip() == "":
        return Reject("tweet has no id", line)
    created = parse_time(tweet.get("created_at"))
    if tweet.get("created_at") and created is None:
        return Reject(f"tweet {tid}: created_at {tweet.get('created_at')!r} is not a date", line)
    author = users.get(str(tweet.get("author_id"))) or _author(tweet) or {}
    refs = {r.get("type"): str(r.get("id")) for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)}
    kind, parent_id, parent_account = "original", None, None
    references: list[tuple[str, str]] = []
    for rtype in _PRIORITY:
        if rtype in refs:
            ref_author = _ref_author(refs[rtype], tweets, users)
            if kind == "original":
                kind, parent_id, parent_account = _KIND[rtype], refs[rtype], ref_author
            elif ref_author:
                references.append((_KIND[rtype], ref_author))
    if kind == "reply" and not parent_account:
        parent_account = (users.get(str(tweet.get("in_reply_to_user_id"))) or {}).get("username")
    ent = tweet.get("entities") or {}
    metrics = tweet.get("public_metrics") or {}
    text = tweet.get("text")
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and note.get("text"):
        text = note["text"]
    if kind == "retweet" and not parent_account and isinstance(text, str) and text.startswith("RT @"):
        parent_account = text[4:].split(":", 1)[0].strip()
    retweeted = tweets.get(str(parent_id)) if kind == "retweet" else None
    original: dict = retweeted if isinstance(retweeted, dict) else {}
    full = _text_of(original)
    if full and parent_account:  # the API cuts a retweet's own text at 140 characters
        text = f"RT @{parent_account}: {full}"
    media_keys = (tweet.get("attachments") or {}).get("media_keys") or []
    hashtags, mentions, urls = _entity_lists(ent)
    post = Post(
        post_id=str(tid),
        platform="twitter",
        account=(author.get("username") or "").lower() or None,
        account_name=author.get("name"),
        created_at=created,
        text=text,
        kind=kind,
        lang=tweet.get("lang"),
        parent_id=parent_id,
        parent_account=parent_account,
        likes=to_int(metrics.get("like_count")),
        reposts=to_int(metrics.get("retweet_count")),
        replies=to_int(metrics.get("reply_count")),
        quotes=to_int(metrics.get("quote_count")),
        views=to_int(metrics.get("impression_count")) if "impression_count" in metrics else None,
        has_media=bool(media_keys),
        hashtags=hashtags,
        mentions=mentions,
        urls=urls,
        media=[str(k) for k in media_keys],
        references=references,
    )
    if "entities" not in tweet:
        post.fill_entities_from_text()
    if original:  # the retweeted tweet's entities, for the part of its text the cut dropped
        hashtags, mentions, urls = _entity_lists(original["entities"] if isinstance(original.get("entities"), dict) else {})
        post.hashtags += hashtags
        post.mentions += mentions
        post.urls += urls
    return post


def _entity_lists(ent: dict) -> tuple[list, list, list]:
    """A tweet's ``entities`` as its hashtags, mentions and links (entries that are not objects left out)."""
    return ([h.get("tag", "") for h in ent.get("hashtags") or [] if isinstance(h, dict)],
            [m.get("username", "") for m in ent.get("mentions") or [] if isinstance(m, dict)],
            [u.get("expanded_url") or u.get("url", "") for u in ent.get("urls") or [] if isinstance(u, dict)])


def _text_of(tweet: dict) -> str | None:
    """A tweet's whole text: ``note_tweet.text`` for a long post, else ``text`` (None when neither)."""
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and note.get("text"):
        return note["text"] if isinstance(note["text"], str) else None
    text = tweet.get("text")
    return text if isinstance(text, str) and text else None


def _author(tweet: dict) -> dict | None:
    """The inline author: ``author`` (twarc2 flattened) or ``author_user`` (4CAT)."""
    for key in ("author", "author_user"):
        if isinstance(tweet.get(key), dict):
            return tweet[key]
    return None


def _ref_author(ref_id: str, tweets: dict[str, dict], users: dict[str, dict]) -> str | None:
    ref = tweets.get(ref_id) or {}
    author = _author(ref) or users.get(str(ref.get("author_id")))
    return (author or {}).get("username")

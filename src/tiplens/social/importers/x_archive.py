"""The X (Twitter) personal archive: ``data/tweets.js`` (also ``tweet.js``,
``tweets-part1.js``, ``deleted-tweets.js``) and ``note-tweet.js`` for long posts; and the
archive X gave before 2019, one ``data/js/tweets/YYYY_MM.js`` per month
(``Grailbird.data.tweets_YYYY_MM = [...]``, tweets with their user object and no counts).

Each file is JavaScript: ``window.YTD.<name>.partN = [ ... ]`` (a plain JSON array is
read too) of ``{"tweet": {...}}`` objects in the v1.1 shape, with counts stored as
strings and no user object. The account comes from ``--account``, else from
``account.js`` (or ``manifest.js``) beside the file. A long post is stored twice: cut to
280 characters in tweets.js and whole in note-tweet.js under another id; the two are
matched by time and opening text, so whichever file is read, the post gets its whole
text and the tweet's id and counts. Tweets listed in ``twitter-circle-tweet.js`` were
shared with a circle, not in public, and are left out with a reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tiplens.importing import Reject
from tiplens.social.importers import v1
from tiplens.social.importers.base import Item, Post, ReadContext, as_dict, parse_time
from tiplens.social.importers.jsondoc import iter_document, read_text

NAME = "x-archive"
_YTD = re.compile(r"\A\s*window\.YTD\.(\w+)\.part\d+\s*=")
_MANIFEST = re.compile(r"\A\s*window\.__THAR_CONFIG\s*=")  # data/manifest.js: the list of the archive's files
_GRAILBIRD = re.compile(r"\A\s*Grailbird\.data\.tweets_\d{4}_\d{2}\s*=")  # the pre-2019 archive's monthly files
_PLAIN = re.compile(r'\A\s*\[\s*\{\s*"(tweet|noteTweet)"\s*:')
_TWEET_FILES = {"tweets", "tweet", "deleted_tweets", "deleted_tweet", "community_tweet"}
_NOTE_FILES = {"note_tweet", "note_tweets"}
_CIRCLE_FILES = {"twitter_circle_tweet"}
_ID_STR = re.compile(r'"id_str"\s*:\s*"(\d+)"')
_NOISE = re.compile(r"https?://\S+|[\u2026]|\s+")


def sniff(head: str, path: Path) -> bool:
    return bool(_YTD.match(head) or _PLAIN.match(head) or _GRAILBIRD.match(head) or _MANIFEST.match(head))


@dataclass
class _Note:
    note_id: str
    created: datetime | None
    text: str
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    tweet_id: str | None = None


def _key(text: str | None) -> str:
    """Opening words for matching a cut tweet to its note: no links, no ellipsis, no spacing."""
    return _NOISE.sub("", (v1._unescape(text) or ""))[:60]


def _note(obj: Any) -> _Note | None:
    nt = obj.get("noteTweet") if isinstance(obj, dict) else None
    if not isinstance(nt, dict):
        return None
    core = nt.get("core") or nt.get("noteTweetResults") or {}
    text = core.get("text")
    if not nt.get("noteTweetId") or not isinstance(text, str):
        return None
    ents = core.get("entitySet") or core
    return _Note(
        note_id=str(nt["noteTweetId"]), created=parse_time(nt.get("createdAt") or nt.get("updatedAt")), text=text,
        hashtags=[h.get("text") or h.get("tag") or "" for h in ents.get("hashtags") or [] if isinstance(h, dict)],
        mentions=[m.get("screenName") or m.get("screen_name") or "" for m in
                  ents.get("mentions") or ents.get("userMentions") or [] if isinstance(m, dict)],
        urls=[u.get("expandedUrl") or u.get("expanded_url") or "" for u in ents.get("urls") or [] if isinstance(u, dict)],
        tweet_id=str(nt["tweetId"]) if nt.get("tweetId") else None,
    )


def _ytd_name(text: str, path: Path) -> str:
    m = _YTD.match(text)
    if m:
        return m.group(1).lower()
    if _GRAILBIRD.match(text):
        return "grailbird"
    if _MANIFEST.match(text):
        return "manifest"
    first = _PLAIN.match(text)
    return "note_tweet" if first and first.group(1) == "noteTweet" else "tweets"


def _beside(folder: Path, stem: str) -> list[Path]:
    return sorted(p for p in folder.glob(f"{stem}*.js") if re.fullmatch(rf"{stem}(-part\d+)?\.js", p.name))


def _items(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    yield from iter_document(read_text(path, ReadContext(file=path, encoding=ctx.encoding)))


def _archive_account(folder: Path, ctx: ReadContext) -> tuple[str | None, str | None]:
    for path in _beside(folder, "account"):
        for _, obj in _items(path, ctx):
            acc = obj.get("account") if isinstance(obj, dict) else None
            if isinstance(acc, dict) and acc.get("username"):
                return acc["username"], acc.get("accountDisplayName")
    for path in _beside(folder, "manifest"):
        for _, obj in _items(path, ctx):
            info = obj.get("userInfo") if isinstance(obj, dict) else None
            if isinstance(info, dict) and info.get("userName"):
                return info["userName"], info.get("displayName")
    return None, None


class _Matcher:
    """Pairs cut tweets with their whole note: same id when given, else same time and opening."""

    def __init__(self, entries: list[tuple[str | None, datetime | None, str, Any]]) -> None:
        self.by_id = {e[0]: e[3] for e in entries if e[0]}
        self.by_time: dict[datetime, list[tuple[str, Any]]] = {}
        for _, when, text, payload in entries:
            if when is not None:
                self.by_time.setdefault(when.replace(microsecond=0), []).append((_key(text), payload))

    def find(self, ident: str | None, when: datetime | None, text: str | None, *, note_side: bool) -> Any:
        if ident and ident in self.by_id:
            return self.by_id[ident]
        if when is None:
            return None
        key = _key(text)
        for delta in (0, -1, 1, -2, 2):
            for other, payload in self.by_time.get(when.replace(microsecond=0) + timedelta(seconds=delta), []):
                short, long_ = (other, key) if note_side else (key, other)
                if short and long_.startswith(short[: max(10, len(short) - 2)]):
                    return payload
        return None


def _merge(post: Post, note: _Note) -> Post:
    post.text = note.text
    post.hashtags = list(dict.fromkeys([*note.hashtags, *post.hashtags]))
    post.mentions = list(dict.fromkeys([*note.mentions, *post.mentions]))
    post.urls = list(dict.fromkeys([*note.urls, *post.urls]))
    return post


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    text = read_text(path, ctx)
    name = _ytd_name(text, path)
    if name in _CIRCLE_FILES:
        for line, obj in iter_document(text):
            yield line, obj if isinstance(obj, Reject) else Reject(
                "Twitter Circle tweet (shared with a circle, not in public): left out", line)
        return
    if name == "grailbird":  # tweets with their user object, as the API gave them, and no counts
        for line, obj in iter_document(text):
            yield line, obj if isinstance(obj, Reject) else v1.map_item(obj, line, account=ctx.account, archive=True)
        return
    if name not in _TWEET_FILES | _NOTE_FILES:
        count = sum(1 for _ in iter_document(text))
        yield 1, Reject(f"X archive file {name!r} ({count:,} items) holds no posts: "
                        "read tweets.js and note-tweet.js")
        return
    account, account_name = (ctx.account, None) if ctx.account else _archive_account(path.parent, ctx)
    if not account:
        ctx.note("the archive does not name its account (no account.js beside it): "
                 "posts have no account; pass --account HANDLE")
    if name in _NOTE_FILES:
        yield from _read_notes(text, path, ctx, account, account_name)
        return
    notes = [n for p in _beside(path.parent, "note-tweet") for _, o in _items(p, ctx) if (n := _note(o))]
    matcher = _Matcher([(n.tweet_id, n.created, n.text, n) for n in notes])
    circle = {v1.tweet_id(o.get("tweet", o)) for p in _beside(path.parent, "twitter-circle-tweet")
              for _, o in _items(p, ctx) if isinstance(o, dict)}
    if notes:
        ctx.note(f"long posts completed from {len(notes):,} note tweet(s) beside the file")
    # the ids in the file, searched only when a post names versions of an edit
    in_file = functools.cache(lambda: set(_ID_STR.findall(text)))
    for line, obj in iter_document(text):
        yield line, _tweet(obj, line, account, account_name, matcher, circle, in_file)


def _last_version(tweet: dict) -> str | None:
    """The id of the last version of an edited post (``edit_info``), None when never edited."""
    info = as_dict(tweet.get("edit_info"))
    control = as_dict(info.get("initial")) or as_dict(as_dict(info.get("edit")).get("editControlInitial"))
    ids = control.get("editTweetIds")
    versions = [str(v) for v in ids if v] if isinstance(ids, list) else []
    return versions[-1] if len(set(versions)) > 1 else None


def _tweet(obj: Any, line: int, account: str | None, account_name: str | None, matcher: _Matcher,
           circle: set[str | None], in_file: Callable[[], set[str]]) -> Post | Reject:
    if isinstance(obj, Reject):
        return obj
    tweet = obj.get("tweet", obj) if isinstance(obj, dict) else obj
    post = v1.map_item(tweet, line, account=account, archive=True)
    if isinstance(post, Reject):
        return post
    if post.post_id in circle:
        return Reject("Twitter Circle tweet (shared with a circle, not in public): left out", line)
    last = _last_version(tweet)
    if last and last != post.post_id and last in in_file():  # each version of an edited post is in the file
        return Reject(f"an earlier version of edited post {last} (the last version is imported): left out", line)
    post.account_name = post.account_name or account_name
    note = matcher.find(post.post_id, post.created_at, post.text, note_side=False) if matcher.by_time or matcher.by_id else None
    return _merge(post, note) if note else post


def _read_notes(text: str, path: Path, ctx: ReadContext, account: str | None,
                account_name: str | None) -> Iterator[Item]:
    tweets: list[tuple[str | None, datetime | None, str, Any]] = []
    for tpath in _beside(path.parent, "tweets") + _beside(path.parent, "tweet"):
        for tline, tobj in _items(tpath, ctx):
            t = as_dict(tobj).get("tweet", tobj)
            if isinstance(t, dict):
                tweets.append((v1.tweet_id(t), parse_time(t.get("created_at")), t.get("full_text") or "", (tline, t)))
    matcher = _Matcher([(None, when, txt, payload) for _, when, txt, payload in tweets])
    matcher.by_id = {tid: payload for tid, _, _, payload in tweets if tid}
    if tweets:
        ctx.note("note tweets matched to their tweet in tweets.js beside the file")
    for line, obj in iter_document(text):
        if isinstance(obj, Reject):
            yield line, obj
            continue
        note = _note(obj)
        if note is None:
            yield line, Reject("not a note tweet (needs noteTweet.noteTweetId and core.text)", line)
            continue
        found = matcher.find(note.tweet_id, note.created, note.text, note_side=True) if tweets else None
        if found is not None:
            tline, tweet = found
            post = v1.map_item(tweet, tline, account=account, archive=True)
            yield line, _merge(post, note) if isinstance(post, Post) else post
            continue
        if note.created is None:
            yield line, Reject(f"note tweet {note.note_id} has no readable createdAt", line)
            continue
        post = Post(post_id=note.note_id, platform="twitter", account=account.lower() if account else None,
                    account_name=account_name, created_at=note.created, text=note.text, has_media=None)
        yield line, _merge(post, note)

"""The contract every social importer follows.

A format module defines ``NAME``, ``sniff(head, path) -> bool`` (recognise the format
from the first bytes of content) and ``read(path, ctx) -> Iterator[Item]``, where each
yielded item is one raw source item turned by the module's ``map_item`` into a
:class:`Post` or a :class:`~tiplens.importing.Reject`, with its line number.
"""

from __future__ import annotations

import codecs
import functools
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from tiplens.importing import Reject
from tiplens.social.entities import hashtags_in, mentions_in, norm_handle, norm_hashtag, urls_in


@dataclass
class Post:
    post_id: str
    platform: str
    account: str | None
    created_at: datetime | None
    text: str | None
    kind: str = "original"  # original | reply | retweet | quote
    account_name: str | None = None
    lang: str | None = None
    parent_id: str | None = None
    parent_account: str | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None
    has_media: bool | None = None
    hashtags: list[str] = field(default_factory=list)  # raw tags, with or without '#'
    mentions: list[str] = field(default_factory=list)  # raw handles, with or without '@'
    urls: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # (kind, account) beyond the parent

    def type_problem(self) -> str | None:
        """Why this post cannot be stored (a field of the wrong type, from a source whose
        values had an unexpected form), or None. Runs once per imported post: plain loops."""
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                return f"{name} is a {type(value).__name__}, not text"
        for name in _COUNT_FIELDS:
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                return f"{name} is a {type(value).__name__}, not a whole number"
        for name in _LIST_FIELDS:
            for value in getattr(self, name):
                if not isinstance(value, str):
                    return f"{name} holds a {type(value).__name__}, not text"
        return None

    def fill_entities_from_text(self) -> None:
        """For sources that do not list entities: find them in the text."""
        if not self.hashtags:
            self.hashtags = hashtags_in(self.text)
        if not self.mentions:
            self.mentions = mentions_in(self.text)
        if not self.urls:
            self.urls = urls_in(self.text)

    def entity_rows(self) -> list[tuple[str, str, str]]:
        """(kind, value, raw), hashtags counted once per post."""
        rows: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for kind, raws, norm in (
            ("hashtag", self.hashtags, norm_hashtag),
            ("mention", self.mentions, norm_handle),
            ("url", self.urls, lambda u: u),
            ("media", self.media, lambda u: u),
        ):
            for raw in raws:
                value = norm(raw)
                if value and (kind, value) not in seen:
                    seen.add((kind, value))
                    rows.append((kind, value, raw))
        return rows

    def interaction_rows(self) -> list[tuple[str, str]]:
        """(target_account, kind) edges from this post's account."""
        src = self.account
        edges: list[tuple[str, str]] = []
        if self.parent_account and self.kind in ("reply", "retweet", "quote"):
            target = norm_handle(self.parent_account)
            if target:
                edges.append((target, self.kind))
        for kind, account in self.references:
            target = norm_handle(account)
            if target and (target, kind) not in edges:
                edges.append((target, kind))
        seen = {t for t, k in edges if k == "retweet"}
        for raw in self.mentions:
            target = norm_handle(raw)
            if not target or target == src:
                continue
            # a retweet's "RT @x" mention is the retweet edge itself, not a separate mention
            if self.kind == "retweet" and target in seen:
                continue
            if (target, "mention") not in edges:
                edges.append((target, "mention"))
        return edges


Item = tuple[int | None, "Post | Reject"]
_TEXT_FIELDS = ("post_id", "platform", "account", "text", "kind", "account_name", "lang", "parent_id",
                "parent_account")
_COUNT_FIELDS = ("likes", "reposts", "replies", "quotes", "views")
_LIST_FIELDS = ("hashtags", "mentions", "urls", "media")


_JSON_KEY = re.compile(r'"(\w+)"\s*:')


def json_keys(text: str) -> set[str]:
    """The object keys (word characters only) written in a piece of JSON text, for sniffing a
    format from the first bytes of a file without parsing them."""
    return set(_JSON_KEY.findall(text))


def guarded(map_item: Callable[..., Post | Reject]) -> Callable[..., Post | Reject]:
    """Wrap a format's mapping function (one with a ``line`` parameter) so that an item whose
    values have an unexpected type or form (a number where text belongs, a string where an object
    belongs) becomes a Reject with its line and reason instead of stopping the file. The fields
    of the posts that come out are checked by the driver (:meth:`Post.type_problem`)."""
    signature = inspect.signature(map_item)

    @functools.wraps(map_item)
    def wrapper(*args: Any, **kwargs: Any) -> Post | Reject:
        try:
            return map_item(*args, **kwargs)
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            line = signature.bind(*args, **kwargs).arguments.get("line")
            return Reject(f"item not imported: a value of an unexpected type or form ({type(exc).__name__}: {exc})",
                          line)

    return wrapper


@dataclass
class ReadContext:
    file: Path
    encoding: str | None = None
    account: str | None = None  # --account for files without an account column
    mapping: dict[str, str] = field(default_factory=dict)  # --map SOURCE=FIELD
    notes: list[str] = field(default_factory=list)  # what the reader wants the user to know about the file

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def as_dict(value: object) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (exports leave parts out)."""
    return value if isinstance(value, dict) else {}


def to_int(value: object) -> int | None:
    """Counts arrive as ints, strings ("12"), floats ("12.0") or blanks; blank is missing."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        f = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return int(f) if f == f else None


_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y-%m-%d", "%a %b %d %H:%M:%S %z %Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%d %b %Y %H:%M", "%d %b %Y", "%b %d, %Y %I:%M %p", "%b %d, %Y", "%d-%m-%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
)


_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                       "Nov", "Dec"), start=1)}


def _twitter_time(s: str) -> datetime | None:
    """Fast path for Twitter's "Tue Apr 07 22:41:21 +0000 2020" (strptime is slow)."""
    parts = s.split()
    if len(parts) != 6 or parts[1] not in _MONTHS or len(parts[4]) != 5 or parts[4][0] not in "+-":
        return None
    try:
        hh, mm, ss = (int(x) for x in parts[3].split(":"))
        dt = datetime(int(parts[5]), _MONTHS[parts[1]], int(parts[2]), hh, mm, ss)
        sign = 1 if parts[4][0] == "+" else -1
        offset = sign * (int(parts[4][1:3]) * 60 + int(parts[4][3:5]))
    except ValueError:
        return None
    return dt - timedelta(minutes=offset)


def parse_time(value: object) -> datetime | None:
    """Parse the date forms exports use into naive UTC. Returns None when it cannot."""
    if value is None or value == "":
        return None
    dt: datetime | None
    if type(value) is str and len(value) == 24 and value[-1] == "Z" and value[10] == "T":
        try:  # the API v2 form, by far the most common: 2021-09-22T16:37:29.000Z
            dt = datetime.fromisoformat(value[:-1])
            return dt if 1990 <= dt.year <= 2100 else None
        except ValueError:
            pass
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        x = float(value)
        if x > 1e11:  # milliseconds
            x /= 1000.0
        try:
            return datetime.fromtimestamp(x, UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    else:
        s = str(value).strip()
        if s.isdigit() and len(s) in (10, 13):
            return parse_time(int(s))
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        dt = _twitter_time(s) if s[:1].isalpha() else None
        if dt is not None:
            return dt if 1990 <= dt.year <= 2100 else None
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            for fmt in _FORMATS:
                try:
                    dt = datetime.strptime(s, fmt)
                    break
                except ValueError:
                    continue
            if dt is None:
                try:
                    dt = parsedate_to_datetime(s)
                except (TypeError, ValueError, IndexError):
                    return None
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    if not (1990 <= dt.year <= 2100):
        return None
    return dt


def is_utf8(encoding: str | None) -> bool:
    """True when ``encoding`` (None: the default) reads bytes as UTF-8, whatever its spelling."""
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def iter_json_lines(path: Path, encoding: str | None = None, start: int = 0, end: int | None = None,
                    first_line: int = 1) -> Iterator[tuple[int, object | Reject]]:
    """Yield (line number, parsed JSON or Reject) for each non-blank line of a JSONL file,
    optionally only for the byte range [start, end) that begins at line ``first_line``."""
    import orjson

    recode = not is_utf8(encoding)
    with path.open("rb") as fh:
        fh.seek(start)
        pos = start
        for n, line in enumerate(fh, start=first_line):
            if end is not None and pos >= end:
                return
            pos += len(line)
            if not line.strip():
                continue
            try:
                if recode:
                    line = line.decode(encoding).encode("utf-8")  # type: ignore[arg-type]
                yield n, orjson.loads(line)
            except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
                yield n, Reject(f"not valid JSON ({str(exc).splitlines()[0][:120]})", n)

"""Any spreadsheet of posts: CSV or TSV (any common encoding and delimiter) or XLSX.

Columns are matched to the canonical fields by their usual names (``id``/``tweet_id``,
``created_at``/``date``, ``text``/``full_text``/``content``, ``screen_name``/``username``,
``favorite_count``/``likes``, ``retweet_count``, twarc-csv's ``author.username`` and
``public_metrics.*``...) or by ``--map SOURCE_COLUMN=FIELD``. ``--account`` names the
account of a file without an account column; the platform is a ``platform`` column or
"csv". A text column is optional (engagement-only exports exist). Rows without an id or
with a date that does not parse are rejected with their line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.social.importers.base import Item, Post, ReadContext, parse_time
from tiplens.tabular import Row, is_xlsx, read_rows

NAME = "csv"
FIELDS = ("post_id", "created_at", "text", "account", "likes", "reposts", "replies", "quotes", "views",
          "kind", "parent_id")
EXTRA_FIELDS = ("platform", "lang", "account_name", "parent_account", "retweet_of", "quote_of",
                "is_retweet", "is_quote", "is_reply", "retweeted_account", "quoted_account", "replied_account")
COUNTS = ("likes", "reposts", "replies", "quotes", "views")
ALIASES: dict[str, tuple[str, ...]] = {
    "post_id": ("post_id", "id", "id_str", "tweet_id", "status_id", "tweetid", "postid", "tweet_id_str"),
    "created_at": ("created_at", "date", "timestamp", "datetime", "date_time", "created", "published",
                   "published_at", "posted_at", "posted", "date_posted", "publish_time", "tweet_date", "post_date",
                   "time", "createdat"),
    "text": ("text", "full_text", "content", "tweet_text", "post_text", "tweet", "message", "body", "caption", "description"),
    "account": ("account", "screen_name", "username", "user_screen_name", "user_username", "author_username",
                "user", "author", "handle", "author_handle", "from_user", "account_handle"),
    "likes": ("likes", "like_count", "likes_count", "favorites", "favorite_count", "favorites_count",
              "favourites", "favourites_count", "reactions", "public_metrics_like_count"),
    "reposts": ("reposts", "retweets", "retweet_count", "retweets_count", "repost_count", "reposts_count",
                "shares", "share_count", "boosts", "reblogs", "reblogs_count", "public_metrics_retweet_count"),
    "replies": ("replies", "reply_count", "replies_count", "comments", "comment_count", "comments_count",
                "public_metrics_reply_count"),
    "quotes": ("quotes", "quote_count", "quotes_count", "public_metrics_quote_count"),
    "views": ("views", "view_count", "views_count", "impressions", "impression_count",
              "public_metrics_impression_count"),
    "kind": ("kind", "tweet_type", "post_type"),
    "parent_id": ("parent_id", "in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_id",
                  "reply_to_id", "referenced_tweets_replied_to_id"),
    "platform": ("platform",),
    "lang": ("lang", "language", "language_guess"),
    "account_name": ("account_name", "name", "display_name", "author_name", "user_name", "author_display_name",
                     "author_fullname"),
    "parent_account": ("parent_account", "in_reply_to_screen_name", "in_reply_to_username"),
    "retweet_of": ("retweet_of", "referenced_tweets_retweeted_id", "retweeted_status_id", "retweeted_id"),
    "quote_of": ("quote_of", "referenced_tweets_quoted_id", "quoted_status_id", "quoted_status_id_str"),
    # 4CAT's CSV of X datasets: yes/no flags and the other tweet's author
    "is_retweet": ("is_retweet",),
    "is_quote": ("is_quote", "is_quote_tweet"),
    "is_reply": ("is_reply",),
    "retweeted_account": ("retweeted_account", "retweeted_user"),
    "quoted_account": ("quoted_account", "quoted_user"),
    "replied_account": ("replied_account", "replied_user"),
}
_YES = {"yes", "true", "1", "y", "t"}
_NO = {"no", "false", "0", "n", "f", ""}
_FLAGS = ("is_retweet", "is_quote", "is_reply")
_PARENT_COLUMN = {"retweet": "retweeted_account", "quote": "quoted_account", "reply": "replied_account"}
KINDS = {"original": "original", "tweet": "original", "post": "original", "status": "original",
         "reply": "reply", "replied_to": "reply", "retweet": "retweet", "retweeted": "retweet", "rt": "retweet",
         "repost": "retweet", "reblog": "retweet", "boost": "retweet", "quote": "quote", "quoted": "quote",
         "quote_tweet": "quote"}
_NA = {"", "na", "n/a", "nan", "null", "none", "-", "—"}
_SCI = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_SLASH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})"
                    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$")
_RT = re.compile(r"^RT @(\w{1,30}):")


def sniff(head: str, path: Path) -> bool:
    if head.startswith("PK\x03\x04"):
        return is_xlsx(path)
    s = head.lstrip()
    if not s or s[0] in "{[<" or "\x00" in s[:4096]:
        return False
    return any(d in s.splitlines()[0] for d in ",;\t|")


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def check_mapping(mapping: dict[str, str]) -> None:
    """BadInput when a --map entry names a field tiplens does not have (an unusable option,
    whatever the file)."""
    known = FIELDS + EXTRA_FIELDS
    for src, fld in mapping.items():
        if fld not in known:
            raise BadInput(f"--map {src}={fld}: unknown field {fld!r}; fields: {', '.join(known)}")


def columns_for(header: list[str], mapping: dict[str, str], path: Path) -> dict[str, str]:
    """field -> source column: the --map entries first, then the usual names."""
    check_mapping(mapping)
    chosen: dict[str, str] = {}
    by_norm = {_norm(h): h for h in reversed(header) if h}
    for src, fld in mapping.items():
        col = src if src in header else by_norm.get(_norm(src))
        if col is None:
            raise BadInput(f"{path}: --map names column {src!r}, which is not in the file; "
                           f"its columns are: {', '.join(h for h in header if h)}")
        chosen[fld] = col
    used = set(chosen.values())
    for fld, names in ALIASES.items():
        if fld in chosen:
            continue
        col = next((by_norm[n] for n in names if n in by_norm and by_norm[n] not in used), None)
        if col is not None:
            chosen[fld] = col
            used.add(col)
    return chosen


def _require(cols: dict[str, str], header: list[str], path: Path, ctx: ReadContext) -> None:
    present = ", ".join(h for h in header if h)
    for fld, what in (("post_id", "post id"), ("created_at", "date")):
        if fld not in cols:
            raise BadInput(f"{path}: no {what} column (looked for {', '.join(ALIASES[fld][:6])} ...); "
                           f"columns: {present}; name it with --map COLUMN={fld}")
    if "account" not in cols and not ctx.account:
        raise BadInput(f"{path}: no account column (looked for {', '.join(ALIASES['account'][:5])} ...); "
                       f"pass --account HANDLE or --map COLUMN=account")


def month_first(values: list[str]) -> bool:
    """True when slash dates in the column are month/day (some day > 12 in second place, none in first)."""
    first = second = False
    for v in values:
        m = _SLASH.match(v.strip())
        if m:
            first |= int(m.group(1)) > 12
            second |= int(m.group(2)) > 12
    return second and not first


def to_iso(value: str, monthfirst: bool) -> str:
    """dd/mm/yyyy (or mm/dd/yyyy) with an optional time and AM/PM, as ISO 8601."""
    m = _SLASH.match(value.strip())
    if not m:
        return value
    a, b, y, hh, mi, ss, ampm = m.groups()
    day, month = (int(b), int(a)) if monthfirst else (int(a), int(b))
    year = int(y) + (0 if len(y) == 4 else 2000 if int(y) < 70 else 1900)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return value
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if hh is not None:
        hour = int(hh)
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        out += f" {hour:02d}:{int(mi):02d}:{int(ss or 0):02d}"
    return out


def count(value: str | None) -> int | None:
    """'1,234', '1.2K', '3M', '12.0' -> int; blank or n/a -> None; anything else raises ValueError."""
    if value is None or str(value).strip().lower() in _NA:
        return None
    s = str(value).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    scale = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}.get(s[-1:].lower(), 1)
    number = float(s[:-1] if scale > 1 else s)
    if number != number or number < 0:
        raise ValueError(value)
    return round(number * scale)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return None if s.lower() in _NA else s


def _ident(value: str | None) -> str | None:
    if value and value.endswith(".0") and value[:-2].isdigit():  # a spreadsheet's whole number
        return value[:-2]
    return value


def read(path: Path, ctx: ReadContext) -> Iterator[Item]:
    header, rows = read_rows(path, encoding=ctx.encoding)
    cols = columns_for(header, ctx.mapping, path)
    _require(cols, header, path, ctx)
    sample = list(itertools.islice(rows, 5000))
    monthfirst = month_first([r.values.get(cols["created_at"]) or "" for r in sample])
    if monthfirst:
        ctx.note("dates read as month/day/year")
    for row in itertools.chain(sample, rows):
        yield row.line, map_row(row, cols, ctx, monthfirst)


def map_row(row: Row, cols: dict[str, str], ctx: ReadContext, monthfirst: bool = False) -> Post | Reject:
    if row.problem:
        return Reject(row.problem, row.line)
    v = {fld: _clean(row.values.get(col)) for fld, col in cols.items()}
    pid = _ident(v.get("post_id"))
    if not pid:
        return Reject(f"no post id in column {cols['post_id']!r}", row.line)
    if _SCI.match(pid):
        return Reject(f"post id {pid!r} is in scientific notation: the spreadsheet rounded it; keep ids as text",
                      row.line)
    raw_date = v.get("created_at")
    if not raw_date:
        return Reject(f"post {pid}: no date in column {cols['created_at']!r}", row.line)
    created = parse_time(to_iso(raw_date, monthfirst))
    if created is None:
        return Reject(f"post {pid}: {raw_date[:40]!r} in column {cols['created_at']!r} is not a date "
                      "(use e.g. 2020-01-31 or 2020-01-31T12:00:00Z)", row.line)
    counts: dict[str, int | None] = {}
    for fld in COUNTS:
        try:
            counts[fld] = count(v.get(fld))
        except ValueError:
            return Reject(f"post {pid}: {fld} {str(v.get(fld))[:20]!r} is not a number", row.line)
    text = v.get("text")
    parent_id = _ident(v.get("parent_id"))
    parent_account = v.get("parent_account")
    retweet_of, quote_of = _ident(v.get("retweet_of")), _ident(v.get("quote_of"))
    kind_raw = v.get("kind")
    if kind_raw:
        kind = KINDS.get(_norm(kind_raw))
        if kind is None:
            return Reject(f"post {pid}: kind {kind_raw[:20]!r} is not one of original, reply, retweet, quote",
                          row.line)
    else:
        rt = _RT.match(text or "")
        said = {f: (v.get(f) or "").strip().lower() for f in _FLAGS}
        odd = next((f for f in _FLAGS if said[f] not in _YES and said[f] not in _NO), None)
        if odd is not None:
            return Reject(f"post {pid}: {odd} {said[odd][:20]!r} is not yes or no", row.line)
        flag = {f: said[f] in _YES for f in _FLAGS}
        kind = ("retweet" if retweet_of or rt or flag["is_retweet"] else "quote" if quote_of or flag["is_quote"]
                else "reply" if parent_id or flag["is_reply"] else "original")
        if not parent_account:
            by = _PARENT_COLUMN.get(kind)
            parent_account = v.get(by) if by else None
        if rt and not parent_account:
            parent_account = rt.group(1)
    if kind == "retweet" and retweet_of:
        parent_id = retweet_of
    elif kind == "quote" and quote_of:
        parent_id = quote_of
    account = (v.get("account") or ctx.account or "").lstrip("@").lower() or None
    post = Post(
        post_id=pid, platform=(v.get("platform") or "csv").lower(), account=account,
        account_name=v.get("account_name"), created_at=created, text=text, kind=kind, lang=v.get("lang"),
        parent_id=parent_id, parent_account=parent_account.lstrip("@") if parent_account else None,
        likes=counts["likes"], reposts=counts["reposts"], replies=counts["replies"], quotes=counts["quotes"],
        views=counts["views"],
    )
    post.fill_entities_from_text()
    return post

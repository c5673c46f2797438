"""The items of a JSON export, each with the line it starts on.

Exports arrive as JSON Lines (one item per line; streamed), as one JSON array, or as one
object holding the items under a known key (``orderedItems``, ``feed``, ``statuses``),
sometimes behind a JavaScript assignment (``window.YTD.tweets.part0 = [``). A broken or
truncated document keeps every item before the break, picks up again at the next item
of a pretty-printed list where it can, and reports each break, with its line, as one
rejected item.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import orjson

from tiplens.importing import Reject
from tiplens.social.importers.base import ReadContext, iter_json_lines

Item = tuple[int, object]  # (line, parsed JSON value or Reject)

_ASSIGN = re.compile(r"\A\s*[A-Za-z_$][\w$.]*(?:\[[^\]\n]*\])?\s*=\s*(?=[\[{])")
_DECODER = json.JSONDecoder()
_MAX_RESYNC_TRIES = 2000
_LAYOUT_WINDOW = 1 << 20  # how far to look for the items' indentation when the first element is stray text


def iter_items(path: Path, ctx: ReadContext, list_keys: tuple[str, ...] = ()) -> Iterator[Item]:
    """Every item of the file: elements of a top-level list, elements of the list under the
    first of ``list_keys`` that an object holds, or the object itself."""
    if _is_json_lines(path):
        for line, value in iter_json_lines(path, ctx.encoding):
            if isinstance(value, Reject):
                yield line, value
            else:
                for item in _expand(value, list_keys):
                    yield from ((line, x) for x in _expand(item, list_keys, lists=False))
        return
    for line, item in iter_document(read_text(path, ctx), list_keys):
        yield from ((line, x) for x in _expand(item, list_keys, lists=False))  # a list of pages


def _expand(value: object, list_keys: tuple[str, ...], lists: bool = True) -> list[object]:
    if isinstance(value, list) and lists:
        return value
    if isinstance(value, dict):
        for key in list_keys:
            if isinstance(value.get(key), list):
                return value[key]
    return [value]


def _parses_alone(raw: bytes) -> bool:
    try:
        return isinstance(orjson.loads(raw), dict | list)
    except orjson.JSONDecodeError:
        return False


def _is_json_lines(path: Path) -> bool:
    lines: list[bytes] = []
    with path.open("rb") as fh:
        for raw in fh:
            if raw.strip():
                lines.append(raw.strip())
                if len(lines) == 3:
                    break
    if not lines:
        return True
    first = lines[0].removeprefix(b"\xef\xbb\xbf").strip()
    if first in (b"[", b"{") or _ASSIGN.match(first.decode("utf-8", errors="replace")):
        return False
    return any(_parses_alone(raw) for raw in lines)


def read_text(path: Path, ctx: ReadContext) -> str:
    """The whole file as text: UTF-8 unless told otherwise, else the detected encoding (noted)."""
    raw = path.read_bytes()
    if ctx.encoding:
        try:
            return raw.decode(ctx.encoding)
        except LookupError:
            from tiplens.errors import BadInput

            raise BadInput(f"{path}: unknown encoding {ctx.encoding!r}") from None
        except UnicodeDecodeError as exc:
            ctx.note(f"not valid {ctx.encoding} at byte {exc.start}; undecodable bytes replaced")
            return raw.decode(ctx.encoding, errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from tiplens.tabular import detect_encoding

        enc = detect_encoding(path)
        ctx.note(f"not UTF-8 (bad byte at offset {exc.start}); read as {enc}")
        return raw.decode(enc, errors="replace")


class _Lines:
    """Line number of a character offset; cheap when offsets move forward."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos >= self.pos:
            self.line += self.text.count("\n", self.pos, pos)
        else:
            self.line -= self.text.count("\n", pos, self.pos)
        self.pos = pos
        return self.line


def _skip(text: str, i: int, also: str = "") -> int:
    n = len(text)
    space = " \t\r\n" + also
    while i < n and text[i] in space:
        i += 1
    return i


def iter_document(text: str, list_keys: tuple[str, ...] = ()) -> Iterator[Item]:
    """Items of one JSON document (or several concatenated), with line numbers."""
    lines = _Lines(text)
    m = _ASSIGN.match(text)
    pos = _skip(text, m.end() if m else 0, ";")
    if pos >= len(text):
        yield lines.at(pos), Reject("no JSON value in the file")
        return
    while pos < len(text):
        opener = text[pos]
        if opener == "[":
            pos = yield from _array(text, pos, lines)
        elif opener == "{":
            pos = yield from _object(text, pos, lines, list_keys)
        else:
            yield lines.at(pos), Reject(f"unexpected text at line {lines.at(pos)}: expected a JSON list or object; "
                                        "reading stopped there")
            return
        if pos < 0:
            return
        pos = _skip(text, pos, ";")


def _object(text: str, pos: int, lines: _Lines, list_keys: tuple[str, ...]) -> Generator[Item, None, int]:
    try:
        obj, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        for name in list_keys:  # salvage the items before the break
            at = _list_start(text, name, pos)
            if at is not None:
                yield from _array(text, at, lines)
                return -1
        yield lines.at(pos), Reject(f"not valid JSON at line {lines.at(exc.pos)} ({_msg(exc)})")
        return -1
    key = next((k for k in list_keys if isinstance(obj, dict) and isinstance(obj.get(k), list)), None)
    if key is None:
        yield lines.at(pos), obj
        return end
    start = _list_start(text, key, pos)
    found: list[Item] = []
    if start is not None:
        gen = _array(text, start, lines)
        found = list(gen)
    if len(found) == len(obj[key]) and not any(isinstance(v, Reject) for _, v in found):
        yield from found
    else:  # the key matched somewhere else: fall back to the object's own line
        line = lines.at(pos)
        for value in obj[key]:
            yield line, value
    return end


def _msg(exc: json.JSONDecodeError) -> str:
    return exc.msg.removesuffix(" at").removesuffix(" starting").lower()


def _list_start(text: str, key: str, pos: int) -> int | None:
    m = re.compile(r'"' + re.escape(key) + r'"\s*:\s*\[').search(text, pos)
    return m.end() - 1 if m else None


def _indent(text: str, i: int) -> str | None:
    """The whitespace before an element that starts its own line (pretty-printed lists)."""
    nl = text.rfind("\n", 0, i)
    if nl < 0:
        return None
    lead = text[nl + 1:i]
    return lead if lead.strip() == "" else None


_OPENER_LINE = re.compile(r"\n([ \t]*)([{\[])")


def _layout(text: str, pos: int, i: int) -> tuple[str | None, str]:
    """Indentation and opening character of the list's items, used to resume after a broken one.

    The first element gives them when it is an object or a list; when it is stray text, the
    least-indented line deeper than the list's own line (``pos``: its '[') that opens an object or
    list further on does (nested values sit deeper; a later document at the list's depth does not count).
    """
    if i < len(text) and text[i] in "[{":
        return _indent(text, i), text[i]
    line_start = text.rfind("\n", 0, pos) + 1
    depth = len(text[line_start:pos]) - len(text[line_start:pos].lstrip(" \t"))
    best: tuple[str, str] | None = None
    for m in _OPENER_LINE.finditer(text, max(i - 1, 0), min(len(text), i + _LAYOUT_WINDOW)):
        if len(m.group(1)) > depth and (best is None or len(m.group(1)) < len(best[0])):
            best = (m.group(1), m.group(2))
    return best if best is not None else (None, "{")


def _resync(text: str, earliest: int, indent: str | None, opener: str) -> int | None:
    """Start (at ``earliest`` or later) of the next element at the same indentation that parses."""
    if indent is None:
        return None
    needle = "\n" + indent + opener
    i = earliest - len(needle)
    for _ in range(_MAX_RESYNC_TRIES):
        i = text.find(needle, i + 1)
        if i < 0:
            return None
        start = i + len(needle) - 1
        try:
            _, end = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        nxt = _skip(text, end)
        if nxt >= len(text) or text[nxt] in ",]":
            return start
    return None


def _array(text: str, pos: int, lines: _Lines) -> Generator[Item, None, int]:
    """Elements of the list opening at ``pos``; returns the offset after it (-1: stop)."""
    n = len(text)
    i = _skip(text, pos + 1)
    if i < n and text[i] == "]":
        return i + 1
    indent, opener = _layout(text, pos, i)
    while True:
        if i >= n:
            yield lines.at(n), Reject("the file ends inside the list: truncated?")
            return -1
        try:
            obj, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            start_line, where = lines.at(i), lines.at(exc.pos)
            nxt = _resync(text, i + 1, indent, opener)
            if nxt is None:
                cut = "the file ends inside this item: truncated?" if "\n" not in text[exc.pos:].rstrip() \
                    else "nothing after it could be read"
                yield start_line, Reject(f"not valid JSON at line {where} ({_msg(exc)}); {cut}")
                return -1
            yield start_line, Reject(f"not valid JSON at line {where} ({_msg(exc)}); "
                                     f"reading resumed at line {lines.at(nxt)}")
            i = nxt
            continue
        yield lines.at(i), obj
        j = _skip(text, end)
        if j >= n:
            yield lines.at(n), Reject("the list is not closed: the file looks truncated after the item before")
            return -1
        if text[j] == "]":
            return j + 1
        if text[j] == ",":
            i = _skip(text, j + 1)
            if i < n and text[i] == "]":  # a trailing comma
                return i + 1
            continue
        nxt = _resync(text, j, indent, opener)
        yield lines.at(j), Reject(f"unexpected text at line {lines.at(j)} between list items"
                                  + (f"; reading resumed at line {lines.at(nxt)}" if nxt else "; nothing after it could be read"))
        if nxt is None:
            return -1
        i = nxt

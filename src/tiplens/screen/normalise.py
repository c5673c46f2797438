"""Normalising ad text before matching, keeping a map back to the original characters.

What it undoes: case; accents and compatibility forms (full-width, mathematical bold, circled
and squared letters, ligatures); look-alike Cyrillic and Greek letters (a common OCR and
filter-evasion trick); zero-width characters, soft hyphens, emoji modifiers and combining marks;
words broken across lines by a hyphen; letters spelled out with separators ("f r e e",
"f.r.e.e", "f🔥r🔥e🔥e"); leetspeak inside words ("fr33", "m0ney", "ca$h"); runs of spaces
(one remains; line breaks are kept, so a phrase does not match across a blank line).

Every character of :attr:`Normalised.text` comes from a known character of the original, so a
span found in the normalised text maps back with :meth:`Normalised.span` to a slice of the
original text: ``original[start:end]`` is the evidence to show.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

try:
    import hyperscan
except ImportError:  # pragma: no cover - without it the byte-string searches decide the same
    hyperscan = None  # type: ignore[assignment]

# -- character tables (built once at import) -------------------------------------------------

_HOMOGLYPHS = {
    # Cyrillic (lower case; the text is lower-cased first)
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g", "ı": "i",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    # punctuation that should read as ASCII
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u3000": " ", "\u202f": " ", "\u205f": " ", "\u2028": "\n", "\u2029": "\n", "\x85": "\n",
}
_RANGES = [(0x80, 0x250), (0x370, 0x530), (0x1D00, 0x2000), (0x2000, 0x2C00), (0x3000, 0x3040), (0xFB00, 0xFB50),
           (0xFF00, 0xFFF0), (0x1D400, 0x1D800), (0x1F100, 0x1F1E6)]
# characters removed: zero-width, soft hyphen, variation selectors, combining marks, emoji skin
# tones, tag characters
_DELETE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
           "\ufeff\ufe00-\ufe0f\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
           "\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f\U000e0100-\U000e01ef")


def _build_tables() -> tuple[dict[int, str], dict[str, str]]:
    table: dict[int, str] = {}
    expand: dict[str, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            if re.match(f"[{_DELETE}]", ch):
                continue
            folded = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
            if len(folded) == 1 and folded != ch and folded.isascii():
                table[cp] = folded
            elif len(folded) > 1 and folded.isascii() and folded.isalnum() and ch.isalpha():
                expand[ch] = folded  # ligatures and the like: ß -> ss, ﬁ -> fi, æ -> ae
            elif ch.isspace():
                table[cp] = "\n" if ch in "\u2028\u2029\x85" else " "
    expand.update({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o"})
    table.pop(ord("ø"), None)
    for base, letters in ((0x1F130, "abcdefghijklmnopqrstuvwxyz"), (0x1F150, "abcdefghijklmnopqrstuvwxyz"),
                          (0x1F170, "abcdefghijklmnopqrstuvwxyz"), (0x1F1E6, "abcdefghijklmnopqrstuvwxyz")):
        for i, letter in enumerate(letters):
            table[base + i] = letter  # squared, negative circled / squared letters, regional indicators
    for k, v in _HOMOGLYPHS.items():
        table[ord(k)] = v
    for ch in list(expand):
        table.pop(ord(ch), None)
    return table, expand


_TABLE, _EXPAND = _build_tables()
_ASCII_WS = (("\t", " "), ("\r", "\n"), ("\v", "\n"), ("\f", "\n"))
_ASCII_BYTES = bytes(range(128))  # deleted from UTF-8 bytes, they leave the non-ASCII characters

# Length-changing edits, each found by its own (cheap) pass and applied together.
_SPACE_RUN = re.compile(r"  +")  # literal start: a fast scan
_HYPHEN = re.compile(r"-(?<=[a-z]-)[ ]?\n[ \n]*(?=[a-z])")  # "-" first: a fast scan for it
_SEP = r"(?:[^\w\s]|[ ])"
_SPACED = re.compile(rf"(?<![\w])(?:[a-z0-9]{_SEP}){{2,}}[a-z0-9](?![\w])")
# Cheap exact gates: the UTF-8 bytes of the text mapped to classes, then searched for plain byte
# strings. Spaced letters need " x y " (a = [a-z0-9]), ".x.y." (. = one of .-*_/|+~) or the same
# around single non-ASCII characters (n = a UTF-8 lead byte, c = a continuation byte: "ca" ends
# such a character before a letter); leetspeak needs a letter then one of 0134578@$|! ("a1").
# ASCII characters are single bytes, so they are next to each other in the bytes exactly when
# they are in the text.
_CLASS_SPACED = bytes((97 if 97 <= b <= 122 or 48 <= b <= 57 else 46 if chr(b) in ".-*_/|+~" else 32 if b == 32
                       else 110 if b >= 0xC0 else 99 if b >= 0x80 else 63) for b in range(256))
_SPACED_NON_ASCII = (b"cancan", b"canccan", b"cancccan")  # [^\x00-\x7f] x [^\x00-\x7f] y [^\x00-\x7f]
# in ASCII text a separator (a space or [^\w\s]) is of class " ", "." or "?" (which holds other signs)
_THREE_ALONE = tuple(b"a" + bytes((x,)) + b"a" + bytes((y,)) + b"a" for x in b" .?" for y in b" .?")
# leetspeak: a letter then a digit that stands for one ("a1"), or then one of @$|! followed by a
# letter ("a2a"; before anything else @$|! cannot be read as a letter, see _LEET_TOKEN)
_CLASS_LEET = bytes((97 if 97 <= b <= 122 else 49 if chr(b) in "0134578" else 50 if chr(b) in "@$|!" else 32)
                    for b in range(256))
_SPECIAL = re.compile(f"[{_DELETE}]+|[{''.join(sorted(_EXPAND))}]")

# The same gates as byte patterns, all answered by one Hyperscan pass over the UTF-8 bytes (each
# byte-string search above is a pass of its own): by id, a run of two spaces, a hyphen before a
# line break, " a a " (or "a a " at the start) and ".a.a." of _CLASS_SPACED, its three non-ASCII
# forms, and LEET_WORD: a whole token (a maximal run of a-z0-9_@$|!, the tokens of _unleet) that
# _LEET_TOKEN matches from end to end, the only kind _unleet rewrites. (The two leetspeak forms of
# _CLASS_LEET, "a1" and "a2a", passed in about half of the ads, mostly for tokens such as "covid19"
# or "b2b" that _unleet then left as they were.)
SPACES, HYPHEN, SPACED, SPACED_DOTS, SPACED_NON_ASCII, LEET_WORD = range(6)
_SEP_BYTES = rb"[.\-*_/|+~]"  # the bytes of class "." in _CLASS_SPACED
_NOT_TOKEN = rb"[^a-z0-9_@$|!]"
_LEET_WORD = _NOT_TOKEN.join((rb"(?:^|", rb")[a-z]+(?:(?:[0134578]{1,3}|[@$|!][a-z])[a-z]*)+(?:", rb"|$)"))
_GATE_PATTERNS = (
    (SPACES, rb"  "), (HYPHEN, rb"-\n"),
    (SPACED, rb"(?:^|\x20)[a-z0-9]\x20[a-z0-9]\x20"),
    (SPACED_DOTS, _SEP_BYTES + rb"[a-z0-9]" + _SEP_BYTES + rb"[a-z0-9]" + _SEP_BYTES),
    (SPACED_NON_ASCII, rb"[\x80-\xbf][a-z0-9][\xc0-\xff][\x80-\xbf]{1,3}[a-z0-9][\xc0-\xff]"),
    (LEET_WORD, _LEET_WORD),
)
_LEET_WORD_RX = re.compile(_LEET_WORD)
_scratch = threading.local()  # a Hyperscan scratch space per thread

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "|": "l", "!": "i"})
_LEET_SEED = regex.compile(r"(?<=[a-z])(?:[0134578]|[@$|!](?=[a-z]))")  # non-ASCII texts (ASCII: byte classes)
_TOKEN_RUN = re.compile(r"[a-z0-9_@$|!]*")
_MAX_LEET_TOKEN = 30  # longer tokens (a hash, a URL) are not words written in leetspeak
_LEET_TOKEN = re.compile(r"([a-z]+)(?:(?:[0134578]{1,3}|[@$|!](?=[a-z]))[a-z]*)+")
_CURRENCY = frozenset("rp rm usd us idr myr sgd hkd ntd nt sar aed krw jpy php eur gbp inr vnd thb cny rmb "
                      "qar kwd omr bhd cad aud nzd chf".split())


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised form of ``original`` and the map back.

    ``text`` keeps single newlines (clause boundaries); ``flat`` is the same string with
    newlines as spaces (same length), which is what patterns run on.
    """

    original: str
    text: str
    flat: str
    _breaks: tuple[int, ...] = (0,)
    _shifts: tuple[int, ...] = (0,)

    def to_original(self, pos: int) -> int:
        """Index in the original of the normalised character at ``pos``."""
        if len(self._breaks) == 1:
            return pos + self._shifts[0]
        return pos + self._shifts[bisect_right(self._breaks, pos) - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalised span [start, end) to the original [start, end)."""
        return self.to_original(start), self.to_original(end - 1) + 1


def normalise(text: str, low: str | None = None) -> Normalised:
    """Normalise ``text`` for matching (see the module docstring). ``low``: ``text.lower()``
    when the caller has it."""
    if "İ" in text:  # the one letter whose lower case is longer
        t = text.replace("İ", "I").lower()
    else:
        t = low if low is not None else text.lower()
    for a, b in _ASCII_WS:
        if a in t:
            t = t.replace(a, b)
    ascii_only = t.isascii()
    special = False
    raw = t.encode("utf-8", "surrogatepass")  # the UTF-8 bytes of t, while t is unchanged
    if not ascii_only:
        # every table entry maps one non-ASCII character to ASCII: replace each distinct one
        other = raw.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        mapped = t
        for ch in set(other):
            to = _TABLE.get(ord(ch))
            if to is not None and to != ch:
                mapped = mapped.replace(ch, to)
        if mapped is not t:
            t, raw = mapped, mapped.encode("utf-8", "surrogatepass")
        ascii_only = t.isascii()
        special = not ascii_only and _SPECIAL.search(other) is not None
    found = gates(raw)
    edits = _find_edits(t, ascii_only, special, raw, found)
    breaks: tuple[int, ...] = (0,)
    shifts: tuple[int, ...] = (0,)
    leet: bytes | None = None
    if edits:  # the gates were for the text before the edits: only leetspeak's is still needed
        t, breaks, shifts = _apply(t, edits)
        leet = t.encode("utf-8", "surrogatepass").translate(_CLASS_LEET)
        unleet = _leet_gate(leet)
    else:
        unleet = LEET_WORD in found
    if unleet:
        t = _unleet(t, (leet if leet is not None else raw.translate(_CLASS_LEET)) if t.isascii() else None)
    return Normalised(text, t, t.replace("\n", " "), breaks, shifts)


Edit = tuple[int, int, list[tuple[str, int]]]  # replace t[a:b] by chars, each with its index in t


def _find_edits(t: str, ascii_only: bool, special: bool, raw: bytes | None = None,
                found: set[int] | None = None) -> list[Edit]:
    """The length-changing edits of ``t``; ``raw``: its UTF-8 bytes when the caller has them,
    ``found``: the ids of the gates they pass (:func:`gates`), when known."""
    if raw is None:
        raw = t.encode("utf-8", "surrogatepass")
    if found is None:
        found = gates(raw)
    edits: list[Edit] = []
    if SPACES in found:
        # runs of spaces inside a line become one; line breaks are kept as they are
        edits.extend((m.start(), m.end(), [(" ", m.start())]) for m in _SPACE_RUN.finditer(t))
    if HYPHEN in found:
        edits.extend((m.start(), m.end(), []) for m in _HYPHEN.finditer(t))
    spaced = SPACED in found or SPACED_DOTS in found or (not ascii_only and SPACED_NON_ASCII in found)
    if spaced and ascii_only:
        spaced = _three_spaced(raw.translate(_CLASS_SPACED))
    if spaced:
        for m in _SPACED.finditer(t):
            seg = m.group()
            if sum(c.isalpha() for c in seg[::2]) >= 2:  # "1 2 3" is a list, not a word
                edits.append((m.start(), m.end(), [(seg[i], m.start() + i) for i in range(0, len(seg), 2)]))
    if special:
        for m in _SPECIAL.finditer(t):
            ch = m.group()
            edits.append((m.start(), m.end(), [(c, m.start()) for c in _EXPAND[ch]] if ch in _EXPAND else []))
    if len(edits) > 1:
        edits.sort(key=lambda e: (e[0], -e[1]))
        kept = [edits[0]]
        for e in edits[1:]:
            if e[0] >= kept[-1][1]:
                kept.append(e)
        edits = kept
    return edits


@lru_cache(maxsize=1)
def _gate_database() -> Any:
    db = hyperscan.Database()
    db.compile(expressions=[p for _, p in _GATE_PATTERNS], ids=[i for i, _ in _GATE_PATTERNS],
               elements=len(_GATE_PATTERNS), flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(_GATE_PATTERNS))
    return db


def _on_gate(gate: int, start: int, end: int, flags: int, found: set[int]) -> None:
    found.add(gate)


def gates(raw: bytes) -> set[int]:
    """The ids of the gates (SPACES ... LEET_WORD) the UTF-8 bytes ``raw`` pass, from one
    Hyperscan pass (without Hyperscan: :func:`searched_gates`, the same answer, slower)."""
    if hyperscan is None:
        return searched_gates(raw)
    db = _gate_database()
    scratch = getattr(_scratch, "space", None)
    if scratch is None:
        scratch = _scratch.space = hyperscan.Scratch(db)
    found: set[int] = set()
    db.scan(raw, match_event_handler=_on_gate, context=found, scratch=scratch)
    return found


def searched_gates(raw: bytes) -> set[int]:
    """:func:`gates` by byte-string searches over the character classes of ``raw`` (and one
    expression for LEET_WORD)."""
    cls = raw.translate(_CLASS_SPACED)
    checks = {SPACES: b"  " in raw, HYPHEN: b"-\n" in raw,
              # " a a " also at the very start (the text begins after a separator, as it were)
              SPACED: b" a a " in cls or cls.startswith(b"a a "), SPACED_DOTS: b".a.a." in cls,
              SPACED_NON_ASCII: any(h in cls for h in _SPACED_NON_ASCII),
              LEET_WORD: _LEET_WORD_RX.search(raw) is not None}
    return {k for k, v in checks.items() if v}


def _leet_gate(leet: bytes) -> bool:
    """A letter then a digit that stands for one ("a1"), or then one of @$|! and a letter ("a2a"),
    searched in the _CLASS_LEET bytes of a text: a wider gate than LEET_WORD, the one _unleet needs."""
    return b"a1" in leet or b"a2a" in leet


def _three_spaced(cls: bytes) -> bool:
    """Whether an ASCII text's _CLASS_SPACED bytes hold three letters standing alone, one
    separator between each ("x y z", "x.y,z"): every _SPACED match starts so. Runs of two or
    more letters are hidden first ("aaa" -> "AAA")."""
    alone = cls.replace(b"aa", b"AA").replace(b"Aa", b"AA")
    return any(p in alone for p in _THREE_ALONE)


def _apply(t: str, edits: list[Edit]) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Apply the length-changing edits; return the new text and its offset map."""
    pieces: list[str] = []
    breaks, shifts = [0], [0]
    last = 0
    new = 0  # length of the output so far

    def mark(orig: int) -> None:
        shift = orig - new
        if shift != shifts[-1]:
            if breaks[-1] == new:
                shifts[-1] = shift
                if len(shifts) > 1 and shifts[-2] == shift:
                    breaks.pop()
                    shifts.pop()
            else:
                breaks.append(new)
                shifts.append(shift)

    for a, b, keep in edits:
        pieces.append(t[last:a])
        new += a - last
        for ch, orig in keep:
            mark(orig)
            pieces.append(ch)
            new += 1
        mark(b)
        last = b
    pieces.append(t[last:])
    return "".join(pieces), tuple(breaks), tuple(shifts)


def _unleet(t: str, classes: bytes | None = None) -> str:
    """Read leetspeak inside words ("fr33" -> "free"); numbers and prices stay as they are.

    A word is a maximal run of token characters (letters, digits, _@$|!) holding a letter
    followed by one of 0134578, or by one of @$|! and a letter; at most 30 characters long. ``classes``: the text's
    _CLASS_LEET bytes when the text is ASCII (same positions), to find those letters quickly."""
    pieces: list[str] = []  # the text up to ``last``, with the tokens read
    last = 0
    rev: str | None = None
    pos, size = 0, len(t)
    digit = symbol = -1  # next "a1" and "a2a" in the classes at or after pos (-2: none left)
    while True:
        if classes is not None:
            if -1 < digit < pos or digit == -1:
                digit = classes.find(b"a1", pos)
                digit = -2 if digit < 0 else digit
            if -1 < symbol < pos or symbol == -1:
                symbol = classes.find(b"a2a", pos)
                symbol = -2 if symbol < 0 else symbol
            if digit == -2 and symbol == -2:
                break
            p = (digit if symbol == -2 or -1 < digit < symbol else symbol) + 1
        else:
            m = _LEET_SEED.search(t, pos)
            if m is None:
                break
            p = m.start()
        b = _TOKEN_RUN.match(t, p).end()  # type: ignore[union-attr]
        if rev is None:
            rev = t[::-1]
        a = size - _TOKEN_RUN.match(rev, size - p).end()  # type: ignore[union-attr]
        pos = b
        if b - a > _MAX_LEET_TOKEN:
            continue
        word = _LEET_TOKEN.fullmatch(t, a, b)
        if word is None or word.group(1) in _CURRENCY or (a > 0 and t[a - 1].isalnum()):
            continue
        pieces.append(t[last:a])  # the tokens come in order and do not overlap
        pieces.append(t[a:b].translate(_LEET))
        last = b
    if not pieces:
        return t
    pieces.append(t[last:])
    return "".join(pieces)

"""The literal words a regular expression starts with (anchors) or always contains (triggers),
read from its parse tree, so the indicator engine can find them with its Aho-Corasick automaton
and run the expression only where it can match."""

from __future__ import annotations

import re

try:  # the parser behind the standard re module
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse as _sre_parse  # type: ignore[no-redef]


def regex_anchors(pattern: str) -> frozenset[str] | None:
    """The words one of which every match of ``pattern`` starts with, or None.

    ``\\b(?:earn|make|paid)\\b ...`` gives {'earn', 'make', 'paid'}: the engine then tries the
    regex only at the positions where the automaton saw one of them start.
    """
    found = regex_anchor_ends(pattern)
    return frozenset(found) if found else None


def regex_anchor_ends(pattern: str) -> dict[str, bool] | None:
    """:func:`regex_anchors` with, for each word, whether every match that starts with it has
    a word boundary (``\\b``) right after it: ``\\b(?:work|works)\\b[^.]*`` gives {'work': True,
    'works': True}, so a match cannot start where "work" is followed by a letter ("worker").

    Optional literals (``\\.?``, ``(?:imal)?``) are expanded, so the words are as long as
    the pattern allows (at most a few hundred of them)."""
    try:
        parsed = list(_sre_parse.parse(pattern))
    except re.error:
        return None
    while parsed and str(parsed[0][0]) in ("AT", "ASSERT", "ASSERT_NOT"):
        parsed.pop(0)  # zero-width at the start: \\b, look-arounds
    words = _prefix_seq(parsed, _BOUND)
    ends: dict[str, bool] = {}
    for w in words:
        core = w.replace(_BOUND, "")
        if not core:
            return None
        ends[core] = ends.get(core, True) and w.endswith(_BOUND)
    return ends or None


def starts_at_word_boundary(pattern: str) -> bool:
    """True when every match of ``pattern`` starts with ``\\b`` (its first element, outside any
    alternation), so a match cannot start right after a word character when it starts with one."""
    try:
        parsed = list(_sre_parse.parse(pattern))
    except re.error:
        return False
    return bool(parsed) and str(parsed[0][0]) == "AT" and str(parsed[0][1]) == "AT_BOUNDARY"


def regex_triggers(pattern: str) -> frozenset[str] | None:
    """Literal words of which at least one occurs in every match of ``pattern``, or None.

    Looks at the top-level sequence for a mandatory element that is a literal or a group of
    literal alternatives (``(?:earn|make|paid)``); words shorter than three letters are too
    common to be useful triggers and are skipped.
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    best: frozenset[str] | None = None
    for item in _sequence_literals(list(parsed)):
        if all(len(w.strip()) >= 3 or (w.strip() and not w.strip().isalnum()) for w in item) and (
                best is None or _rarity(item) > _rarity(best)):
            best = item
    return best


def _rarity(words: frozenset[str]) -> float:
    """Prefer few, long trigger words (fewer false triggers)."""
    return min(len(w.strip()) for w in words) - 0.01 * len(words)


_MAX_SET = 400
_BOUND = "\x00"  # stands for a \\b while anchor words are built (patterns never hold NUL)


def _sequence_literals(items: list) -> list[frozenset[str]]:
    """Candidate trigger sets: runs of literal (or literal-alternative) elements of a sequence."""
    out: list[frozenset[str]] = []
    cur = {""}
    for op, av in list(items) + [(None, None)]:
        full = _full_set(op, av) if op is not None else None
        if full is not None and len(cur) * len(full) <= _MAX_SET:
            cur = {a + b for a in cur for b in full}
            continue
        prefix = _prefix_set(op, av) if op is not None else None
        if prefix is not None and len(cur) * len(prefix) <= _MAX_SET:
            cur = {a + b for a in cur for b in prefix}
        if cur != {""} and all(cur):
            out.append(frozenset(cur))
        cur = {""}
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            out.extend(_sequence_literals(list(av[2])))
    return out


def _full_set(op: object, av: object, bound: str = "", sets: bool = False) -> set[str] | None:
    """Every string an element can match, if it is made of literals, alternatives and optional
    parts only (and, with ``sets``, small character sets such as [3-9]). ``bound``: what a \\b
    stands for ('' or _BOUND)."""
    name = str(op)
    if sets and name == "IN":
        chars: set[str] = set()
        for kind, val in av:  # type: ignore[attr-defined]
            if str(kind) == "LITERAL":
                chars.add(chr(val))
            elif str(kind) == "RANGE" and val[1] - val[0] < 10:
                chars.update(chr(c) for c in range(val[0], val[1] + 1))
            else:
                return None
        return chars if len(chars) <= 10 else None
    if name == "LITERAL":
        return {chr(av)}  # type: ignore[arg-type]
    if name == "BRANCH":
        result: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            sub = _full_seq(list(branch), bound, sets)
            if sub is None:
                return None
            result |= sub
        return result
    if name == "SUBPATTERN":
        return _full_seq(list(av[-1]), bound, sets)  # type: ignore[index]
    if name == "AT":
        return {bound} if str(av) == "AT_BOUNDARY" else {""}
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] == 0 and av[1] == 1:  # type: ignore[index]
        sub = _full_seq(list(av[2]), bound, sets)  # type: ignore[index]
        return None if sub is None else {""} | sub
    return None


def _full_seq(items: list, bound: str = "", sets: bool = False) -> set[str] | None:
    cur = {""}
    for op, av in items:
        full = _full_set(op, av, bound, sets)
        if full is None or len(cur) * len(full) > _MAX_SET:
            return None
        cur = {a + b for a in cur for b in full}
    return cur


def _prefix_set(op: object, av: object, bound: str = "") -> set[str] | None:
    """Literal prefixes (one per alternative) of an element that is not fully literal."""
    name = str(op)
    if name == "BRANCH":
        result: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            pre = _prefix_seq(list(branch), bound)
            if not pre:
                return None
            result |= pre
        return result
    if name == "SUBPATTERN":
        return _prefix_seq(list(av[-1]), bound) or None  # type: ignore[index]
    return None


def _prefix_seq(items: list, bound: str = "") -> set[str]:
    cur = {""}
    for op, av in items:
        full = _full_set(op, av, bound)
        if full is None or len(cur) * len(full) > _MAX_SET:
            pre = _prefix_set(op, av, bound)
            if pre and len(cur) * len(pre) <= _MAX_SET:
                cur = {a + b for a in cur for b in pre}
            break
        cur = {a + b for a in cur for b in full}
    return cur if all(cur) else set()


_MAX_NEED_OFFSET = 200  # farther literals are not worth checking for
_RARE = frozenset("$£€¥%@#&+=*~^")  # signs rare enough in ads for one of them to be worth looking for


def regex_needs(pattern: str, most: int = 2) -> list[tuple[frozenset[str], int]]:
    """Literal parts every match of ``pattern`` holds after its first character: (the strings
    the part can be, the farthest the part can start from the match's start), the most selective
    first (digits and signs before letters, longer before shorter).

    ``\\bwork\\b[^.]{0,20}?\\b(?:1[3-9]|2[0-4]) hours`` gives ({'13', ..., '24'}, 24): the
    engine skips trying the regex at a "work" that no such number follows that closely."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return []
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return []
    items = list(parsed)
    found: list[tuple[tuple[bool, int, int], frozenset[str], int]] = []
    for j in range(1, len(items)):
        low, reach = _sre_parse.SubPattern(parsed.state, items[:j]).getwidth()
        if reach > _MAX_NEED_OFFSET:
            break  # an unbounded part before: the parts after it are out of reach
        op, av = items[j]
        words = _full_set(op, av, sets=True)
        if low == 0 or not words or len(words) > _MAX_SET:
            continue  # the part may be the match's first (then it is the anchor word itself)
        if not all(len(w.strip()) >= 3 or any(c in _RARE for c in w) or (len(w) >= 2 and any(c.isdigit() for c in w))
                   for w in words):
            continue  # spaces, punctuation and short words are too common to tell anything
        rank = (all(any(not c.isalpha() for c in w) for w in words), min(len(w) for w in words), -len(words))
        found.append((rank, frozenset(words), reach))
    found.sort(key=lambda f: f[0], reverse=True)
    return [(words, reach) for _, words, reach in found[:most]]

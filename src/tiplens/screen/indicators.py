"""Finding the catalogue's indicators in text, fast, with evidence spans in the original.

One Aho-Corasick automaton (ahocorasick_rs) holds every literal phrase of the catalogue, after
expansion of ``{a|b}`` alternatives and normalisation, plus the words regular expressions
(``regex`` module) start with: a regular expression is tried only where one of those words
starts (and not where a word character follows a word that the expression needs to end at a
word boundary), only when the literal parts every match holds occur within reach after it
(``regex_needs``), or, if it has no such words, over the whole text when one of its other
literal words occurs. One pass of the automaton over the text does the work; everything is
compiled once per catalogue.

The automaton is a DFA over the keys' first ``PREFIX`` characters (8,195 prefixes of the
41,726 keys of the bundled catalogue); a longer key is confirmed where its prefix matches. A DFA
of the whole keys took 165 MB more; a contiguous NFA of them was compact but follows failure
links on real text, and its pass was the slower one.

Negation: a match of a ``negatable`` indicator is cancelled when a negator ("no", "never",
"without", "tanpa", "tidak", "bebas", ...) stands among the five words before it in the same
clause, when "free", "gratis", "waived", "ditanggung" ... follows it, or when it overlaps a span
of one of the indicator's own ``negations`` patterns ("no registration, processing or placement
fees", "biaya ditanggung perusahaan"). "except", "kecuali", "selain", "but" stop the look-back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs
import regex

from tiplens.knowledge.indicators import Catalogue, Indicator, expand, load_indicators
from tiplens.screen.normalise import Normalised, normalise
from tiplens.screen.regex_words import regex_anchor_ends, regex_needs, regex_triggers, starts_at_word_boundary

LANGS = ("en", "id", "any")
EN, ID = 1, 2
ALL = EN | ID
_MASK = {"en": EN, "id": ID, "any": ALL}  # the languages a pattern listed under LANGS serves
_NEED = {"en": EN, "id": ID, "all": ALL}
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

PRE_NEGATORS = frozenset(
    "no not never without zero none nor neither free don't dont doesn't doesnt won't wont isn't isnt "
    "aren't arent cannot can't cant "
    "tidak tak tdk tanpa tnp bukan bkn belum jangan jgn gak ga nggak enggak ngga gk bebas gratis nol tiada".split())
POST_NEGATORS = frozenset(
    "free waived none nil zero gratis ditanggung dibebaskan digratiskan covered reimbursed refunded nol".split())
RESETS = frozenset("except but however besides kecuali tapi tetapi namun selain".split())
_PRE_BOUNDARY = re.compile(r"[.!?;:\n•|,()\[\]]")
_POST_BOUNDARY = re.compile(r"[.!?;\n•|,()\[\]]")
_WORD = re.compile(r"[a-z0-9']+")
PRE_WINDOW = 5
POST_WINDOW = 2
NEGATION_REACH = 160  # characters around a match searched for the indicator's negation patterns


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence: ``text == original[start:end]``."""

    id: str
    label: str
    ilo: str | None
    palermo: str | None
    start: int
    end: int
    text: str
    weight: float

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "ilo": self.ilo, "palermo": self.palermo,
                "start": self.start, "end": self.end, "text": self.text}


class Engine:
    """The compiled catalogue. Build once (``engine()`` caches it) and call :meth:`find`."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.indicators: tuple[Indicator, ...] = catalogue.indicators
        self._regexes: list[tuple[int, regex.Pattern[str], int]] = []  # indicator, expression, languages
        self._always: list[int] = []  # regexes with no usable literal word: run on every text
        # per regex, its needed literal parts (shared by regexes that need the same words) and
        # how far after a match's start each may start
        self._reach: list[tuple[tuple[int, int], ...]] = []
        parts: dict[frozenset[str], int] = {}
        # one automaton for every language: each entry carries the languages it belongs to (a bit
        # mask), so English-only and all-language matches come from the same pass
        keys: dict[str, dict[tuple, int]] = {}
        for k, ind in enumerate(self.indicators):
            for lang in LANGS:
                mask = _MASK[lang]
                for pat in ind.patterns(lang):
                    if pat.startswith("re:"):
                        ri = len(self._regexes)
                        self._regexes.append((k, regex.compile(pat[3:]), mask))
                        needs = regex_needs(pat[3:])
                        self._reach.append(tuple((parts.setdefault(words, len(parts)), reach)
                                                 for words, reach in needs))
                        for words, _ in needs:  # a regex is tried only near them
                            for word in words:
                                _add(keys, word, ("N", parts[words]), mask)
                        anchors = regex_anchor_ends(pat[3:])
                        triggers = None if anchors else regex_triggers(pat[3:])
                        if anchors:  # run the regex only where one of its first words starts
                            bounded = starts_at_word_boundary(pat[3:])
                            for word, ends in anchors.items():
                                kind = "B" if bounded and word[0] in _ASCII_WORD else "A"
                                if ends and word[-1] in _ASCII_WORD:
                                    kind += "E"  # and not where a word character follows it
                                _add(keys, word, (kind, ri), mask)
                        elif triggers is None:
                            self._always.append(ri)
                        else:
                            for word in triggers:
                                _add(keys, word, ("T", ri), mask)
                        continue
                    for phrase in expand(pat):
                        key = _key(phrase)
                        if key:
                            _add(keys, key, ("L", k, _is_word(key[0]), _is_word(key[-1])), mask)
        self._keys = keys
        self._automaton: _Automaton | None | bool = False  # built on first use
        self._negations = [tuple(regex.compile(n) for n in ind.negations) for ind in self.indicators]

    def find(self, text: str | Normalised, lang: str | None = None) -> list[Match]:
        """Indicators in ``text`` (a string or an already normalised text), sorted by position.

        ``lang`` 'en' or 'id' restricts the patterns to that language (language-neutral patterns
        always apply); None (the default) uses both, which suits mixed-language posts.
        """
        n = text if isinstance(text, Normalised) else normalise(text)
        return [self._evidence(n, k, s, e) for k, s, e in self._spans(n, lang)]

    def find_and_count(self, text: str | Normalised, lang: str | None = None) -> tuple[list[Match], dict[str, int]]:
        """:meth:`find` for ``lang``, and the matches per indicator id with every language's
        patterns (what :meth:`counts` gives with ``lang=None``, zeros left out), from one pass."""
        n = text if isinstance(text, Normalised) else normalise(text)
        kept, kept_all = self._spans_both(n, lang)
        counts: dict[str, int] = {}
        for k, _, _ in kept_all:
            i = self.indicators[k].id
            counts[i] = counts.get(i, 0) + 1
        return [self._evidence(n, k, s, e) for k, s, e in kept], counts

    def counts(self, text: str | Normalised, lang: str | None = None) -> dict[str, int]:
        """Matches per indicator id (every id present, zeros included)."""
        out = dict.fromkeys((i.id for i in self.indicators), 0)
        n = text if isinstance(text, Normalised) else normalise(text)
        for k, _, _ in self._spans(n, lang):
            out[self.indicators[k].id] += 1
        return out

    # -- internals ---------------------------------------------------------------------------
    def _spans(self, n: Normalised, lang: str | None) -> list[tuple[int, int, int]]:
        return self._keep(n, self._candidates(n.flat, _NEED.get(lang or "all", ALL)), {})

    def _spans_both(self, n: Normalised, lang: str | None) -> tuple[list[tuple[int, int, int]],
                                                                   list[tuple[int, int, int]]]:
        """Kept spans for ``lang`` and for every language (the same list when ``lang`` is None)."""
        cands = self._candidates(n.flat)
        need = _NEED.get(lang or "all", ALL)
        negated: dict[tuple[int, int, int], bool] = {}
        kept_all = self._keep(n, cands, negated)
        if need == ALL:
            return kept_all, kept_all
        return self._keep(n, [c for c in cands if c[3] & need], negated), kept_all

    def _candidates(self, flat: str, need: int = ALL) -> list[tuple[int, int, int, int]]:
        """Every match of every pattern for the languages in ``need``, as (indicator, start, end,
        languages); the other languages' regular expressions are not run."""
        automaton = self._automaton
        if automaton is False:
            automaton = self._automaton = _automaton(self._keys)
        size = len(flat)
        cands: list[tuple[int, int, int, int]] = []
        triggered: set[int] = set(self._always)
        anchored: set[tuple[int, int]] = set()
        near: dict[int, list[int]] = {}  # needed part: where its words start
        if automaton is not None:
            ac, exact, longer = automaton  # type: ignore[misc]
            hits = []  # (value, start, end) of every key found
            for i, s, e in ac.find_matches_as_indexes(flat, overlapping=True):
                value = exact[i]
                if value is not None:
                    hits.append((value, s, e))
                for key, value in longer[i]:
                    if flat.startswith(key, s):
                        hits.append((value, s, s + len(key)))
            for (lits, rxs, trigs, needed), s, e in hits:
                for part in needed:
                    near.setdefault(part, []).append(s)
                if rxs:
                    bounded, free, bounded_end, free_end = rxs
                    # a \b before (after) the word cannot match next to an ASCII word character
                    right = not (e < size and flat[e] in _ASCII_WORD)
                    if not (s and flat[s - 1] in _ASCII_WORD):
                        for ri in bounded:
                            anchored.add((ri, s))
                        if right:
                            for ri in bounded_end:
                                anchored.add((ri, s))
                    for ri in free:
                        anchored.add((ri, s))
                    if right:
                        for ri in free_end:
                            anchored.add((ri, s))
                if trigs:
                    triggered.update(trigs)
                for k, ws, we, mask in lits:
                    if mask & need and not ((ws and s > 0 and _is_word(flat[s - 1]))
                            or (we and e < size and _is_word(flat[e]))):
                        cands.append((k, s, e, mask))
        regexes, reaches = self._regexes, self._reach
        for ri, start in anchored:
            k, rx, mask = regexes[ri]
            if not mask & need or (reaches[ri] and not _within(near, start, reaches[ri])):
                continue  # a literal part every match holds is not within reach
            m = rx.match(flat, start)
            if m is not None and m.end() > m.start():
                cands.append((k, m.start(), m.end(), mask))
        for ri in sorted(triggered):
            k, rx, mask = regexes[ri]
            if not mask & need:
                continue
            cands.extend((k, m.start(), m.end(), mask) for m in rx.finditer(flat) if m.end() > m.start())
        return cands

    def _keep(self, n: Normalised, cands: list[tuple[int, int, int, int]],
              negated: dict[tuple[int, int, int], bool]) -> list[tuple[int, int, int]]:
        """Drop overlapping matches of one indicator (the earlier, then longer, wins) and negated
        ones; sort by position. ``negated`` caches negation checks between calls on one text."""
        if not cands:
            return []
        kept: list[tuple[int, int, int]] = []
        last_k, last_end = -1, -1
        for k, s, e, _ in sorted(cands, key=lambda c: (c[0], c[1], -c[2])):
            if k == last_k and s < last_end:
                continue  # overlaps a longer or earlier match of the same indicator
            if self.indicators[k].negatable:
                key = (k, s, e)
                neg = negated.get(key)
                if neg is None:
                    neg = negated[key] = self._negated(n, k, s, e)
                if neg:
                    continue
            kept.append((k, s, e))
            last_k, last_end = k, e
        kept.sort(key=lambda c: (c[1], c[2], c[0]))
        return kept

    def _negated(self, n: Normalised, k: int, s: int, e: int) -> bool:
        text = n.text
        before = text[max(0, s - 80):s]
        cut = _last_boundary(before)
        words = _WORD.findall(before[cut:])[-PRE_WINDOW:]
        for w in reversed(words):
            if w in RESETS:
                break
            if w in PRE_NEGATORS:
                return True
        after = text[e:e + 40]
        m = _POST_BOUNDARY.search(after)
        if any(w in POST_NEGATORS for w in _WORD.findall(after[:m.start()] if m else after)[:POST_WINDOW]):
            return True
        if self._negations[k]:
            flat = n.flat  # a negation span must overlap the match: look only around it
            lo, hi = max(0, s - NEGATION_REACH), min(len(flat), e + NEGATION_REACH)
            return any(m.start() < e and s < m.end() for rx in self._negations[k] for m in rx.finditer(flat, lo, hi))
        return False

    def _evidence(self, n: Normalised, k: int, s: int, e: int) -> Match:
        a, b = n.span(s, e)
        original = n.original
        while a < b and original[a].isspace():
            a += 1
        while b > a and original[b - 1].isspace():
            b -= 1
        ind = self.indicators[k]
        return Match(ind.id, ind.label_en, ind.ilo, ind.palermo, a, b, original[a:b], ind.weight)


def _within(near: dict[int, list[int]], start: int, reaches: tuple[tuple[int, int], ...]) -> bool:
    """Whether each needed part starts somewhere in [start, start + its reach]."""
    for part, reach in reaches:
        end = start + reach
        for p in near.get(part, ()):
            if start <= p <= end:
                break
        else:
            return False
    return True


_PLAIN = re.compile(r"[a-z' ,./&+-]*")


def _key(phrase: str) -> str:
    """A literal phrase as the normaliser would write it (quickly, for plain lower-case words)."""
    low = phrase.lower()
    if _PLAIN.fullmatch(low) and "  " not in low and not re.search(r"(?:^|\W)\w\W\w\W\w(?:\W|$)", low):
        return low.strip()
    return normalise(phrase).flat.strip()


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _last_boundary(text: str) -> int:
    last = 0
    for m in _PRE_BOUNDARY.finditer(text):
        last = m.end()
    return last


def _add(keys: dict[str, dict[tuple, int]], key: str, entry: tuple, mask: int) -> None:
    entries = keys.setdefault(key, {})
    entries[entry] = entries.get(entry, 0) | mask


PREFIX = 16  # characters of a key the automaton holds (see the module docstring)
_Automaton = tuple[ahocorasick_rs.AhoCorasick, list[tuple | None], list[tuple[tuple[str, tuple], ...]]]


def _automaton(keys: dict[str, dict[tuple, int]]) -> _Automaton | None:
    """The automaton over the keys' prefixes (all overlapping matches, character offsets) and, by
    prefix index, the value of the key that is the prefix itself (or None) and the keys longer
    than the prefix with their values. A value: (literal entries (indicator, word start?, word
    end?, languages), anchored regexes, triggered regexes, the needed parts it is a word of).
    Anchored regexes: None, or the ones that start with \\b, the others, and the same two kinds
    that also need a \\b right after the key."""
    if not keys:
        return None
    values = []
    for entries in keys.values():
        lits = tuple((e[1], e[2], e[3], mask) for e, mask in entries.items() if e[0] == "L")
        rxs = tuple(tuple(e[1] for e in entries if e[0] == kind) for kind in ("B", "A", "BE", "AE"))
        trigs = tuple(e[1] for e in entries if e[0] == "T")
        needed = tuple(e[1] for e in entries if e[0] == "N")
        values.append((lits, rxs if any(rxs) else None, trigs, needed))
    exact: dict[str, tuple | None] = {}
    longer: dict[str, list[tuple[str, tuple]]] = {}
    for key, value in zip(keys, values, strict=True):
        prefix = key[:PREFIX]
        exact.setdefault(prefix, None)
        if key == prefix:
            exact[prefix] = value
        else:
            longer.setdefault(prefix, []).append((key, value))
    ac = ahocorasick_rs.AhoCorasick(list(exact), matchkind=ahocorasick_rs.MatchKind.Standard,
                                    implementation=ahocorasick_rs.Implementation.DFA)
    return ac, list(exact.values()), [tuple(longer.get(p, ())) for p in exact]


@lru_cache(maxsize=4)
def engine(path: str | None = None) -> Engine:
    """The compiled engine for the bundled catalogue (or the one at ``path``), built once."""
    return Engine(load_indicators(path))


def find(text: str, lang: str | None = None) -> list[Match]:
    """Indicators found in ``text``, with spans into ``text`` itself."""
    return engine().find(text, lang)


def indicator_vector(text: str, lang: str | None = None) -> dict[str, int]:
    """Number of matches per indicator id, every catalogue id present (for model features)."""
    return engine().counts(text, lang)


def feature_names() -> tuple[str, ...]:
    """Indicator ids in catalogue order (the keys of :func:`indicator_vector`)."""
    return engine().catalogue.ids

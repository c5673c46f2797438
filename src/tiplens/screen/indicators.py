"""Finding the catalogue's indicators in text, fast, with evidence spans in the original.

One Aho-Corasick automaton (pyahocorasick) holds every literal phrase of the catalogue, after
expansion of ``{a|b}`` alternatives and normalisation, plus the words regular expressions
(``regex`` module) start with: a regular expression is tried only where one of those words
starts (or, if it has no such words, over the whole text when one of its other literal words
occurs). One pass of the automaton over the text does the work; everything is compiled once
per catalogue.

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

import ahocorasick
import regex

from tiplens.knowledge.indicators import Catalogue, Indicator, expand, load_indicators
from tiplens.screen.normalise import Normalised, normalise
from tiplens.screen.regex_words import regex_anchors, regex_triggers

LANGS = ("en", "id", "any")

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
        self._regexes: list[tuple[int, regex.Pattern[str]]] = []
        self._always: dict[str, list[int]] = {"all": [], "en": [], "id": []}
        literal: dict[str, dict[str, list[tuple]]] = {"all": {}, "en": {}, "id": {}}
        for k, ind in enumerate(self.indicators):
            for lang in LANGS:
                targets = ("all", lang) if lang != "any" else ("all", "en", "id")
                for pat in ind.patterns(lang):
                    if pat.startswith("re:"):
                        ri = len(self._regexes)
                        self._regexes.append((k, regex.compile(pat[3:])))
                        anchors = regex_anchors(pat[3:])
                        triggers = None if anchors else regex_triggers(pat[3:])
                        for t in targets:
                            if anchors:  # run the regex only where one of its first words starts
                                for word in anchors:
                                    literal[t].setdefault(word, []).append(("A", ri, len(word)))
                            elif triggers is None:
                                self._always[t].append(ri)
                            else:
                                for word in triggers:
                                    literal[t].setdefault(word, []).append(("T", ri))
                        continue
                    for phrase in expand(pat):
                        key = _key(phrase)
                        if not key:
                            continue
                        entry = ("L", k, _is_word(key[0]), _is_word(key[-1]))
                        for t in targets:
                            literal[t].setdefault(key, []).append(entry)
        self._literal = literal
        self._automata: dict[str, ahocorasick.Automaton | None] = {}  # built on first use
        self._negations = [tuple(regex.compile(n) for n in ind.negations) for ind in self.indicators]

    def find(self, text: str | Normalised, lang: str | None = None) -> list[Match]:
        """Indicators in ``text`` (a string or an already normalised text), sorted by position.

        ``lang`` 'en' or 'id' restricts the patterns to that language (language-neutral patterns
        always apply); None (the default) uses both, which suits mixed-language posts.
        """
        n = text if isinstance(text, Normalised) else normalise(text)
        return [self._evidence(n, k, s, e) for k, s, e in self._spans(n, lang)]

    def counts(self, text: str | Normalised, lang: str | None = None) -> dict[str, int]:
        """Matches per indicator id (every id present, zeros included)."""
        out = dict.fromkeys((i.id for i in self.indicators), 0)
        n = text if isinstance(text, Normalised) else normalise(text)
        for k, _, _ in self._spans(n, lang):
            out[self.indicators[k].id] += 1
        return out

    # -- internals ---------------------------------------------------------------------------
    def _spans(self, n: Normalised, lang: str | None) -> list[tuple[int, int, int]]:
        which = lang if lang in ("en", "id") else "all"
        flat = n.flat
        size = len(flat)
        cands: list[tuple[int, int, int]] = []
        triggered: set[int] = set(self._always[which])
        anchored: set[tuple[int, int]] = set()
        if which not in self._automata:
            self._automata[which] = _automaton(self._literal[which])
        automaton = self._automata[which]
        if automaton is not None:
            for end, (klen, entries) in automaton.iter(flat):
                s = end - klen + 1
                for ent in entries:
                    if ent[0] == "A":
                        anchored.add((ent[1], end + 1 - ent[2]))
                    elif ent[0] == "T":
                        triggered.add(ent[1])
                    elif not ((ent[2] and s > 0 and _is_word(flat[s - 1]))
                              or (ent[3] and end + 1 < size and _is_word(flat[end + 1]))):
                        cands.append((ent[1], s, end + 1))
        for ri, start in anchored:
            k, rx = self._regexes[ri]
            m = rx.match(flat, start)
            if m is not None and m.end() > m.start():
                cands.append((k, m.start(), m.end()))
        for ri in sorted(triggered):
            k, rx = self._regexes[ri]
            cands.extend((k, m.start(), m.end()) for m in rx.finditer(flat) if m.end() > m.start())
        if not cands:
            return []
        kept: list[tuple[int, int, int]] = []
        cands.sort(key=lambda c: (c[0], c[1], -c[2]))
        last_k, last_end = -1, -1
        for k, s, e in cands:
            if k == last_k and s < last_end:
                continue  # overlaps a longer or earlier match of the same indicator
            ind = self.indicators[k]
            if ind.negatable and self._negated(n, k, s, e):
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


def _automaton(keys: dict[str, list[tuple]]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    a = ahocorasick.Automaton()
    for key, entries in keys.items():
        a.add_word(key, (len(key), tuple(dict.fromkeys(entries))))
    a.make_automaton()
    return a


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

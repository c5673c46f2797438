"""Matching the products people write in supplier lists to the names in the reference
lists (DOL goods, GSI G20 at-risk products), saying how each match was made and when it
is uncertain.

Words are folded (case, accents, plurals) and compared as sets. A reference name matches
a product when:

- ``exact``: the words are the same;
- ``synonym``: a phrase of the bundled vocabulary (``knowledge/supply_products.yaml``)
  occurs in the product and stands for the name ("t-shirts" -> Garments);
- ``contains``: every main word of the name occurs in the product ("organic cocoa beans"
  -> Cocoa); words in parentheses and generic words ("ore", "crude") are not required;
- ``fuzzy``: every main word of the name is close to a word of the product (difflib
  similarity); 90 or more counts as a match, 80-89 as an *uncertain* match that a person
  should check ("cocao" ~ Cocoa).

Uncertain matches are only offered when there is no certain one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

CERTAIN = 90
UNCERTAIN = 80
MAX_UNCERTAIN = 3

STOPWORDS = frozenset("a an and or of the with in for from to by on at nec other others etc".split())
WEAK = frozenset("ore product good crude refined raw hand rolled hybrid mineral stimulant plant".split())
GENERIC = frozenset("oil stone fruit part component accessory".split())  # never enough on their own
_METHOD_RANK = {"exact": 3, "contains": 2, "synonym": 1, "fuzzy": 0}


@dataclass(frozen=True)
class Match:
    product: str
    name: str  # the reference name as the publisher writes it
    score: int  # 0-100
    method: str  # exact | synonym | contains | fuzzy
    certain: bool


def singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("oes"):
        return word[:-2]
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def words(text: str | None) -> tuple[str, ...]:
    """Folded, singular content words of ``text`` (single letters and stopwords dropped)."""
    if not text:
        return ()
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    out = []
    for w in re.split(r"[^0-9a-z]+", text):
        if len(w) > 1 and w not in STOPWORDS:
            out.append(singular(w))
    return tuple(out)


def alternatives(name: str) -> list[frozenset[str]]:
    """The word sets that stand for a reference name: the text outside parentheses, split
    on '/', without weak words ("ore", "crude"; kept when nothing else is left). When that
    leaves only a generic word ("Oil (Palm)"), the words in parentheses are required too."""
    full = frozenset(words(name)) - WEAK or frozenset(words(name))
    main = re.sub(r"\([^)]*\)", " ", name)
    alts = []
    for part in main.split("/"):
        ws = frozenset(words(part))
        strong = ws - WEAK or ws
        if strong and strong <= GENERIC:
            strong = full
        if strong:
            alts.append(frozenset(strong))
    return alts or [full]


@dataclass(frozen=True)
class _Rule:
    phrases: tuple[frozenset[str], ...]
    names: tuple[str, ...]
    sector: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    synonyms: tuple[_Rule, ...]
    exclusions: tuple[_Rule, ...]
    sectors: tuple[tuple[str, frozenset[str]], ...]  # (broad sector, phrase words)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = resources.files("tiplens.knowledge").joinpath("supply_products.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)

    def rules(items: list[dict]) -> tuple[_Rule, ...]:
        return tuple(_Rule(tuple(frozenset(words(p)) for p in item["phrases"]), tuple(item.get("names") or ()),
                           item.get("sector")) for item in items)

    sectors = tuple((sector, frozenset(words(p))) for sector, phrases in data["sectors"].items() for p in phrases)
    return Vocabulary(rules(data["synonyms"]), rules(data.get("not") or []), sectors)


@lru_cache(maxsize=65536)
def _similarity(a: str, b: str) -> int:
    if a == b:
        return 100
    if len(a) < 4 or len(b) < 4:
        return 0
    m = difflib.SequenceMatcher(None, a, b)
    if m.real_quick_ratio() < UNCERTAIN / 100 or m.quick_ratio() < UNCERTAIN / 100:
        return 0
    return int(round(100 * m.ratio()))


def _fold(name: str) -> str:
    return " ".join(words(name)) or name.casefold()


class Matcher:
    """Matches products against one list of reference names."""

    def __init__(self, names: Iterable[str], vocab: Vocabulary | None = None) -> None:
        self.names = sorted({n for n in names if n and str(n).strip()})
        self.vocab = vocab or vocabulary()
        self._alts = {n: alternatives(n) for n in self.names}
        self._full = {n: frozenset(words(n)) for n in self.names}
        by_fold: dict[str, list[str]] = {}
        for n in self.names:
            by_fold.setdefault(_fold(n), []).append(n)
        self._by_fold = by_fold

    def _named(self, target: str) -> list[str]:
        return self._by_fold.get(_fold(target), [])

    def match(self, product: str | None) -> tuple[Match, ...]:
        if not product or not str(product).strip():
            return ()
        ws = frozenset(words(product))
        if not ws:
            return ()
        excluded = {n for rule in self.vocab.exclusions if any(p <= ws for p in rule.phrases)
                    for t in rule.names for n in self._named(t)}
        found: dict[str, Match] = {}

        def keep(m: Match) -> None:
            old = found.get(m.name)
            rank = (m.certain, m.score, _METHOD_RANK[m.method])
            if m.name not in excluded and (old is None or rank > (old.certain, old.score, _METHOD_RANK[old.method])):
                found[m.name] = m

        for rule in self.vocab.synonyms:
            if any(p and p <= ws for p in rule.phrases):
                for target in rule.names:
                    for n in self._named(target):
                        keep(Match(product, n, 100, "synonym", True))
        for n in self.names:
            if ws == self._full[n] or any(ws == a for a in self._alts[n]):
                keep(Match(product, n, 100, "exact", True))
                continue
            if any(a and a <= ws for a in self._alts[n]):
                keep(Match(product, n, 100, "contains", True))
                continue
            best = max((min(max(_similarity(g, p) for p in ws) for g in a) for a in self._alts[n] if a), default=0)
            if best >= UNCERTAIN:
                keep(Match(product, n, best, "fuzzy", best >= CERTAIN))
        certain = sorted((m for m in found.values() if m.certain), key=lambda m: m.name)
        if certain:
            return tuple(certain)
        unsure = sorted(found.values(), key=lambda m: (-m.score, m.name))
        return tuple(unsure[:MAX_UNCERTAIN])


def broad_sector(sector: str | None, product: str | None, vocab: Vocabulary | None = None) -> str | None:
    """The broad sector named by a supplier's sector text, else by its product text, when
    exactly one sector fits; None when none or several do."""
    vocab = vocab or vocabulary()
    for text in (sector, product):
        ws = frozenset(words(text))
        if not ws:
            continue
        hits = {s for s, phrase in vocab.sectors if phrase and phrase <= ws}
        if text is product:
            hits |= {r.sector for r in vocab.synonyms if r.sector and any(p and p <= ws for p in r.phrases)}
        if len(hits) > 1:
            hits.discard("Services")  # "construction services", "cleaning services": the other word decides
        if len(hits) == 1:
            return hits.pop()
        if len(hits) > 1:
            return None
    return None

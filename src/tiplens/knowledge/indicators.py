"""The screening indicator catalogue (``indicators.yaml``): typed, validated, cached.

Each :class:`Indicator` maps phrases in English and Indonesian to an ILO indicator of forced
labour, an element of the Palermo Protocol definition and a form of exploitation, with a weight
for the rules score. Literal patterns may use ``{a|b|}`` alternatives (expanded here); patterns
that start with ``re:`` are regular expressions for the ``regex`` module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from tiplens.errors import BadInput

DEFAULT_PATH = Path(__file__).with_name("indicators.yaml")

ILO_INDICATORS = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
    "physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
    "withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions", "excessive_overtime",
)
PALERMO = ("act", "means", "purpose")
GROUPS = ("recruitment", "conditions", "sex_ad", "criminality", "marriage", "organs", "children")
MAX_WEIGHT = 3.0
MAX_EXPANSIONS = 20000  # per pattern: a typo in braces should not explode silently


@dataclass(frozen=True)
class Indicator:
    id: str
    label_en: str
    label_id: str
    group: str
    ilo: str | None
    palermo: str | None
    form: str | None
    weight: float
    negatable: bool = True
    patterns_en: tuple[str, ...] = ()
    patterns_id: tuple[str, ...] = ()
    patterns_any: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def patterns(self, lang: str) -> tuple[str, ...]:
        """Patterns for 'en', 'id' or 'any' (language-neutral, e.g. emoji)."""
        return {"en": self.patterns_en, "id": self.patterns_id, "any": self.patterns_any}[lang]

    def label(self, lang: str = "en") -> str:
        return self.label_id if lang == "id" else self.label_en


@dataclass(frozen=True)
class Combination:
    """Extra weight when all of ``ids`` are present in one text."""

    ids: tuple[str, ...]
    weight: float
    label_en: str
    label_id: str


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    combinations: tuple[Combination, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)


def expand(pattern: str) -> list[str]:
    """Expand ``{a|b|}`` alternatives (nesting allowed) into literal phrases.

    >>> expand("fee{s|}")
    ['fees', 'fee']
    """
    out, pos = _seq(pattern, 0, top=True)
    if pos != len(pattern):
        raise ValueError(f"unbalanced '}}' at position {pos} in {pattern!r}")
    if len(out) > MAX_EXPANSIONS:
        raise ValueError(f"{pattern!r} expands to {len(out)} phrases (more than {MAX_EXPANSIONS})")
    return [" ".join(p.split()) for p in out if p.strip()]


def _seq(s: str, i: int, top: bool) -> tuple[list[str], int]:
    results = [""]
    while i < len(s):
        ch = s[i]
        if ch == "{":
            alts, i = _group(s, i + 1)
            results = [r + a for r in results for a in alts]
            if len(results) > MAX_EXPANSIONS:
                raise ValueError(f"{s!r} expands to more than {MAX_EXPANSIONS} phrases")
        elif ch in "|}":
            if top:
                raise ValueError(f"unexpected {ch!r} at position {i} in {s!r}")
            return results, i
        else:
            j = i
            while j < len(s) and s[j] not in "{|}":
                j += 1
            results = [r + s[i:j] for r in results]
            i = j
    return results, i


def _group(s: str, i: int) -> tuple[list[str], int]:
    alts: list[str] = []
    while True:
        part, i = _seq(s, i, top=False)
        alts.extend(part)
        if i >= len(s):
            raise ValueError(f"unclosed '{{' in {s!r}")
        if s[i] == "}":
            return alts, i + 1
        i += 1  # '|'


def load_indicators(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue (the bundled one when ``path`` is None; cached)."""
    return _load(str(path) if path else str(DEFAULT_PATH))


@lru_cache(maxsize=8)
def _load(path: str) -> Catalogue:
    from tiplens.knowledge.forms import form_ids

    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{p}: no such indicator catalogue") from None
    except yaml.YAMLError as exc:
        raise BadInput(f"{p}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise BadInput(f"{p}: expected a mapping with an 'indicators' list")
    sources = {k: (v.get("cite", "") if isinstance(v, dict) else str(v)) for k, v in (raw.get("sources") or {}).items()}
    forms = form_ids()
    indicators = [_indicator(p, item, sources, forms) for item in raw["indicators"]]
    seen: set[str] = set()
    for ind in indicators:
        if ind.id in seen:
            raise BadInput(f"{p}: indicator id {ind.id!r} appears twice")
        seen.add(ind.id)
    combos = tuple(_combination(p, c, seen) for c in raw.get("combinations") or [])
    return Catalogue(tuple(indicators), combos, sources, str(p))


def _indicator(p: Path, item: Any, sources: dict[str, str], forms: set[str]) -> Indicator:
    if not isinstance(item, dict) or not item.get("id"):
        raise BadInput(f"{p}: every indicator needs an 'id' ({item!r:.80})")
    iid = str(item["id"])

    def bad(msg: str) -> BadInput:
        return BadInput(f"{p}: indicator {iid!r}: {msg}")

    if not regex.fullmatch(r"[a-z][a-z0-9_]*", iid):
        raise bad("id must be lower_snake_case")
    for key in ("label_en", "label_id"):
        if not str(item.get(key) or "").strip():
            raise bad(f"{key} is missing")
    if item.get("group") not in GROUPS:
        raise bad(f"group {item.get('group')!r} is not one of {', '.join(GROUPS)}")
    if item.get("ilo") is not None and item["ilo"] not in ILO_INDICATORS:
        raise bad(f"ilo {item['ilo']!r} is not one of the ILO indicators ({', '.join(ILO_INDICATORS)}) or null")
    if item.get("palermo") is not None and item["palermo"] not in PALERMO:
        raise bad(f"palermo {item['palermo']!r} is not act, means, purpose or null")
    if item.get("form") is not None and item["form"] not in forms:
        raise bad(f"form {item['form']!r} is not a form id in forms.yaml ({', '.join(sorted(forms))})")
    try:
        weight = float(item["weight"])
    except (KeyError, TypeError, ValueError):
        raise bad("weight must be a number") from None
    if not 0 < weight <= MAX_WEIGHT:
        raise bad(f"weight {weight} is outside (0, {MAX_WEIGHT}]")
    pats = {lang: tuple(str(x) for x in item.get(f"patterns_{lang}") or []) for lang in ("en", "id", "any")}
    if not any(pats.values()):
        raise bad("no patterns (patterns_en, patterns_id or patterns_any)")
    for plist in pats.values():
        for pat in plist:
            _check_pattern(pat, bad)
    negations = tuple(str(x) for x in item.get("negations") or [])
    for neg in negations:
        try:
            regex.compile(neg)
        except regex.error as exc:
            raise bad(f"negation {neg!r} is not a valid regex ({exc})") from None
    srcs = tuple(str(s) for s in item.get("sources") or [])
    unknown = [s for s in srcs if s not in sources]
    if unknown:
        raise bad(f"unknown source id(s) {unknown}")
    return Indicator(
        id=iid, label_en=str(item["label_en"]).strip(), label_id=str(item["label_id"]).strip(),
        group=item["group"], ilo=item.get("ilo"), palermo=item.get("palermo"), form=item.get("form"),
        weight=weight, negatable=bool(item.get("negatable", True)),
        patterns_en=pats["en"], patterns_id=pats["id"], patterns_any=pats["any"],
        negations=negations, sources=srcs,
    )


def _check_pattern(pat: str, bad: Any) -> None:
    if not pat.strip():
        raise bad("empty pattern")
    if pat.startswith("re:"):
        try:
            rx = regex.compile(pat[3:])
        except regex.error as exc:
            raise bad(f"pattern {pat!r} is not a valid regex ({exc})") from None
        if rx.search(""):
            raise bad(f"pattern {pat!r} matches the empty string")
        return
    try:
        if not expand(pat):
            raise bad(f"pattern {pat!r} expands to nothing")
    except ValueError as exc:
        raise bad(str(exc)) from None


def _combination(p: Path, item: Any, ids: set[str]) -> Combination:
    if not isinstance(item, dict) or not isinstance(item.get("ids"), list) or len(item["ids"]) < 2:
        raise BadInput(f"{p}: a combination needs 'ids' with two or more indicator ids ({item!r:.80})")
    missing = [i for i in item["ids"] if i not in ids]
    if missing:
        raise BadInput(f"{p}: combination {item['ids']} refers to unknown indicator(s) {missing}")
    weight = float(item.get("weight", 0))
    if not 0 < weight <= MAX_WEIGHT:
        raise BadInput(f"{p}: combination {item['ids']}: weight {weight} is outside (0, {MAX_WEIGHT}]")
    return Combination(tuple(item["ids"]), weight, str(item.get("label_en", "")), str(item.get("label_id", "")))


def catalogue_markdown(catalogue: Catalogue | None = None) -> str:
    """The catalogue as a Markdown table (for docs/screen.md)."""
    cat = catalogue or load_indicators()
    rows = ["| id | label (en) | label (id) | ILO indicator | Palermo | form | weight | phrases en / id |",
            "|---|---|---|---|---|---|---|---|"]
    for i in cat.indicators:
        n_en = _n_phrases(i.patterns_en + i.patterns_any)
        n_id = _n_phrases(i.patterns_id + i.patterns_any)
        rows.append(f"| `{i.id}` | {i.label_en} | {i.label_id} | {i.ilo or '-'} | {i.palermo or '-'} | "
                    f"{i.form or '-'} | {i.weight:g} | {n_en} / {n_id} |")
    rows.append("")
    rows.append("| combination | extra weight |")
    rows.append("|---|---|")
    for c in cat.combinations:
        rows.append(f"| {c.label_en} (`{'` + `'.join(c.ids)}`) | {c.weight:g} |")
    return "\n".join(rows) + "\n"


def _n_phrases(patterns: tuple[str, ...]) -> int:
    """Literal phrases after expansion, plus one per regular expression."""
    return sum(1 if p.startswith("re:") else len(expand(p)) for p in patterns)

"""The bilingual theme codebook (``social_codebook.yaml``): typed loader, validation with
clear errors, and the translation of keyword patterns into one regular expression per
theme that DuckDB (RE2), Spark (Java) and Python all read the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from tiplens.errors import BadInput

GROUPS = ("campaign", "context", "exploitation")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
# constructs RE2 (DuckDB) does not support: look-arounds, back-references, possessive/atomic groups
_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?>|[*+?}]\+")


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    group: str
    description: str
    patterns: tuple[tuple[str, tuple[str, ...]], ...]  # (language, patterns)

    @property
    def regex(self) -> str:
        """One case-insensitive regular expression matching any of the theme's patterns."""
        parts = [pattern_regex(p) for _, pats in self.patterns for p in pats]
        return "(?i)(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    themes: tuple[Theme, ...]
    source: str  # "bundled" or the file path

    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.themes)

    def theme(self, key: str) -> Theme:
        for t in self.themes:
            if t.key == key:
                return t
        raise KeyError(key)


def pattern_regex(pattern: str) -> str:
    """Keyword syntax -> regex: whole words, '*' suffix = any word ending, spaces = any spaces;
    a 're:' prefix passes a regular expression through."""
    if pattern.startswith("re:"):
        return "(?:" + pattern[3:] + ")"
    words = pattern.split()
    out = []
    for w in words:
        star = w.endswith("*")
        core = re.escape(w.rstrip("*"))
        out.append(core + (r"\w*" if star else ""))
    body = r"\s+".join(out)
    lead = r"\b" if re.match(r"\w", pattern) else ""
    trail = r"\b" if re.search(r"\w$", pattern) else ""
    return lead + body + trail


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook; ``None`` loads the bundled one. Raises BadInput."""
    if path is None:
        text = resources.files("tiplens.knowledge").joinpath("social_codebook.yaml").read_text(encoding="utf-8")
        where, source = "social_codebook.yaml (bundled)", "bundled"
    else:
        p = Path(path)
        if not p.is_file():
            raise BadInput(f"{p}: codebook not found")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise BadInput(f"{p}: codebook is not UTF-8 text") from None
        where = source = str(p)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise BadInput(f"{where}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise BadInput(f"{where}: expected a top-level 'themes:' list with at least one theme")
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["themes"], start=1):
        theme = _theme(entry, i, where)
        if theme.key in seen:
            raise BadInput(f"{where}: theme key {theme.key!r} is used twice")
        seen.add(theme.key)
        themes.append(theme)
    return Codebook(name=str(data.get("name") or Path(where).stem), version=str(data.get("version") or ""),
                    themes=tuple(themes), source=source)


def _theme(entry: object, i: int, where: str) -> Theme:
    if not isinstance(entry, dict):
        raise BadInput(f"{where}: theme #{i} is not a mapping with key, label and patterns")
    key = str(entry.get("key") or "").strip()
    if not _KEY.match(key):
        raise BadInput(f"{where}: theme #{i}: key {key!r} must start with a letter and use a-z, 0-9 and _")
    group = str(entry.get("group") or "campaign").strip()
    if group not in GROUPS:
        raise BadInput(f"{where}: theme {key}: group {group!r} is not one of {', '.join(GROUPS)}")
    pats = entry.get("patterns")
    if not isinstance(pats, dict) or not pats:
        raise BadInput(f"{where}: theme {key}: 'patterns' must map a language code (en, id, ...) to a list")
    patterns: list[tuple[str, tuple[str, ...]]] = []
    for lang, items in pats.items():
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise BadInput(f"{where}: theme {key}: {lang!r} is not a language code such as en or id")
        if not isinstance(items, list) or not items:
            raise BadInput(f"{where}: theme {key}: patterns for {lang!r} must be a non-empty list")
        clean = []
        for p in items:
            if not isinstance(p, str | int) or not str(p).strip():
                raise BadInput(f"{where}: theme {key}: {lang} pattern {p!r} is not text")
            clean.append(_check(str(p).strip(), key, lang, where))
        patterns.append((lang, tuple(clean)))
    return Theme(key=key, label=str(entry.get("label") or key).strip(), group=group,
                 description=str(entry.get("description") or "").strip(), patterns=tuple(patterns))


def _check(pattern: str, key: str, lang: str, where: str) -> str:
    if pattern.startswith("re:"):
        body = pattern[3:]
        if not body:
            raise BadInput(f"{where}: theme {key}: {lang} pattern 're:' has no expression")
        if _UNSUPPORTED.search(body):
            raise BadInput(f"{where}: theme {key}: {lang} pattern {pattern!r} uses a look-around, back-reference "
                           "or possessive quantifier, which DuckDB and Spark cannot run")
    elif any("*" in w.rstrip("*") or w.endswith("**") or w == "*" for w in pattern.split()):
        raise BadInput(f"{where}: theme {key}: {lang} pattern {pattern!r}: '*' is allowed only at the end of a word")
    try:
        re.compile(pattern_regex(pattern))
    except re.error as exc:
        raise BadInput(f"{where}: theme {key}: {lang} pattern {pattern!r} is not a valid expression ({exc})") from None
    return pattern

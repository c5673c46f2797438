"""Features of the screening model besides hashed n-grams: the shape of the text, the
indicator counts, and (only when asked for) metadata columns.

Indicator counts come through ONE adapter, :func:`indicator_vectors`: it uses the indicator
engine ``tiplens.screen.indicators`` when that module is installed, and otherwise a tiny built-in
list of regular expressions (:data:`FALLBACK_PATTERNS`, a fallback only: no negation handling,
English and Indonesian, a few recruitment-fraud red flags). The model records which source it
was trained with.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tiplens.screen.hashing import Occurrences

INDICATOR_ENGINE = "tiplens.screen.indicators"
FALLBACK_SOURCE = "fallback-regex"

# The fallback list: recruitment-fraud red flags named by the Indonesian Manpower Ministry and
# common to deceptive job ads (see issue 4), English and Indonesian, matched on lower-cased text.
# Each entry: id -> (keywords of which one must occur, regular expression).
FALLBACK_PATTERNS: dict[str, tuple[tuple[str, ...], str]] = {
    "fee_charged": ((" fee", "biaya "),
                    r"\b(?:registration|processing|placement|training|application|visa|medical)\s+fees?\b"
                    r"|\bbiaya\s+(?:pendaftaran|administrasi|pelatihan|penempatan|visa|medical)\b"),
    "no_experience_high_pay": (("experience need", "experience req", "experience is", "experience necess", "tanpa pengalaman",
                                "gaji besar", "gaji tinggi"),
                               r"\bno\s+(?:prior\s+)?experience\s+(?:is\s+)?(?:needed|required|necessary)\b"
                               r"|\btanpa\s+pengalaman\b|\bgaji\s+(?:besar|tinggi)\b"),
    "easy_money": (("earn ", "make ", "from home", "at home", "dari rumah"),
                   r"\b(?:earn|make)\s+(?:up\s+to\s+)?\$?\d[\d,.]*k?[^.\n]{0,20}?\b(?:per|a|/)\s*(?:day|week|hour)\b"
                   r"|\bwork\s+(?:from|at)\s+home\b|\bkerja\s+dari\s+rumah\b"),
    "personal_messaging": (("whatsapp", "whats app", "wa.me", "telegram", "t.me", "line id", "kik", "viber", "wechat"),
                           r"\b(?:whats\s?app|wa\.me|telegram|t\.me|line\s+id|kik|viber|wechat)\b"),
    "visit_visa": (("visa",),
                   r"\b(?:tourist|visit|visitor)\s+visas?\b|\bvisa\s+(?:kunjungan|turis|wisata|pelancong)\b"),
    "urgent_hiring": (("urgent", "segera"),
                      r"\burgent(?:ly)?\s+(?:hiring|needed|required)\b|\b(?:dibutuhkan|dicari)\s+segera\b"),
    "money_transfer": (("wire transfer", "western union", "moneygram", "money gram", "bitcoin", "gift card"),
                       r"\b(?:wire\s+transfer|western\s+union|money\s?gram|bitcoin|gift\s+cards?)\b"),
    "documents_held": (("passport", "paspor"),
                       r"\b(?:passports?|paspor)\b[^.\n]{0,40}?\b(?:kept|held|hold|keep|submit|surrender|ditahan|diserahkan)\b"),
    "no_contract": (("no contract", "no written", "tanpa kontrak", "tanpa perjanjian"),
                    r"\bno\s+(?:written\s+)?contract\b|\btanpa\s+(?:kontrak|perjanjian\s+kerja)\b"),
    "age_sex_limit": (("female", "women", "girl", "wanita", "perempuan"),
                      r"\b(?:female|women|girls?|wanita|perempuan)\b[^.\n]{0,30}?\b(?:aged?|usia|umur)\s*\d{2}\s*"
                      r"(?:-|to|sampai|s/d)\s*\d{2}\b"),
}
_FALLBACK = [(k, words, re.compile(rx)) for k, (words, rx) in FALLBACK_PATTERNS.items()]
_WINDOW = 80  # characters either side of a keyword; longer than any fallback match


def indicator_vectors(texts: Sequence[str]) -> tuple[str, list[dict[str, int]]]:
    """Indicator counts per text, and the name of the source that produced them.

    The only place the model touches the indicator engine: it is imported lazily, and when it
    is not installed the built-in fallback patterns are used instead."""
    if importlib.util.find_spec(INDICATOR_ENGINE) is None:
        return FALLBACK_SOURCE, [fallback_vector(t) for t in texts]
    engine = importlib.import_module(INDICATOR_ENGINE)  # present: its own errors are not hidden
    return INDICATOR_ENGINE, [dict(engine.indicator_vector(t)) for t in texts]


def fallback_vector(text: str) -> dict[str, int]:
    """Counts of the fallback patterns. A pattern is only tried in a window around each of its
    keywords (every match contains one), which keeps a 2 kB ad to a few microseconds."""
    low = " ".join(text.lower().split())  # one space between words, so keywords may span words
    out = {}
    for k, keywords, rx in _FALLBACK:
        spans: set[tuple[int, int]] = set()
        for w in keywords:
            i = low.find(w)
            while i >= 0:
                spans.update(m.span() for m in rx.finditer(low, max(0, i - _WINDOW), i + len(w) + _WINDOW))
                i = low.find(w, i + len(w))
        if spans:
            out[k] = len(spans)
    return out


def indicator_matrix(vectors: Sequence[Mapping[str, int]], ids: Sequence[str]) -> np.ndarray:
    """log(1 + count) per known indicator id; ids the model has not seen are ignored."""
    index = {k: j for j, k in enumerate(ids)}
    out = np.zeros((len(vectors), len(ids)), dtype=np.float64)
    for i, vec in enumerate(vectors):
        for k, v in vec.items():
            j = index.get(k)
            if j is not None and v:
                out[i, j] = math.log1p(v)
    return out


def indicator_ids(vectors: Sequence[Mapping[str, int]], min_count: int = 1) -> list[str]:
    seen: Counter[str] = Counter()
    for vec in vectors:
        seen.update(k for k, v in vec.items() if v)
    return sorted(k for k, n in seen.items() if n >= min_count)


# ---- the shape of the text (computed on the raw bytes of a hashed batch) ---------------------

STYLE_NAMES = ("log_bytes", "log_word_ngrams", "log_paragraphs", "log_lines", "upper_share", "digit_share",
               "non_ascii_share", "log_dollar", "log_exclaim", "log_at", "log_hash", "log_bullets")


# byte classes counted per text: 1 capital, 2 digit, 3 non-ASCII, 4 '$', 5 '!', 6 '@', 7 '#',
# 8 bullet ('*', '-', or the lead byte of '•'), 9 newline
_CLASS = bytes(1 if 65 <= b <= 90 else 2 if 48 <= b <= 57 else 8 if b in (0x2A, 0x2D, 0xE2) else
               3 if b >= 128 else {36: 4, 33: 5, 64: 6, 35: 7, 10: 9}.get(b, 0) for b in range(256))
_N_CLASSES = 10


def style_matrix(occ: Occurrences) -> np.ndarray:
    """One row per text: length, paragraphs, share of capitals and digits, money and punctuation
    marks. Counts enter as log(1 + n), shares as fractions of the text's bytes."""
    n, raw, starts = occ.n_docs, occ.raw, occ.starts
    if n == 0:
        return np.zeros((0, len(STYLE_NAMES)))
    lens = np.diff(np.append(starts, len(raw)))
    cls = np.frombuffer(raw.tobytes().translate(_CLASS), dtype=np.uint8)
    # only the few bytes of a class other than 0 are counted, each in its text's row
    hit = np.flatnonzero(cls != 0)
    doc_of = np.searchsorted(starts, hit, side="right") - 1
    counts = np.bincount(doc_of * _N_CLASSES + cls[hit], minlength=n * _N_CLASSES).reshape(n, _N_CLASSES)
    newline = np.flatnonzero(cls == 9)
    pair = np.flatnonzero(newline[1:] == newline[:-1] + 1)  # "\n\n" at newline[pair]
    first = pair[np.r_[True, pair[1:] != pair[:-1] + 1]] if len(pair) else pair  # one per run of blank lines
    paragraphs = np.bincount(np.searchsorted(starts, newline[first], side="right") - 1, minlength=n)
    words = np.bincount(occ.doc[occ.block == 0], minlength=n) if len(occ.doc) else np.zeros(n)
    n_text = np.maximum(lens - 2, 1).astype(np.float64)  # without the two padding spaces
    return np.column_stack([
        np.log1p(n_text), np.log1p(words), np.log1p(paragraphs), np.log1p(counts[:, 9]),
        counts[:, 1] / n_text, counts[:, 2] / n_text, counts[:, 3] / n_text,
        np.log1p(counts[:, 4]), np.log1p(counts[:, 5]), np.log1p(counts[:, 6]), np.log1p(counts[:, 7]),
        np.log1p(counts[:, 8]),
    ]).astype(np.float64)


# ---- metadata (explicit opt-in) -----------------------------------------------------------------

MAX_CATEGORIES = 30
MIN_CATEGORY_COUNT = 3
TEXT_MEDIAN_CHARS = 40  # a column whose present values have a median length of this or more is free text


def fit_metadata(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Describe how each metadata column is encoded: numeric (value and a missing flag), free
    text such as a company profile (a present flag and log(1 + characters), never the words, so
    one company's repeated profile does not become a feature), or categorical (one flag per
    frequent value, 'other' and 'missing')."""
    spec: list[dict[str, Any]] = []
    for name, values in columns.items():
        numbers = [_number(v) for v in values]
        present = [v for v in values if not _missing(v)]
        if present and all(n is not None for n, v in zip(numbers, values, strict=True) if not _missing(v)):
            spec.append({"column": name, "kind": "numeric"})
            continue
        lengths = sorted(len(str(v).strip()) for v in present)
        if lengths and lengths[len(lengths) // 2] >= TEXT_MEDIAN_CHARS:
            spec.append({"column": name, "kind": "text"})
            continue
        counts = Counter(str(v).strip().lower() for v in present)
        cats = [c for c, n in counts.most_common(MAX_CATEGORIES) if n >= MIN_CATEGORY_COUNT]
        spec.append({"column": name, "kind": "categorical", "categories": sorted(cats)})
    return spec


def metadata_names(spec: Sequence[Mapping[str, Any]]) -> list[str]:
    names: list[str] = []
    for s in spec:
        c = s["column"]
        if s["kind"] == "numeric":
            names += [f"{c}", f"{c}=missing"]
        elif s["kind"] == "text":
            names += [f"{c}=present", f"{c}:log_chars"]
        else:
            names += [f"{c}={v}" for v in s["categories"]] + [f"{c}=other", f"{c}=missing"]
    return names


def metadata_matrix(spec: Sequence[Mapping[str, Any]], columns: Mapping[str, Sequence[Any]], n: int) -> np.ndarray:
    blocks = []
    for s in spec:
        values = columns[s["column"]]
        if len(values) != n:
            raise ValueError(f"metadata column {s['column']!r} has {len(values)} values for {n} texts")
        if s["kind"] == "numeric":
            nums = [_number(v) for v in values]
            blocks.append(np.array([[x if x is not None else 0.0, float(x is None)] for x in nums]).reshape(n, 2))
        elif s["kind"] == "text":
            blocks.append(np.array([[0.0, 0.0] if _missing(v) else [1.0, math.log1p(len(str(v).strip()))]
                                    for v in values]).reshape(n, 2))
        else:
            index = {v: j for j, v in enumerate(s["categories"])}
            k = len(index)
            block = np.zeros((n, k + 2))
            for i, v in enumerate(values):
                if _missing(v):
                    block[i, k + 1] = 1.0
                else:
                    block[i, index.get(str(v).strip().lower(), k)] = 1.0
            blocks.append(block)
    return np.hstack(blocks) if blocks else np.zeros((n, 0))


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _number(v: Any) -> float | None:
    if _missing(v):
        return None
    if isinstance(v, bool | int | float | np.integer | np.floating | np.bool_):
        return float(v)
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None

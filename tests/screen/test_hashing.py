"""The numpy n-gram hasher against plain-Python references, and scores that do not depend on
the other texts of a batch."""

from __future__ import annotations

import csv
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiplens.screen.duplicates import components, template_key
from tiplens.screen.features import STYLE_NAMES, style_matrix
from tiplens.screen.hashing import NgramHasher

WORD = re.compile(rb"[a-z0-9\x80-\xff]+")


def reference_counts(text: str, chars: int) -> tuple[int, int, int]:
    """Unigrams, bigrams and character n-grams of one text, counted with re and bytes."""
    low = bytes(b + 32 if 65 <= b <= 90 else b for b in text.encode("utf-8", "replace"))
    low = re.sub(rb"[\t\n\v\f\r]", b" ", low)
    words = WORD.findall(low)
    squeezed = re.sub(rb" +", b" ", b" " + low + b" ")
    return len(words), max(len(words) - 1, 0), max(len(squeezed) - chars + 1, 0)


def per_doc(occ, block):
    return np.bincount(occ.doc[occ.block == block], minlength=occ.n_docs)


def test_counts_match_a_plain_python_reference():
    texts = ["Hello, World! Call +62 812-3456", "", "   ", "ÄÖÜ straße naïve\n\ncafé", "a", "x" * 50,
             "Gaji besar!!  Tanpa   pengalaman.\tWA 0812"]
    occ = NgramHasher(char_ngrams=(4,)).occurrences(texts)
    words, chars = per_doc(occ, 0), per_doc(occ, 1)
    for i, t in enumerate(texts):
        uni, bi, ch = reference_counts(t, 4)
        assert words[i] == uni + bi, t
        assert chars[i] == ch, t
    assert occ.col.min() >= 0 and occ.col.max() < 2 * (1 << 20)
    assert (occ.col[occ.block == 1] >= 1 << 20).all() and (occ.col[occ.block == 0] < 1 << 20).all()


def test_same_words_same_columns_and_case_is_ignored():
    h = NgramHasher()
    a = h.occurrences(["Registration fee"])
    b = h.occurrences(["registration FEE"])
    c = h.occurrences(["fee registration"])
    assert sorted(a.col) == sorted(b.col)
    unigrams = lambda o: set(o.col[:2].tolist())  # noqa: E731 - unigrams come first
    assert unigrams(a) == unigrams(c) and sorted(a.col) != sorted(c.col)  # the bigram differs


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_a_texts_ngrams_do_not_depend_on_its_batch(texts):
    h = NgramHasher(char_ngrams=(3, 5))
    together = h.occurrences(texts)
    for i, t in enumerate(texts):
        alone = h.occurrences([t])
        assert Counter(together.col[together.doc == i].tolist()) == Counter(alone.col.tolist())
    style = style_matrix(together)
    assert style.shape == (len(texts), len(STYLE_NAMES)) and np.isfinite(style).all()
    for i, t in enumerate(texts):
        assert np.allclose(style[i], style_matrix(h.occurrences([t]))[0])


def test_style_counts_by_hand():
    row = dict(zip(STYLE_NAMES, style_matrix(NgramHasher().occurrences(["AB 12!\n\n\n$5 @x #y\n- z"]))[0],
                   strict=True))
    # "AB 12!" 6 bytes + 3 newlines + "$5 @x #y" 8 + 1 newline + "- z" 3 = 21 bytes;
    # capitals A, B; digits 1, 2, 5; 4 newlines, one run of blank lines; one each of $ ! @ #; one '-'
    assert row["log_bytes"] == np.log1p(21)
    assert row["upper_share"] == 2 / 21 and row["digit_share"] == 3 / 21
    assert row["log_lines"] == np.log1p(4) and row["log_paragraphs"] == np.log1p(1)
    assert row["log_dollar"] == row["log_exclaim"] == row["log_at"] == row["log_hash"] == np.log1p(1)
    assert row["log_bullets"] == np.log1p(1)


def test_template_keys_and_components():
    assert template_key("Call 0812-555 NOW!") == template_key("call 0999 555 now")
    assert template_key("call now") != template_key("call later")
    assert components(5, np.array([[0, 3], [3, 4]])).tolist() == [0, 1, 2, 0, 0]
    assert components(0, np.zeros((0, 2))).tolist() == []


# -- the hashing scheme, computed one n-gram at a time in plain Python ----------------------------
# Model files store weights by hashed column: any change to the columns of a text would silently
# break every trained model. This reference follows the scheme as documented in hashing.py
# (polynomial word hash mod 2**64, splitmix-style finaliser, salts), independently of the numpy
# code, and every occurrence (document, column, block, in order) must agree exactly.

_M64 = (1 << 64) - 1
_P = 1099511628211
_K1, _K2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F


def _mix(h: int) -> int:
    h ^= h >> 31
    h = (h * _K1) & _M64
    h ^= h >> 29
    h = (h * _K2) & _M64
    return h ^ (h >> 32)


def _lowered(text: str) -> bytes:
    return bytes(b + 32 if 65 <= b <= 90 else 32 if 9 <= b <= 13 else b
                 for b in b" " + text.encode("utf-8", "replace") + b" ")


def _word_hash(word: bytes) -> int:
    h = 0
    for b in word:
        h = (h * _P + b + 1) & _M64
    return h


def reference_occurrences(texts: list[str], n_features: int = 1 << 20, chars: tuple[int, ...] = (4,)):
    mask = n_features - 1
    uni, bi, ch = [], [], []  # in this order; character n-grams by length, then by text
    for d, text in enumerate(texts):
        low = _lowered(text)
        words = [_mix(_word_hash(w)) for w in re.findall(rb"[0-9a-z\x80-\xff]+", low)]
        uni += [(d, _mix(h ^ 0x5157) & mask, 0) for h in words]
        bi += [(d, _mix((a * _K1 + (b ^ 0x5262)) & _M64) & mask, 0) for a, b in zip(words, words[1:], strict=False)]
    for n in sorted(chars):
        for d, text in enumerate(texts):
            squeezed = re.sub(rb"  +", b" ", _lowered(text))
            for i in range(len(squeezed) - n + 1):
                code = int.from_bytes(squeezed[i:i + n], "big")
                ch.append((d, (_mix(code ^ (0x4300 + n)) & mask) + n_features, 1))
    return uni + bi + ch


def _same_occurrences(texts: list[str], chars: tuple[int, ...] = (4,)) -> None:
    occ = NgramHasher(char_ngrams=chars).occurrences(texts)
    got = list(zip(occ.doc.tolist(), occ.col.tolist(), occ.block.tolist(), strict=True))
    assert got == reference_occurrences(texts, chars=chars)


ODD_TEXTS = ["", " ", "\t\n\r\x0b\x0c", "a", "A B", "Hello, World! Call +62 812-3456", "ÄÖÜ straße naïve\n\ncafé",
             "Ｆｒｅｅ ｖｉｓａ", "😀👍🏽 kerja", "lone \ud800 surrogate \udfff", "x" * 300, "  many    spaces  ",
             "Gaji besar!!  Tanpa   pengalaman.\tWA 0812", "#PHONE_0123456789abcdef#", "\x00\x01 binary"]


def test_columns_follow_the_documented_scheme_on_odd_texts():
    _same_occurrences(ODD_TEXTS)
    _same_occurrences(ODD_TEXTS, chars=())
    _same_occurrences(ODD_TEXTS, chars=(3, 5))
    for text in ODD_TEXTS:
        _same_occurrences([text])


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.text(max_size=80), max_size=6))
def test_columns_follow_the_documented_scheme_on_any_text(texts):
    _same_occurrences(texts, chars=(2, 4))


@pytest.mark.real
def test_columns_follow_the_documented_scheme_on_emscad_ads():
    from tests.conftest import shared

    path = shared("emscad-dev", "emscad_dev.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)][:120]
    _same_occurrences(texts)

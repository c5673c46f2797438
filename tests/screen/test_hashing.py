"""The numpy n-gram hasher against plain-Python references, and scores that do not depend on
the other texts of a batch."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
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

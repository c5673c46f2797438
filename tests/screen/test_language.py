"""langid run with numpy (tiplens.screen.language._Langid) gives langid's own counts and scores."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared
from tests.properties import examples
from tiplens.screen.language import SAMPLE, _identifier, _langid, profile

ODD = ["", "a", "ab", "abc", "abcd", "é", "日本語のテキストです", "Lowongan kerja ke Malaysia tanpa pengalaman",
       "Раssроrt will be kерt", "ＦＲＥＥ ＶＩＳＡ", "😀👍🏽 kerja", "\x00\x01\x02", "ก" * 50, "Xin chào, việc làm",
       "  \n\t  ", "abc" * 300]


def _same(text: str) -> None:
    ident, fast = _identifier(), _langid()
    expected = ident.instance2fv(text)  # langid's own loop over its automaton
    counts = fast.counts(text)
    assert counts.dtype == expected.dtype and np.array_equal(counts, expected)
    assert fast.scores(text).tobytes() == ident.nb_classprobs(expected).tobytes()  # the same floats
    assert fast.classify(text) == ident.classify(text)[0]


@pytest.mark.parametrize("text", ODD)
def test_counts_scores_and_language_are_langids(text):
    _same(text)


@settings(max_examples=examples(100), deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_is_counted_as_langid_counts_it(text):
    _same(text)


@pytest.mark.real
def test_emscad_ads_are_counted_as_langid_counts_them():
    path = shared("emscad-dev", "emscad_dev.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)][:300]
    for text in texts:
        _same(text[:SAMPLE])
        _same(text[SAMPLE:2 * SAMPLE])


def test_ambiguous_texts_still_reach_the_classifier():
    # too few common English or Indonesian words: langid decides
    assert profile("Xin chào, chúng tôi đang tuyển nhân viên bán hàng tại Hà Nội")[0] == "vi"


def test_a_lone_surrogate_does_not_stop_the_classifier():
    # langid itself raises UnicodeEncodeError here (screening stopped with a traceback)
    text = "\ud800 Xin chao chung toi dang tuyen nhan vien ban hang tai Ha Noi"
    lang, _ = profile(text)
    assert lang.isalpha()
    with pytest.raises(UnicodeEncodeError):
        _identifier().classify(text)


def _letters(text: str) -> int:
    """Letters as the definition counts them: word characters that are not digits or "_"."""
    return sum(1 for ch in text if (ch.isalnum() or ch == "_") and not ch.isdecimal() and ch != "_")


@pytest.mark.parametrize("text", ["abcdefghijk", "abcdefghijkl", "ABCDEFGHIJK1", "İİİİİİİİİİİ", "İİİİİİİİİİİİ",
                                  "K" * 11 + "é", "a b c d e f g h i j k", "½" * 12, "x" * 11 + "²",
                                  "Σ" * 11, "ΣΣΣΣΣΣΣΣΣΣΣΣ", "1234567890ab" * 3, "_" * 20 + "abc"])
def test_too_few_letters_is_undetermined(text):
    assert (profile(text)[0] == "und") == (_letters(text[:SAMPLE]) < 12)
    assert (profile(text, text.lower())[0] == "und") == (_letters(text[:SAMPLE]) < 12)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_is_undetermined_exactly_when_it_has_fewer_than_12_letters(text):
    assert (profile(text, text.lower())[0] == "und") == (_letters(text[:SAMPLE]) < 12)

"""Normalisation: what it undoes, and that every normalised character maps into the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiplens.screen.normalise import normalise


def test_case_accents_and_whitespace():
    n = normalise("GAJI   Bésar\n\nTanpa  Biaya")
    assert n.text == "gaji besar\n\ntanpa biaya"  # runs of spaces shrink; line breaks stay
    assert n.flat == "gaji besar  tanpa biaya"


def test_leetspeak_inside_words_but_not_numbers_or_prices():
    n = normalise("fr33 m0ney ca$h s3x p3mi but 2024, $500, rp5jt and wa08123456789 stay")
    assert n.text.startswith("free money cash sex pemi")
    assert "2024, $500, rp5jt" in n.text
    assert "wa08123456789" in n.text


def test_spaced_letters_are_joined():
    assert normalise("F R E E visa").text == "free visa"
    assert normalise("f.r.e.e visa").text == "free visa"
    assert normalise("f🔥r🔥e🔥e visa").text == "free visa"
    assert normalise("options 1 2 3").text == "options 1 2 3"  # numbers, not a word


def test_lookalikes_fullwidth_and_styled_letters():
    assert normalise("Thе раsspоrt").text == "the passport"  # Cyrillic е, р, а, о
    assert normalise("ＦＲＥＥ 𝐟𝐫𝐞𝐞 ⓕⓡⓔⓔ 🅵🆁🅴🅴").text == "free free free free"


def test_invisible_characters_ligatures_and_hyphenation():
    assert normalise("f\u200bree pa\u0301ssport").text == "free passport"
    assert normalise("ﬁnance straße").text == "finance strasse"
    assert normalise("regis-\ntration fee").text == "registration fee"
    assert normalise("İstanbul").text == "istanbul"


def test_spans_map_back_to_the_original():
    text = "F R E E  visa!! regis-\ntration f33"
    n = normalise(text)
    i = n.text.index("free")
    a, b = n.span(i, i + 4)
    assert text[a:b] == "F R E E"
    i = n.text.index("registration")
    a, b = n.span(i, i + len("registration"))
    assert text[a:b] == "regis-\ntration"
    i = n.text.index("fee")
    a, b = n.span(i, i + 3)
    assert text[a:b] == "f33"


NOISE = st.sampled_from(["F R E E", "fr33", "  ", "\n\n", "\u200b", "ß", "ﬁ", "İ", "é", "e\u0301", "🌹", "🔥",
                         "Ｆ", "𝐟", "-\n", "регистрация", "visa", "biaya", "no fee", "$500", "1 2 3", "a.b.c", "\t"])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.one_of(NOISE, st.text(max_size=8)), max_size=25).map("".join))
def test_every_normalised_character_comes_from_the_original(text):
    n = normalise(text)
    assert n.original == text
    assert len(n.flat) == len(n.text)
    previous = -1
    for i in range(len(n.text)):
        a, b = n.span(i, i + 1)
        assert 0 <= a < b <= len(text)
        assert a >= previous  # the map never goes backwards
        previous = a

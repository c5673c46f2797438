"""Sentence splitting on PDF-like text: line breaks, bullets, headings, abbreviations."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiplens.supply.sentences import split


def test_pdf_line_breaks_are_joined_and_sentences_cut():
    text = ("This statement sets out the steps that Acme Ltd. has taken to prevent\n"
            "modern slavery in its supply chains. It covers the year to 31 March 2023!\n"
            "Is it enough? We think not.")
    assert split(text) == [
        "This statement sets out the steps that Acme Ltd. has taken to prevent modern slavery in its supply chains.",
        "It covers the year to 31 March 2023!",
        "Is it enough?",
        "We think not.",
    ]


def test_headings_and_bullets_are_their_own_units():
    text = ("OUR SUPPLY CHAINS\n"
            "We buy from 120 suppliers in 14 countries, including:\n"
            "\u2022 cotton mills in India and\n"
            "  Pakistan\n"
            "- electronics assemblers in China\n"
            "1. logistics firms\n"
            "Due Diligence and Risk Assessment\n"
            "Every new supplier completes a questionnaire.")
    assert split(text) == [
        "OUR SUPPLY CHAINS",
        "We buy from 120 suppliers in 14 countries, including:",
        "cotton mills in India and Pakistan",
        "electronics assemblers in China",
        "logistics firms",
        "Due Diligence and Risk Assessment",
        "Every new supplier completes a questionnaire.",
    ]


def test_abbreviations_initials_decimals_and_page_furniture():
    text = ("Signed by J. Smith, e.g. for Acme Pty. Ltd. on behalf of the Board. Revenue grew 3.5 per cent.\n"
            "12\n"
            "Page 3 of 10\n"
            "See s. 54 of the Act. Done.")
    assert split(text) == [
        "Signed by J. Smith, e.g. for Acme Pty. Ltd. on behalf of the Board.",
        "Revenue grew 3.5 per cent.",
        "See s. 54 of the Act.",
        "Done.",
    ]


def test_blank_lines_are_hard_breaks_and_quotes_close_sentences():
    text = 'We call it "Fair Work." The policy applies to all\n\nstaff in every site'
    assert split(text) == ['We call it "Fair Work."', "The policy applies to all", "staff in every site"]


def test_ligatures_soft_hyphens_and_empty_input():
    assert split("The e\ufb03ciency of our pro\u00adgramme is reviewed.") == ["The efficiency of our programme is reviewed."]
    assert split("") == [] and split("\n\n  \n") == []


_WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.one_of(_WORDS, st.sampled_from(["", "\u2022 item", "HEADING", "Page 2 of 9", "Mr. A. Smith."])), max_size=12))
def test_splitting_keeps_the_text_in_order(lines):
    """Whatever the input, the sentences' letters and digits appear in the input in the same order."""
    text = "\n".join(lines)
    alnum = lambda s: re.sub(r"\W|_", "", s)  # noqa: E731
    out = alnum("".join(split(text)))
    src = alnum(unicodedata.normalize("NFKC", text))
    it = iter(src)
    assert all(ch in it for ch in out)  # subsequence
    assert all(s == s.strip() and s for s in split(text))

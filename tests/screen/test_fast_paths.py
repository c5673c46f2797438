"""Shortcuts taken for speed must not change what is found: each is checked against the plain
way (a regular expression tried at every position, or over the whole text)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiplens.knowledge.indicators import Catalogue, Indicator, load_indicators
from tiplens.screen import contacts
from tiplens.screen.contacts import find_contacts
from tiplens.screen.indicators import ALL, Engine
from tiplens.screen.normalise import normalise
from tiplens.screen.regex_words import regex_anchor_ends, regex_anchors, regex_needs

# -- anchor words of regular expressions ---------------------------------------------------------


def test_anchor_words_followed_by_a_word_boundary_are_marked():
    assert regex_anchor_ends(r"\b(?:work|works)\b[^.]{0,5}x") == {"work": True, "works": True}
    assert regex_anchor_ends(r"\bfoo\b[^x]*") == {"foo": True}
    assert regex_anchor_ends(r"\bfoo[^x]*") == {"foo": False}


def test_optional_literals_are_expanded_into_the_anchor_words():
    # "inc", "inc.", then an optional space, then "room": four words, all complete
    assert regex_anchor_ends(r"\binc\.? ?room\b") == {"inc room": True, "inc. room": True, "incroom": True,
                                                       "inc.room": True}
    words = regex_anchors(r"\b(?:st|short ?time)\b ?/ ?lt\b")
    assert words is not None and "st" not in words
    assert {"st/lt", "st / lt", "short time/lt", "shorttime / lt"} <= words
    assert len(words) == 3 * 2 * 2  # {st, shorttime, short time} x optional space x optional space


def test_a_word_reached_both_with_and_without_a_boundary_is_not_marked():
    assert regex_anchor_ends(r"(?:ab\b|ab)[0-9]") == {"ab": False}


def test_needed_literal_parts_and_how_far_they_may_start():
    # "work" 4 + [^.]{0,20} + \b: "13".."24" start at most 24 characters in (the letters of
    # " hours" are single characters to the parser: too common one by one)
    needs = regex_needs(r"\bwork\b[^.]{0,20}\b(?:1[3-9]|2[0-4]) hours")
    assert needs == [(frozenset(str(n) for n in range(13, 25)), 24)]
    assert regex_needs(r"\bwork\b.{0,9}(?:day|shift)") == [(frozenset({"day", "shift"}), 13)]
    assert regex_needs(r"\bfee\b[^.]*deducted") == []  # unbounded before: out of reach
    assert regex_needs(r"\bfee\b .{0,5} ?, ?x") == []  # spaces and commas tell nothing


def test_no_anchor_words_when_a_match_may_start_without_a_literal():
    assert regex_anchor_ends(r"x?[0-9]") is None
    assert regex_anchor_ends(r"[a-z]+ fee") is None


def _regex_only_engine() -> tuple[Engine, list[str]]:
    """One indicator per regular expression of the bundled catalogue (English and Indonesian)."""
    inds, patterns = [], []
    for ind in load_indicators().indicators:
        for lang in ("en", "id"):
            for pat in ind.patterns(lang):
                if pat.startswith("re:"):
                    patterns.append(pat[3:])
                    inds.append(Indicator(f"r{len(inds)}", "x", "x", "g", None, None, None, 1.0, negatable=False,
                                          **{f"patterns_{lang}": (pat,)}))
    return Engine(Catalogue(tuple(inds))), patterns


_REGEX_ENGINE, _PATTERNS = _regex_only_engine()
_ANCHOR_WORDS = sorted({w for p in _PATTERNS for w in (regex_anchors(p) or ())})
_NEEDED_WORDS = sorted({w for p in _PATTERNS for words, _ in regex_needs(p) for w in words})
_NEIGHBOURS = ["", " ", "s", "er", "ency", "_", "1", "14", "é", ".", "/", "-", ":", "\n", "$", "rp", "x", "13 ",
               "$500", " 1.500.000", " hours a day", " jam", "20 juta", " deducted from salary", " cambodia"]


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NEIGHBOURS), st.sampled_from(_ANCHOR_WORDS + _NEEDED_WORDS),
                          st.sampled_from(_NEIGHBOURS)), min_size=1, max_size=8))
def test_regexes_are_found_wherever_they_match(parts):
    """The automaton tries each regex only after one of its anchor words (not where a word
    character follows a word that needs a boundary) and only when the literal parts every match
    holds are within reach: the same matches as trying every position."""
    flat = normalise(" ".join(a + w + b for a, w, b in parts)).flat
    expected = []
    for k, rx in enumerate(_REGEX_ENGINE._regexes):
        for s in range(len(flat) + 1):
            m = rx[1].match(flat, s)
            if m is not None and m.end() > m.start():
                expected.append((k, m.start(), m.end()))
    got = [(k, s, e) for k, s, e, _ in _REGEX_ENGINE._candidates(flat, ALL)]
    assert sorted(got) == sorted(expected)


def test_regex_patterns_map_one_to_one_onto_the_test_engine():
    assert [rx.pattern for _, rx, _ in _REGEX_ENGINE._regexes] == _PATTERNS


# -- contacts --------------------------------------------------------------------------------------

LINE_TEXTS = ["online", "line id: abc", "LINE ID : x", "id line: qwe", "id\u3000\u3000line", "idline", "lineid",
              "line\t@foo", "line.me/x", "deadline", "guidelines id", "id\nline", "kid line", "id  xline", "line",
              "lineline:", "id line", "in line with", "online: now", "id \u2028line"]


@pytest.mark.parametrize("text", LINE_TEXTS)
def test_line_gate_is_the_regular_expression(text):
    low = text.lower()
    at = [m.start() for m in re.finditer("line", low)]
    assert contacts._line_gate(low, at) == bool(contacts._LINE_GATE.search(low))


def _whole_text(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))]


def _fast_and_plain(text: str, region: str | None):
    """Contacts found with the phone-run shortcut, and with the phone scan over the whole text."""
    fast = find_contacts(text, region)
    saved = contacts._phone_runs
    contacts._phone_runs = _whole_text
    try:
        return fast, find_contacts(text, region)
    finally:
        contacts._phone_runs = saved


PHONE_PIECES = st.sampled_from([
    "0812", "3456", "7890", "+62", "1 2 3 ", "4 - 5 - 6", "7 . 8", "(9) 0 ", "0 1  2", "(021)", "555", "12", "1234567", "٣٤٥", "３４５", "𝟑𝟒𝟓", "\u0967\u0968", " ", "  ",
    "-", ".", "/", "(", ")", "+", "\t", "\n", "wa", "call", "Rp", "$", "no.", "a", "é", "x1", "_", "line id:",
    "id line: ab_c", "t.me/abcd", "tg: abcd", "wechat: abcdefg", "foo@example.com", "www.example.org",
])


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.one_of(PHONE_PIECES, st.text(max_size=3)), max_size=25).map("".join), st.sampled_from([None, "ID"]))
def test_phone_numbers_are_found_as_by_scanning_the_whole_text(text, region):
    """Only runs of phone characters holding 7 digits within 25 characters are scanned."""
    fast, plain = _fast_and_plain(text, region)
    assert fast == plain


def test_numbers_in_other_scripts_and_long_runs_are_still_found():
    text = "hubungi ０８１２-３４５６-７８９０ or +62 812 3456 7890 / +62 813 1111 2222 / 021 555 1234"
    fast, plain = _fast_and_plain(text, "ID")
    assert fast == plain
    assert (fast[0].kind, fast[0].start, fast[0].end) == ("phone", 8, 22)  # the full-width number


def test_the_lower_cased_text_may_be_passed_in():
    text = "Contact LINE ID: Foo_1 or WA 0812-3456-7890, mail X@Example.com"
    assert find_contacts(text, "ID", text.lower()) == find_contacts(text, "ID")


@pytest.mark.parametrize("gap", ["", " ", "  ", " - ", ".", " / "])
@pytest.mark.parametrize("digits", ["6281234567", "81234567890", "1234567", "123456", "٠٨١٢٣٤٥٦٧٨", "０８１２３４５６７８"])
def test_numbers_spread_over_up_to_25_characters(gap, digits):
    for text in (f"+{gap.join(digits)}", f"call {gap.join(digits)} now", f"x{gap.join(digits)}y", f"a {gap.join(digits)}"):
        fast, plain = _fast_and_plain(text, "ID")
        assert fast == plain


# -- leetspeak -------------------------------------------------------------------------------------

def _plain_unleet(t: str) -> str:
    """Every maximal token run holding a letter then one of 0134578@$|!, read as leetspeak when
    it is one (the rule of normalise._unleet, applied run by run)."""
    from tiplens.screen.normalise import _CURRENCY, _LEET, _LEET_TOKEN, _MAX_LEET_TOKEN

    out = list(t)
    for m in re.finditer(r"[a-z0-9_@$|!]+", t):
        a, b = m.span()
        word = _LEET_TOKEN.fullmatch(t, a, b)
        if (b - a <= _MAX_LEET_TOKEN and re.search(r"[a-z][0134578@$|!]", m.group()) and word is not None
                and word.group(1) not in _CURRENCY and not (a > 0 and t[a - 1].isalnum())):
            out[a:b] = m.group().translate(_LEET)
    return "".join(out)


LEET_PIECES = st.sampled_from(["a!", "a!b", "fr33", "p@ss", "x$", "$5", "a|", "|b", "!!", "now!", "e@", "@x", "1", "a",
                               "rp5", "usd4", "_", "é", " ", "w0rk", "a4!b", "b1g", "h3ll0!", "s$s", "mp3"])


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(LEET_PIECES, max_size=14).map("".join))
def test_leetspeak_is_read_as_by_the_plain_rule(text):
    from tiplens.screen.normalise import _CLASS_LEET, _unleet

    expected = _plain_unleet(text)
    assert _unleet(text) == expected
    if text.isascii():
        assert _unleet(text, text.encode().translate(_CLASS_LEET)) == expected


# -- the lower-cased text shared between steps --------------------------------------------------------

SHARED_PIECES = st.sampled_from(["İstanbul", "ΣΟΦΙΑ", "Σ", "the", "and", "work", "yang", "dan", "gaji", "KERJA", " ",
                                 "\n", "é", "İ", "ß", "Free", "VISA", "fee", "of", "to", "ΑΣ", "x" * 50])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(SHARED_PIECES, max_size=80).map(" ".join))
def test_passing_the_lower_cased_text_changes_nothing(text):
    from tiplens.screen.language import profile

    low = text.lower()
    assert profile(text, low) == profile(text)
    a, b = normalise(text, low), normalise(text)
    assert (a.text, a.flat, a._breaks, a._shifts) == (b.text, b.flat, b._breaks, b._shifts)


# -- spaced-out letters --------------------------------------------------------------------------------

SPACED_PIECES = st.sampled_from(["a", "b", "1", " ", ".", ",", "-", "_", "!", "aa", "free", "v i s a", "f.r.e.e", "x", "\n",
                                 "(", ")", "'", "A", "é", "•", "i", "5", "  ", "a b", "c,d"])


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(SPACED_PIECES, max_size=20).map("".join))
def test_spaced_letters_are_found_as_by_scanning_every_text(text):
    """The scan for "f r e e" is skipped in ASCII text without three letters standing alone."""
    from tiplens.screen import normalise as nm

    t = text.lower()
    fast = nm._find_edits(t, t.isascii(), False)
    saved = nm._three_spaced
    nm._three_spaced = lambda cls: True
    try:
        plain = nm._find_edits(t, t.isascii(), False)
    finally:
        nm._three_spaced = saved
    assert fast == plain


@pytest.mark.parametrize("text", [" x y  q,r,s", " x y  q!r(s", "a.b. q'r's", " x y  q r s", " x y  q.r s", "x y z",
                                  " x y  qq,r,s", " x y  q,r,ss"])
def test_spaced_letters_with_any_separator(text):
    from tiplens.screen import normalise as nm

    fast = nm._find_edits(text, True, False)
    saved = nm._three_spaced
    nm._three_spaced = lambda cls: True
    try:
        plain = nm._find_edits(text, True, False)
    finally:
        nm._three_spaced = saved
    assert fast == plain


# -- the status of a record (empty, binary) --------------------------------------------------------

_PLAIN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def _plain_status(text: str) -> str:
    """The rule as written before: strip for empty, a regular-expression count for binary."""
    if not text.strip():
        return "empty"
    sample = text[:4000]
    if "\x00" in sample or len(_PLAIN_CONTROL.findall(sample)) > 0.1 * len(sample):
        return "binary"
    return "screened"


CONTROL_PIECES = st.sampled_from(["a", "word ", " ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x01", "\x08",
                                  "\x00", "\ufffd", "é", "\u00a0", "\u2028", "\u3000", "\ud800", "😀", "\x7f", "\x85"])


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(CONTROL_PIECES, max_size=40).map("".join))
def test_empty_and_binary_texts_are_told_as_by_the_plain_rule(text):
    from tiplens.screen.inputs import Doc
    from tiplens.screen.screening import _classify

    assert _classify(Doc("1", text, "t", 1), 100_000)[0] == _plain_status(text)


def test_binary_is_decided_on_the_first_4000_characters():
    from tiplens.screen.inputs import Doc
    from tiplens.screen.screening import _classify

    for text in ("a" * 3990 + "\x01" * 500, "\x01" * 401 + "a" * 3599 + "b" * 9000, "a" * 4000 + "\x00",
                 "\ufffd" * 401 + "a" * 3599, "\ufffd" * 400 + "a" * 3600):
        assert _classify(Doc("1", text, "t", 1), 100_000)[0] == _plain_status(text)


# -- phone candidates: invalid national numbers dropped before the other expressions run ----------

def _plain_candidate(text: str, m: re.Match[str], region: str | None):
    """The rule in its plain order: money before it, then announced / channel, then validity."""
    raw = m.group()
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None
    before = text[max(0, m.start() - 24):m.start()]
    if contacts._MONEY_BEFORE.search(before):
        return None
    announced = bool(contacts._PHONE_WORDS.search(before))
    channel = next((name for name, rx in contacts._CHANNELS if rx.search(before)), None)
    international = raw.startswith(("+", "00"))
    contact = contacts._phone_contact(digits, ("+" + digits[2:] if raw.startswith("00") else raw) if international
                                      else raw, m.start(), m.end(), region.upper() if region else None, channel)
    return contact if contact.valid or announced or international else None


CANDIDATE_PIECES = st.sampled_from(["Rp ", "$", "salary ", "tel: ", "wa ", "call ", "hub ", "whatsapp: ", "line ",
                                    "2012 - 2014", "0812 3456 7890", "021 555 1234", "+62 812 3456 789", "0062 812 3456",
                                    "+44 7700 900123", "1234567", "40000 - 50000", "(021) 555-1234", "9999999999",
                                    " ", ", ", "we ", "viber ", "a"])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(CANDIDATE_PIECES, max_size=8).map("".join), st.sampled_from([None, "ID", "id", "GB"]))
def test_phone_candidates_are_decided_as_by_the_plain_rule(text, region):
    for m in contacts._PHONE.finditer(text):
        assert contacts._phone_candidate(text, m, region) == _plain_candidate(text, m, region)


# -- the automaton over key prefixes -------------------------------------------------------------------


def _small_engine(prefix: int | None) -> Engine:
    """An engine over a few indicators of the catalogue; ``prefix`` None: the default automaton,
    else an automaton over keys cut at ``prefix`` characters (a large one: the whole keys)."""
    from tiplens.screen import indicators as ind_module

    catalogue = load_indicators()
    eng = Engine(Catalogue(catalogue.indicators[:6], catalogue.combinations[:0]))
    if prefix is not None:
        saved = ind_module.PREFIX
        ind_module.PREFIX = prefix
        try:
            eng._candidates("warm up")
        finally:
            ind_module.PREFIX = saved
    return eng


_PREFIX_ENGINE, _WHOLE_KEY_ENGINE = _small_engine(None), _small_engine(10_000)
_LONG_KEYS = sorted(k for k in _PREFIX_ENGINE._keys if len(k) > 16)[:60]
_KEY_PIECES = sorted({piece for k in _LONG_KEYS for piece in (k, k[:16], k[:15], k[:17], k[:16] + "x", k[:-1])}
                     | {k for k in _PREFIX_ENGINE._keys if len(k) <= 16} | {" ", ", ", "no ", "the "})


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(_KEY_PIECES), min_size=1, max_size=12).map(" ".join))
def test_keys_longer_than_the_prefix_are_found_as_by_the_whole_key_automaton(text):
    assert _LONG_KEYS  # the catalogue has keys longer than the automaton's prefix
    n = normalise(text)
    assert sorted(_PREFIX_ENGINE._candidates(n.flat)) == sorted(_WHOLE_KEY_ENGINE._candidates(n.flat))


# -- language: the common-word counts ------------------------------------------------------------------

LANG_PIECES = st.sampled_from(["the", "and", "to", "job", "work", "yang", "dan", "gaji", "kerja", "tidak", "kilang",
                               "wang", "x", "visa", "Lowongan", "ÉTÉ", " ", "\n", "12", "fee", "of", "you", "di"])


def _plain_profile_rule(text: str) -> tuple[str, bool] | None:
    """The common-word rule, counting every word (None: langid decides)."""
    from tiplens.screen import language as lang

    words = [w.encode() for w in re.findall(r"[a-z]+", text[:lang.SAMPLE].lower())]
    en = sum(w in lang._EN for w in words)
    idms = sum(w in lang._ID_MS for w in words)
    enough = 3 if len(words) >= 15 else 2
    if en >= enough and en >= 2 * idms:
        return "en", idms == 0
    if idms >= enough and idms >= 2 * en:
        return lang._indonesian_or_malay(words), False
    return None


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(LANG_PIECES, max_size=40).map(" ".join))
def test_language_words_decide_as_by_counting_every_word(text):
    from tiplens.screen import language as lang

    if len(re.findall(r"[^\W\d_]", text[:lang.SAMPLE])) < lang.MIN_LETTERS:
        return  # fewer than 12 letters: 'und', another rule
    expected = _plain_profile_rule(text)
    got = lang.profile(text)
    if expected is not None:
        assert got == expected
    else:
        assert got[1] is False


# -- the normaliser's gates in one Hyperscan pass ------------------------------------------------------

GATE_PIECES = st.sampled_from(["a", "b", "1", "3", "@", "$", "|", "!", " ", "  ", "-", "\n", "-\n", ".", "*", "_", "/",
                               "+", "~", "?", ",", "é", "•", "ü", "中", "😀", "fr33", "x y z", "f.r.e.e", "A", "Z"])


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(GATE_PIECES, max_size=30).map("".join))
def test_gates_are_the_byte_string_searches(text):
    from tiplens.screen import normalise as nm

    if nm.hyperscan is None:
        pytest.skip("hyperscan is not installed")
    raw = text.lower().encode("utf-8", "surrogatepass")
    assert nm.gates(raw) == nm.searched_gates(raw)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(GATE_PIECES, max_size=30).map("".join))
def test_normalising_without_the_gate_pass_gives_the_same(text):
    from tiplens.screen import normalise as nm

    with_gates = normalise(text)
    saved = nm.hyperscan
    nm.hyperscan = None
    try:
        plain = normalise(text)
    finally:
        nm.hyperscan = saved
    assert (with_gates.text, with_gates.flat, with_gates._breaks, with_gates._shifts) == (
        plain.text, plain.flat, plain._breaks, plain._shifts)


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(st.one_of(LEET_PIECES, GATE_PIECES), max_size=20).map("".join))
def test_reading_leetspeak_changes_nothing_where_the_leet_word_gate_does_not_pass(text):
    # the gate lets normalise skip _unleet: it must pass wherever the plain rule rewrites a token
    from tiplens.screen import normalise as nm

    low = text.lower()
    if _plain_unleet(low) != low:
        assert nm.LEET_WORD in nm.searched_gates(low.encode("utf-8", "surrogatepass"))
        if nm.hyperscan is not None:
            assert nm.LEET_WORD in nm.gates(low.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(("text", "gate"), [("fr33 visa", True), ("p@ss", True), ("ca$h", True), ("m0ney", True),
                                            ("covid19", False), ("b2b", False), ("x$", False), ("mp3", True),
                                            ("m0ney!", False), ("a1_b", False), ("é fr33", True), ("fr33é", True)])
def test_the_leet_word_gate(text, gate):
    from tiplens.screen import normalise as nm

    assert (nm.LEET_WORD in nm.searched_gates(text.encode())) is gate

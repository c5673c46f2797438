"""Themes with the bundled and with hand-written codebooks; expected codes worked out by hand."""

from __future__ import annotations

import math
import re
import string

import pytest

from tests.social.rows import insert, post
from tiplens.errors import BadInput
from tiplens.knowledge.codebook import load_codebook, pattern_regex
from tiplens.social.analyses import themes

POSTS = [
    post("1", "2020-03-01 00:00:00", "Know the signs of trafficking"),
    post("2", "2020-04-01 00:00:00", "Kampanye kesadaran migrasi aman", lang="id"),
    post("3", "2021-01-01 00:00:00", "Survivors receive shelter"),
    post("4", "2021-02-01 00:00:00", "Penyintas mendapat rumah aman", lang="id"),
    post("5", "2021-03-01 00:00:00", "The weather is nice today"),
    post("6", "2021-04-01 00:00:00", "COVID-19 lockdown hits migrant workers"),
    post("7", "2021-05-01 00:00:00", None),
]


def test_bundled_codebook_on_a_hand_coded_fixture(study):
    res = themes.run(insert(study, POSTS), themes.Params(topics=0))
    counts = {r["theme"]: r["posts"] for r in res.themes.to_pylist()}
    # 1, 2: awareness ("know the signs"; "kampanye", "kesadaran", "migrasi aman");
    # 3, 4: victim support ("survivor*", "shelter*"; "penyintas", "rumah aman");
    # 6: COVID-19 ("covid*", "lockdown*") and labour migration ("migrant worker*"); 5 matches nothing
    assert {k: v for k, v in counts.items() if v} == {"awareness": 2, "victim_support": 2, "covid19": 1,
                                                      "labour_migration": 1}
    assert (res.posts_with_text, res.coded_posts, res.posts_without_text) == (6, 5, 1)
    share = {r["theme"]: r["share"] for r in res.themes.to_pylist()}
    assert math.isclose(share["awareness"], 2 / 6)
    yearly = {(r["year"], r["theme"]): (r["posts"], r["year_posts"], r["share"]) for r in res.yearly.to_pylist()}
    assert yearly[(2020, "awareness")] == (2, 2, 1.0)
    assert yearly[(2021, "victim_support")] == (2, 4, 0.5)
    assert yearly[(2021, "covid19")] == (1, 4, 0.25)
    keys, years, grid = res.crosstab()
    assert years == [2020, 2021] and grid[keys.index("awareness")].tolist() == [2, 0]


def test_excerpts_are_spread_in_time_and_show_the_match(study):
    res = themes.run(insert(study, POSTS), themes.Params(topics=0, excerpts=3))
    ex = [(r["theme"], r["post_id"], r["matched"]) for r in res.excerpts.to_pylist()]
    assert ex[:2] == [("awareness", "1", "Know the signs"), ("awareness", "2", "Kampanye")]
    assert ("victim_support", "4", "Penyintas") in ex


def test_blank_texts_are_posts_without_text(study):
    texts = ["", " ", "\t\n\r", "\x0b\x0c ", "\u00a0", " kampanye ", "x"]
    posts = [post(str(i), "2021-01-01 00:00:00", t) for i, t in enumerate(texts)] + [post("n", "2021-01-01 00:00:00", None)]
    res = themes.run(insert(study, posts), themes.Params(topics=0))
    # blank = nothing left once Python's string.whitespace is trimmed; a no-break space is not in it
    with_text = sum(1 for t in texts if t.strip(string.whitespace))
    assert (res.posts_with_text, res.posts_without_text) == (with_text, len(posts) - with_text) == (3, 5)
    assert res.coded_posts == 1  # "kampanye"


def test_the_sample_is_every_kth_post_in_time_then_id_order(study):
    # ten posts, two of them at the same time (ordered by id), inserted out of order
    times = ["2020-01-05", "2020-01-01", "2020-01-03", "2020-01-03", "2020-01-09", "2020-01-02", "2020-01-07",
             "2020-01-04", "2020-01-08", "2020-01-06"]
    posts = [post(f"p{i}", f"{d} 00:00:00", f"text {i}") for i, d in enumerate(times)]
    tables = insert(study, posts)
    ordered = [p["post_id"] for p in sorted(posts, key=lambda p: (p["created_at"], p["post_id"]))]
    codebook = load_codebook()
    everything = themes._sample(themes._with_text(tables), codebook, 10, 20)
    assert everything.column("post_id").to_pylist() == ordered
    # 10 posts, at most 3: every ceil(10 / 3) = 4th from the first
    sample = themes._sample(themes._with_text(tables), codebook, 10, 3)
    assert sample.column("post_id").to_pylist() == [ordered[0], ordered[4], ordered[8]]
    assert sample.column("text").to_pylist() == [f"text {pid[1:]}" for pid in (ordered[0], ordered[4], ordered[8])]


def test_a_user_codebook_with_regex_and_wildcards(study, tmp_path):
    cb = tmp_path / "cb.yaml"
    cb.write_text("""
themes:
  - key: scams
    label: Online scams
    group: exploitation
    patterns:
      en: ["scam*", "re:\\\\bcyber[- ]?fraud\\\\b"]
      id: ["penipuan online"]
  - key: weather
    label: Weather
    patterns:
      en: [weather]
""", encoding="utf-8")
    posts = [post("a", "2022-01-01 00:00:00", "Scammers lure graduates"),
             post("b", "2022-01-02 00:00:00", "waspada PENIPUAN   online"),
             post("c", "2022-01-03 00:00:00", "cyber-fraud rings"),
             post("d", "2022-01-04 00:00:00", "antiscam week"),  # not a word start: no match
             post("e", "2022-01-05 00:00:00", "The weather is nice")]
    res = themes.run(insert(study, posts), themes.Params(codebook=str(cb), topics=0))
    assert {r["theme"]: r["posts"] for r in res.themes.to_pylist()} == {"scams": 3, "weather": 1}
    assert res.codebook_source == str(cb)


def test_engine_and_python_read_the_patterns_alike(study):
    """The bundled codebook's regexes give the same codes in DuckDB as in Python's re."""
    texts = ["Trafficked children rescued", "anak-anak di bawah umur", "kerja paksa di kapal", "organ trade",
             "unpaid wages and debt bondage", "forced-labour", "MAIL-ORDER brides", "child labourers",
             "hotline 129", "the village", "villages"]
    posts = [post(str(i), "2022-01-01 00:00:00", t) for i, t in enumerate(texts)]
    res = themes.run(insert(study, posts), themes.Params(topics=0))
    book = load_codebook()
    expected = {t.key: sum(bool(re.search(t.regex, x)) for x in texts) for t in book.themes}
    assert {r["theme"]: r["posts"] for r in res.themes.to_pylist()} == expected
    assert expected["forced_marriage"] == 1 and expected["child_trafficking"] == 2 and expected["prevention"] == 2


def test_pattern_syntax():
    rx = lambda p: re.compile(pattern_regex(p))  # noqa: E731
    assert rx("traffick*").search("Trafficking".lower()) and not rx("traffick*").search("antitrafficking")
    assert rx("safe migration").search("safe   migration") and not rx("safe migration").search("unsafe migration")
    assert rx("assist* victims").search("assisting victims")
    assert rx("tanda-tanda").search("kenali tanda-tanda") and not rx("tanda-tanda").search("tanda tanda")


def test_topic_model_surfaces_what_the_codebook_misses(study, tmp_path):
    cb = tmp_path / "cb.yaml"
    cb.write_text("themes:\n  - key: fishing\n    label: Fishing\n    patterns:\n      en: [fishing, vessel]\n")
    a = ["fishing vessel crew unpaid wages", "crew on a fishing vessel lost wages", "vessel crew wages unpaid fishing"]
    b = ["earthquake tents clean water", "tents and clean water after the earthquake", "clean water tents earthquake"]
    posts = [post(f"{i}", f"2022-01-{1 + i % 28:02d} 00:00:00", (a if i % 2 else b)[i % 3]) for i in range(60)]
    res = themes.run(insert(study, posts), themes.Params(codebook=str(cb), topics=2, topic_words=4))
    top = res.topics.to_pylist()
    assert len(top) == 2
    missed, covered = top  # sorted by uncoded share
    assert missed["uncoded_share"] == 1.0 and missed["posts"] == 30 and missed["closest_theme"] is None
    assert {"earthquake", "tents", "clean", "water"} & set(missed["top_words"].split(", "))
    assert covered["uncoded_share"] == 0.0 and covered["closest_theme"] == "fishing"


def test_too_few_posts_for_topics_is_said(study):
    res = themes.run(insert(study, POSTS))
    assert res.topics is None and "too few posts" in res.topic_note


@pytest.mark.parametrize("text, message", [
    ("themes: []", "at least one theme"),
    ("themes: [{key: 1x, patterns: {en: [a]}}]", "key '1x'"),
    ("themes: [{key: a, patterns: {en: []}}]", "non-empty list"),
    ("themes: [{key: a, patterns: [x]}]", "'patterns' must map"),
    ("themes: [{key: a, patterns: {english: [x]}}]", "not a language code"),
    ("themes: [{key: a, group: misc, patterns: {en: [x]}}]", "group 'misc'"),
    ("themes: [{key: a, patterns: {en: ['re:(?<=x)y']}}]", "look-around"),
    ("themes: [{key: a, patterns: {en: ['re:(ab']}}]", "not a valid expression"),
    ("themes: [{key: a, patterns: {en: ['tr*ff']}}]", "only at the end"),
    ("themes: [{key: a, patterns: {en: [x]}}, {key: a, patterns: {en: [y]}}]", "used twice"),
    ("themes: [", "line 1"),
])
def test_bad_codebooks_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "cb.yaml"
    path.write_text(text)
    with pytest.raises(BadInput, match=re.escape(message)):
        load_codebook(path)


def test_missing_codebook(tmp_path):
    with pytest.raises(BadInput, match="codebook not found"):
        load_codebook(tmp_path / "nope.yaml")


def test_bundled_codebook_covers_the_issue_themes():
    keys = set(load_codebook().keys())
    assert {"awareness", "case_reports", "victim_support", "prevention", "policy_cooperation", "labour_migration",
            "covid19", "sexual_exploitation", "forced_labour", "domestic_servitude", "forced_criminality",
            "child_trafficking", "forced_marriage", "organ_removal"} <= keys


def _theme_table(keys: list[str], hits: dict[str, list[bool]]):
    import pyarrow as pa

    return pa.table({f"t_{k}": pa.array(hits[k], pa.bool_()) for k in keys})


def test_rare_keyword_themes_are_grouped_and_a_regex_theme_never(tmp_path):
    cb = tmp_path / "cb.yaml"
    cb.write_text("themes:\n" + "".join(f"  - key: {k}\n    patterns:\n      en: [{p}]\n" for k, p in [
        ("common", "a"), ("rare1", "b"), ("rare2", "c"), ("never", "d"), ("rx", "'re:e'"), ("half", "f")]))
    book = load_codebook(cb)
    # 10 sample posts: common in 9, rare1 in post 0, rare2 in post 0 too, never in none, rx in none, half in 5.
    # by hand, in reads of the text per post, rarest first (never 0, rare1 .1, rare2 .1, half .5, common .9):
    # alone, 1 each; {never, rare1, rare2} together: 1 + 3 x .1 = 1.3 instead of 3; adding half:
    # 1 + 4 x .5 = 3 instead of 1.3 + 1; adding common as well: 1 + 5 x .9 worse still; rx is alone
    hits = {"common": [True] * 9 + [False], "rare1": [True] + [False] * 9, "rare2": [True] + [False] * 9,
            "never": [False] * 10, "rx": [False] * 10, "half": [True, False] * 5}
    sample = _theme_table(list(book.keys()), hits)
    assert themes.plan_groups(book, sample) == (("never", "rare1", "rare2"),)
    assert themes.plan_groups(book, sample.slice(0, 0)) == ()


# keywords of the bundled codebook and pieces around them: partial words, hyphens, other cases
# and the letters that match ASCII ones ignoring case (long s, Kelvin sign), line breaks
_THEME_PIECES = ["kerja", "paksa", "tenaga", "sama", "child", "trafficked", "children", "labour", "labor",
                 "forced", "anak-anak", "anak", "di", "bawah", "umur", "organ", "trade", "KIDNEYS", "ginjal",
                 "ſurvivor", "ſhelter", "\u212aidney", "shelter", "mail-order", "bride", "covid-19", "vaksin",
                 "prt", "maid", "maids", "scam", "online", "penipuan", "x", " ", "  ", "\n", "-", "#", "@",
                 "_", "1", "é", ".", "pekerja", "migran", "rumah", "tangga", "debt", "bondage", "unpaid", "wages"]


def test_grouped_themes_code_every_post_as_themes_searched_alone(study):
    """Searching a group first never changes a post's themes: every theme in one group, and
    the groups the plan picks, against each theme searched alone, on adversarial texts."""
    import random

    rnd = random.Random(20150701)
    texts = [" ".join(rnd.choice(_THEME_PIECES) for _ in range(rnd.randint(1, 12))) for _ in range(3000)]
    rows = [post(str(i), "2022-01-01 00:00:00", t) for i, t in enumerate(texts)]
    p = themes._with_text(insert(study, rows))
    book = load_codebook()
    alone = themes._flag(p, book).order_by("post_id").to_pyarrow()
    assert sum(alone.column("t_forced_labour").to_pylist()) > 20  # the pieces do make matches
    sample = themes._sample(p, book, len(texts), 500)
    for groups in [(tuple(book.keys()),), themes.plan_groups(book, sample), (("organ_removal", "victim_support"),)]:
        grouped = themes._flag(p, book, groups=groups).order_by("post_id").to_pyarrow()
        assert grouped.equals(alone), groups


@pytest.mark.real
def test_grouped_themes_code_real_posts_as_themes_searched_alone(study):
    from tests.social.helpers import import_every_sample
    from tiplens.social.tables import social_tables

    import_every_sample(study)
    p = themes._with_text(social_tables(study.tables()))
    book = load_codebook()
    alone = themes._flag(p, book).order_by(["platform", "post_id"]).to_pyarrow()
    assert alone.num_rows > 3000 and sum(alone.column("t_awareness").to_pylist()) > 0
    grouped = themes._flag(p, book, groups=(tuple(book.keys()),)).order_by(["platform", "post_id"]).to_pyarrow()
    assert grouped.equals(alone)

"""Word frequency on a hand-counted fixture."""

from __future__ import annotations

import pytest

from tests.social.rows import insert, post
from tiplens.knowledge.stopwords import bilingual, stopwords
from tiplens.social.analyses import words

POSTS = [
    post("1", "2020-01-01 00:00:00", "The trafficking of persons is a crime #StopTrafficking @UNODC https://t.co/x1"),
    post("2", "2020-01-02 00:00:00", "Perdagangan orang adalah kejahatan yang serius", lang="id"),
    post("3", "2020-01-03 00:00:00", "Trafficking, trafficking and more trafficking!"),
    post("4", "2020-01-04 00:00:00", "RT @x: crime crime", kind="retweet"),
    post("5", "2020-01-05 00:00:00", "anak-anak di bawah umur", lang="id"),
    post("6", "2020-01-06 00:00:00", None),
]


def test_counts_after_stopwords_hashtags_mentions_and_urls(study):
    res = words.run(insert(study, POSTS))
    got = {r["word"]: (r["count"], r["posts"]) for r in res.words.to_pylist()}
    # by hand: post 1 -> trafficking, persons, crime; post 2 -> perdagangan, orang, kejahatan, serius;
    # post 3 -> trafficking x3; post 5 -> anak-anak, bawah, umur; the retweet (4) is left out
    assert got == {"trafficking": (4, 2), "persons": (1, 1), "crime": (1, 1), "perdagangan": (1, 1),
                   "orang": (1, 1), "kejahatan": (1, 1), "serius": (1, 1), "anak-anak": (1, 1),
                   "bawah": (1, 1), "umur": (1, 1)}
    assert res.words.column("word")[0].as_py() == "trafficking"
    assert (res.posts, res.tokens) == (4, 13)


def test_per_language(study):
    res = words.run(insert(study, POSTS))
    by = {(r["lang"], r["word"]): r["count"] for r in res.by_language.to_pylist()}
    assert by[("en", "trafficking")] == 4 and by[("id", "perdagangan")] == 1
    assert ("en", "perdagangan") not in by


def test_retweets_kept_on_request_and_extra_stopwords(study):
    res = words.run(insert(study, POSTS), words.Params(exclude_retweets=False, extra_stopwords=("trafficking",)))
    got = {r["word"]: r["count"] for r in res.words.to_pylist()}
    assert got["crime"] == 3 and "trafficking" not in got and "rt" not in got


def test_stopword_lists():
    en, id_ = stopwords("en"), stopwords("id")
    assert {"the", "and", "of"} <= en and {"yang", "dan", "di", "adalah"} <= id_
    assert "trafficking" not in bilingual() and "perdagangan" not in bilingual()
    assert all(w == w.lower() and " " not in w for w in bilingual())


def _reference(texts: list[str]) -> dict[str, tuple[int, int]]:
    """Plain Python, written from the module's description: strip URLs, hashtags and mentions,
    split into runs of letters, apostrophes and hyphens, trim those from the ends, drop words
    shorter than 2 letters and stopwords."""
    import re

    stop = bilingual()
    out: dict[str, list] = {}
    for i, text in enumerate(texts):
        clean = re.sub(r"https?://\S+|www\.\S+|[@#＃][^\W_]*\w*", " ", text.lower())
        for raw in re.split(r"[^a-z'’-]+", clean):
            w = raw.strip("'’-")
            if len(w) >= 2 and w not in stop:
                cnt = out.setdefault(w, [0, set()])
                cnt[0] += 1
                cnt[1].add(i)
    return {w: (c, len(p)) for w, (c, p) in out.items()}


def test_words_trimmed_at_both_ends_count_once_per_post(study):
    """'-rescue', 'rescue'' and rescue are one word; a post that repeats it counts once among
    the posts (the first occurrence of each word in a post is found in the engine)."""
    texts = ["'rescue' rescue -rescue- workers' workers", "rescue, ’workers’ and 'x' and -- -' ok-",
             "self-help self-help-- --self-help rescue", "nothing here but stop words: the and of"]
    rows = [post(str(i), f"2021-02-0{i + 1} 00:00:00", t) for i, t in enumerate(texts)]
    res = words.run(insert(study, rows))
    got = {r["word"]: (r["count"], r["posts"]) for r in res.words.to_pylist()}
    assert got == _reference(texts)
    assert got["rescue"] == (5, 3) and got["self-help"] == (3, 1)


def _defined_words(text):
    """The words as the module docstring defines them, spelled the direct way (the code before
    the faster spelling): strip URLs, hashtags and mentions; split on runs of what is not a
    letter, apostrophe or hyphen; trim apostrophes and hyphens from each word's ends."""
    strip = r"https?://\S+|www\.\S+|[@#＃][\p{L}\p{N}_]+(@[\w.-]+)?"
    parts = text.lower().re_replace(strip, " ").re_split(r"[^\p{L}'’-]+")
    return parts.map(lambda w: w.re_replace(r"^['’-]+|['’-]+$", ""))


def _both_spellings(study, texts: list[str]) -> list[tuple[str, list[str], list[str]]]:
    rows = [post(str(i), "2021-01-01 00:00:00", t) for i, t in enumerate(texts)]
    p = insert(study, rows).posts
    got = p.select("post_id", "text", new=words.word_list(p.text), old=_defined_words(p.text)).to_pyarrow().to_pylist()
    # empty words are dropped by both (with the one-letter ones); everything else, in order
    return [(r["text"], [w for w in r["old"] if w], [w for w in r["new"] if w]) for r in got]


# pieces that meet at the edges of the rules: marks at word ends, tags and URLs inside words,
# non-ASCII letters and spaces, digits and underscores, a lone @ or #, line breaks
_PIECES = ["a", "Ab", "ÉTÉ", "ſ", "İ", "K", "ß", "anak-anak", "-", "--", "'", "’", " ", "  ", "\n", "\t", "\u00a0",
           "\u2028", "@", "#", "＃", "@user", "#tag", "#1_x", "@a@b.c", "＃タグ", "http://x.y/z", "https://t.co/q",
           "www.", "www.a.b", "http", "1", "_", ",", ".", "!", "😀", "ok-", "'s", "x'", "’y’", "- '", "中文", "١٢"]


def test_the_fast_spelling_gives_the_defined_words_on_adversarial_texts(study):
    import random

    rnd = random.Random(20150701)
    texts = ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 14))) for _ in range(4000)]
    texts += ["", " ", "-", "'-'", "a--b", "x- -y", "x -- y", "--x--", "abchttps://x.y z", "awww.b.c d", "x@y #z"]
    differ = [r for r in _both_spellings(study, texts) if r[1] != r[2]]
    assert not differ, differ[:5]


@pytest.mark.real
def test_the_fast_spelling_gives_the_defined_words_on_real_posts(study):
    from tests.social.helpers import import_every_sample

    import_every_sample(study)
    p = study.tables().table("posts")
    p = p.filter(p.text.notnull())
    got = p.select(new=words.word_list(p.text), old=_defined_words(p.text)).to_pyarrow().to_pylist()
    assert len(got) > 3000
    assert [[w for w in r["new"] if w] for r in got] == [[w for w in r["old"] if w] for r in got]

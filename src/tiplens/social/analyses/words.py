"""Word frequencies with English and Indonesian stopwords removed. Hashtags, @mentions and
URLs are taken out first (hashtags have their own analysis); words are lower-cased runs of
letters (with inner hyphens or apostrophes, so Indonesian plurals such as 'anak-anak' stay
one word). Counted in the engine: occurrences and the number of posts using each word,
overall and per post language."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from tiplens.knowledge.stopwords import stopwords
from tiplens.social.tables import SocialTables

NAME = "words"
TITLE = "Word frequency"
# RE2 (DuckDB) and Java (Spark) read these the same way
_STRIP = r"https?://\S+|www\.\S+|[@#＃][\p{L}\p{N}_]+(@[\w.-]+)?"
_SPLIT = r"[^\p{L}'’-]+"  # words are runs of letters with inner hyphens or apostrophes


@dataclass(frozen=True)
class Params:
    top: int = 30  # words kept overall
    top_per_language: int = 15
    languages: tuple[str, ...] = ("en", "id")  # stopword lists applied (all, to every post)
    exclude_retweets: bool = True  # a retweet's words are the original author's
    extra_stopwords: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordsResult:
    words: pa.Table  # word, count, posts
    by_language: pa.Table  # lang, word, count, posts, rank
    posts: int  # posts whose text was counted
    tokens: int  # words counted after stopwords
    params: Params = field(default_factory=Params)

    def to_frame(self, part: str = "words"):
        return getattr(self, part).to_pandas()


def tokens(tables: SocialTables, params: Params) -> ibis.Table:
    """One row per word occurrence: key (platform:post_id), lang, word."""
    p = tables.posts
    p = p.filter(p.text.notnull())
    if params.exclude_retweets:
        p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    clean = p.text.lower().re_replace(_STRIP, " ")
    t = p.select(key=p.platform.concat(":", p.post_id), lang=p.lang.lower().fill_null("und"),
                 word=clean.re_split(_SPLIT))
    t = t.select("key", "lang", word=t.word.unnest())
    t = t.mutate(word=t.word.re_replace(r"^['’-]+|['’-]+$", ""))
    stop = set(params.extra_stopwords)
    for lang in params.languages:
        stop |= stopwords(lang)
    return t.filter((t.word.length() >= 2) & ~t.word.isin(sorted(stop)))


def run(tables: SocialTables, params: Params = Params()) -> WordsResult:
    t = tokens(tables, params)
    p = tables.posts.filter(tables.posts.text.notnull())
    if params.exclude_retweets:
        p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    n_posts = int(p.count().to_pyarrow().as_py())
    n_tokens = int(t.count().to_pyarrow().as_py())
    words = t.group_by("word").aggregate(count=t.count(), posts=t.key.nunique())
    words = words.order_by([ibis.desc("count"), "word"]).limit(params.top).to_pyarrow()
    by = t.group_by(["lang", "word"]).aggregate(count=t.count(), posts=t.key.nunique())
    by = by.mutate(rank=ibis.row_number().over(group_by="lang", order_by=[ibis.desc("count"), "word"]) + 1)
    by = by.filter(by["rank"] <= params.top_per_language).order_by(["lang", "rank"]).to_pyarrow()
    return WordsResult(words, by, n_posts, n_tokens, params)

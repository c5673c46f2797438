"""Word frequencies with English and Indonesian stopwords removed. Hashtags, @mentions and
URLs are taken out first (hashtags have their own analysis); words are lower-cased runs of
letters (with inner hyphens or apostrophes, so Indonesian plurals such as 'anak-anak' stay
one word). Counted in the engine in one pass: occurrences and the number of posts using each word
per post language; the overall counts and the top words are summed from those."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from tiplens.knowledge.stopwords import stopwords
from tiplens.social.ranking import top_per_group
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


_EDGE = "'’-"  # trimmed from both ends of a word


def _trim(word: ibis.StringValue) -> ibis.StringValue:
    """The word without leading or trailing apostrophes and hyphens (a regular expression only
    for the few words that have them)."""
    edged = ibis.or_(*[word.startswith(c) | word.endswith(c) for c in _EDGE])
    return edged.ifelse(word.re_replace(r"^['’-]+|['’-]+$", ""), word)


def tokens(tables: SocialTables, params: Params) -> ibis.Table:
    """One row per word occurrence: lang, word, and ``first``: whether it is the word's first
    occurrence in its post (so the posts using a word are counted without a distinct count)."""
    p = tables.posts
    p = p.filter(p.text.notnull())
    if params.exclude_retweets:
        p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    clean = p.text.lower().re_replace(_STRIP, " ")
    t = p.select(lang=p.lang.lower().fill_null("und"), words=clean.re_split(_SPLIT).map(_trim))
    # each word with a flag for its first occurrence in the post, unnested in one projection
    pairs = t.words.map(lambda w, i: ibis.struct({"word": w, "first": t.words.index(w) == i}))
    t = t.select("lang", pair=pairs.unnest())
    t = t.select("lang", word=t.pair["word"], first=t.pair["first"])
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
    # one pass over the tokens: counts per (language, word); a post has one language, so a
    # word's posts overall are the sum of its posts per language
    by = t.group_by(["lang", "word"]).aggregate(count=t.count(), posts=t.first.cast("int64").sum()).to_pyarrow()
    by = by.cast(pa.schema([("lang", pa.string()), ("word", pa.string()), ("count", pa.int64()),
                            ("posts", pa.int64())]))
    n_tokens = int(pc.sum(by.column("count")).as_py() or 0)
    words = by.group_by("word").aggregate([("count", "sum"), ("posts", "sum")])
    words = words.rename_columns(["word", "count", "posts"]).select(["word", "count", "posts"])
    words = words.sort_by([("count", "descending"), ("word", "ascending")]).slice(0, params.top)
    return WordsResult(words, top_per_group(by, "lang", "count", "word", params.top_per_language), n_posts, n_tokens, params)

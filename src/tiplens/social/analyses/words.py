"""Word frequencies with English and Indonesian stopwords removed. Hashtags, @mentions and
URLs are taken out first (hashtags have their own analysis); words are lower-cased runs of
letters (with inner hyphens or apostrophes, so Indonesian plurals such as 'anak-anak' stay
one word). Counted in the engine in one pass: occurrences and the number of posts using each word
per post language; the overall counts and the top words are summed from those.

The words of a text are found with two replacements and a split on spaces: the first turns URLs,
hashtags, mentions and every character that is neither a letter, an apostrophe, a hyphen nor a
space into a space; the second turns the apostrophes and hyphens at either end of a word into a
space. That gives the words the definition above gives (strip, split on what is not a letter,
trim each word) at a fraction of the cost: splitting on a regular expression and trimming word by word
were most of the section's time (tests/social/test_words.py compares the two)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pyarrow.compute as pc

from tiplens.knowledge.stopwords import stopwords
from tiplens.social.ranking import top_per_group
from tiplens.social.tables import SocialTables

NAME = "words"
TITLE = "Word frequency"
# RE2 (DuckDB) and Java (Spark) read these the same way
_STRIP = r"https?://\S+|www\.\S+|[@#＃][\p{L}\p{N}_]+(@[\w.-]+)?"
# what becomes a space: what _STRIP takes out, then runs of characters that are not letters,
# apostrophes, hyphens or spaces, and a lone @ or # that starts no tag. Tried in that order at
# each position, so a URL or tag is found where _STRIP alone would find it: a tag starts with
# @ or #, which the second alternative leaves alone, and a URL with a letter, which no
# alternative takes
_SEPARATORS = _STRIP + r"|[^\p{L}'’@#＃ -]+|[@#＃]"
# apostrophes and hyphens at the start or end of a word (the text now holds letters, apostrophes,
# hyphens and spaces): after a word and the spaces that follow with the marks that start the next
# word, before a word, at the start, at the end
_EDGES = r"['’-]+ +['’-]*| +['’-]+|^['’-]+|['’-]+$"


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


@ibis.udf.scalar.builtin(name="array_position")
def _position(array: dt.Array[dt.string], value: dt.string) -> dt.int64:
    """The 1-based position of the first ``value`` in ``array`` (DuckDB and Spark name it alike).
    Ibis's ``ArrayValue.index`` wraps it in null checks that read the list a second time for each
    word, a fifth of the words query; here neither can be null."""


def word_list(text: ibis.StringValue) -> ibis.ArrayValue:
    """The text's words in order, with empty strings where separators met (dropped later with
    the one-letter words)."""
    spaced = text.lower().re_replace(_SEPARATORS, " ")
    # a text without apostrophes or hyphens has no word ends to trim: three searches for one
    # character cost less than the expression that finds none
    marked = ibis.or_(*[spaced.contains(c) for c in "'’-"])
    return marked.ifelse(spaced.re_replace(_EDGES, " "), spaced).split(" ")


def tokens(tables: SocialTables, params: Params) -> ibis.Table:
    """One row per word occurrence, stopwords included: lang, word, and ``first``: whether it is
    the word's first occurrence in its post (so the posts using a word are counted without a
    distinct count). Words may be empty or one letter long; ``count_words`` drops those and the
    stopwords after counting, on the few distinct words rather than on every occurrence."""
    p = tables.posts
    p = p.filter(p.text.notnull())
    if params.exclude_retweets:
        p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    t = p.select(lang=p.lang.lower().fill_null("und"), words=word_list(p.text))
    # each word with a flag for its first occurrence in the post, unnested in one projection
    pairs = t.words.map(lambda w, i: ibis.struct({"word": w, "first": _position(t.words, w) == i + 1}))
    t = t.select("lang", pair=pairs.unnest())
    return t.select("lang", word=t.pair["word"], first=t.pair["first"])


def count_words(tables: SocialTables, params: Params) -> ibis.Table:
    """lang, word, count (occurrences), posts (posts using the word) for the words of two or
    more letters that are not stopwords."""
    t = tokens(tables, params)
    by = t.group_by(["lang", "word"]).aggregate(count=t.count(), posts=t.first.cast("int64").sum())
    stop = set(params.extra_stopwords)
    for lang in params.languages:
        stop |= stopwords(lang)
    return by.filter((by.word.length() >= 2) & ~by.word.isin(sorted(stop)))


def run(tables: SocialTables, params: Params = Params()) -> WordsResult:
    p = tables.posts.filter(tables.posts.text.notnull())
    if params.exclude_retweets:
        p = p.filter(p.kind.isnull() | (p.kind != "retweet"))
    n_posts = int(p.count().to_pyarrow().as_py())
    # one pass over the tokens: counts per (language, word); a post has one language, so a
    # word's posts overall are the sum of its posts per language
    by = count_words(tables, params).to_pyarrow()
    by = by.cast(pa.schema([("lang", pa.string()), ("word", pa.string()), ("count", pa.int64()),
                            ("posts", pa.int64())]))
    n_tokens = int(pc.sum(by.column("count")).as_py() or 0)
    words = by.group_by("word").aggregate([("count", "sum"), ("posts", "sum")])
    words = words.rename_columns(["word", "count", "posts"]).select(["word", "count", "posts"])
    words = words.sort_by([("count", "descending"), ("word", "ascending")]).slice(0, params.top)
    return WordsResult(words, top_per_group(by, "lang", "count", "word", params.top_per_language), n_posts, n_tokens, params)

"""Report section: word frequency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiplens.report import Chart, Note, Section, Table, charts
from tiplens.social.analyses import words
from tiplens.social.tables import SocialTables

if TYPE_CHECKING:
    from tiplens.social.report import SocialReportParams


def section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section | None:
    res = words.run(tables, words.Params())
    w = res.words.to_pandas()
    blocks: list = []
    if len(w):
        top = ", ".join(f"{r['word']} ({r['count']:,})" for r in res.words.to_pylist()[:8])
        blocks.append(Note(f"{res.tokens:,} words counted in {res.posts:,} posts after removing stopwords; the most "
                           f"frequent: {top}.", "finding"))
        blocks.append(Chart(charts.bars(w.head(25), "word", "count", horizontal=True, y_title="occurrences",
                                        x_title="word", tooltip=["word", "count", "posts"]),
                            title="Most frequent words"))
    else:
        blocks.append(Note("No words left to count after removing stopwords.", "warning"))
    blocks.append(Table("words", w, title="Most frequent words", max_rows=30,
                        caption="count = occurrences; posts = posts using the word."))
    by = res.by_language.to_pandas()
    if len(by):
        blocks.append(Table("words_by_language", by, title="Most frequent words per post language", max_rows=30,
                            caption="Language as the source labels the post ('und' = not labelled)."))
    return Section("words", words.TITLE, blocks, intro=(
        "Words are counted after removing hashtags, @mentions, URLs and English and Indonesian stopwords "
        "(knowledge/stopwords_en.txt, stopwords_id.txt; both lists apply to every post, because posts mix "
        "languages). Retweets are left out: their words are the original author's."))

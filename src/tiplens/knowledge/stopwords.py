"""English and Indonesian stopword lists (``stopwords_en.txt``, ``stopwords_id.txt``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

LANGUAGES = ("en", "id")


@cache
def stopwords(lang: str) -> frozenset[str]:
    """The stopwords of one language (``en`` or ``id``), lower case."""
    if lang not in LANGUAGES:
        raise ValueError(f"no stopword list for {lang!r}; have {', '.join(LANGUAGES)}")
    text = resources.files("tiplens.knowledge").joinpath(f"stopwords_{lang}.txt").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w)


def bilingual() -> frozenset[str]:
    """English and Indonesian together: posts of a bilingual account mix both."""
    return stopwords("en") | stopwords("id")

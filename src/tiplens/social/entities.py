"""Normalising hashtags, handles and URLs, and finding them in text when a source
does not list them."""

from __future__ import annotations

import re
import unicodedata

# a hashtag starts after a non-word char, contains letters/digits/underscore, not only digits
_HASHTAG = re.compile(r"(?<![\w&#])[#＃](\w*[^\W\d]\w*)", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?)")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def norm_hashtag(tag: str) -> str:
    """Case-folded, NFC, without the leading '#'."""
    return unicodedata.normalize("NFC", tag.lstrip("#＃")).casefold()


def norm_handle(handle: str | None) -> str | None:
    """Lower-case handle without '@'; fediverse handles keep their instance (user@host)."""
    if handle is None:
        return None
    h = handle.strip().lstrip("@").lower()
    return h or None


def hashtags_in(text: str | None) -> list[str]:
    return [m.group(1) for m in _HASHTAG.finditer(text or "")]


def mentions_in(text: str | None) -> list[str]:
    return [m.group(1) for m in _MENTION.finditer(text or "")]


def urls_in(text: str | None) -> list[str]:
    return [m.group(0).rstrip(".,;:!?)") for m in _URL.finditer(text or "")]

"""Language of an ad: 'en', 'id', ... or 'und' (too few letters to tell).

A quick count of common English and Indonesian words settles most ads; langid, restricted to
the languages screening is likely to meet, decides the rest. langid often calls Indonesian
"Malay" ('ms'): words that differ between the two standards (tidak/pabrik/uang against
kilang/wang/percuma ...) settle that. Matching never depends on the result: English and
Indonesian patterns both run on every text, so mixed-language posts are screened in full.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from typing import Any

# English and Indonesian first; then languages of the main countries of origin and destination
# of Indonesian migrant workers and their neighbours.
LIKELY = ("en", "id", "ms", "jv", "tl", "vi", "th", "km", "zh", "ja", "ko", "ar", "hi", "bn", "ne",
          "ur", "es", "pt", "fr", "de", "nl", "ru")
MIN_LETTERS = 12
SAMPLE = 600
# Region guessed for phone numbers written without a country code, by language.
REGION_BY_LANGUAGE = {"id": "ID", "jv": "ID", "ms": "MY", "tl": "PH", "vi": "VN", "th": "TH", "km": "KH",
                      "ko": "KR", "ja": "JP"}

# words are the runs of a-z: in the UTF-8 bytes every other byte becomes a space, then split
_NOT_AZ = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_LETTER = re.compile(r"[^\W\d_]")
_EN = frozenset(w.encode() for w in "the and to of you for with is are will our we your this that be have from as an on at "
                "by it or can all not job work".split())
_ID_MS = frozenset(w.encode() for w in "yang dan di untuk dengan ini itu ke dari akan kami anda atau ada juga dalam kerja "
                   "gaji bisa tidak sudah harus yg dgn utk aja gak ga banget cewek cewe cantik kak "
                   "biaya lowongan dicari pendaftaran hubungi paspor tanpa berangkat minat".split())
_ID_ONLY = frozenset(w.encode() for w in "tidak bisa sudah uang pabrik karena saja mau gratis lowongan loker biaya dicari "
                     "dibutuhkan perusahaan kantor minat hubungi segera syarat lamaran melamar".split())
_MS_ONLY = frozenset(w.encode() for w in "kilang wang kerana sahaja mahu percuma sila kat nak pejabat jawatan kosong syarikat "
                     "ringgit boleh dapatkan".split())


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier, model

    ident = LanguageIdentifier.from_modelstring(model, norm_probs=False)
    ident.set_languages(list(LIKELY))
    return ident


def detect(text: str | None) -> str:
    """'en', 'id', ... or 'und' (undetermined)."""
    return profile(text)[0]


def profile(text: str | None, low: str | None = None) -> tuple[str, bool]:
    """The language, and whether the text is plainly English with no Indonesian or Malay word
    among its common words (then Indonesian patterns are not worth running on it). ``low``:
    ``text.lower()`` when the caller has it."""
    if not text:
        return "und", False
    sample = text[:SAMPLE]
    if next(islice(_LETTER.finditer(sample), MIN_LETTERS - 1, None), None) is None:  # fewer letters
        return "und", False
    # lower-casing maps character to character except for "İ" (two characters) and "Σ" (by context)
    same = low is not None and "İ" not in text and "Σ" not in text
    lowered = low[:SAMPLE] if same else sample.lower()  # type: ignore[index]
    words = lowered.encode("utf-8", "surrogatepass").translate(_NOT_AZ).split()
    en = sum(map(_EN.__contains__, words))
    idms = sum(map(_ID_MS.__contains__, words))
    enough = 3 if len(words) >= 15 else 2
    if en >= enough and en >= 2 * idms:
        return "en", idms == 0
    if idms >= enough and idms >= 2 * en:
        return _indonesian_or_malay(words), False
    lang = str(_identifier().classify(sample)[0])
    return (_indonesian_or_malay(words) if lang in ("id", "ms") else lang), False


def _indonesian_or_malay(words: list[bytes]) -> str:
    ms = sum(map(_MS_ONLY.__contains__, words))
    return "ms" if ms > sum(map(_ID_ONLY.__contains__, words)) else "id"

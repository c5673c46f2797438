"""Language of an ad: 'en', 'id', ... or 'und' (too few letters to tell).

A quick count of common English and Indonesian words settles most ads; langid, restricted to
the languages screening is likely to meet, decides the rest (its model, run with numpy: see
:class:`_Langid`). langid often calls Indonesian
"Malay" ('ms'): words that differ between the two standards (tidak/pabrik/uang against
kilang/wang/percuma ...) settle that. Matching never depends on the result: English and
Indonesian patterns both run on every text, so mixed-language posts are screened in full.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np

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


class _Langid:
    """langid's classifier with its two slow steps done with numpy, same answers.

    langid counts its byte n-gram features by walking the UTF-8 bytes through its automaton in a
    Python loop (about 0.6 ms for 600 characters), then takes the dot product of the uint32
    counts with its float32 table, which numpy casts to float64 on every call (about 0.7 ms).
    Here the features' byte strings are read back from the automaton once (each state's bytes
    are the shortest path to it; a feature is the bytes of the shallowest state that outputs
    it), every n-gram of the text is looked up among them at once, and the table is cast once.
    The counts equal langid's (every occurrence of a feature, overlaps included: what its
    automaton counts) and the products are the same floats (tested against langid)."""

    def __init__(self, ident: Any) -> None:
        moves = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode)).reshape(-1, 256)
        strings = _state_strings(moves)
        shallowest: dict[int, bytes] = {}
        for state, features in ident.tk_output.items():
            for f in features:
                if f not in shallowest or len(strings[state]) < len(shallowest[f]):
                    shallowest[f] = strings[state]
        if len(shallowest) != ident.nb_numfeats or len(set(shallowest.values())) != len(shallowest):
            raise ValueError("unexpected langid model: features are not distinct byte strings")
        self.longest = max(map(len, shallowest.values()))
        if self.longest > 5:  # an n-gram's bytes and its length share one int64 key (see _code)
            raise ValueError(f"unexpected langid model: {self.longest}-byte features (at most 5 fit a key)")
        codes = np.array([_code(b) for b in shallowest.values()], dtype=np.int64)
        order = np.argsort(codes)
        self.codes = codes[order]
        self.features = np.fromiter(shallowest.keys(), dtype=np.int64, count=len(shallowest))[order]
        self.n = ident.nb_numfeats
        self.ptc = ident.nb_ptc.astype(np.result_type(np.uint32, ident.nb_ptc.dtype))  # what np.dot casts to
        self.pc = ident.nb_pc
        self.classes = ident.nb_classes

    def counts(self, text: str) -> np.ndarray:
        """langid's ``instance2fv``: how often each feature occurs in the UTF-8 bytes of ``text``
        (a lone surrogate, which langid cannot encode, is taken as its three bytes)."""
        b = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8).astype(np.int64)
        parts = []
        code = np.zeros(len(b), dtype=np.int64)
        for n in range(1, self.longest + 1):
            m = len(b) - n + 1
            if m <= 0:
                break
            code = (code[:m] << 8) | b[n - 1:n - 1 + m]
            parts.append(code | (n << 40))
        if not parts:
            return np.zeros(self.n, dtype=np.uint32)
        grams = np.sort(np.concatenate(parts))  # sorted keys: each search starts where the last ended
        at = np.minimum(np.searchsorted(self.codes, grams), len(self.codes) - 1)
        hit = self.codes[at] == grams
        return np.bincount(self.features[at[hit]], minlength=self.n).astype(np.uint32)

    def scores(self, text: str) -> np.ndarray:
        """langid's ``nb_classprobs(instance2fv(text))`` (log-probabilities, not normalised)."""
        return np.dot(self.counts(text), self.ptc) + self.pc

    def classify(self, text: str) -> str:
        return str(self.classes[int(np.argmax(self.scores(text)))])


def _state_strings(moves: np.ndarray) -> list[bytes]:
    """The bytes that lead from the start to each state of a byte automaton by the shortest path
    (breadth first; a state first reached at depth d + 1 is reached by one move only)."""
    strings: list[bytes] = [b""] * len(moves)
    seen = np.zeros(len(moves), dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.int64)
    while len(frontier):
        step = moves[frontier].astype(np.int64)
        rows, cols = np.nonzero(~seen[step])
        states = step[rows, cols]
        states, first = np.unique(states, return_index=True)
        for state, row, col in zip(states.tolist(), rows[first].tolist(), cols[first].tolist(), strict=True):
            strings[state] = strings[int(frontier[row])] + bytes((col,))
        seen[states] = True
        frontier = states
    return strings


def _code(b: bytes) -> int:
    return int.from_bytes(b, "big") | (len(b) << 40)


@lru_cache(maxsize=1)
def _langid() -> _Langid:
    return _Langid(_identifier())


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
    # lower-casing maps character to character except for "İ" (two characters) and "Σ" (by context)
    same = low is not None and "İ" not in text and "Σ" not in text
    lowered = low[:SAMPLE] if same else sample.lower()  # type: ignore[index]
    words = lowered.encode("utf-8", "surrogatepass").translate(_NOT_AZ).split()
    # each a-z of the lower-cased sample comes from a letter of its own in the sample (only "İ"
    # lower-cases to more than one character, one of them a-z), so enough of them settle the
    # count of letters without the expression (which made a match object per letter)
    if sum(map(len, words)) < MIN_LETTERS and next(islice(_LETTER.finditer(sample), MIN_LETTERS - 1, None), None) is None:
        return "und", False  # fewer letters
    enough = 3 if len(words) >= 15 else 2
    if _ID_MS.isdisjoint(words):
        # no Indonesian or Malay word (most ads): English as soon as `enough` English words occur,
        # which is what the counts below decide then, without counting to the end
        if next(islice(filter(_EN.__contains__, words), enough - 1, None), None) is not None:
            return "en", True
    else:
        en = sum(map(_EN.__contains__, words))
        idms = sum(map(_ID_MS.__contains__, words))
        if en >= enough and en >= 2 * idms:
            return "en", False
        if idms >= enough and idms >= 2 * en:
            return _indonesian_or_malay(words), False
    lang = _langid().classify(sample)
    return (_indonesian_or_malay(words) if lang in ("id", "ms") else lang), False


def _indonesian_or_malay(words: list[bytes]) -> str:
    ms = sum(map(_MS_ONLY.__contains__, words))
    return "ms" if ms > sum(map(_ID_ONLY.__contains__, words)) else "id"

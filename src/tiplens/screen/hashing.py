"""Hashed word and character n-grams for many texts at once, computed with numpy.

scikit-learn's ``HashingVectorizer`` builds every n-gram as a Python string, which caps it at a
few hundred ~2 kB ads per second per core for character n-grams. Here all texts of a batch are
laid end to end in one byte array and every n-gram is hashed with vectorised integer arithmetic,
so featurising costs tens of microseconds per ad. The output is the list of n-gram occurrences
(document index, hashed column, block), which the model either turns into a sparse matrix
(training) or sums weights over with ``numpy.bincount`` (scoring, no sorting needed).

Text is lower-cased (ASCII letters; other bytes are kept), every whitespace byte becomes a space
and each text is padded with one space on each side. Words are maximal runs of ASCII letters and
digits and non-ASCII bytes (so Indonesian and accented words stay whole).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xC2B2AE3D27D4EB4F)
_P = 1099511628211  # odd multiplier of the polynomial word hash (mod 2**64)
_P_INV = pow(_P, -1, 1 << 64)
_SALT_WORD, _SALT_BIGRAM, _SALT_CHAR = 0x5157, 0x5262, 0x4300
_BATCH_BYTES = 1 << 20  # texts are hashed in slices of about 1 MB

# bytes.translate tables: ASCII lower case with whitespace as a space; 1 for word bytes, else 0
_LOWER = bytes(b + 32 if 65 <= b <= 90 else 32 if 9 <= b <= 13 else b for b in range(256))
_IS_WORD = bytes(1 if 48 <= b <= 57 or 97 <= b <= 122 or b >= 128 else 0 for b in range(256))

_powers: dict[str, np.ndarray] = {}
_local = threading.local()  # per thread: the work arrays of _scratch


def _scratch(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two uint64 work arrays of n and n + 1 elements for the word hashes, kept between batches
    (one pair per thread). A new 8 MB array per batch cost more in page faults than its passes."""
    x = getattr(_local, "x", None)
    if x is None or len(x) < n:
        x = _local.x = np.empty(max(n, 1 << 16), dtype=np.uint64)
        _local.c = np.empty(len(x) + 1, dtype=np.uint64)
    return x[:n], _local.c[: n + 1]


def _mix(h: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64 style) so that nearby codes land far apart."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(31))  # a new array: the rest works in place
        h *= _K1
        h ^= h >> np.uint64(29)
        h *= _K2
        h ^= h >> np.uint64(32)
        return h


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**64 for i < n (grown on demand and kept)."""
    if len(_powers.get("p", ())) < n:
        # grow rarely: at once to a whole slice of texts (batches vary in size), else geometrically
        size = max(n, 2 * len(_powers.get("p", ())), 1 << 16 if n <= 1 << 16 else _BATCH_BYTES + (1 << 16))
        with np.errstate(over="ignore"):
            p = np.cumprod(np.full(size, np.uint64(_P)), dtype=np.uint64)
            q = np.cumprod(np.full(size, np.uint64(_P_INV)), dtype=np.uint64)
        _powers["p"] = np.concatenate([[np.uint64(1)], p[:-1]])
        _powers["q"] = np.concatenate([[np.uint64(1)], q[:-1]])
    return _powers["p"], _powers["q"]


@dataclass(frozen=True)
class Occurrences:
    """Every hashed n-gram of a batch: ``doc[i]`` holds n-gram ``col[i]`` of block ``block[i]``
    (0 = words and word pairs in columns ``[0, n_features)``, 1 = character n-grams in columns
    ``[n_features, 2 n_features)``). ``raw`` is the padded original bytes (case kept), ``starts``
    where each text begins in it."""

    n_docs: int
    doc: np.ndarray
    col: np.ndarray
    block: np.ndarray
    raw: np.ndarray
    starts: np.ndarray


@dataclass(frozen=True)
class NgramHasher:
    n_features: int = 1 << 20
    word_ngrams: tuple[int, ...] = (1, 2)
    char_ngrams: tuple[int, ...] = (4,)

    def __post_init__(self) -> None:
        if self.n_features & (self.n_features - 1) or self.n_features < 1024:
            raise ValueError("n_features must be a power of two >= 1024")
        if not set(self.word_ngrams) <= {1, 2} or not set(self.char_ngrams) <= set(range(1, 9)):
            raise ValueError("word n-grams may be 1 and 2, character n-grams 1 to 8")

    @property
    def n_columns(self) -> int:
        return 2 * self.n_features

    def occurrences(self, texts: Sequence[str]) -> Occurrences:
        parts = [self._batch(texts[i:j], i) for i, j in _slices(texts)]
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Occurrences(0, empty, empty, empty.astype(np.int8), np.zeros(0, np.uint8), empty)
        offsets = np.cumsum([0] + [len(p.raw) for p in parts[:-1]])
        return Occurrences(
            len(texts),
            np.concatenate([p.doc for p in parts]),
            np.concatenate([p.col for p in parts]),
            np.concatenate([p.block for p in parts]),
            np.concatenate([p.raw for p in parts]),
            np.concatenate([p.starts + o for p, o in zip(parts, offsets, strict=True)]),
        )

    def _batch(self, texts: Sequence[str], first: int) -> Occurrences:
        # each text encoded once ("replace" works character by character: the same bytes as
        # encoding the joined text)
        encoded = [_utf8(t) for t in texts]
        joined = b" " + b"  ".join(encoded) + b" "
        lens = np.fromiter(map(len, encoded), dtype=np.int64, count=len(texts)) + 2
        raw = np.frombuffer(joined, dtype=np.uint8)
        lowered = joined.translate(_LOWER)
        low = np.frombuffer(lowered, dtype=np.uint8)
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        mask = np.uint64(self.n_features - 1)
        docs, cols, blocks = [], [], []

        # words: hash every maximal run of word bytes, position-independently. The joined bytes
        # start and end with a space, so the changes of "is a word byte" alternate start, end.
        isw = np.frombuffer(lowered.translate(_IS_WORD), dtype=np.bool_)
        edges = np.flatnonzero(isw[1:] != isw[:-1]) + 1
        ws, we = edges[0::2], edges[1::2]
        if len(ws) and self.word_ngrams:
            p, q = _power_tables(len(low))
            x, c = _scratch(len(low))
            with np.errstate(over="ignore"):
                c[0] = 0
                x[...] = low  # a plain cast, then the +1: far faster than a mixed-type add
                x += np.uint64(1)
                np.multiply(x, q[: len(low)], out=x)
                np.cumsum(x, out=c[1:])
                wh = _mix((c[we] - c[ws]) * p[we - 1])
            per_doc = np.diff(np.searchsorted(ws, starts), append=len(ws))  # words of each text
            wdoc = np.repeat(np.arange(first, first + len(lens), dtype=np.int32), per_doc)
            if 1 in self.word_ngrams:
                docs.append(wdoc)
                cols.append(_mix(wh ^ np.uint64(_SALT_WORD)) & mask)
            if 2 in self.word_ngrams and len(ws) > 1:
                same = wdoc[:-1] == wdoc[1:]
                with np.errstate(over="ignore"):
                    bh = _mix(wh[:-1] * _K1 + (wh[1:] ^ np.uint64(_SALT_BIGRAM)))
                docs.append(wdoc[:-1][same])
                cols.append(bh[same] & mask)
            blocks.append(np.zeros(sum(len(d) for d in docs), dtype=np.int8))

        # characters: squeeze runs of spaces, then hash byte n-grams within each text
        if self.char_ngrams:
            keep = np.ones(len(low), dtype=bool)
            keep[1:] = ~((low[1:] == 32) & (low[:-1] == 32))
            keep[starts] = True
            doc_of = np.repeat(np.arange(first, first + len(lens), dtype=np.int32), lens)
            cb, cdoc = low[keep].astype(np.uint64), doc_of[keep]
            n_before = sum(len(d) for d in docs)
            code = np.zeros(len(cb), dtype=np.uint64)
            for n in range(1, max(self.char_ngrams) + 1):
                m = len(cb) - n + 1
                if m <= 0:
                    break
                code = (code[:m] << np.uint64(8)) | cb[n - 1 : n - 1 + m]
                if n in self.char_ngrams:
                    ok = cdoc[:m] == cdoc[n - 1 : n - 1 + m]
                    docs.append(cdoc[:m][ok])
                    cols.append((_mix(code[ok] ^ np.uint64(_SALT_CHAR + n)) & mask) + np.uint64(self.n_features))
            blocks.append(np.ones(sum(len(d) for d in docs) - n_before, dtype=np.int8))

        empty = np.zeros(0, dtype=np.int64)
        return Occurrences(
            len(texts),
            np.concatenate(docs) if docs else empty,
            np.concatenate(cols).astype(np.int64) if cols else empty,
            np.concatenate(blocks) if blocks else empty.astype(np.int8),
            raw,
            starts,
        )


def _utf8(text: str) -> bytes:
    """``text.encode("utf-8", "replace")``: the strict encoder gives the same bytes, faster, for
    every text without a lone surrogate (the only thing "replace" replaces)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _slices(texts: Sequence[str]) -> list[tuple[int, int]]:
    out, i, size = [], 0, 0
    for j, t in enumerate(texts):
        size += len(t) + 2
        if size >= _BATCH_BYTES:
            out.append((i, j + 1))
            i, size = j + 1, 0
    if i < len(texts):
        out.append((i, len(texts)))
    return out

"""Near-duplicate ads: MinHash signatures over word shingles, candidate pairs from LSH
(datasketch), plus exact template duplicates (texts equal once case, digits and punctuation are
ignored). Used to keep copies of one ad template in one cross-validation fold, and by linking.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

THRESHOLD = 0.5  # estimated Jaccard similarity of 5-word shingles above which two ads are one template
NUM_PERM = 128
SHINGLE = 5
SEED = 1

_WORD = re.compile(r"\w+")
_DIGITS = str.maketrans("0123456789", "0000000000")


def words(text: str) -> list[str]:
    """Lower-cased words with every digit replaced by 0 (prices, phone numbers and dates vary
    between copies of one template)."""
    return [w.translate(_DIGITS) for w in _WORD.findall(text.lower())]


def template_key(text: str) -> str:
    """Equal for texts that differ only in case, digits, punctuation and spacing."""
    return hashlib.blake2b(" ".join(words(text)).encode("utf-8", "replace"), digest_size=16).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Word k-shingles; a text shorter than k words is one shingle; an empty text has none."""
    w = words(text)
    if not w:
        return set()
    if len(w) <= k:
        return {" ".join(w).encode("utf-8", "replace")}
    return {" ".join(w[i:i + k]).encode("utf-8", "replace") for i in range(len(w) - k + 1)}


def signatures(texts: Iterable[str], *, num_perm: int = NUM_PERM, k: int = SHINGLE,
               seed: int = SEED) -> list[LeanMinHash | None]:
    """One MinHash per text (None for a text without words)."""
    out: list[LeanMinHash | None] = []
    for text in texts:
        sh = shingles(text, k)
        if not sh:
            out.append(None)
            continue
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(list(sh))
        out.append(LeanMinHash(m))
    return out


def near_duplicate_pairs(texts: Sequence[str], *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                         k: int = SHINGLE, seed: int = SEED) -> np.ndarray:
    """Index pairs (i < j) of near-duplicate or template-equal texts, shape (n_pairs, 2).

    LSH proposes candidates; a pair is kept when the MinHash estimate of its Jaccard similarity
    reaches ``threshold`` (so the LSH banding's false positives are dropped)."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    pairs: set[tuple[int, int]] = set()
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        by_key[template_key(text)].append(i)
    for members in by_key.values():
        pairs.update((members[0], j) for j in members[1:])
    sigs = signatures(texts, num_perm=num_perm, k=k, seed=seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, sig in enumerate(sigs):
        if sig is not None:
            lsh.insert(i, sig, check_duplication=False)
    for i, sig in enumerate(sigs):
        if sig is None:
            continue
        for j in lsh.query(sig):
            if j > i and sig.jaccard(sigs[j]) >= threshold:
                pairs.add((i, j))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected components of n items joined by ``pairs``; each component is labelled by its
    smallest member index, so labels are stable and readable."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    return first[labels]


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                          k: int = SHINGLE, seed: int = SEED) -> np.ndarray:
    """Group label per text: texts linked by a chain of near-duplicate pairs share a label."""
    return components(len(texts), near_duplicate_pairs(texts, threshold=threshold, num_perm=num_perm,
                                                       k=k, seed=seed))

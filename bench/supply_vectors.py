"""Sentence vectors learnt by tiplens itself from unlabelled statement text, for the statement-model
experiments in ``bench/supply_statements_variants.py`` (not part of the package).

The unlabelled corpus: every sentence of the two AIMS files (text only; their labels are never read
here) + the 212 UK statement texts of ``statement-texts/uk_msa_wikirate/`` + the texts of
``wikirate-walkfree-msa-metrics/GT_MSA_Training_NewDataLabels_WithText.csv`` (the same statements
as the 212 files, so exact duplicates are dropped). External texts are split with tiplens' own
sentence splitter.

Two ways to learn vectors:
- ``word2vec``: gensim skip-gram word vectors; a sentence is the SIF average of its words' vectors
  (weight a / (a + p(w)), then the corpus' first principal direction removed), L2-normalised;
- ``lsa``: scikit-learn only: TF-IDF of the corpus sentences, TruncatedSVD to ``dim`` components;
  a sentence is the projection of its TF-IDF row, L2-normalised.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from tiplens.supply import sentences as splitter

ROOT = Path(__file__).resolve().parents[1]
SUPPLY = ROOT.parent / "shared" / "data" / "supply"
WIKIRATE = SUPPLY / "statement-texts" / "uk_msa_wikirate"
GT_CSV = SUPPLY / "wikirate-walkfree-msa-metrics" / "GT_MSA_Training_NewDataLabels_WithText.csv"
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's default token pattern


def tokens(sentence: str) -> list[str]:
    return TOKEN.findall(sentence.lower())


def external_documents() -> list[list[str]]:
    """The external statement texts, sentence-split, exact duplicate texts dropped."""
    texts: list[str] = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(WIKIRATE.glob("*.txt"))]
    csv.field_size_limit(sys.maxsize)
    with GT_CSV.open(encoding="utf-8", errors="replace", newline="") as fh:
        texts += [row.get("Text") or "" for row in csv.DictReader(fh)]
    seen: set[str] = set()
    out: list[list[str]] = []
    for t in texts:
        key = hashlib.sha256(splitter.normalise(t).strip().encode()).hexdigest()
        if not t.strip() or key in seen:
            continue
        seen.add(key)
        out.append(splitter.split(t))
    return out


def overlapping(documents: Sequence[Sequence[str]], held_out: Iterable[str], min_shared: int = 3) -> set[int]:
    """Indices of documents sharing at least ``min_shared`` sentences (of 40+ characters, compared on
    their tokens) with the held-out sentences: the same statement reached by another route."""
    key = {" ".join(tokens(s)) for s in held_out if len(s) >= 40}
    return {k for k, doc in enumerate(documents)
            if sum(" ".join(tokens(s)) in key for s in doc if len(s) >= 40) >= min_shared}


class SentenceVectors:
    """Fitted on a list of sentences (no labels); ``embed`` maps sentences to L2-normalised rows."""

    def __init__(self, corpus: Sequence[str], kind: str = "word2vec", dim: int = 100, seed: int = 0) -> None:
        self.kind, self.dim = kind, dim
        self._cache: dict[str, np.ndarray] = {}
        if kind == "word2vec":
            from gensim.models import Word2Vec

            toks = [t for t in (tokens(s) for s in corpus) if len(t) >= 2]
            w2v = Word2Vec(toks, vector_size=dim, window=5, min_count=3, sg=1, negative=10, sample=1e-4,
                           epochs=10, workers=1, seed=seed)
            self.index = {w: i for i, w in enumerate(w2v.wv.index_to_key)}
            self.vectors = np.asarray(w2v.wv.vectors, dtype=np.float64)
            counts = Counter(w for t in toks for w in t)
            total = sum(counts.values())
            a = 1e-3
            self.weight = np.array([a / (a + counts[w] / total) for w in w2v.wv.index_to_key])
            self.pc = np.zeros(dim)
            raw = np.vstack([self._sif(t) for t in toks])
            _, _, vt = np.linalg.svd(raw, full_matrices=False)  # SIF: uncentred
            self.pc = vt[0]
        elif kind == "lsa":
            from sklearn.decomposition import TruncatedSVD
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.tfidf = TfidfVectorizer(min_df=3, sublinear_tf=True, stop_words="english")
            x = self.tfidf.fit_transform(corpus)
            self.svd = TruncatedSVD(n_components=dim, random_state=seed).fit(x)
        else:
            raise ValueError(kind)

    def _sif(self, toks: list[str]) -> np.ndarray:
        idx = [self.index[w] for w in toks if w in self.index]
        if not idx:
            return np.zeros(self.dim)
        v = (self.weight[idx, None] * self.vectors[idx]).mean(0)
        return v - (v @ self.pc) * self.pc

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        todo = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        if todo:
            if self.kind == "word2vec":
                rows = np.vstack([self._sif(tokens(s)) for s in todo])
            else:
                rows = self.svd.transform(self.tfidf.transform(todo))
            norms = np.linalg.norm(rows, axis=1, keepdims=True)
            rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
            self._cache.update(zip(todo, rows, strict=True))
        return np.vstack([self._cache[s] for s in sentences]) if sentences else np.zeros((0, self.dim))

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """Nearest words by cosine (word2vec only), for inspection."""
        if self.kind != "word2vec" or word not in self.index:
            return []
        unit = self.vectors / (np.linalg.norm(self.vectors, axis=1, keepdims=True) + 1e-12)
        sims = unit @ unit[self.index[word]]
        words = list(self.index)
        return [(words[i], float(sims[i])) for i in np.argsort(-sims)[1:k + 1]]


def main() -> None:
    """Fit word2vec on all the unlabelled text and print each given word's nearest words."""
    import argparse

    from tiplens.supply import labelled

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("words", nargs="+")
    args = ap.parse_args()
    aims = SUPPLY / "aims-uk-ca-annotated"
    docs = external_documents()
    corpus = labelled.read([aims / "UK_context0_llama.csv", aims / "ca_future.csv"]).sentences + [s for d in docs for s in d]
    print(f"{len(corpus)} sentences ({len(docs)} external texts), {sum(len(tokens(s)) for s in corpus)} tokens")
    vec = SentenceVectors(corpus)
    for w in args.words:
        print(f"{w}: " + ", ".join(f"{n} {c:.2f}" for n, c in vec.neighbours(w, 8)))


if __name__ == "__main__":
    main()

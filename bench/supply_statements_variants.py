"""Experiments: variants of the statement model's first stage, and a second stage over neighbouring
sentences' scores, scored exactly as ``bench/supply_statements.py`` scores the shipped model.

For each outer fold (grouped by statement; the same folds as the benchmark) a variant is fitted on
the training statements; its per-requirement threshold is chosen on out-of-fold decisions from
inner folds grouped by statement (Platt scaling, best F1), never on the test fold. The figures are
sentence-level F1 pooled over the held-out predictions of the nine model-decided requirements, and
the macro over the ten requirements with gold positives (C1, decided by rules, adds an F1 of 0
with its two labelled sentences).

Variants:
- ``shipped``: the model as it is (``tiplens.supply.classifier``);
- ``context``: plus word 1-2-grams of the previous and of the next sentence separately, and
  words of the last heading-like line (short, no full stop) above the sentence;
- ``unbalanced``: the shipped features, LinearSVC without class weights;
- ``statement-df``: the shipped features, keeping only the n-grams seen in at least 3 statements
  (drops company names, which cannot carry over to other statements);
- ``stacked``: the shipped first stage, then per requirement a logistic regression over the
  first-stage decisions of every requirement at sentences i-1, i, i+1 (trained on inner
  out-of-fold decisions; its own threshold from a grouped cross-validation of that stage);
- ``w2v``, ``lsa``: the shipped features plus sentence vectors learnt without labels
  (``bench/supply_vectors.py``: gensim skip-gram word vectors SIF-pooled, or scikit-learn LSA) of
  the sentence and of the previous and next sentence (weights 1, 0.5, 0.5 on unit rows), fitted
  once on all the unlabelled text: every AIMS sentence, the test statements' included
  (transductive: their text, never their labels);
- ``w2v-train``, ``lsa-train``: the same, vectors fitted per outer split on the training
  statements' sentences + the external texts, leaving out any external text that shares 3+
  sentences with a test statement (what a user gets on statements never seen);
- ``w2v-labelled``, ``lsa-labelled``: the same, vectors fitted per outer split on the training
  statements' sentences only (what ``tiplens supply train`` could do with nothing but its input);
- ``w2v-avg``, ``w2v-train-avg``: the shipped model unchanged, plus a separate logistic regression
  over the sentence vectors (sentence, previous, next) and the position; the two decisions,
  each divided by its inner out-of-fold standard deviation, are averaged before calibration;
- ``tuned``: the shipped features; per requirement, C in {0.1, 0.3, 1} with balanced class
  weights or C = 0.3 unweighted, chosen by the best inner out-of-fold F1 (grouped folds).

Usage: PYTHONPATH=src python bench/supply_statements_variants.py [--design cv|cross] [--variants a,b]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

from tiplens.knowledge.msa_requirements import NAMES
from tiplens.supply import classifier as clf
from tiplens.supply import labelled
from tiplens.supply import model as mdl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import supply_vectors as sv  # noqa: E402  (the bench folder is not a package)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "supply" / "aims-uk-ca-annotated"
FILES = ("UK_context0_llama.csv", "ca_future.csv")
COLS = [j for j, n in enumerate(NAMES) if n not in ("c1_reporting_entity", "c6_consultation")]
HEADING = re.compile(r"^[^.!?;]{2,90}$")


@dataclass
class ContextFeaturiser(clf.Featuriser):
    prev: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True))
    next: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True))
    head: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(min_df=2, sublinear_tf=True))

    def _extra(self, statements, fit):
        prev, nxt, head = [], [], []
        for st in map(list, statements):
            prev += [st[i - 1] if i else "" for i in range(len(st))]
            nxt += [st[i + 1] if i + 1 < len(st) else "" for i in range(len(st))]
            current = ""
            for s in st:
                head.append(current)
                if HEADING.match(s) and len(s.split()) <= 10 and not s.rstrip().endswith(","):
                    current = s
        go = (lambda v, t: v.fit_transform(t)) if fit else (lambda v, t: v.transform(t))
        return [0.4 * go(self.prev, prev), 0.3 * go(self.next, nxt), 0.4 * go(self.head, head)]

    def fit_transform(self, statements):
        return hstack([super().fit_transform(statements), *self._extra(statements, True)]).tocsr()

    def transform(self, statements):
        return hstack([super().transform(statements), *self._extra(statements, False)]).tocsr()


class StatementDfFeaturiser(clf.Featuriser):
    def fit_transform(self, statements):
        x = super().fit_transform(statements)
        sizes = [len(s) for s in statements]
        rows = np.repeat(np.arange(len(statements)), sizes)
        member = csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(statements), len(rows)))
        seen_in = ((member @ (x != 0).astype(float)) > 0).sum(axis=0).A1
        self.keep = np.where(seen_in >= 3)[0]
        return x[:, self.keep]

    def transform(self, statements):
        return super().transform(statements)[:, self.keep]


def window(vectors: sv.SentenceVectors, statements) -> np.ndarray:
    """Per sentence: its vector, the previous sentence's and the next one's (zeros at the ends)."""
    out = []
    for st in map(list, statements):
        v = vectors.embed(st)
        pad = np.zeros((1, v.shape[1]))
        out.append(np.hstack([v, np.vstack([pad, v[:-1]]), np.vstack([v[1:], pad])]))
    return np.vstack(out) if out else np.zeros((0, 3 * vectors.dim))


@dataclass
class VectorFeaturiser(clf.Featuriser):
    vectors: sv.SentenceVectors | None = None
    weight: float = 1.0

    def _dense(self, statements):
        w = window(self.vectors, statements)
        d = self.vectors.dim
        w[:, d:] *= 0.5
        return csr_matrix(self.weight * w)

    def fit_transform(self, statements):
        return hstack([super().fit_transform(statements), self._dense(statements)]).tocsr()

    def transform(self, statements):
        return hstack([super().transform(statements), self._dense(statements)]).tocsr()


FEATURISERS: dict[str, Callable] = {"shipped": clf.Featuriser, "context": ContextFeaturiser,
                                    "unbalanced": clf.Featuriser, "statement-df": StatementDfFeaturiser,
                                    "stacked": clf.Featuriser, "tuned": clf.Featuriser}
# variant -> (how the vectors are learnt, on which text, how they enter the model)
VECTORS = {"w2v": ("word2vec", "all", "concat"), "w2v-train": ("word2vec", "train", "concat"),
           "lsa": ("lsa", "all", "concat"), "lsa-train": ("lsa", "train", "concat"),
           "w2v-labelled": ("word2vec", "labelled", "concat"), "lsa-labelled": ("lsa", "labelled", "concat"),
           "w2v-avg": ("word2vec", "all", "avg"), "w2v-train-avg": ("word2vec", "train", "avg")}
ALL_VARIANTS = [*FEATURISERS, *VECTORS]
GRID = [(0.1, "balanced"), (0.3, "balanced"), (1.0, "balanced"), (0.3, None)]
DIMS = {"word2vec": 100, "lsa": 200}
_FITTED: dict[str, sv.SentenceVectors] = {}


def all_text_vectors(kind: str) -> sv.SentenceVectors:
    """Vectors fitted once on every unlabelled sentence (both AIMS files' text + the external texts)."""
    if kind not in _FITTED:
        aims = labelled.read([DATA / f for f in FILES]).sentences
        _FITTED[kind] = sv.SentenceVectors(aims + [s for d in external() for s in d], kind, DIMS[kind])
    return _FITTED[kind]


def external() -> list[list[str]]:
    if "docs" not in _FITTED:
        _FITTED["docs"] = sv.external_documents()  # type: ignore[assignment]
    return _FITTED["docs"]  # type: ignore[return-value]


def train_text_vectors(kind: str, train_statements, test_statements, external_texts: bool = True) -> sv.SentenceVectors:
    """Vectors fitted on the training statements' sentences + (unless ``external_texts`` is false)
    the external texts that share no statement with the test set."""
    docs = external() if external_texts else []
    drop = sv.overlapping(docs, [s for st in test_statements for s in st])
    corpus = [s for st in train_statements for s in st] + [s for k, d in enumerate(docs) if k not in drop for s in d]
    print(f"    vectors ({kind}) on {len(corpus)} sentences; {len(drop)} external texts left out as overlapping "
          "the test statements", file=sys.stderr)
    return sv.SentenceVectors(corpus, kind, DIMS[kind])


def make_classifier(variant: str, c: float = clf.C, weight: str | None = "balanced"):
    if variant == "unbalanced":
        weight = None
    return LinearSVC(C=c, class_weight=weight, max_iter=5000, random_state=0)


def rows_of(sizes: list[int], picked: list[int]) -> np.ndarray:
    firsts = np.concatenate([[0], np.cumsum(sizes)])
    return np.concatenate([np.arange(firsts[k], firsts[k + 1]) for k in picked])


def first_stage(variant, statements, y, test_statements, featuriser=None, grid=(GRID[1],)):
    """Inner out-of-fold decisions on the training statements, and decisions on the test statements;
    with several (C, class weight) settings, each requirement keeps the one with the best inner F1."""
    featuriser = featuriser or FEATURISERS[variant]
    sizes = [len(s) for s in statements]
    row_statement = np.repeat(np.arange(len(statements)), sizes)
    oof = np.zeros((len(grid), sum(sizes), len(COLS)))
    for tr, te in GroupKFold(n_splits=5).split(row_statement, groups=row_statement):
        s_tr, s_te = sorted(set(row_statement[tr].tolist())), sorted(set(row_statement[te].tolist()))
        f = featuriser()
        x_tr = f.fit_transform([statements[k] for k in s_tr])
        x_te = f.transform([statements[k] for k in s_te])
        r_tr, r_te = rows_of(sizes, s_tr), rows_of(sizes, s_te)
        for g, (c_value, weight) in enumerate(grid):
            for c, j in enumerate(COLS):
                oof[g, r_te, c] = make_classifier(variant, c_value, weight).fit(
                    x_tr, y[r_tr, j] == 1).decision_function(x_te)
    pick = [max(range(len(grid)), key=lambda g: inner_f1(oof[g, :, c], y[:, j] == 1)) for c, j in enumerate(COLS)]
    if len(grid) > 1:
        print("    per requirement (C, class weight): " + ", ".join(
            f"{NAMES[j][:8]} {grid[g][0]}{'' if grid[g][1] else ' unw.'}" for j, g in zip(COLS, pick, strict=True)),
            file=sys.stderr)
    f = featuriser()
    x = f.fit_transform(statements)
    x_test = f.transform(test_statements)
    dec = np.column_stack([make_classifier(variant, *grid[g]).fit(x, y[:, j] == 1).decision_function(x_test)
                           for j, g in zip(COLS, pick, strict=True)])
    return np.column_stack([oof[g, :, c] for c, g in enumerate(pick)]), dec


def inner_f1(decision: np.ndarray, gold: np.ndarray) -> float:
    a, b = clf.platt(decision, gold)
    return clf.best_threshold(clf.sigmoid(decision, a, b), gold)[1]


def dense_stage(vectors, statements, y, test_statements):
    """A logistic regression per requirement over the sentence vectors (sentence, previous, next) and
    the position: inner out-of-fold decisions and decisions on the test statements."""
    def feats(sts):
        pos = np.vstack([clf.position_features(len(st)) for st in sts])
        return np.hstack([window(vectors, sts), pos])

    def lr():
        return LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)

    sizes = [len(s) for s in statements]
    row_statement = np.repeat(np.arange(len(statements)), sizes)
    x = feats(statements)
    oof = np.zeros((sum(sizes), len(COLS)))
    for tr, te in GroupKFold(n_splits=5).split(row_statement, groups=row_statement):
        for c, j in enumerate(COLS):
            oof[te, c] = lr().fit(x[tr], y[tr, j] == 1).decision_function(x[te])
    x_test = feats(test_statements)
    dec = np.column_stack([lr().fit(x, y[:, j] == 1).decision_function(x_test) for j in COLS])
    return oof, dec


def neighbours(dec: np.ndarray, sizes: list[int]) -> np.ndarray:
    n = len(dec)
    firsts = np.concatenate([[0], np.cumsum(sizes)])
    st = np.repeat(np.arange(len(sizes)), sizes)
    index, length = np.arange(n) - firsts[st], np.asarray(sizes)[st]
    parts = [dec]
    for offset in (-1, 1):
        inside = (index + offset >= 0) & (index + offset < length)
        shifted = np.zeros_like(dec)
        shifted[inside] = dec[np.arange(n)[inside] + offset]
        parts += [shifted, inside[:, None].astype(float)]
    return np.hstack(parts)


def choose(score_tr: np.ndarray, y_tr: np.ndarray, score_te: np.ndarray) -> np.ndarray:
    a, b = clf.platt(score_tr, y_tr)
    t, _ = clf.best_threshold(clf.sigmoid(score_tr, a, b), y_tr)
    return clf.sigmoid(score_te, a, b) >= t


def predict(variant, train: labelled.Labelled, test: labelled.Labelled) -> tuple[np.ndarray, np.ndarray]:
    s_tr, y_tr, _, _ = mdl._by_statement(train)
    s_te, y_te, _, _ = mdl._by_statement(test)
    if variant in VECTORS:
        kind, scope, how = VECTORS[variant]
        vec = all_text_vectors(kind) if scope == "all" else train_text_vectors(kind, s_tr, s_te, scope == "train")
        if how == "concat":
            oof, dec = first_stage(variant, s_tr, y_tr, s_te, partial(VectorFeaturiser, vectors=vec))
        else:
            oof, dec = first_stage(variant, s_tr, y_tr, s_te, clf.Featuriser)
            oof2, dec2 = dense_stage(vec, s_tr, y_tr, s_te)
            sd1, sd2 = oof.std(0) + 1e-9, oof2.std(0) + 1e-9
            oof, dec = (oof / sd1 + oof2 / sd2) / 2, (dec / sd1 + dec2 / sd2) / 2
    else:
        oof, dec = first_stage(variant, s_tr, y_tr, s_te, grid=GRID if variant == "tuned" else (GRID[1],))
    gold_tr = y_tr[:, COLS] == 1
    if variant != "stacked":
        return np.column_stack([choose(oof[:, c], gold_tr[:, c], dec[:, c]) for c in range(len(COLS))]), y_te[:, COLS] == 1
    n_tr = [len(s) for s in s_tr]
    x_tr, x_te = neighbours(oof, n_tr), neighbours(dec, [len(s) for s in s_te])
    mu, sd = x_tr.mean(0), x_tr.std(0) + 1e-9
    x_tr, x_te = (x_tr - mu) / sd, (x_te - mu) / sd
    g = np.repeat(np.arange(len(s_tr)), n_tr)
    out = []
    for c in range(len(COLS)):
        second = np.zeros(len(g))
        for a, b in GroupKFold(5).split(x_tr, groups=g):
            second[b] = LogisticRegression(C=0.1, max_iter=2000).fit(x_tr[a], gold_tr[a, c]).decision_function(x_tr[b])
        full = LogisticRegression(C=0.1, max_iter=2000).fit(x_tr, gold_tr[:, c]).decision_function(x_te)
        out.append(choose(second, gold_tr[:, c], full))
    return np.column_stack(out), y_te[:, COLS] == 1


def f1(gold: np.ndarray, pred: np.ndarray) -> float:
    d = int(gold.sum() + pred.sum())
    return 2 * int((gold & pred).sum()) / d if d else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--design", choices=("cv", "cross"), default="cv")
    ap.add_argument("--variants", default=",".join(ALL_VARIANTS))
    args = ap.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.design == "cv":
        data = labelled.read([DATA / f for f in FILES])
        groups = np.asarray(data.groups, dtype=object)
        pairs = [(data.subset(tr), data.subset(te)) for tr, te in GroupKFold(n_splits=5).split(groups, groups=groups)]
    else:
        uk, ca = labelled.read([DATA / FILES[0]]), labelled.read([DATA / FILES[1]])
        pairs = [(uk, ca), (ca, uk)]
    print(f"{'variant':14} " + " ".join(f"{NAMES[j][:10]:>10}" for j in COLS) + "  macro9 macro10  per-fold macro9")
    for variant in args.variants.split(","):
        t0 = time.time()
        preds, golds, per_fold = [], [], []
        for train, test in pairs:
            p, g = predict(variant, train, test)
            preds.append(p)
            golds.append(g)
            per_fold.append(np.mean([f1(g[:, c], p[:, c]) for c in range(len(COLS)) if g[:, c].any()]))
        p, g = np.vstack(preds), np.vstack(golds)
        f = [f1(g[:, c], p[:, c]) for c in range(len(COLS))]
        print(f"{variant:14} " + " ".join(f"{v:10.3f}" for v in f) + f"  {np.mean(f):.4f} {np.sum(f) / 10:.4f}  "
              + " ".join(f"{v:.3f}" for v in per_fold) + f"  ({time.time() - t0:.0f} s)", flush=True)
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

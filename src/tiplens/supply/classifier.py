"""The trained sentence classifier: one-vs-rest linear models over TF-IDF word and character
n-grams, with the neighbouring sentences and the position in the statement as context.

Features of sentence *i* of a statement:
- word 1-2-grams and character 2-5-grams (within word boundaries) of the sentence, TF-IDF, sublinear;
- word unigrams of sentences *i-1* and *i+1* together (weight 0.5): lists and signature blocks
  are labelled by what surrounds them;
- its relative position (tenths of the statement) and whether it is among the first 3, last 3 or
  last 8 sentences (approval and signature sit at the end, structure at the start);
- which of the documented rules (:mod:`tiplens.supply.rules`) fire on it, so the model learns how
  far to trust each rule.

One :class:`~sklearn.svm.LinearSVC` (balanced class weights) per requirement decided by ``model`` or
``both``. Its decision value is turned into a score in [0, 1] by a logistic (Platt) fit on
out-of-fold decisions, and the per-requirement threshold is the one that maximises F1 on those
out-of-fold scores (for ``both``, of "score >= threshold or a rule fires"). Folds are grouped by
statement, so no statement is split between fitting and choosing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

from tiplens.supply import rules

CONTEXT_WEIGHT = 0.5
C = 0.3
MIN_POSITIVES = 8  # sentences
MIN_STATEMENTS = 3  # statements with at least one positive


def position_features(n: int) -> np.ndarray:
    """13 columns per sentence of an n-sentence statement."""
    idx = np.arange(n)
    rel = idx / max(n - 1, 1)
    out = np.zeros((n, 13))
    out[idx, np.minimum((rel * 10).astype(int), 9)] = 1.0
    out[:, 10] = idx < 3
    out[:, 11] = (n - 1 - idx) < 3
    out[:, 12] = (n - 1 - idx) < 8
    return out


def rule_features(sentences: Sequence[str]) -> np.ndarray:
    """One column per rule: its strength when it fires, else 0."""
    out = np.zeros((len(sentences), len(rules.RULES)))
    for k, rule in enumerate(rules.RULES):
        for i, s in enumerate(sentences):
            if rule.pattern.search(s):
                out[i, k] = rule.strength
    return out


def layout(statements: Sequence[Sequence[str]]) -> tuple[list[str], list[str], np.ndarray]:
    """Flatten statements into (sentences, neighbour contexts, position and rule features)."""
    sents: list[str] = []
    ctx: list[str] = []
    pos: list[np.ndarray] = []
    for st in statements:
        st = list(st)
        for i, s in enumerate(st):
            sents.append(s)
            ctx.append((st[i - 1] if i > 0 else "") + " " + (st[i + 1] if i + 1 < len(st) else ""))
        pos.append(position_features(len(st)))
    dense = np.vstack(pos) if pos else np.zeros((0, 13))
    return sents, ctx, np.hstack([dense, rule_features(sents)])


@dataclass
class Featuriser:
    word: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True))
    char: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True, max_features=60000))
    context: TfidfVectorizer = field(default_factory=lambda: TfidfVectorizer(min_df=2, sublinear_tf=True))

    def fit_transform(self, statements: Sequence[Sequence[str]]) -> csr_matrix:
        sents, ctx, pos = layout(statements)
        return hstack([self.word.fit_transform(sents), self.char.fit_transform(sents),
                       CONTEXT_WEIGHT * self.context.fit_transform(ctx), csr_matrix(pos)]).tocsr()

    def transform(self, statements: Sequence[Sequence[str]]) -> csr_matrix:
        sents, ctx, pos = layout(statements)
        return hstack([self.word.transform(sents), self.char.transform(sents),
                       CONTEXT_WEIGHT * self.context.transform(ctx), csr_matrix(pos)]).tocsr()


def _svc() -> LinearSVC:
    return LinearSVC(C=C, class_weight="balanced", max_iter=5000, random_state=0)  # liblinear shuffles: fixed for reruns


def trainable(y: np.ndarray, groups: np.ndarray) -> bool:
    known = y >= 0
    pos = (y == 1) & known
    return int(pos.sum()) >= MIN_POSITIVES and len(set(groups[pos])) >= MIN_STATEMENTS and int((y == 0).sum()) > 0


def fit_columns(statements: list[list[str]], y: np.ndarray, columns: list[int]) -> tuple[Featuriser, dict[int, LinearSVC]]:
    """Fit the featuriser and one classifier per column index (rows with label -1 are left out)."""
    feats = Featuriser()
    x = feats.fit_transform(statements)
    models: dict[int, LinearSVC] = {}
    for j in columns:
        keep = y[:, j] >= 0
        models[j] = _svc().fit(x[keep], y[keep, j])
    return feats, models


def grouped_folds(row_groups: Sequence[str] | np.ndarray, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) per fold; all rows of a statement fall on the same side."""
    groups = np.asarray(row_groups, dtype=object)
    n_groups = len(set(groups.tolist()))
    if n_groups < 2:
        raise ValueError("need at least two statements for grouped validation")
    return list(GroupKFold(n_splits=min(n_splits, n_groups)).split(np.zeros(len(groups)), groups=groups))


def out_of_fold(statements: list[list[str]], y: np.ndarray, groups_per_statement: list[str],
                columns: list[int], n_splits: int = 5) -> np.ndarray:
    """Out-of-fold decision values (rows x len(columns)); folds grouped by statement."""
    sizes = [len(s) for s in statements]
    row_groups = np.repeat(np.asarray(groups_per_statement, dtype=object), sizes)
    firsts = np.concatenate([[0], np.cumsum(sizes)])[:-1]  # first row of each statement
    out = np.zeros((int(sum(sizes)), len(columns)))
    for rows_tr, rows_te in grouped_folds(row_groups, n_splits):
        in_train = set(rows_tr.tolist())
        st_tr = [k for k, f in enumerate(firsts) if f in in_train]
        st_te = [k for k, f in enumerate(firsts) if f not in in_train]
        feats = Featuriser()
        x_tr = feats.fit_transform([statements[k] for k in st_tr])
        x_te = feats.transform([statements[k] for k in st_te])
        rows_tr = np.concatenate([np.arange(firsts[k], firsts[k] + sizes[k]) for k in st_tr])
        rows_te = np.concatenate([np.arange(firsts[k], firsts[k] + sizes[k]) for k in st_te])
        for c, j in enumerate(columns):
            keep = y[rows_tr, j] >= 0
            yy = y[rows_tr, j][keep]
            if yy.min() == yy.max():  # a fold without positives for this column
                out[rows_te, c] = -1.0 if yy.max() == 0 else 1.0
                continue
            out[rows_te, c] = _svc().fit(x_tr[keep], yy).decision_function(x_te)
    return out


def platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of a logistic fit of y on the decision values."""
    lr = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def sigmoid(decision: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(a * decision + b)))


def best_threshold(score: np.ndarray, y: np.ndarray, forced: np.ndarray | None = None) -> tuple[float, float]:
    """Threshold in (0, 1) maximising F1 of (score >= t) | forced; returns (t, F1)."""
    forced = np.zeros(len(y), dtype=bool) if forced is None else forced
    cands = np.unique(np.round(score, 4))
    cands = cands[(cands > 0.02) & (cands < 0.98)]
    if len(cands) > 400:
        cands = np.quantile(cands, np.linspace(0, 1, 400))
    best = (0.5, -1.0)
    positives = int(y.sum())
    for t in cands:
        pred = (score >= t) | forced
        tp = int((pred & (y == 1)).sum())
        denom = int(pred.sum()) + positives
        f1 = 2 * tp / denom if denom else 0.0
        if f1 > best[1] + 1e-12:
            best = (float(t), f1)
    return best

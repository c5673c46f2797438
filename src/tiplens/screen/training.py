"""Fitting the screening model: design matrices, a regularised linear model, calibration and the
operating threshold from grouped out-of-fold scores.

Text enters as hashed word uni/bigrams (and, opt-in, character n-grams). By default each block is
the binary presence of its n-grams weighted by their naive-Bayes log-count ratio (how much more
often an n-gram appears in positive than in negative training ads, add-one smoothed) and
L2-normalised per ad, as in NBSVM (Wang and Manning, 2012); a linear SVM (squared hinge) is then
fitted and its scores calibrated. The older weighting (counts times IDF divided by the square root
of the ad's n-gram count, with a logistic regression) stays available as ``weighting="idf"``.
The shape of the text, the indicator counts and (opt-in) metadata enter as standardised dense
columns. Everything that learns from labels (the log-count ratios included) sees only training rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from tiplens.screen import features
from tiplens.screen.hashing import NgramHasher, Occurrences


@dataclass(frozen=True)
class Settings:
    n_features: int = 1 << 20
    word_ngrams: tuple[int, ...] = (1, 2)
    char_ngrams: tuple[int, ...] = ()  # e.g. (3, 4, 5): no gain on EMSCAD in bench/screen_model.py
    weighting: str = "nb"  # nb: binary x naive-Bayes log-count ratio, L2 per ad; idf: counts x IDF / sqrt(n)
    classifier: str = "svm"  # svm (linear, squared hinge) or logistic
    C: float | None = None  # inverse L2 strength; None: 1 for svm, 10 for logistic (the version 1 model)
    dense_weight: float = 0.3  # scale of the standardised dense columns against the text block
    calibration: str = "sigmoid"  # sigmoid (Platt) or isotonic, fitted on grouped out-of-fold scores
    inner_folds: int = 5  # grouped folds for calibration and threshold
    inner_repeats: int = 1  # inner grouped CV repeated with this many seeds; calibration and threshold on all
    opening_chars: int = 0  # > 0: a third text block, the word n-grams of the ad's first opening_chars characters
    cv_folds: int = 5  # grouped folds for the model card's metrics
    duplicate_threshold: float = 0.5  # MinHash Jaccard at which two ads share a group
    bootstrap: int = 1000  # group bootstrap resamples for the 95% intervals

    def __post_init__(self) -> None:
        """Checked here, before any work: a wrong setting fails at once, whoever builds it."""
        if self.weighting not in ("nb", "idf"):
            raise ValueError(f"weighting must be nb or idf, not {self.weighting!r}")
        if self.classifier not in ("svm", "logistic"):
            raise ValueError(f"classifier must be svm or logistic, not {self.classifier!r}")
        if self.calibration not in ("sigmoid", "isotonic"):
            raise ValueError(f"calibration must be sigmoid or isotonic, not {self.calibration!r}")
        if self.opening_chars < 0:
            raise ValueError(f"opening_chars must be 0 (none) or more, not {self.opening_chars}")
        if self.inner_repeats < 1:
            raise ValueError(f"inner_repeats must be 1 or more, not {self.inner_repeats}")
        if self.C is None:
            object.__setattr__(self, "C", 1.0 if self.classifier == "svm" else 10.0)
        elif not self.C > 0:
            raise ValueError(f"C must be positive, not {self.C}")

    def hasher(self) -> NgramHasher:
        return NgramHasher(self.n_features, self.word_ngrams, self.char_ngrams)


def opening_hasher(n_features: int, word_ngrams: tuple[int, ...]) -> NgramHasher:
    """The opening block's hasher: the word n-grams of the text block, no character n-grams."""
    return NgramHasher(n_features, word_ngrams, ())


def openings(texts: Sequence[str], chars: int) -> list[str]:
    return [t[:chars] for t in texts]


@dataclass(frozen=True)
class Design:
    """What is computed once per data set: hashed counts per block, and the raw dense columns."""

    words: sp.csr_matrix  # (n, F) counts of hashed words and word pairs
    chars: sp.csr_matrix  # (n, F) counts of hashed character n-grams
    dense: np.ndarray  # (n, d) style, indicator and metadata columns, unscaled
    dense_names: tuple[str, ...]
    indicator_ids: tuple[str, ...]
    indicator_source: str
    metadata_spec: tuple[dict[str, Any], ...]
    opening: sp.csr_matrix | None = None  # (n, F) counts of the word n-grams of each ad's opening, when asked for

    @property
    def blocks(self) -> tuple[sp.csr_matrix, ...]:
        return (self.words, self.chars) if self.opening is None else (self.words, self.chars, self.opening)


@dataclass(frozen=True)
class Linear:
    """A fitted linear scorer: text weights already multiplied by the column weights (IDF or NB ratio)."""

    w_text: np.ndarray  # (2F,) float32, (3F,) with the opening block
    w_norm: np.ndarray  # like w_text: squared column weight for the per-ad L2 norm (nb weighting), else empty
    dense_mean: np.ndarray
    dense_scale: np.ndarray  # includes the dense weight
    w_dense: np.ndarray
    intercept: float
    weighting: str = "idf"


def dense_columns(occ: Occurrences, texts: Sequence[str], indicator_ids: Sequence[str] | None,
                  metadata: Mapping[str, Sequence[Any]], metadata_spec: Sequence[dict[str, Any]] | None,
                  indicators: Sequence[Mapping[str, int]] | None = None,
                  ) -> tuple[np.ndarray, list[str], list[str], str, list[dict[str, Any]]]:
    vectors: Sequence[Mapping[str, int]]
    if indicators is not None:
        if len(indicators) != len(texts):
            raise ValueError(f"{len(indicators)} indicator vectors for {len(texts)} texts")
        source, vectors = "given", list(indicators)
    else:
        source, vectors = features.indicator_vectors(texts)
    ids = list(indicator_ids) if indicator_ids is not None else features.indicator_ids(vectors)
    spec = list(metadata_spec) if metadata_spec is not None else features.fit_metadata(metadata)
    blocks = [features.style_matrix(occ), features.indicator_matrix(vectors, ids),
              features.metadata_matrix(spec, metadata, len(texts))]
    names = ([f"style:{n}" for n in features.STYLE_NAMES] + [f"indicator:{i}" for i in ids]
             + [f"metadata:{n}" for n in features.metadata_names(spec)])
    return np.hstack(blocks), names, ids, source, spec


def build_design(texts: Sequence[str], metadata: Mapping[str, Sequence[Any]], settings: Settings) -> Design:
    occ = settings.hasher().occurrences(texts)
    n, f = len(texts), settings.n_features
    counts = sp.csr_matrix((np.ones(len(occ.col)), (occ.doc, occ.col)), shape=(n, 2 * f))
    counts.sum_duplicates()
    dense, names, ids, source, spec = dense_columns(occ, texts, None, metadata, None)
    opening = None
    if settings.opening_chars:
        o = opening_hasher(settings.n_features, settings.word_ngrams).occurrences(openings(texts, settings.opening_chars))
        opening = sp.csr_matrix((np.ones(len(o.col)), (o.doc, o.col)), shape=(n, f))
        opening.sum_duplicates()
    return Design(counts[:, :f].tocsr(), counts[:, f:].tocsr(), dense, tuple(names), tuple(ids), source,
                  tuple(spec), opening)


def _text_block(counts: sp.csr_matrix, rows: np.ndarray, weight: np.ndarray, weighting: str) -> sp.csr_matrix:
    sub = counts[rows]
    if weighting == "nb":
        sub = _binary(sub) @ sp.diags(weight)
        norm = np.sqrt(np.asarray(sub.multiply(sub).sum(axis=1)).ravel())
        return sp.diags(1.0 / np.where(norm > 0, norm, 1.0)) @ sub
    n = np.asarray(sub.sum(axis=1)).ravel()
    return sp.diags(1.0 / np.sqrt(np.maximum(n, 1.0))) @ sub @ sp.diags(weight)


def _binary(counts: sp.csr_matrix) -> sp.csr_matrix:
    out = counts.copy()
    out.data = np.ones_like(out.data)
    return out


def _idf(counts: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    df = np.bincount(counts[rows].indices, minlength=counts.shape[1])
    idf = np.log((1.0 + len(rows)) / (1.0 + df)) + 1.0
    idf[df == 0] = 0.0  # columns never seen in training carry no weight
    return idf


def nb_ratio(counts: sp.csr_matrix, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Naive-Bayes log-count ratio per column from binary presence in the training ``rows``:
    log((p_j / |p|) / (q_j / |q|)) with p, q = 1 + number of positive / negative ads holding
    column j; 0 for columns no training ad holds."""
    sub = _binary(counts[rows])
    pos = np.asarray(sub[y[rows] == 1].sum(axis=0)).ravel()
    neg = np.asarray(sub[y[rows] == 0].sum(axis=0)).ravel()
    seen = (pos + neg) > 0
    if not seen.any():  # an empty block (e.g. no character n-grams asked for)
        return np.zeros(counts.shape[1])
    p, q = 1.0 + pos, 1.0 + neg
    # the totals run over the columns seen in training only, so unused hash columns change nothing
    r = np.log(p / p[seen].sum()) - np.log(q / q[seen].sum())
    r[~seen] = 0.0
    return r


def _weights(design: Design, rows: np.ndarray, y: np.ndarray, settings: Settings) -> list[np.ndarray]:
    if settings.weighting == "nb":
        return [nb_ratio(b, rows, y) for b in design.blocks]
    return [_idf(b, rows) for b in design.blocks]


def fit_linear(design: Design, rows: np.ndarray, y: np.ndarray, settings: Settings, seed: int) -> Linear:
    weights = _weights(design, rows, y, settings)
    mean = design.dense[rows].mean(axis=0)
    std = design.dense[rows].std(axis=0)
    scale = np.where(std > 0, std, 1.0) / settings.dense_weight
    dense = (design.dense[rows] - mean) / scale
    text = sp.hstack([_text_block(b, rows, w, settings.weighting)
                      for b, w in zip(design.blocks, weights, strict=True)]).tocsr()
    weight = np.concatenate(weights)
    used = np.flatnonzero(weight)  # fit only on columns seen in training
    x = sp.hstack([text[:, used], sp.csr_matrix(dense)]).tocsr()
    # the dual forms suit many more columns than rows
    if settings.classifier == "svm":
        model: Any = LinearSVC(C=settings.C, loss="squared_hinge", dual=True, max_iter=5000, random_state=seed)
    else:
        model = LogisticRegression(C=settings.C, solver="liblinear", dual=True, max_iter=2000, random_state=seed)
    model.fit(x, y[rows])
    coef = model.coef_.ravel()
    w_text = np.zeros(len(weight), dtype=np.float32)
    w_text[used] = coef[:len(used)] * weight[used]
    w_norm = (weight ** 2).astype(np.float32) if settings.weighting == "nb" else np.zeros(0, dtype=np.float32)
    return Linear(w_text, w_norm, mean, scale, coef[len(used):].copy(), float(model.intercept_[0]),
                  settings.weighting)


def block_score(sums: np.ndarray, norm: np.ndarray, weighting: str) -> np.ndarray:
    """A text block's score per ad: its weighted sum over the block's norm, the L2 norm of the
    weighted presence (nb: ``norm`` holds the summed squared weights) or the square root of the
    n-gram count (idf: ``norm`` holds the count). Training and scoring both use it."""
    if weighting == "nb":
        return np.where(norm > 0, sums / np.sqrt(np.where(norm > 0, norm, 1.0)), 0.0)
    return sums / np.sqrt(np.maximum(norm, 1.0))


def decision(design: Design, rows: np.ndarray, lin: Linear) -> np.ndarray:
    f = design.words.shape[1]
    out = np.full(len(rows), lin.intercept)
    for k, counts in enumerate(design.blocks):
        w = lin.w_text[k * f:(k + 1) * f].astype(np.float64)
        sub = counts[rows]
        if lin.weighting == "nb":
            sub = _binary(sub)
            norm = sub @ lin.w_norm[k * f:(k + 1) * f].astype(np.float64)
        else:
            norm = np.asarray(sub.sum(axis=1)).ravel()
        out += block_score(sub @ w, norm, lin.weighting)
    return out + ((design.dense[rows] - lin.dense_mean) / lin.dense_scale) @ lin.w_dense


def fit_calibration(scores: np.ndarray, y: np.ndarray, kind: str) -> dict[str, Any]:
    if kind == "sigmoid":
        lr = LogisticRegression(C=1e6, solver="lbfgs").fit(scores.reshape(-1, 1), y)
        return {"kind": "sigmoid", "a": float(lr.coef_[0, 0]), "b": float(lr.intercept_[0])}
    if kind == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, y)
        return {"kind": "isotonic", "x": np.asarray(iso.X_thresholds_, dtype=np.float64),
                "y": np.asarray(iso.y_thresholds_, dtype=np.float64)}
    raise ValueError(f"calibration must be sigmoid or isotonic, not {kind!r}")


def calibrate(scores: np.ndarray, cal: Mapping[str, Any]) -> np.ndarray:
    if cal["kind"] == "sigmoid":
        z = cal["a"] * np.asarray(scores, dtype=np.float64) + cal["b"]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
    return np.interp(scores, cal["x"], cal["y"])


def best_f1_threshold(prob: np.ndarray, y: np.ndarray) -> float:
    """The probability cut (flag when prob >= cut) with the highest F1, placed half-way to the
    next lower distinct probability so that it does not sit on a training score."""
    order = np.argsort(-prob, kind="stable")
    p, t = prob[order], y[order].astype(np.float64)
    last = np.r_[np.flatnonzero(np.diff(p) != 0), len(p) - 1]  # end of each run of equal probabilities
    tp = np.cumsum(t)[last]
    flagged = last + 1.0
    f1 = 2 * tp / (flagged + t.sum())
    k = int(np.argmax(f1))
    below = p[last[k] + 1] if last[k] + 1 < len(p) else 0.0
    return float((p[last[k]] + below) / 2)


def grouped_folds(y: np.ndarray, groups: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds that keep each near-duplicate group on one side."""
    k = min(k, len(np.unique(groups)))
    if k < 2:
        raise ValueError("grouped cross-validation needs at least two groups")
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y, groups))


@dataclass(frozen=True)
class Fitted:
    linear: Linear
    calibration: dict[str, Any]
    threshold: float


def fit(design: Design, rows: np.ndarray, y: np.ndarray, groups: np.ndarray, settings: Settings,
        seed: int) -> Fitted:
    """Inner grouped CV on ``rows`` (repeated ``settings.inner_repeats`` times with seeds ``seed``,
    ``seed + 1``, ...) -> out-of-fold scores -> calibration and threshold fitted on the scores of
    every repeat pooled; then the linear model refitted on all ``rows``. One 5-fold split's
    F1-maximising cut moves with the split; pooling repeats averages that noise out."""
    yr, gr = y[rows], groups[rows]
    scores = np.zeros((settings.inner_repeats, len(rows)))
    for r in range(settings.inner_repeats):
        for tr, te in grouped_folds(yr, gr, settings.inner_folds, seed + r):
            if len(np.unique(yr[tr])) < 2:
                raise ValueError("a training fold holds one class only; too few groups of one class")
            # the model's own seed stays fixed: only the split changes between repeats
            lin = fit_linear(design, rows[tr], y, settings, seed)
            scores[r, te] = decision(design, rows[te], lin)
    pooled_y = np.tile(yr, settings.inner_repeats)
    cal = fit_calibration(scores.ravel(), pooled_y, settings.calibration)
    prob = calibrate(scores.ravel(), cal)
    return Fitted(fit_linear(design, rows, y, settings, seed), cal, best_f1_threshold(prob, pooled_y))

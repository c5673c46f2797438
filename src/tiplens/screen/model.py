"""The screening model: train, evaluate, save and load.

``train`` fits a calibrated linear model (by default a linear SVM on naive-Bayes-weighted binary
hashed word n-grams, see :mod:`tiplens.screen.training`), the shape of the text, the indicator
counts and (opt-in) metadata columns; its threshold is chosen on grouped out-of-fold
predictions and its model card reports grouped cross-validation metrics with 95% intervals.
The saved file is a skops archive of plain arrays, numbers and strings only; :func:`load` checks
every type in the archive against :data:`TRUSTED_TYPES` before reading it, so loading a model
never unpickles code.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from tiplens import __version__
from tiplens.errors import BadInput
from tiplens.screen import labelled, model_card, training
from tiplens.screen.duplicates import near_duplicate_groups
from tiplens.screen.hashing import NgramHasher

FORMAT = "tiplens-screen-model"
FORMAT_VERSION = 2
OPENING_VERSION = 3  # files with an opening block (Settings.opening_chars); others stay version 2
READABLE_VERSIONS = (1, 2, 3)  # version 1: idf weighting only
SEED = 20170101
MIN_GROUPS_PER_CLASS = 3

# Every (module, class) a model file may contain; anything else is refused before loading.
TRUSTED_TYPES = frozenset({("builtins", "dict"), ("builtins", "list"), ("builtins", "tuple"),
                           ("builtins", "str"), ("numpy", "ndarray")})
_TRUSTED_LOADERS = frozenset({"DictNode", "ListNode", "TupleNode", "JsonNode", "TypeNode", "NdArrayNode"})


class ScreenModel:
    """A trained screener: ``predict_proba(texts)`` gives calibrated probabilities (one per text,
    1-D), ``threshold`` the operating point (flag when probability >= threshold)."""

    def __init__(self, state: Mapping[str, Any]) -> None:
        if state.get("format") != FORMAT or state.get("version") not in READABLE_VERSIONS:
            raise BadInput(f"not a {FORMAT} file of version {' or '.join(map(str, READABLE_VERSIONS))}")
        h = state["hasher"]
        self.hasher = NgramHasher(int(h["n_features"]), tuple(h["word_ngrams"]), tuple(h["char_ngrams"]))
        self.opening_chars = int(h.get("opening_chars", 0))
        self.opening_hasher = (training.opening_hasher(self.hasher.n_features, self.hasher.word_ngrams)
                               if self.opening_chars else None)
        n_columns = self.hasher.n_columns + (self.hasher.n_features if self.opening_chars else 0)
        self.w_text = np.zeros(n_columns, dtype=np.float32)
        index = np.asarray(state["w_index"], dtype=np.int64)
        self.w_text[index] = np.asarray(state["w_value"], dtype=np.float32)
        self.weighting = str(state.get("weighting", "idf"))
        if self.weighting not in ("idf", "nb"):
            raise ValueError(f"unknown weighting {self.weighting!r}")
        self.w_norm = np.zeros(n_columns if self.weighting == "nb" else 0, dtype=np.float32)
        if self.weighting == "nb":
            self.w_norm[index] = np.asarray(state["w_norm"], dtype=np.float32)
            # a column's two weights side by side, read as one 8-byte value: scoring gathers both
            # with one (cache-missing) load per n-gram instead of two; w_text and w_norm become views
            pairs = np.stack([self.w_text, self.w_norm], axis=1)
            self.w_text, self.w_norm = pairs[:, 0], pairs[:, 1]
            self._pairs = pairs.view(np.float64).ravel()
        self.dense_mean = np.asarray(state["dense_mean"], dtype=np.float64)
        self.dense_scale = np.asarray(state["dense_scale"], dtype=np.float64)
        self.w_dense = np.asarray(state["w_dense"], dtype=np.float64)
        self.intercept = float(state["intercept"])
        self.indicator_ids = list(state["indicator_ids"])
        self.indicator_source = str(state["indicator_source"])
        self.metadata_spec = [dict(s) for s in state["metadata_spec"]]
        self.calibration = dict(state["calibration"])
        self.threshold = float(state["threshold"])
        self.card: dict[str, Any] = json.loads(state["card"])
        self._state = dict(state)

    @property
    def name(self) -> str:
        meta = f"text and metadata ({', '.join(self.metadata_columns)})" if self.metadata_spec else "text only"
        return f"tiplens screen model, {meta}, trained on {self.card.get('data', {}).get('source', '?')}"

    @property
    def metadata_columns(self) -> tuple[str, ...]:
        return tuple(s["column"] for s in self.metadata_spec)

    def decision_function(self, texts: Sequence[str], metadata: Mapping[str, Sequence[Any]] | None = None,
                          indicators: Sequence[Mapping[str, int]] | None = None) -> np.ndarray:
        """The linear score before calibration. ``indicators`` may pass the indicator counts per
        text when the caller already has them (they are computed otherwise)."""
        texts = [t if isinstance(t, str) else "" if t is None else str(t) for t in texts]
        n = len(texts)
        if self.metadata_spec and metadata is None:
            raise BadInput(f"this model needs the metadata column(s) {', '.join(self.metadata_columns)}")
        missing = [c for c in self.metadata_columns if c not in (metadata or {})]
        if missing:
            raise BadInput(f"metadata column(s) {', '.join(missing)} missing")
        occ = self.hasher.occurrences(texts)
        text = self._text_scores(occ, n)
        if self.opening_hasher is not None:
            text += self._opening_scores(texts, n)
        dense, *_ = training.dense_columns(occ, texts, self.indicator_ids, metadata or {}, self.metadata_spec,
                                           indicators)
        return self.intercept + text + ((dense - self.dense_mean) / self.dense_scale) @ self.w_dense

    def _text_scores(self, occ: Any, n: int) -> np.ndarray:
        """Sum over the text blocks (words, characters) of the block's weights, divided by the
        block's norm: sqrt of the n-gram count (idf) or the L2 norm of the weighted presence (nb)."""
        if self.weighting == "nb":  # presence: one entry per (ad, column)
            bits = self.hasher.n_columns.bit_length() - 1  # n_columns is a power of two
            # (column, ad) keys, 32-bit when they fit (a batch): np.sort is then far faster, and
            # far faster than np.unique in any case. Sorted by column first, the weights below
            # are read in column order (neighbouring, often shared, entries of a large table);
            # each ad's n-grams still come in increasing column order, so every sum adds the
            # same numbers in the same order as with (ad, column) keys.
            kind = np.uint32 if n <= 1 << (32 - bits) else np.int64
            dbits = max(1, (n - 1).bit_length())
            key = np.sort((occ.col.astype(kind) << kind(dbits)) | occ.doc.astype(kind))
            key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
            doc, col = key & kind((1 << dbits) - 1), key >> kind(dbits)
            block = col >> (bits - 1)
        else:
            doc, col, block = occ.doc.astype(np.int64), occ.col, occ.block
        key = (doc * 2 + block).astype(np.intp)  # converted once for both counts
        if self.weighting == "nb":
            both = self._pairs[col].view(np.float32)  # (text weight, norm weight) per n-gram
            sums = np.bincount(key, weights=both[0::2], minlength=2 * n)
            norm = np.bincount(key, weights=both[1::2], minlength=2 * n)
        else:
            sums = np.bincount(key, weights=self.w_text[col], minlength=2 * n)
            norm = np.bincount(key, minlength=2 * n)
        return training.block_score(sums, norm, self.weighting).reshape(n, 2).sum(axis=1)

    def _opening_scores(self, texts: Sequence[str], n: int) -> np.ndarray:
        """The opening block (word n-grams of each text's first ``opening_chars`` characters),
        normalised as the other blocks; its weights follow the two others in ``w_text``."""
        assert self.opening_hasher is not None
        occ = self.opening_hasher.occurrences(training.openings(texts, self.opening_chars))
        f = self.hasher.n_features
        doc, col = occ.doc.astype(np.int64), occ.col.astype(np.int64)
        if self.weighting == "nb":  # presence: one entry per (ad, column)
            key = np.unique(doc * f + col)
            doc, col = key // f, key % f
        col = col + self.hasher.n_columns
        sums = np.bincount(doc, weights=self.w_text[col], minlength=n)
        norm = (np.bincount(doc, weights=self.w_norm[col], minlength=n) if self.weighting == "nb"
                else np.bincount(doc, minlength=n))
        return training.block_score(sums, norm, self.weighting)

    def predict_proba(self, texts: Sequence[str], metadata: Mapping[str, Sequence[Any]] | None = None,
                      indicators: Sequence[Mapping[str, int]] | None = None) -> np.ndarray:
        """Calibrated probability per text (1-D); see :meth:`decision_function`."""
        return training.calibrate(self.decision_function(texts, metadata, indicators), self.calibration)

    def predict(self, texts: Sequence[str], metadata: Mapping[str, Sequence[Any]] | None = None) -> np.ndarray:
        return self.predict_proba(texts, metadata) >= self.threshold

    def save(self, path: str | Path) -> Path:
        import skops.io as sio

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self._state, path, compression=zipfile.ZIP_DEFLATED)
        return path

    def __repr__(self) -> str:
        d = self.card.get("data", {})
        return f"ScreenModel(n={d.get('n')}, threshold={self.threshold:.3f}, metadata={list(self.metadata_columns)})"


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold predictions of the grouped cross-validation behind the model card."""

    lines: np.ndarray  # source line of each ad
    groups: np.ndarray  # near-duplicate group
    folds: np.ndarray
    labels: np.ndarray
    probability: np.ndarray
    flagged: np.ndarray
    fold_thresholds: tuple[float, ...]

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame({"line": self.lines, "group": self.groups, "fold": self.folds, "label": self.labels,
                             "probability": self.probability, "flagged": self.flagged})


@dataclass(frozen=True)
class TrainedModel:
    model: ScreenModel
    cv: CrossValidation
    cv_text_only: CrossValidation | None = None  # the same folds without metadata, when metadata was used
    rejects: tuple[Any, ...] = field(default=())

    @property
    def threshold(self) -> float:
        return self.model.threshold

    @property
    def card(self) -> dict[str, Any]:
        return self.model.card

    def predict_proba(self, texts: Sequence[str], metadata: Mapping[str, Sequence[Any]] | None = None,
                      indicators: Sequence[Mapping[str, int]] | None = None) -> np.ndarray:
        return self.model.predict_proba(texts, metadata, indicators)

    def save(self, path: str | Path) -> Path:
        return self.model.save(path)


def train(frame_or_path: Any, text_column: str, label_column: str, metadata_columns: Sequence[str] = (),
          seed: int = SEED, settings: training.Settings | None = None,
          progress: Callable[[str], None] | None = None) -> TrainedModel:
    """Train on labelled ads (a CSV/JSONL/Parquet path, a DataFrame or a pyarrow Table)."""
    settings = settings or training.Settings()
    say = progress or (lambda _msg: None)
    data = labelled.load(frame_or_path, text_column, label_column, metadata_columns)
    labelled.require_both_classes(data, "training")
    y = data.labels.astype(np.int64)
    say(f"{len(y):,} ads; finding near-duplicate groups")
    groups = near_duplicate_groups(data.texts, threshold=settings.duplicate_threshold)
    for cls, name in ((1, "positive"), (0, "negative")):
        n_groups = len(np.unique(groups[y == cls]))
        if n_groups < MIN_GROUPS_PER_CLASS:
            raise BadInput(f"{data.source}: only {n_groups} distinct (non-duplicate) {name} ad(s); training "
                           f"needs at least {MIN_GROUPS_PER_CLASS} of each class")
    design = training.build_design(data.texts, data.metadata, settings)
    say(f"grouped cross-validation ({settings.cv_folds} folds)")
    cv = _cross_validate(design, y, groups, data.lines, settings, seed)
    cv_text = _cross_validate(_text_only(design), y, groups, data.lines, settings, seed) if metadata_columns else None
    say("fitting the final model")
    final = _fit(design, np.arange(len(y)), y, groups, settings, seed)
    card = _card(data, groups, design, settings, seed, final, cv, cv_text)
    state = _state(settings, design, final, card)
    return TrainedModel(ScreenModel(state), cv, cv_text, data.rejects)


def _fit(design: training.Design, rows: np.ndarray, y: np.ndarray, groups: np.ndarray,
         settings: training.Settings, seed: int) -> training.Fitted:
    try:
        return training.fit(design, rows, y, groups, settings, seed)
    except ValueError as exc:
        raise BadInput(f"cannot train: {exc}") from None


def _cross_validate(design: training.Design, y: np.ndarray, groups: np.ndarray, lines: Sequence[int],
                    settings: training.Settings, seed: int) -> CrossValidation:
    prob = np.zeros(len(y))
    flagged = np.zeros(len(y), dtype=bool)
    folds = np.zeros(len(y), dtype=np.int64)
    thresholds = []
    for k, (tr, te) in enumerate(training.grouped_folds(y, groups, settings.cv_folds, seed)):
        fitted = _fit(design, tr, y, groups, settings, seed)
        prob[te] = training.calibrate(training.decision(design, te, fitted.linear), fitted.calibration)
        flagged[te] = prob[te] >= fitted.threshold
        folds[te] = k
        thresholds.append(fitted.threshold)
    return CrossValidation(np.asarray(lines), groups, folds, y, prob, flagged, tuple(thresholds))


def _text_only(design: training.Design) -> training.Design:
    keep = [i for i, n in enumerate(design.dense_names) if not n.startswith("metadata:")]
    return replace(design, dense=design.dense[:, keep], dense_names=tuple(design.dense_names[i] for i in keep),
                   metadata_spec=())


def _card(data: labelled.LabelledAds, groups: np.ndarray, design: training.Design, settings: training.Settings,
          seed: int, final: training.Fitted, cv: CrossValidation, cv_text: CrossValidation | None) -> dict[str, Any]:
    def intervals(c: CrossValidation) -> dict[str, Any]:
        return model_card.bootstrap_intervals(c.labels, c.probability, c.flagged, c.groups, settings.bootstrap, seed)

    variants = {"with metadata" if cv_text else "text only": intervals(cv)}
    if cv_text:
        variants["text only"] = intervals(cv_text)
    n_pos = int(data.labels.sum())
    return {
        "name": "tiplens screen model",
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "tool": f"tiplens {__version__}",
        "threshold": final.threshold,
        "threshold_rule": "chosen to maximise F1 on calibrated out-of-fold probabilities of a grouped "
                          f"{settings.inner_folds}-fold cross-validation of the training data"
                          + (f", repeated with {settings.inner_repeats} seeds and pooled" if settings.inner_repeats > 1
                             else ""),
        "data": {
            "source": data.source, "sha256": data.sha256, "text_column": data.text_column,
            "label_column": data.label_column, "read": data.read, "n": len(data.texts),
            "rejected": len(data.rejects), "reject_reasons": dict(Counter(r.reason for r in data.rejects)),
            "positive": n_pos, "negative": len(data.texts) - n_pos, "positive_share": n_pos / len(data.texts),
            "groups": int(len(np.unique(groups))), "largest_group": int(np.bincount(groups).max()),
            "duplicate_threshold": settings.duplicate_threshold,
        },
        "features": {
            "word_ngrams": list(settings.word_ngrams), "char_ngrams": list(settings.char_ngrams),
            "opening_chars": settings.opening_chars,
            "n_features": settings.n_features, "style": [n.split(":", 1)[1] for n in design.dense_names
                                                          if n.startswith("style:")],
            "indicator_source": design.indicator_source, "indicators": list(design.indicator_ids),
            "metadata_columns": [s["column"] for s in design.metadata_spec],
        },
        "training": {"classifier": settings.classifier, "weighting": settings.weighting, "C": settings.C,
                     "dense_weight": settings.dense_weight, "calibration": settings.calibration,
                     "inner_folds": settings.inner_folds, "inner_repeats": settings.inner_repeats, "seed": seed},
        "cross_validation": {"folds": len(cv.fold_thresholds), "grouped": True, "bootstrap": settings.bootstrap,
                             "variants": variants, "fold_thresholds": list(cv.fold_thresholds)},
        "caveats": list(model_card.CAVEATS),
    }



def _state(settings: training.Settings, design: training.Design, final: training.Fitted,
           card: Mapping[str, Any]) -> dict[str, Any]:
    """Plain data only (strings, numbers, lists, dicts, numeric arrays): what a model file holds."""
    lin = final.linear
    used = lin.w_text != 0
    if lin.weighting == "nb":
        used |= lin.w_norm != 0
    index = np.flatnonzero(used).astype(np.int32)
    cal = {k: (np.asarray(v, dtype=np.float64) if isinstance(v, np.ndarray) else v)
           for k, v in final.calibration.items()}
    return {
        "format": FORMAT,
        "version": OPENING_VERSION if settings.opening_chars else FORMAT_VERSION,
        "hasher": {"n_features": settings.n_features, "word_ngrams": list(settings.word_ngrams),
                   "char_ngrams": list(settings.char_ngrams),
                   **({"opening_chars": settings.opening_chars} if settings.opening_chars else {})},
        "w_index": index,
        "w_value": lin.w_text[index].astype(np.float32),
        "weighting": lin.weighting,
        **({"w_norm": lin.w_norm[index].astype(np.float32)} if lin.weighting == "nb" else {}),
        "dense_names": list(design.dense_names),
        "dense_mean": np.asarray(lin.dense_mean, dtype=np.float64),
        "dense_scale": np.asarray(lin.dense_scale, dtype=np.float64),
        "w_dense": np.asarray(lin.w_dense, dtype=np.float64),
        "intercept": float(lin.intercept),
        "indicator_ids": list(design.indicator_ids),
        "indicator_source": design.indicator_source,
        "metadata_spec": [dict(s) for s in design.metadata_spec],
        "calibration": cal,
        "threshold": float(final.threshold),
        "card": json.dumps(card, default=_plain),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in a model card")


def file_types(path: str | Path) -> set[tuple[str, str, str]]:
    """(module, class, loader) of every object recorded in a skops file's schema."""
    try:
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise BadInput(f"{path}: not a tiplens model file (expected a skops archive)") from None
    found: set[tuple[str, str, str]] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node:
                found.add((str(node.get("__module__")), str(node["__class__"]), str(node.get("__loader__"))))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load(path: str | Path) -> ScreenModel:
    """Load a model file, refusing any file that holds a type outside :data:`TRUSTED_TYPES`."""
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such model file")
    untrusted = sorted(f"{m}.{c}" for m, c, loader in file_types(path)
                       if (m, c) not in TRUSTED_TYPES or loader not in _TRUSTED_LOADERS)
    if untrusted:
        raise BadInput(f"{path}: refusing to load a model file holding untrusted types: {', '.join(untrusted[:5])}")
    state = sio.load(path, trusted=[])
    if not isinstance(state, dict):
        raise BadInput(f"{path}: not a tiplens model file")
    try:
        return ScreenModel(state)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"{path}: damaged model file ({type(exc).__name__}: {exc})") from None


@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, Any]  # n, precision, recall, f1, roc_auc, pr_auc, threshold
    lines: list[int]
    labels: np.ndarray
    probability: np.ndarray
    flagged: np.ndarray
    rejects: tuple[Any, ...]

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame({"line": self.lines, "label": self.labels, "probability": self.probability,
                             "flagged": self.flagged})


def evaluate_detailed(frame_or_path: Any, model: ScreenModel, text_column: str, label_column: str) -> Evaluation:
    data = labelled.load(frame_or_path, text_column, label_column, model.metadata_columns)
    if not data.texts:
        first = f" (e.g. line {data.rejects[0].line}: {data.rejects[0].reason})" if data.rejects else ""
        raise BadInput(f"{data.source}: no usable rows to evaluate; {len(data.rejects)} rejected{first}")
    prob = model.predict_proba(data.texts, data.metadata if model.metadata_spec else None)
    flagged = prob >= model.threshold
    m = model_card.metrics(data.labels, prob, flagged)
    out = {"n": len(data.texts), **m, "threshold": model.threshold}
    return Evaluation({k: out[k] for k in ("n", "precision", "recall", "f1", "roc_auc", "pr_auc", "threshold")},
                      data.lines, data.labels, prob, flagged, data.rejects)


def evaluate(frame_or_path: Any, model: ScreenModel | TrainedModel, text_column: str, label_column: str) -> dict[str, Any]:
    """``{"n", "precision", "recall", "f1", "roc_auc", "pr_auc", "threshold"}`` on labelled ads;
    the AUCs are None when the labels hold one class only."""
    screen = model.model if isinstance(model, TrainedModel) else model
    return evaluate_detailed(frame_or_path, screen, text_column, label_column).metrics

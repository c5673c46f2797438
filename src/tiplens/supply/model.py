"""A statement model: the trained classifiers, their calibration and thresholds, and how each
requirement is decided; training, scoring, and safe saving/loading with skops.

How a requirement is decided (``methods``):
- ``model``: calibrated classifier score >= the requirement's threshold;
- ``both``: the same, or a rule in :mod:`tiplens.supply.rules` fires;
- ``rules``: a rule fires (score = the rule's strength);
- ``keywords``: a keyword cue is present (score 0.5): the fallback for model requirements when no
  model is given or the training data had too few examples.
The knowledge file sets ``model`` / ``both`` / ``rules`` per requirement; training downgrades a
requirement with fewer than 8 positive sentences in 3 statements (``both`` -> ``rules``,
``model`` -> ``keywords``), and keeps ``both`` only when the union with the rules beats the model
alone on the validation folds (else ``model``; the rules still enter the model as features).
The result is recorded in ``methods``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from tiplens import __version__
from tiplens.errors import BadInput
from tiplens.knowledge import msa_requirements as reqs
from tiplens.supply import classifier as clf
from tiplens.supply import rules
from tiplens.supply.labelled import Labelled

FORMAT = "tiplens.supply.statement-model"
FORMAT_VERSION = 1
KEYWORD_SCORE = 0.5
RULE_THRESHOLD = 0.5
# every type a statement model file may contain; anything else is refused when loading
TRUSTED_TYPES = [
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.int", "builtins.float",
    "builtins.bool", "builtins.NoneType", "builtins.type",
    "numpy.ndarray", "numpy.float64", "numpy.int64", "numpy.int32", "numpy.dtype",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.svm._classes.LinearSVC",
]


@dataclass
class StatementModel:
    methods: dict[str, str]
    thresholds: dict[str, float] = field(default_factory=dict)
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)
    classifiers: dict[str, Any] = field(default_factory=dict)
    featuriser: clf.Featuriser | None = None
    validation: dict[str, dict[str, float]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def trained(self) -> bool:
        return self.featuriser is not None and bool(self.classifiers)

    def threshold(self, name: str) -> float:
        return self.thresholds.get(name, RULE_THRESHOLD)


def rules_only() -> StatementModel:
    """No trained model: rules where they exist, keyword cues for the rest."""
    methods = {r.name: ("keywords" if r.decided_by == "model" else "rules") for r in reqs.load()}
    return StatementModel(methods=methods, info={"kind": "rules only (no trained model)"})


@dataclass(frozen=True)
class Scored:
    """Per-sentence results (rows = sentences of all statements, in order; columns = requirements)."""

    score: np.ndarray
    predicted: np.ndarray
    how: np.ndarray  # object: '' | 'model' | 'rule: NAME' | 'keyword: WORD'


def _rule_matrix(sentences: list[str], names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    strength = np.zeros((len(sentences), len(names)))
    label = np.full((len(sentences), len(names)), "", dtype=object)
    for j, name in enumerate(names):
        if not rules.has_rules(name):
            continue
        for i, s in enumerate(sentences):
            strength[i, j], rule = rules.rule_score(s, name)
            if rule:
                label[i, j] = f"rule: {rule}"
    return strength, label


def score(model: StatementModel, statements: list[list[str]]) -> Scored:
    names = list(reqs.NAMES)
    sentences = [s for st in statements for s in st]
    n = len(sentences)
    out = np.zeros((n, len(names)))
    pred = np.zeros((n, len(names)), dtype=bool)
    how = np.full((n, len(names)), "", dtype=object)
    if n == 0:
        return Scored(out, pred, how)
    rule_strength, rule_label = _rule_matrix(sentences, names)
    x = model.featuriser.transform(statements) if model.trained and model.featuriser is not None else None
    for j, name in enumerate(names):
        method = model.methods[name]
        if method in ("model", "both") and x is not None and name in model.classifiers:
            a, b = model.calibration[name]
            s = clf.sigmoid(model.classifiers[name].decision_function(x), a, b)
            hit = s >= model.thresholds[name]
            out[:, j], pred[:, j] = s, hit
            how[hit, j] = "model"
            if method == "both":
                fired = rule_strength[:, j] > 0
                out[:, j] = np.maximum(s, rule_strength[:, j])
                pred[:, j] = hit | fired
                how[fired & ~hit, j] = rule_label[fired & ~hit, j]
        elif method in ("rules", "both"):
            out[:, j] = rule_strength[:, j]
            pred[:, j] = rule_strength[:, j] > 0
            how[:, j] = rule_label[:, j]
        else:  # keywords
            for i, text in enumerate(sentences):
                kw = rules.keyword_hit(text, name)
                if kw:
                    out[i, j], pred[i, j], how[i, j] = KEYWORD_SCORE, True, f"keyword: {kw}"
    return Scored(out, pred, how)


def _by_statement(data: Labelled) -> tuple[list[list[str]], np.ndarray, list[str], np.ndarray]:
    """Statements (sentences in input order), labels re-ordered to match, group per statement, row order."""
    groups = data.statements()
    order = np.concatenate([np.asarray(rows) for rows in groups.values()])
    statements = [[data.sentences[i] for i in rows] for rows in groups.values()]
    return statements, data.y[order], list(groups), order


def train(data: Labelled, *, n_splits: int = 5) -> StatementModel:
    """Fit on sentence-labelled statements; thresholds from grouped out-of-fold predictions."""
    statements, y, group_names, _ = _by_statement(data)
    if len(statements) < 2:
        raise BadInput("training needs at least two labelled statements")
    row_groups = np.repeat(np.asarray(group_names, dtype=object), [len(s) for s in statements])
    sentences = [s for st in statements for s in st]
    methods: dict[str, str] = {}
    columns: list[int] = []
    for j, r in enumerate(reqs.load()):
        if r.decided_by == "rules":
            methods[r.name] = "rules"
        elif clf.trainable(y[:, j], row_groups):
            methods[r.name] = r.decided_by
            columns.append(j)
        else:
            methods[r.name] = "rules" if r.decided_by == "both" else "keywords"
    if not columns:
        raise BadInput("no requirement has enough labelled examples to train on "
                       f"(at least {clf.MIN_POSITIVES} positive sentences in {clf.MIN_STATEMENTS} statements)")
    try:
        oof = clf.out_of_fold(statements, y, group_names, columns, n_splits=n_splits)
    except ValueError as exc:  # e.g. a vocabulary emptied by min_df on a tiny training set
        raise BadInput(f"cannot train on these statements ({exc})") from None
    rule_strength, _ = _rule_matrix(sentences, list(reqs.NAMES))
    model = StatementModel(methods=methods)
    for c, j in enumerate(columns):
        name = reqs.NAMES[j]
        known = y[:, j] >= 0
        a, b = clf.platt(oof[known, c], y[known, j])
        s = clf.sigmoid(oof[known, c], a, b)
        t, f1 = clf.best_threshold(s, y[known, j])
        union = False
        if methods[name] == "both":  # keep the rules in union only when that helps on validation
            tu, fu = clf.best_threshold(s, y[known, j], rule_strength[known, j] > 0)
            if fu > f1 + 0.005:
                t, f1, union = tu, fu, True
            else:
                methods[name] = "model"
        model.calibration[name], model.thresholds[name] = (a, b), t
        model.validation[name] = {"oof_f1": round(f1, 4), "threshold": round(t, 4),
                                  "positives": int((y[known, j] == 1).sum()), "rules_in_union": union}
    model.featuriser, fitted = clf.fit_columns(statements, y, columns)
    model.classifiers = {reqs.NAMES[j]: m for j, m in fitted.items()}
    model.info = {
        "kind": "trained", "tiplens": __version__, "trained_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "files": [Path(f).name for f in data.files],
        "sha256": [hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in data.files],
        "statements": len(statements), "sentences": len(sentences), "folds": min(n_splits, len(statements)),
        "rejected_rows": len(data.rejected),
    }
    return model


def save(model: StatementModel, path: str | Path) -> Path:
    import skops.io as sio

    if not model.trained:
        raise BadInput("only a trained model can be saved")
    f = model.featuriser
    payload = {
        "format": FORMAT, "version": FORMAT_VERSION, "methods": dict(model.methods),
        "thresholds": {k: float(v) for k, v in model.thresholds.items()},
        "calibration": {k: [float(a), float(b)] for k, (a, b) in model.calibration.items()},
        "classifiers": dict(model.classifiers),
        "featuriser": {"word": f.word, "char": f.char, "context": f.context},  # type: ignore[union-attr]
        "validation": model.validation, "info": model.info,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(payload, path)
    return path


def load(path: str | Path) -> StatementModel:
    """Load a model saved by :func:`save`, refusing any type outside :data:`TRUSTED_TYPES`."""
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such model file")
    try:
        untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    except Exception as exc:  # not a skops archive
        raise BadInput(f"{path}: not a tiplens statement model ({type(exc).__name__})") from None
    if untrusted:
        raise BadInput(f"{path}: refusing to load a model with untrusted types: {', '.join(sorted(untrusted))}")
    try:
        payload = sio.load(path, trusted=TRUSTED_TYPES)
    except Exception as exc:
        raise BadInput(f"{path}: cannot read the model ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise BadInput(f"{path}: not a tiplens statement model")
    if payload.get("version") != FORMAT_VERSION:
        raise BadInput(f"{path}: model format version {payload.get('version')} is not supported (expected {FORMAT_VERSION})")
    fz = payload["featuriser"]
    return StatementModel(
        methods=payload["methods"], thresholds=payload["thresholds"],
        calibration={k: (v[0], v[1]) for k, v in payload["calibration"].items()},
        classifiers=payload["classifiers"], featuriser=clf.Featuriser(fz["word"], fz["char"], fz["context"]),
        validation=payload["validation"], info=payload["info"])

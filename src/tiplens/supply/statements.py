"""Modern slavery statement assessment: for each statement, which of the 11 requirements it
addresses, with the evidence sentences, a confidence and vague / future-tense promises marked.

Python API (the CLI and the web layer call these):

- :func:`assess` (files or :class:`~tiplens.supply.documents.Documents`, a model or None, an act)
  -> :class:`Assessment`; :func:`write_outputs` writes ``statements.csv``, ``evidence.csv``,
  ``problems.csv`` and the review page;
- :func:`train` (labelled files) -> :class:`~tiplens.supply.model.StatementModel`;
- :func:`evaluate` (a labelled file, a model) -> metrics dict, optionally writing per-sentence predictions.

Confidence of a statement-level decision (a margin, not a probability):
- decided by the model: with the best sentence score ``s`` and threshold ``t``, addressed gives
  ``0.5 + 0.5 (s - t) / (1 - t)``, not addressed ``0.5 + 0.5 (t - s) / t``;
- decided by a rule: the strength of the strongest rule that fired (0.7 - 0.9); when no rule fires,
  0.5, because a rule's silence is weak evidence;
- decided by keyword cues (no model): 0.5 either way.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tiplens.knowledge import msa_requirements as reqs
from tiplens.supply import documents as docs
from tiplens.supply import labelled, metrics, sentences, vagueness
from tiplens.supply import model as mdl
from tiplens.supply.model import StatementModel

STATEMENT_COLUMNS = ["statement", "requirement", "addressed", "n_sentences", "confidence",
                     "n_vague", "decided_by", "act_reference", "act_status"]
EVIDENCE_COLUMNS = ["statement", "requirement", "sentence_index", "sentence", "score", "vague", "vague_cue", "how"]


@dataclass(frozen=True)
class Evidence:
    sentence_index: int  # 0-based position among the statement's sentences
    sentence: str
    score: float
    vague: bool
    vague_cue: str
    how: str  # model | rule: NAME | keyword: WORD


@dataclass(frozen=True)
class RequirementResult:
    requirement: str
    addressed: bool
    confidence: float
    decided_by: str
    evidence: tuple[Evidence, ...]

    @property
    def n_sentences(self) -> int:
        return len(self.evidence)

    @property
    def n_vague(self) -> int:
        return sum(e.vague for e in self.evidence)


@dataclass(frozen=True)
class StatementResult:
    statement: str
    source: str
    kind: str
    sentences: tuple[str, ...]
    requirements: tuple[RequirementResult, ...]


@dataclass(frozen=True)
class Assessment:
    results: tuple[StatementResult, ...]
    problems: tuple[docs.Problem, ...]
    act: str
    model_kind: str  # "trained" | "rules only (no trained model)"
    methods: dict[str, str]
    model_info: dict[str, Any]

    @property
    def rules_only(self) -> bool:
        return self.model_kind != "trained"

    def statements_frame(self) -> pd.DataFrame:
        by = reqs.by_name()
        rows = [[r.statement, q.requirement, q.addressed, q.n_sentences, q.confidence, q.n_vague, q.decided_by,
                 by[q.requirement].act(self.act).reference, by[q.requirement].act(self.act).status]
                for r in self.results for q in r.requirements]
        return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)

    def evidence_frame(self) -> pd.DataFrame:
        rows = [[r.statement, q.requirement, e.sentence_index, e.sentence, e.score, e.vague, e.vague_cue, e.how]
                for r in self.results for q in r.requirements for e in q.evidence]
        return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _confidence(method: str, how: str, best: float, threshold: float, addressed: bool) -> float:
    if method == "keywords":
        return 0.5
    if addressed and how.startswith("rule"):
        return round(best, 3)
    if method == "rules":
        return round(best, 3) if addressed else 0.5
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    value = 0.5 + 0.5 * ((best - t) / (1 - t) if addressed else (t - best) / t)
    return round(float(min(max(value, 0.5), 1.0)), 3)


def _results(model: StatementModel, items: list[tuple[str, str, str, list[str]]]) -> list[StatementResult]:
    scored = mdl.score(model, [s for *_, s in items])
    out: list[StatementResult] = []
    start = 0
    for sid, source, kind, sents in items:
        rows = slice(start, start + len(sents))
        start += len(sents)
        per: list[RequirementResult] = []
        for j, name in enumerate(reqs.NAMES):
            method = model.methods[name]
            sc, pr, how = scored.score[rows, j], scored.predicted[rows, j], scored.how[rows, j]
            evidence = []
            for i in np.flatnonzero(pr):
                kind_cue, words = vagueness.cue(sents[i])
                evidence.append(Evidence(int(i), sents[i], round(float(sc[i]), 4), bool(kind_cue),
                                         f"{kind_cue}: {words}" if kind_cue else "", str(how[i])))
            addressed = bool(evidence)
            best_i = int(np.argmax(sc)) if len(sents) else 0
            best = float(sc[best_i]) if len(sents) else 0.0
            top_how = max(evidence, key=lambda e: e.score).how if evidence else ""
            per.append(RequirementResult(name, addressed, _confidence(method, top_how, best, model.threshold(name), addressed),
                                         method, tuple(evidence)))
        out.append(StatementResult(sid, source, kind, tuple(sents), tuple(per)))
    return out


def assess(inputs: Sequence[str | Path] | docs.Documents, model: StatementModel | str | Path | None = None,
           act: str = "au", *, text_column: str | None = None, id_column: str | None = None) -> Assessment:
    act = reqs.check_act(act)
    found = inputs if isinstance(inputs, docs.Documents) else docs.read(list(inputs), text_column=text_column,
                                                                          id_column=id_column)
    m = mdl.rules_only() if model is None else (model if isinstance(model, StatementModel) else mdl.load(model))
    problems = list(found.problems)
    items = []
    for d in found.documents:
        sents = sentences.split(d.text)
        if not sents:
            problems.append(docs.Problem(d.source, "no sentences found in the text"))
            continue
        items.append((d.statement, d.source, d.kind, sents))
    results = _results(m, items)
    return Assessment(tuple(results), tuple(problems), act, "trained" if m.trained else m.info.get("kind", "rules only"),
                      dict(m.methods), dict(m.info))


def write_outputs(assessment: Assessment, out_dir: str | Path, *, synthetic: bool = False) -> dict[str, Path]:
    """statements.csv, evidence.csv, problems.csv and report.html (the review page) in ``out_dir``."""
    from tiplens.supply import statements_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"statements": out / "statements.csv", "evidence": out / "evidence.csv", "problems": out / "problems.csv"}
    assessment.statements_frame().to_csv(paths["statements"], index=False)
    assessment.evidence_frame().to_csv(paths["evidence"], index=False)
    with paths["problems"].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "problem"])
        w.writerows([p.source, p.reason] for p in assessment.problems)
    paths["report"] = statements_report.write(assessment, out, synthetic=synthetic)
    return paths


def train(files: Sequence[str | Path], *, n_splits: int = 5) -> StatementModel:
    """Learn from sentence-labelled statements (AIMS layout); folds grouped by statement."""
    return mdl.train(labelled.read(list(files)), n_splits=n_splits)


def predict_labelled(data: labelled.Labelled, model: StatementModel) -> mdl.Scored:
    """Score the sentences of a labelled set; rows come back in the set's input order."""
    groups = data.statements()
    order = np.concatenate([np.asarray(rows) for rows in groups.values()])
    scored = mdl.score(model, [[data.sentences[i] for i in rows] for rows in groups.values()])
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return mdl.Scored(scored.score[back], scored.predicted[back], scored.how[back])


def evaluate(file: str | Path | Sequence[str | Path], model: StatementModel | str | Path | None,
             *, predictions: str | Path | None = None) -> dict[str, Any]:
    """Sentence- and statement-level metrics on labelled statements; optionally write one row per
    sentence and requirement (statement_id, sentence_index, requirement, predicted, score)."""
    files: list[str | Path] = [file] if isinstance(file, str | Path) else list(file)
    data = labelled.read(files)
    m = mdl.rules_only() if model is None else (model if isinstance(model, StatementModel) else mdl.load(model))
    scored = predict_labelled(data, m)
    result = metrics.evaluate_arrays(data.y, scored.predicted, data.groups)
    result["methods"] = dict(m.methods)
    result["model"] = "trained" if m.trained else "rules only (no trained model)"
    result["rejected_rows"] = len(data.rejected)
    if predictions is not None:
        path = Path(predictions)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["statement_id", "sentence_index", "requirement", "predicted", "score"])
            for i, (sid, pos) in enumerate(zip(data.statement_ids, data.positions, strict=True)):
                for j, name in enumerate(reqs.NAMES):
                    w.writerow([sid, pos, name, int(scored.predicted[i, j]), round(float(scored.score[i, j]), 4)])
    return result

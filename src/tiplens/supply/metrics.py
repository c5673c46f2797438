"""Sentence- and statement-level precision, recall and F1 per requirement.

- Sentence level: every labelled sentence is one decision per requirement.
- Statement level: a statement addresses a requirement when at least one of its sentences does
  (gold: a sentence labelled 1; predicted: a sentence predicted 1).
Sentences whose label is -1 (not labelled) are left out for that requirement. Macro averages are
taken over the requirements with at least one positive at that level in the gold labels
(a requirement the annotators never marked, such as C1 and C6 in the UK and Canadian AIMS sets,
has no defined recall); ``macro_over`` lists them, and every requirement still gets its row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tiplens.knowledge.msa_requirements import NAMES


def prf(gold: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    gold = gold.astype(bool)
    pred = pred.astype(bool)
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "support": int(gold.sum()), "predicted": int(pred.sum()), "n": int(len(gold))}


def evaluate_arrays(y: np.ndarray, predicted: np.ndarray, groups: list[str] | np.ndarray) -> dict[str, Any]:
    """Metrics from gold labels ``y`` (1/0/-1), boolean ``predicted`` and a statement key per row."""
    groups = np.asarray(groups, dtype=object)
    keys, inverse = np.unique(groups, return_inverse=True)
    per: dict[str, Any] = {}
    sent_f1: list[float] = []
    stmt_f1: list[float] = []
    sent_over: list[str] = []
    stmt_over: list[str] = []
    for j, name in enumerate(NAMES):
        known = y[:, j] >= 0
        gold = y[known, j] == 1
        pred = predicted[known, j]
        sentence = prf(gold, pred)
        inv = inverse[known]
        has_known = np.bincount(inv, minlength=len(keys)) > 0
        g_stmt = np.bincount(inv, weights=gold.astype(float), minlength=len(keys))[has_known] > 0
        p_stmt = np.bincount(inv, weights=pred.astype(float), minlength=len(keys))[has_known] > 0
        statement = prf(g_stmt, p_stmt)
        per[name] = {"sentence": sentence, "statement": statement}
        if sentence["support"] > 0:
            sent_f1.append(sentence["f1"])
            sent_over.append(name)
        if statement["support"] > 0:
            stmt_f1.append(statement["f1"])
            stmt_over.append(name)
    return {
        "sentence_macro_f1": round(float(np.mean(sent_f1)), 4) if sent_f1 else None,
        "statement_macro_f1": round(float(np.mean(stmt_f1)), 4) if stmt_f1 else None,
        "per_requirement": per,
        "macro_over": {"sentence": sent_over, "statement": stmt_over},
        "n_sentences": int(len(y)),
        "n_statements": int(len(keys)),
    }


def macro_over(result: dict[str, Any], names: list[str], level: str = "sentence") -> float | None:
    """Macro F1 over a chosen subset of requirements (e.g. the model-decided ones)."""
    f1 = [result["per_requirement"][n][level]["f1"] for n in names
          if result["per_requirement"][n][level]["support"] > 0]
    return round(float(np.mean(f1)), 4) if f1 else None

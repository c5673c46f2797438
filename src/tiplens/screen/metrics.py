"""Binary classification metrics with 95% Wilson intervals, for screening results with labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion (None, None when n == 0)."""
    if n == 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def binary_metrics(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    """Precision, recall, F1, accuracy at ``threshold``, ROC AUC and PR AUC (average precision).

    Counts come with the figures; AUCs are None when only one class is present.
    """
    n = len(labels)
    if n != len(scores):
        raise ValueError("labels and scores differ in length")
    tp = sum(1 for y, s in zip(labels, scores, strict=True) if y == 1 and s >= threshold)
    fp = sum(1 for y, s in zip(labels, scores, strict=True) if y == 0 and s >= threshold)
    fn = sum(1 for y, s in zip(labels, scores, strict=True) if y == 1 and s < threshold)
    tn = n - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else (0.0 if tp + fp and tp + fn else None)
    roc_auc = pr_auc = None
    if 0 < tp + fn < n:
        from sklearn.metrics import average_precision_score, roc_auc_score

        roc_auc = float(roc_auc_score(list(labels), list(scores)))
        pr_auc = float(average_precision_score(list(labels), list(scores)))
    p_lo, p_hi = wilson(tp, tp + fp)
    r_lo, r_hi = wilson(tp, tp + fn)
    return {"n": n, "positives": tp + fn, "threshold": threshold, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "precision_ci": [p_lo, p_hi], "recall": recall, "recall_ci": [r_lo, r_hi],
            "f1": f1, "accuracy": (tp + tn) / n if n else None, "roc_auc": roc_auc, "pr_auc": pr_auc}

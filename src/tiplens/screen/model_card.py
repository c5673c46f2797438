"""The model card: what the screening model was trained on, how it was checked, and what to
watch for. Metrics come with 95% intervals from a bootstrap over near-duplicate groups (copies of
one ad template are resampled together, since they are not independent evidence)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

METRICS = ("precision", "recall", "f1", "roc_auc", "pr_auc")

CAVEATS = (
    "Scores are leads for a human reviewer, not findings: a high score means the ad resembles the "
    "positive ads of the training data, with the matched indicators as the evidence to check.",
    "EMSCAD-style labels mark general recruitment fraud, a proxy for deceptive recruitment; they do "
    "not establish trafficking.",
    "Cross-validation keeps near-duplicate ads (one template posted many times) in one fold; "
    "random splits would overstate every metric.",
    "Metrics are pooled over ads, so a template with many copies weighs as much as its copies; the "
    "intervals resample whole groups and are wide for that reason.",
    "Metadata columns are used only when named at training time; shortcuts such as a missing "
    "company logo or profile predict EMSCAD labels but not necessarily fraud elsewhere.",
    "Text in other languages, other platforms or later years than the training data may score "
    "differently; re-evaluate on labelled local data before relying on the threshold.",
)


def metrics(y: np.ndarray, prob: np.ndarray, flagged: np.ndarray) -> dict[str, float | None]:
    """Precision, recall and F1 of ``flagged``; ROC AUC and PR AUC (average precision) of
    ``prob``. AUCs are None when only one class is present."""
    y = np.asarray(y).astype(bool)
    flagged = np.asarray(flagged).astype(bool)
    tp = float(np.sum(y & flagged))
    n_flag, n_pos = float(flagged.sum()), float(y.sum())
    precision = tp / n_flag if n_flag else 0.0
    recall = tp / n_pos if n_pos else 0.0
    f1 = 2 * tp / (n_flag + n_pos) if n_flag + n_pos else 0.0
    both = 0 < n_pos < len(y)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": float(roc_auc_score(y, prob)) if both else None,
        "pr_auc": float(average_precision_score(y, prob)) if both else None,
    }


def bootstrap_intervals(y: np.ndarray, prob: np.ndarray, flagged: np.ndarray, groups: np.ndarray,
                        n: int, seed: int) -> dict[str, dict[str, float | None]]:
    """Point value and 2.5/97.5 percentiles of each metric over ``n`` resamples of groups."""
    point = metrics(y, prob, flagged)
    _, members = np.unique(groups, return_inverse=True)
    order = np.argsort(members, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(members))]
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {m: [] for m in METRICS}
    n_groups = len(bounds) - 1
    for _ in range(n):
        pick = rng.integers(0, n_groups, n_groups)
        rows = np.concatenate([order[bounds[g]:bounds[g + 1]] for g in pick])
        for k, v in metrics(y[rows], prob[rows], flagged[rows]).items():
            if v is not None:
                draws[k].append(v)
    out: dict[str, dict[str, float | None]] = {}
    for k in METRICS:
        d = draws[k]
        low, high = (float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))) if d else (None, None)
        out[k] = {"value": point[k], "low": low, "high": high}
    return out


def markdown(card: Mapping[str, Any]) -> str:
    """The card as a short Markdown page."""
    data, cv, feat, fit = card["data"], card["cross_validation"], card["features"], card["training"]
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"Created {card['created']} with {card['tool']}. Threshold **{card['threshold']:.3f}** "
        f"(flag when the calibrated probability is at least this), {card['threshold_rule']}.",
        "",
        "## Data",
        f"- source: `{data['source']}` (sha256 `{data['sha256'][:16]}…`), text column `{data['text_column']}`, "
        f"label column `{data['label_column']}`",
        f"- rows read {data['read']:,}, used {data['n']:,}, rejected {data['rejected']:,}"
        + (f" ({'; '.join(f'{v} {k}' for k, v in data['reject_reasons'].items())})" if data["rejected"] else ""),
        f"- positive {data['positive']:,} ({data['positive_share']:.1%}), negative {data['negative']:,}",
        f"- near-duplicate groups {data['groups']:,} (largest {data['largest_group']:,} ads; MinHash "
        f"Jaccard >= {data['duplicate_threshold']} over 5-word shingles, plus exact templates)",
        "",
        "## Features",
        f"- hashed word n-grams {feat['word_ngrams']}, character n-grams {feat['char_ngrams'] or 'none'}"
        + (f", word n-grams of the first {feat['opening_chars']} characters as a third block"
           if feat.get("opening_chars") else "")
        + f" ({feat['n_features']:,} columns per block), " + (
            "binary presence weighted by naive-Bayes log-count ratios, L2-normalised per block"
            if fit.get("weighting") == "nb" else "TF-IDF weighted, divided by sqrt(n-grams)"),
        f"- text shape: {', '.join(feat['style'])}",
        f"- indicators ({feat['indicator_source']}): {', '.join(feat['indicators']) or 'none seen'}",
        f"- metadata: {', '.join(feat['metadata_columns']) or 'none (text only)'}",
        "",
        "## Training",
        f"- {'linear SVM (squared hinge' if fit.get('classifier') == 'svm' else 'logistic regression (liblinear'}"
        f", L2, C={fit['C']}), dense weight {fit['dense_weight']}, "
        f"{fit['calibration']} calibration on grouped out-of-fold scores ({fit['inner_folds']} folds"
        + (f", {fit['inner_repeats']} splits pooled" if fit.get("inner_repeats", 1) > 1 else "") + f"), seed {fit['seed']}",
        "",
        f"## Grouped cross-validation ({cv['folds']} folds, {cv['bootstrap']} group-bootstrap resamples)",
        "",
        "| variant | " + " | ".join(METRICS) + " |",
        "|---|" + "---|" * len(METRICS),
    ]
    for name, block in cv["variants"].items():
        cells = []
        for m in METRICS:
            v = block[m]
            cells.append("n/a" if v["value"] is None else f"{v['value']:.3f} [{v['low']:.3f}, {v['high']:.3f}]")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", f"Fold thresholds: {', '.join(f'{t:.3f}' for t in cv['fold_thresholds'])}.", "", "## Caveats"]
    lines += [f"- {c}" for c in card["caveats"]]
    return "\n".join(lines) + "\n"

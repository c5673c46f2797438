"""Benchmark: statement assessment on the AIMS UK and Canadian sentence labels.

Compares, in the same run and on the same held-out statements,
- the trained model (``tiplens supply train``: TF-IDF + linear models, rules for C1/C6 and in union
  for approval/signature, thresholds from inner validation folds grouped by statement), and
- the keyword baseline (the rules-only mode: the same rules for approval, signature, C1 and C6,
  keyword cues for the rest).

Two designs:
- ``cv``: K folds grouped by statement over both files together; every statement is predicted once
  by a model that never saw it; metrics are computed on all held-out predictions at once;
- ``cross``: train on one jurisdiction, test on the other (UK -> CA and CA -> UK).

The headline is the sentence-level macro F1: the unweighted mean of the per-requirement F1 over
every requirement that has at least one gold positive sentence in the test set (in UK + CA: all
eleven but C6, which no sentence is labelled with, so its F1 is undefined; C1 counts, with its two
labelled sentences). The mean over the nine model-decided requirements (without C1 and C6) is
printed beside it, and for the CV design each outer fold's figures with their mean and standard
deviation. Variants of the model that were tried are in ``bench/supply_statements_variants.py``.

Usage (from the repository root; the data sit in ../shared/data beside the checkout):
    PYTHONPATH=src python bench/supply_statements.py [--data DIR] [--folds 5] [--design cv|cross|both]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from tiplens.knowledge.msa_requirements import NAMES
from tiplens.supply import labelled, metrics
from tiplens.supply import model as mdl
from tiplens.supply.statements import predict_labelled

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "supply" / "aims-uk-ca-annotated"
FILES = ("UK_context0_llama.csv", "ca_future.csv")
MODEL_DECIDED = [n for n in NAMES if n not in ("c1_reporting_entity", "c6_consultation")]


def held_out(data: labelled.Labelled, folds: int, inner: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Predictions of the model and of the baseline for every row, each from a fold that did not train
    on it, and the test rows of each fold."""
    model_pred = np.zeros(data.y.shape, dtype=bool)
    base_pred = predict_labelled(data, mdl.rules_only()).predicted
    groups = np.asarray(data.groups, dtype=object)
    tests = []
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(groups, groups=groups), 1):
        assert not set(groups[tr]) & set(groups[te])
        t0 = time.time()
        m = mdl.train(data.subset(tr), n_splits=inner)
        model_pred[te] = predict_labelled(data.subset(te), m).predicted
        tests.append(te)
        print(f"  fold {k}/{folds}: trained on {len(set(groups[tr]))} statements, tested on {len(set(groups[te]))} "
              f"({time.time() - t0:.0f} s)", file=sys.stderr)
    return model_pred, base_pred, tests


def fold_spread(y: np.ndarray, groups: list[str], model_pred: np.ndarray, base_pred: np.ndarray,
                tests: list[np.ndarray]) -> None:
    """Sentence macro F1 of each outer fold on its own (same macro rule as the pooled figure), mean and SD."""
    g = np.asarray(groups, dtype=object)
    rows = {"model": [], "keyword baseline": []}
    rows9 = {"model": [], "keyword baseline": []}
    for te in tests:
        for key, pred in (("model", model_pred), ("keyword baseline", base_pred)):
            r = metrics.evaluate_arrays(y[te], pred[te], g[te])
            rows[key].append(r["sentence_macro_f1"])
            rows9[key].append(metrics.macro_over(r, MODEL_DECIDED))
    print("per outer fold, sentence macro F1 (each fold's own requirements with gold positives / the nine "
          "model-decided requirements):")
    for key in rows:
        a, b = np.array(rows[key]), np.array(rows9[key])
        print(f"  {key:17} {' '.join(f'{v:.3f}' for v in a)}  mean {a.mean():.3f} sd {a.std(ddof=1):.3f}"
              f"  | nine: {' '.join(f'{v:.3f}' for v in b)}  mean {b.mean():.3f} sd {b.std(ddof=1):.3f}")


def table(title: str, y: np.ndarray, groups: list[str], model_pred: np.ndarray, base_pred: np.ndarray) -> dict:
    rm = metrics.evaluate_arrays(y, model_pred, groups)
    rb = metrics.evaluate_arrays(y, base_pred, groups)
    print(f"\n== {title}: {rm['n_statements']} statements, {rm['n_sentences']} sentences")
    print(f"{'requirement':20} {'support':>7} {'model F1':>8} {'keyword F1':>10} {'model P':>7} {'model R':>7}"
          f" {'stmt model':>10} {'stmt kw':>7}")
    for name in NAMES:
        s, b = rm["per_requirement"][name]["sentence"], rb["per_requirement"][name]["sentence"]
        st, sb = rm["per_requirement"][name]["statement"], rb["per_requirement"][name]["statement"]
        print(f"{name:20} {s['support']:7d} {s['f1']:8.3f} {b['f1']:10.3f} {s['precision']:7.3f} {s['recall']:7.3f}"
              f" {st['f1']:10.3f} {sb['f1']:7.3f}")
    over = rm["macro_over"]["sentence"]
    out = {
        f"sentence_macro_f1 ({len(over)} req.)": (rm["sentence_macro_f1"], rb["sentence_macro_f1"]),
        "sentence_macro_f1 (nine model)": (metrics.macro_over(rm, MODEL_DECIDED), metrics.macro_over(rb, MODEL_DECIDED)),
        "statement_macro_f1": (rm["statement_macro_f1"], rb["statement_macro_f1"]),
    }
    for key, (a, b) in out.items():
        ratio = f"{a / b:.2f}" if a and b else "n/a"
        print(f"{key:32} model {a:.3f}  keyword baseline {b:.3f}  ratio {ratio}")
    missing = [n for n in NAMES if n not in over]
    print(f"HEADLINE sentence macro F1 = mean over the {len(over)} requirements with gold positives in this test set "
          f"({', '.join(over)}); left out, no gold positive so F1 undefined: {', '.join(missing) or 'none'}. "
          "Target >= 0.75. 'nine model' = the same without C1 and C6 (decided by rules).")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=5)
    ap.add_argument("--design", choices=("cv", "cross", "both"), default="both")
    args = ap.parse_args()
    paths = [args.data / f for f in FILES]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        sys.exit(f"data not found: {', '.join(map(str, missing))}")
    t0 = time.time()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average at start (1, 5, 15 min): {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.design in ("cv", "both"):
        data = labelled.read(paths)
        mp, bp, tests = held_out(data, args.folds, args.inner)
        table(f"grouped {args.folds}-fold CV over UK + CA", data.y, data.groups, mp, bp)
        fold_spread(data.y, data.groups, mp, bp, tests)
    if args.design in ("cross", "both"):
        for src, dst in ((0, 1), (1, 0)):
            train, test = labelled.read([paths[src]]), labelled.read([paths[dst]])
            m = mdl.train(train, n_splits=args.inner)
            mp = predict_labelled(test, m).predicted
            bp = predict_labelled(test, mdl.rules_only()).predicted
            table(f"train {FILES[src]} -> test {FILES[dst]}", test.y, test.groups, mp, bp)
    print(f"\ntotal {time.time() - t0:.0f} s; load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Experiments: variants of the screening model on EMSCAD, each scored with nested grouped
cross-validation on the same outer folds as ``bench/screen_model.py``. Not a test: prints figures.

For each outer fold a variant is fitted on the training part only; its calibration and its
F1-maximising threshold come from grouped inner folds of that training part (as the shipped model
does), never from the test fold. Printed per variant: pooled F1, precision, recall, ROC AUC, the
mean and standard deviation of the five test folds' F1, the five thresholds, and an "oracle" F1 with
the cut chosen on the pooled test predictions (a ceiling for threshold choice, not a result). With
``--outer-seeds`` the whole table is repeated on other outer splits and the mean over splits is
printed too (one split's F1 moves by a few hundredths with the split).

Variants (text only: the ``text`` column, no metadata, no logo):
- ``default``: the shipped settings (NB-weighted word 1-2-grams, linear SVM, style and indicator
  columns; sigmoid calibration and threshold on one inner 5-fold split);
- ``repeats3``: the same, inner split repeated with three seeds, calibration and threshold on the
  pooled out-of-fold scores (``Settings(inner_repeats=3)``);
- ``cut05``: the default model flagged at calibrated probability 0.5;
- ``isotonic``: isotonic instead of sigmoid calibration;
- ``no-dense``: n-grams only (no style or indicator columns);
- ``group-weighted``: NB ratios and SVM sample weights counting each near-duplicate group once;
- ``logistic``: logistic regression (C = 100) on the same NB features;
- ``chars``: NB-weighted character 2-5-grams only;
- ``words+chars``: word and character 2-5-gram blocks in one SVM;
- ``mean-words-chars``: mean of the calibrated probabilities of the word and character models;
- ``stack-words-chars``: logistic regression on the two models' inner out-of-fold scores;
- ``structure``: the default plus text-structure columns (URLs, e-mails, phone numbers, salary
  mentions, work-from-home / data-entry phrases, first- and second-person words, word length,
  type-token ratio, title length, paragraphs, sentences);
- ``opening``: the default plus a third text block, the word n-grams of the first 400 characters
  (``--opening-chars``);
- ``opening-nested``: in each outer training part, the default or the opening block of 200, 400 or
  800 characters, whichever has the highest ROC AUC on its inner out-of-fold scores (the length is
  chosen without the test fold).

Usage: PYTHONPATH=src python bench/screen_model_variants.py [--variants a,b] [--outer-seeds 20170101,1,2]
                                                          [--opening-chars 400]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.svm import LinearSVC

from tiplens.screen import training
from tiplens.screen.duplicates import near_duplicate_groups
from tiplens.screen.hashing import NgramHasher

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "emscad-dev" / "emscad_dev.csv"
SEED = 20170101
OPENING_CHARS = 400

FitLinear = Callable[[training.Design, np.ndarray, np.ndarray, training.Settings, int], training.Linear]


@dataclass(frozen=True)
class Learner:
    design: training.Design
    settings: training.Settings = training.Settings()
    fit_linear: FitLinear = training.fit_linear
    repeats: int = 1


def learner_scores(ln: Learner, y: np.ndarray, groups: np.ndarray, tr: np.ndarray, te: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Inner out-of-fold scores on ``tr`` (one row per repeat) and the refitted model's scores on ``te``."""
    oof = np.zeros((ln.repeats, len(tr)))
    for r in range(ln.repeats):
        for itr, ite in training.grouped_folds(y[tr], groups[tr], ln.settings.inner_folds, SEED + r):
            lin = ln.fit_linear(ln.design, tr[itr], y, ln.settings, SEED)
            oof[r, ite] = training.decision(ln.design, tr[ite], lin)
    lin = ln.fit_linear(ln.design, tr, y, ln.settings, SEED)
    return oof, training.decision(ln.design, te, lin)


def calibrated(oof: np.ndarray, test: np.ndarray, yr: np.ndarray, kind: str = "sigmoid"
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pooled inner probabilities, their labels, test probabilities)."""
    yy = np.tile(yr, oof.shape[0])
    cal = training.fit_calibration(oof.ravel(), yy, kind)
    return training.calibrate(oof.ravel(), cal), yy, training.calibrate(test, cal)


# ---- extra features tried here (not in the shipped model) -------------------------------------

_PATTERNS = {
    "urls": r"https?://|www\.|#url_", "emails": r"#email_|[\w.]+@[\w.]+\.\w", "phones": r"#phone_|\+?\d[\d\s().-]{7,}\d",
    "salary": r"[$£€]\s?\d|\bper (?:hour|week|month|year|annum)\b|\bsalary\b|\b\d+k\b",
    "home_work": r"work (?:from|at) home|data entry|home.based|online",
}


def structure_columns(texts: list[str]) -> np.ndarray:
    rows = []
    for t in texts:
        low = t.lower()
        words = re.findall(r"[a-z0-9']+", low)
        nw = max(len(words), 1)
        counts = [len(re.findall(p, low)) for p in _PATTERNS.values()]
        rows.append([*np.log1p(counts),
                     sum(w in ("you", "your", "you're", "yourself") for w in words) / nw,
                     sum(w in ("we", "our", "us", "we're") for w in words) / nw,
                     float(np.mean([len(w) for w in words])) if words else 0.0, len(set(words)) / nw,
                     np.log1p(len(t.split("\n", 1)[0])),
                     np.log1p(len([p for p in re.split(r"\n\s*\n", t) if p.strip()])),
                     np.log1p(len(re.findall(r"[.!?](?:\s|$)", t)))])
    return np.asarray(rows, dtype=np.float64)


def word_block(texts: list[str], n_features: int) -> sp.csr_matrix:
    occ = NgramHasher(n_features, (1, 2), ()).occurrences(texts)
    m = sp.csr_matrix((np.ones(len(occ.col)), (occ.doc, occ.col)), shape=(len(texts), n_features))
    m.sum_duplicates()
    return m


def group_weighted_fit(groups: np.ndarray) -> FitLinear:
    """fit_linear with NB ratios and SVM sample weights that count each near-duplicate group once."""
    def fit(design: training.Design, rows: np.ndarray, y: np.ndarray, settings: training.Settings,
            seed: int) -> training.Linear:
        _, inv, cnt = np.unique(groups[rows], return_inverse=True, return_counts=True)
        w = 1.0 / cnt[inv]

        def ratio(counts: sp.csr_matrix) -> np.ndarray:
            sub = training._binary(counts[rows])
            pos, neg = (np.asarray(sub.T @ (w * (y[rows] == c))).ravel() for c in (1, 0))
            seen = (pos + neg) > 0
            if not seen.any():
                return np.zeros(counts.shape[1])
            p, q = 1.0 + pos, 1.0 + neg
            r = np.log(p / p[seen].sum()) - np.log(q / q[seen].sum())
            r[~seen] = 0.0
            return r

        ww, wc = ratio(design.words), ratio(design.chars)
        mean, std = design.dense[rows].mean(axis=0), design.dense[rows].std(axis=0)
        scale = np.where(std > 0, std, 1.0) / settings.dense_weight
        text = sp.hstack([training._text_block(design.words, rows, ww, "nb"),
                          training._text_block(design.chars, rows, wc, "nb")]).tocsr()
        weight = np.concatenate([ww, wc])
        used = np.flatnonzero(weight)
        x = sp.hstack([text[:, used], sp.csr_matrix((design.dense[rows] - mean) / scale)]).tocsr()
        svm = LinearSVC(C=settings.C, dual=True, max_iter=5000, random_state=seed)
        svm.fit(x, y[rows], sample_weight=w / w.mean())
        coef = svm.coef_.ravel()
        w_text = np.zeros(2 * settings.n_features, dtype=np.float32)
        w_text[used] = coef[:len(used)] * weight[used]
        return training.Linear(w_text, (weight ** 2).astype(np.float32), mean, scale, coef[len(used):].copy(),
                               float(svm.intercept_[0]), "nb")
    return fit


# ---- the table -------------------------------------------------------------------------------

VARIANTS = ("default", "repeats3", "cut05", "isotonic", "no-dense", "group-weighted", "logistic", "chars",
            "words+chars", "mean-words-chars", "stack-words-chars", "structure", "opening", "opening-nested")
NESTED_OPENINGS = (200, 400, 800)


def run(texts: list[str], y: np.ndarray, groups: np.ndarray, outer_seed: int, names: list[str],
        opening_chars: int = OPENING_CHARS) -> dict[str, dict]:
    folds = training.grouped_folds(y, groups, 5, outer_seed)
    s = training.Settings()
    words = training.build_design(texts, {}, s)
    cache: dict[str, training.Design] = {}

    def chars_design() -> training.Design:
        if "wc" not in cache:
            cache["wc"] = training.build_design(texts, {}, replace(s, char_ngrams=(2, 3, 4, 5)))
        return cache["wc"]

    def learner(key: str) -> Learner:
        if key == "words":
            return Learner(words)
        if key == "words3":
            return Learner(words, repeats=3)
        if key == "no-dense":
            return Learner(replace(words, dense=np.zeros((len(texts), 0)), dense_names=()))
        if key == "group":
            return Learner(words, fit_linear=group_weighted_fit(groups))
        if key == "logistic":
            return Learner(words, settings=training.Settings(classifier="logistic", C=100.0))
        if key == "chars":
            wc = chars_design()
            return Learner(replace(wc, words=sp.csr_matrix(wc.words.shape)))
        if key == "words+chars":
            return Learner(chars_design())
        if key == "structure":
            return Learner(replace(words, dense=np.hstack([words.dense, structure_columns(texts)])))
        if key.startswith("opening"):  # the opening's n-grams take the (empty) character block's place
            size = int(key[len("opening"):] or opening_chars)
            return Learner(replace(words, chars=word_block([t[:size] for t in texts], s.n_features)))
        raise KeyError(key)

    uses = {"default": ["words"], "repeats3": ["words3"], "cut05": ["words"], "isotonic": ["words"],
            "no-dense": ["no-dense"], "group-weighted": ["group"], "logistic": ["logistic"], "chars": ["chars"],
            "words+chars": ["words+chars"], "mean-words-chars": ["words", "chars"],
            "stack-words-chars": ["words", "chars"], "structure": ["structure"], "opening": ["opening"],
            "opening-nested": ["words"] + [f"opening{n}" for n in NESTED_OPENINGS]}
    scores: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for key in dict.fromkeys(k for n in names for k in uses[n]):
        t0 = time.process_time()
        ln = learner(key)
        scores[key] = [learner_scores(ln, y, groups, tr, te) for tr, te in folds]
        print(f"  [{key}: {time.process_time() - t0:.0f} CPU s]", file=sys.stderr)

    out = {}
    chosen: dict[str, list[str]] = {}
    for name in names:
        per_fold = []
        for k, (tr, te) in enumerate(folds):
            yr = y[tr]
            if name in ("mean-words-chars", "stack-words-chars"):
                (ow, tw), (oc, tc) = scores["words"][k], scores["chars"][k]
                if name.startswith("mean"):
                    pw, yy, qw = calibrated(ow, tw, yr)
                    pc, _, qc = calibrated(oc, tc, yr)
                    p_in, p_te = (pw + pc) / 2, (qw + qc) / 2
                else:
                    lr = LogisticRegression(C=1e6).fit(np.column_stack([ow[0], oc[0]]), yr)
                    yy = yr
                    p_in = lr.predict_proba(np.column_stack([ow[0], oc[0]]))[:, 1]
                    p_te = lr.predict_proba(np.column_stack([tw, tc]))[:, 1]
            else:
                key = uses[name][0]
                if name == "opening-nested":  # the candidate ranking the training part best, inner scores only
                    key = max(uses[name], key=lambda c: roc_auc_score(np.tile(yr, scores[c][k][0].shape[0]),
                                                                      scores[c][k][0].ravel()))
                    chosen.setdefault(name, []).append(key)
                oof, test = scores[key][k]
                p_in, yy, p_te = calibrated(oof, test, yr, "isotonic" if name == "isotonic" else "sigmoid")
            cut = 0.5 if name == "cut05" else training.best_f1_threshold(p_in, yy)
            per_fold.append((te, p_te, cut))
        out[name] = summary(y, per_fold)
        if name in chosen:
            print(f"  [{name}, outer seed {outer_seed}: chose {', '.join(chosen[name])}]", file=sys.stderr)
    return out


def summary(y: np.ndarray, per_fold: list[tuple[np.ndarray, np.ndarray, float]]) -> dict:
    prob = np.zeros(len(y))
    flag = np.zeros(len(y), dtype=bool)
    f1s = []
    for te, p, cut in per_fold:
        prob[te], flag[te] = p, p >= cut
        f1s.append(2 * np.sum(flag[te] & (y[te] == 1)) / (flag[te].sum() + y[te].sum()))
    tp = float(np.sum(flag & (y == 1)))
    oracle = prob >= training.best_f1_threshold(prob, y)  # cut chosen on the test folds: a ceiling, not a result
    return {"f1": 2 * tp / (flag.sum() + y.sum()), "precision": tp / max(flag.sum(), 1), "recall": tp / y.sum(),
            "oracle_f1": 2 * float(np.sum(oracle & (y == 1))) / (oracle.sum() + y.sum()),
            "roc_auc": float(roc_auc_score(y, prob)), "fold_mean": float(np.mean(f1s)),
            "fold_sd": float(np.std(f1s, ddof=1)), "thresholds": [c for _, _, c in per_fold]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--opening-chars", type=int, default=OPENING_CHARS, help="length of the opening block")
    ap.add_argument("--outer-seeds", default=str(SEED), help="comma-separated seeds of the outer grouped split")
    a = ap.parse_args()
    names = [v.strip() for v in a.variants.split(",") if v.strip()]
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        ap.error(f"unknown variants: {', '.join(unknown)} (known: {', '.join(VARIANTS)})")
    frame = pd.read_csv(a.data)
    texts = frame["text"].fillna("").astype(str).tolist()
    y = frame["label"].to_numpy().astype(np.int64)
    groups = near_duplicate_groups(texts, threshold=training.Settings().duplicate_threshold)
    load0 = os.getloadavg()[0]
    seeds = [int(x) for x in a.outer_seeds.split(",")]
    tables = {seed: run(texts, y, groups, seed, names, a.opening_chars) for seed in seeds}
    print(f"{a.data.name}: {len(y):,} ads, {len(np.unique(groups)):,} near-duplicate groups; nested grouped 5-fold CV, "
          "text only")
    for seed, table in tables.items():
        print(f"\nouter split seed {seed}")
        print(f"{'variant':22s} {'F1':>6s} {'prec':>6s} {'recall':>6s} {'ROC AUC':>7s} {'oracle':>6s}   F1 by fold     "
              "thresholds")
        for name, r in table.items():
            print(f"{name:22s} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f} {r['roc_auc']:7.3f} {r['oracle_f1']:6.3f}   "
                  f"{r['fold_mean']:.3f} ± {r['fold_sd']:.3f}  " + " ".join(f"{t:.2f}" for t in r["thresholds"]))
    if len(seeds) > 1:
        print(f"\nmean over {len(seeds)} outer splits (sd of the split means)")
        for name in names:
            f1 = [tables[s][name]["f1"] for s in seeds]
            auc = [tables[s][name]["roc_auc"] for s in seeds]
            sd = [tables[s][name]["fold_sd"] for s in seeds]
            print(f"{name:22s} F1 {np.mean(f1):.3f} ({np.std(f1, ddof=1):.3f})  ROC AUC {np.mean(auc):.3f}  "
                  f"mean fold SD {np.mean(sd):.3f}")
    print(f"\n1-minute load average: {load0:.2f} at start, {os.getloadavg()[0]:.2f} at end (2 shared cores)")


if __name__ == "__main__":
    sys.exit(main())

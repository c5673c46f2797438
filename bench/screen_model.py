"""Screening model on the EMSCAD sample with grouped cross-validation, against a TF-IDF + logistic
regression baseline on the same folds, with and without metadata; then throughput on ads of about
2 kB. Not a test: prints figures and ratios, asserts nothing.

    PYTHONPATH=src python bench/screen_model.py [--data ../shared/data/emscad-dev/emscad_dev.csv]
                                                [--ads 5000] [--quick] [--json]

Rows: the model with its defaults (naive-Bayes-weighted binary word n-grams, linear SVM), the
version 1 settings (TF-IDF-like weighting, logistic regression), the opt-in opening block (word
n-grams of each ad's first 400 characters as a third block), and (unless --quick) metadata
variants (no logo; plus the presence and length of the free-text fields company_profile,
requirements, benefits; plus the logo) and character 3-5-grams.

Folds: the model's own grouped 5-fold split (near-duplicate ads kept in one fold); the baseline
is scored on exactly those folds. Precision, recall and F1 are at each method's own operating
point (the model: its threshold chosen on inner grouped folds of each training part, so test
folds never tune anything; the baseline: 0.5), ROC AUC and PR AUC need no threshold. Intervals:
95% group bootstrap (1,000 resamples); "F1 by fold" is the mean and standard deviation of the
five test folds' F1.
Throughput: ads per CPU-second of this process (process time, so other load on a shared machine
counts less), best of three after a warm-up, one process, batches of 1,000.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder

from tiplens.screen import features, model_card
from tiplens.screen.model import train
from tiplens.screen.training import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "emscad-dev" / "emscad_dev.csv"
META = ("telecommuting", "has_questions", "employment_type", "required_experience", "required_education",
        "industry", "function")
TEXT_FIELDS = ("company_profile", "requirements", "benefits")  # free text: present flag and length only
LOGO = "has_company_logo"
SEED = 20170101
TARGET_F1, TARGET_RATE = 0.92, 5000
OPENING_CHARS = 400  # the opt-in opening block (Settings.opening_chars)


def baseline_oof(frame: pd.DataFrame, folds: np.ndarray, meta: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF (word 1-2 grams, sublinear tf, min_df 2) + logistic regression (scikit-learn
    defaults), metadata one-hot encoded when given; flagged at 0.5."""
    y = frame["label"].to_numpy()
    prob = np.zeros(len(y))
    for k in np.unique(folds):
        tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        xtr, xte = vec.fit_transform(frame["text"].iloc[tr]), vec.transform(frame["text"].iloc[te])
        if meta:
            enc = OneHotEncoder(handle_unknown="ignore")
            m = frame[list(meta)].astype("string").fillna("(missing)")
            xtr, xte = sp.hstack([xtr, enc.fit_transform(m.iloc[tr])]).tocsr(), sp.hstack([xte, enc.transform(m.iloc[te])]).tocsr()
        lr = LogisticRegression(max_iter=2000).fit(xtr, y[tr])
        prob[te] = lr.predict_proba(xte)[:, 1]
    return prob, prob >= 0.5


def block(y, prob, flagged, groups, folds) -> dict:
    out = model_card.bootstrap_intervals(y, prob, flagged, groups, 1000, SEED)
    f1 = [model_card.metrics(y[folds == k], prob[folds == k], flagged[folds == k])["f1"] for k in np.unique(folds)]
    out["f1_by_fold"] = {"mean": float(np.mean(f1)), "sd": float(np.std(f1, ddof=1)), "folds": f1}
    return out


def two_kb_ads(texts: list[str], n: int) -> list[str]:
    pool = [t for t in texts if 1500 <= len(t) <= 2500]
    return [pool[i % len(pool)] for i in range(n)]


def rate(fn, ads: list[str], batch: int = 1000, repeats: int = 3) -> float:
    fn(ads[:batch])
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for i in range(0, len(ads), batch):
            fn(ads[i:i + batch])
        best = min(best, time.process_time() - t0)
    return len(ads) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--ads", type=int, default=5000, help="ads in the throughput run")
    ap.add_argument("--quick", action="store_true", help="skip the metadata and character n-gram variants")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    frame = pd.read_csv(a.data)
    y = frame["label"].to_numpy()
    out: dict = {"data": a.data.name, "n": len(frame), "positive": int(y.sum()), "python": platform.python_version()}

    out["load_average_1min_start"] = os.getloadavg()[0]
    t0 = time.process_time()
    text_model = train(a.data, "text", "label", seed=SEED)
    out["train_cpu_seconds"] = round(time.process_time() - t0, 1)
    cv = text_model.cv
    folds, groups = cv.folds, cv.groups
    out["groups"] = int(len(np.unique(groups)))

    def model_row(name: str, **kw) -> None:
        m = train(a.data, "text", "label", seed=SEED, **kw)
        assert np.array_equal(m.cv.folds, folds)  # same grouped folds for every row of the table
        rows[name] = block(y, m.cv.probability, m.cv.flagged, groups, folds)

    rows = {"tiplens model, text only": block(y, cv.probability, cv.flagged, groups, folds)}
    prob, flag = baseline_oof(frame, folds, ())
    rows["baseline TF-IDF + LR, text only"] = block(y, prob, flag, groups, folds)
    model_row("tiplens v1 settings (idf, logistic C=10)", settings=Settings(weighting="idf", classifier="logistic", C=10.0))
    opening = train(a.data, "text", "label", seed=SEED, settings=Settings(opening_chars=OPENING_CHARS))
    assert np.array_equal(opening.cv.folds, folds)
    rows[f"tiplens + opening {OPENING_CHARS} chars (opt-in)"] = block(y, opening.cv.probability, opening.cv.flagged,
                                                                      groups, folds)
    if not a.quick:
        model_row("tiplens, text + metadata (no logo)", metadata_columns=META)
        model_row("tiplens, text + metadata + field presence", metadata_columns=META + TEXT_FIELDS)
        model_row("tiplens, text + metadata + fields + logo", metadata_columns=META + TEXT_FIELDS + (LOGO,))
        for name, meta in (("no logo", META), ("+ logo", META + (LOGO,))):
            prob, flag = baseline_oof(frame, folds, meta)
            rows[f"baseline, text + metadata ({name})"] = block(y, prob, flag, groups, folds)
        model_row("tiplens model + character 3-5-grams", settings=Settings(char_ngrams=(3, 4, 5)))
    out["metrics"] = rows
    base = rows["baseline TF-IDF + LR, text only"]
    ours = rows["tiplens model, text only"]
    out["ratios_text_only"] = {m: round(ours[m]["value"] / base[m]["value"], 3) for m in model_card.METRICS}
    out["f1_text_only_minus_baseline"] = round(ours["f1"]["value"] - base["f1"]["value"], 3)
    out["f1_vs_target"] = round(ours["f1"]["value"] / TARGET_F1, 3)

    ads = two_kb_ads(frame["text"].tolist(), a.ads)
    out["throughput_ads_mean_chars"] = round(float(np.mean([len(t) for t in ads])))
    source, _ = features.indicator_vectors(ads[:1])
    model = text_model.model
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    lr = LogisticRegression(max_iter=2000).fit(vec.fit_transform(frame["text"]), y)
    rates = {
        f"rules only ({source})": rate(features.indicator_vectors, ads),
        "rules + model (predict_proba)": rate(model.predict_proba, ads),
        f"rules + model with opening {OPENING_CHARS}": rate(opening.model.predict_proba, ads),
        "baseline TF-IDF + LR": rate(lambda b: lr.predict_proba(vec.transform(b)), ads),
    }
    out["ads_per_cpu_second"] = {k: round(v) for k, v in rates.items()}
    out["model_vs_baseline_speed"] = round(rates["rules + model (predict_proba)"] / rates["baseline TF-IDF + LR"], 2)
    out["model_vs_target_speed"] = round(rates["rules + model (predict_proba)"] / TARGET_RATE, 2)
    out["load_average_1min_end"] = os.getloadavg()[0]
    if a.json:
        print(json.dumps(out))
        return
    _print(out)


def _print(out: dict) -> None:
    print(f"{out['data']}: {out['n']:,} ads ({out['positive']:,} positive), {out['groups']:,} near-duplicate groups, "
          f"grouped 5-fold CV; model training {out['train_cpu_seconds']} CPU s (incl. its nested CV)")
    head = f"{'':44s}" + "".join(f"{m:>22s}" for m in model_card.METRICS) + "    F1 by fold (mean, sd)"
    print(head)
    for name, blk in out["metrics"].items():
        print(f"{name:44s}" + "".join(f"{blk[m]['value']:>8.3f} [{blk[m]['low']:.3f},{blk[m]['high']:.3f}]"
                                      for m in model_card.METRICS)
              + f"    {blk['f1_by_fold']['mean']:.3f} ± {blk['f1_by_fold']['sd']:.3f}")
    print("model / baseline (text only): " + ", ".join(f"{k} {v}" for k, v in out["ratios_text_only"].items()))
    print(f"model F1 / target {TARGET_F1}: {out['f1_vs_target']}")
    print(f"throughput on {len(out['ads_per_cpu_second'])} paths, ads of ~{out['throughput_ads_mean_chars']} characters:")
    for k, v in out["ads_per_cpu_second"].items():
        print(f"  {k:40s} {v:>9,} ads per CPU-second")
    print(f"model / baseline speed {out['model_vs_baseline_speed']}; model / target ({TARGET_RATE:,}/s) "
          f"{out['model_vs_target_speed']}")
    print(f"1-minute load average: {out['load_average_1min_start']:.2f} at start, {out['load_average_1min_end']:.2f} at end "
          "(2 shared cores)")


if __name__ == "__main__":
    sys.exit(main())

"""Screening model on the EMSCAD sample with grouped cross-validation, against a TF-IDF + logistic
regression baseline on the same folds, with and without metadata; then throughput on ads of about
2 kB. Not a test: prints figures and ratios, asserts nothing.

    PYTHONPATH=src python bench/screen_model.py [--data ../shared/data/emscad-dev/emscad_dev.csv]
                                                [--ads 5000] [--quick] [--json]

Folds: the model's own grouped 5-fold split (near-duplicate ads kept in one fold); the baseline
is scored on exactly those folds. Precision, recall and F1 are at each method's own operating
point (the model: its threshold chosen on inner grouped folds; the baseline: 0.5), ROC AUC and
PR AUC need no threshold. Intervals: 95% group bootstrap (1,000 resamples).
Throughput: ads per CPU-second of this process (process time, so other load on a shared machine
counts less), best of three after a warm-up, one process, batches of 1,000.
"""

from __future__ import annotations

import argparse
import json
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
LOGO = "has_company_logo"
SEED = 20170101
TARGET_F1, TARGET_RATE = 0.92, 5000


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


def block(y, prob, flagged, groups) -> dict:
    return model_card.bootstrap_intervals(y, prob, flagged, groups, 1000, SEED)


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

    t0 = time.process_time()
    text_model = train(a.data, "text", "label", seed=SEED)
    out["train_cpu_seconds"] = round(time.process_time() - t0, 1)
    cv = text_model.cv
    folds, groups = cv.folds, cv.groups
    out["groups"] = int(len(np.unique(groups)))
    rows = {"tiplens model, text only": block(y, cv.probability, cv.flagged, groups)}
    prob, flag = baseline_oof(frame, folds, ())
    rows["baseline TF-IDF + LR, text only"] = block(y, prob, flag, groups)
    if not a.quick:
        meta_model = train(a.data, "text", "label", metadata_columns=META, seed=SEED)
        assert np.array_equal(meta_model.cv.folds, folds)  # same grouped folds for every row of the table
        rows["tiplens model, text + metadata (no logo)"] = block(y, meta_model.cv.probability, meta_model.cv.flagged, groups)
        logo_model = train(a.data, "text", "label", metadata_columns=META + (LOGO,), seed=SEED)
        rows["tiplens model, text + metadata + logo"] = block(y, logo_model.cv.probability, logo_model.cv.flagged, groups)
        for name, meta in (("no logo", META), ("+ logo", META + (LOGO,))):
            prob, flag = baseline_oof(frame, folds, meta)
            rows[f"baseline, text + metadata ({name})"] = block(y, prob, flag, groups)
        char_model = train(a.data, "text", "label", seed=SEED, settings=Settings(char_ngrams=(4,)))
        rows["tiplens model + character 4-grams"] = block(y, char_model.cv.probability, char_model.cv.flagged, groups)
    out["metrics"] = rows
    base = rows["baseline TF-IDF + LR, text only"]
    ours = rows["tiplens model, text only"]
    out["ratios_text_only"] = {m: round(ours[m]["value"] / base[m]["value"], 3) for m in model_card.METRICS}
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
        "baseline TF-IDF + LR": rate(lambda b: lr.predict_proba(vec.transform(b)), ads),
    }
    out["ads_per_cpu_second"] = {k: round(v) for k, v in rates.items()}
    out["model_vs_baseline_speed"] = round(rates["rules + model (predict_proba)"] / rates["baseline TF-IDF + LR"], 2)
    out["model_vs_target_speed"] = round(rates["rules + model (predict_proba)"] / TARGET_RATE, 2)
    if a.json:
        print(json.dumps(out))
        return
    _print(out)


def _print(out: dict) -> None:
    print(f"{out['data']}: {out['n']:,} ads ({out['positive']:,} positive), {out['groups']:,} near-duplicate groups, "
          f"grouped 5-fold CV; model training {out['train_cpu_seconds']} CPU s (incl. its nested CV)")
    head = f"{'':44s}" + "".join(f"{m:>22s}" for m in model_card.METRICS)
    print(head)
    for name, blk in out["metrics"].items():
        print(f"{name:44s}" + "".join(f"{blk[m]['value']:>8.3f} [{blk[m]['low']:.3f},{blk[m]['high']:.3f}]"
                                      for m in model_card.METRICS))
    print("model / baseline (text only): " + ", ".join(f"{k} {v}" for k, v in out["ratios_text_only"].items()))
    print(f"model F1 / target {TARGET_F1}: {out['f1_vs_target']}")
    print(f"throughput on {len(out['ads_per_cpu_second'])} paths, ads of ~{out['throughput_ads_mean_chars']} characters:")
    for k, v in out["ads_per_cpu_second"].items():
        print(f"  {k:40s} {v:>9,} ads per CPU-second")
    print(f"model / baseline speed {out['model_vs_baseline_speed']}; model / target ({TARGET_RATE:,}/s) "
          f"{out['model_vs_target_speed']}")


if __name__ == "__main__":
    sys.exit(main())

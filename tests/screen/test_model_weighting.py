"""The naive-Bayes weighting of the screening model (version 2 files), the version 1 weighting
still loading, and free-text metadata columns; expected values from plain-Python references."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from tests.screen.model_fixtures import synthetic_ads
from tiplens.screen import features, training
from tiplens.screen.hashing import NgramHasher
from tiplens.screen.model import ScreenModel, load, train

FAST = training.Settings(bootstrap=20, cv_folds=3, inner_folds=3)


@pytest.fixture(scope="module")
def frame():
    return pd.DataFrame(synthetic_ads())


@pytest.fixture(scope="module")
def nb_model(frame):
    return train(frame, "body", "is_scam", settings=FAST, seed=5)


def test_nb_ratio_matches_a_hand_count():
    counts = sp.csr_matrix(np.array([[2, 0, 1, 0, 0],
                                     [0, 1, 1, 0, 0],
                                     [3, 0, 0, 1, 0],
                                     [0, 0, 4, 0, 0]], dtype=float))
    y = np.array([1, 0, 1, 0])
    rows = np.array([0, 1, 2, 3])
    got = training.nb_ratio(counts, rows, y)
    # presence per column among positives (rows 0, 2) and negatives (rows 1, 3), columns 0..3 seen
    pos, neg = [2, 0, 1, 1], [0, 1, 2, 0]
    p = [1 + v for v in pos]
    q = [1 + v for v in neg]
    expected = [math.log(p[j] / sum(p)) - math.log(q[j] / sum(q)) for j in range(4)] + [0.0]
    assert got == pytest.approx(expected)
    # only the training rows count: without row 3, column 2 is held by one positive and one negative
    got = training.nb_ratio(counts, np.array([0, 1, 2]), y)
    p, q = [3, 1, 2, 2], [1, 2, 2, 1]
    assert got[:4] == pytest.approx([math.log(p[j] / sum(p)) - math.log(q[j] / sum(q)) for j in range(4)])
    assert training.nb_ratio(sp.csr_matrix((4, 5)), rows, y).tolist() == [0.0] * 5


def test_text_scores_match_a_plain_python_reference(nb_model):
    model = nb_model.model
    assert model.weighting == "nb" and nb_model.card["training"]["classifier"] == "svm"
    texts = ["Earn $500 per day from home, no experience needed, earn earn earn",
             "We are an equal opportunity employer with paid annual leave", "", "zzzz qqqq"]
    occ = model.hasher.occurrences(texts)
    f = model.hasher.n_features
    expected = []
    for i in range(len(texts)):
        cols = {int(c) for c in occ.col[occ.doc == i]}  # presence: each column once
        total = 0.0
        for block in (range(0, f), range(f, 2 * f)):
            mine = [c for c in cols if c in block]
            norm = sum(float(model.w_norm[c]) for c in mine)
            if norm > 0:
                total += sum(float(model.w_text[c]) for c in mine) / math.sqrt(norm)
        expected.append(total)
    assert model._text_scores(occ, len(texts)) == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert expected[2] == 0.0 and expected[0] != 0.0


def test_scoring_path_agrees_with_the_training_design(frame, nb_model):
    texts = frame["body"].tolist()
    design = training.build_design(texts, {}, FAST)
    lin = training.fit_linear(design, np.arange(len(texts)), frame["is_scam"].to_numpy(), FAST, 5)
    assert lin.weighting == "nb"
    model = nb_model.model  # the final linear model is fitted on all rows with the same settings
    assert model.decision_function(texts) == pytest.approx(training.decision(design, np.arange(len(texts)), lin),
                                                           rel=1e-4, abs=1e-5)


def test_version_1_files_keep_their_scores(frame):
    old = train(frame, "body", "is_scam", settings=training.Settings(bootstrap=20, cv_folds=3, inner_folds=3,
                                                                     weighting="idf", classifier="logistic", C=10.0))
    state = dict(old.model._state)
    assert state["weighting"] == "idf" and "w_norm" not in state
    state["version"] = 1
    del state["weighting"]  # version 1 files had no weighting entry
    texts = frame["body"].tolist()[:10] + ["", "registration fee"]
    assert np.array_equal(ScreenModel(state).predict_proba(texts), old.model.predict_proba(texts))


def test_settings_are_checked(frame):
    design = training.build_design(frame["body"].tolist(), {}, FAST)
    y, rows = frame["is_scam"].to_numpy(), np.arange(len(frame))
    with pytest.raises(ValueError, match="weighting"):
        training.fit_linear(design, rows, y, training.Settings(weighting="bm25"), 1)
    with pytest.raises(ValueError, match="classifier"):
        training.fit_linear(design, rows, y, training.Settings(classifier="forest"), 1)


def test_free_text_metadata_enters_as_presence_and_length():
    profile = ["We build payment software for shops across the region since 2004.", None, "   ",
               "A family firm of forty people, making furniture by hand for hotels."]
    kind = ["full-time", "full-time", "full-time", None]
    spec = features.fit_metadata({"company_profile": profile, "employment_type": kind})
    assert spec == [{"column": "company_profile", "kind": "text"},
                    {"column": "employment_type", "kind": "categorical", "categories": ["full-time"]}]
    assert features.metadata_names(spec) == ["company_profile=present", "company_profile:log_chars",
                                             "employment_type=full-time", "employment_type=other",
                                             "employment_type=missing"]
    got = features.metadata_matrix(spec, {"company_profile": profile, "employment_type": kind}, 4)
    expected = [[1, math.log(1 + len(profile[0])), 1, 0, 0],
                [0, 0, 1, 0, 0],
                [0, 0, 1, 0, 0],
                [1, math.log(1 + len(profile[3])), 0, 0, 1]]
    assert np.allclose(got, np.array(expected, dtype=float))


def test_cli_rejects_unknown_training_choices(tmp_path):
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in synthetic_ads(30)) + "\n", encoding="utf-8")
    for option, value in (("--classifier", "forest"), ("--weighting", "bm25"), ("--C", "0"), ("--inner-repeats", "0"),
                          ("--opening-chars", "-1")):
        r = subprocess.run([sys.executable, "-m", "tiplens", "screen", "train", str(path), "--text-column", "body",
                            "--label-column", "is_scam", "--out", str(tmp_path / "m.skops"), option, value],
                           capture_output=True, text=True)
        assert r.returncode == 2 and option in r.stderr and "Traceback" not in r.stderr


def test_a_file_written_by_version_1_scores_as_it_did():
    # model_v1.skops and its scores were written by the version 1 code (commit cab00bc, 60 synthetic
    # ads, 4,096 hash columns); the current code must load it and give the same probabilities
    from pathlib import Path

    from tiplens.screen.model import load

    data = Path(__file__).parent / "data"
    recorded = json.loads((data / "model_v1_scores.json").read_text(encoding="utf-8"))
    model = load(data / "model_v1.skops")
    assert model.predict_proba(recorded["texts"]) == pytest.approx(recorded["proba"], rel=1e-6, abs=1e-9)


def test_repeated_inner_splits_pool_their_out_of_fold_scores(frame):
    """Calibration and threshold of ``inner_repeats=2`` come from the out-of-fold scores of two
    inner splits (seeds s and s + 1) pooled; recomputed here split by split with a plain loop."""
    texts, y = frame["body"].tolist(), frame["is_scam"].to_numpy()
    groups = np.arange(len(y)) // 2  # pairs of ads share a group
    settings = training.Settings(inner_folds=3, inner_repeats=2)
    design = training.build_design(texts, {}, settings)
    rows = np.arange(len(y))
    fitted = training.fit(design, rows, y, groups, settings, seed=11)
    scores, labels = [], []
    for split_seed in (11, 12):
        oof = np.full(len(y), np.nan)
        for tr, te in training.grouped_folds(y, groups, 3, split_seed):
            assert not set(groups[tr]) & set(groups[te])
            oof[te] = training.decision(design, te, training.fit_linear(design, tr, y, settings, 11))
        assert not np.isnan(oof).any()
        scores += list(oof)
        labels += list(y)
    # sigmoid calibration: maximum likelihood of a and b, checked by its first-order conditions
    a, b = fitted.calibration["a"], fitted.calibration["b"]
    p = [1 / (1 + math.exp(-(a * s + b))) for s in scores]
    assert sum(pi - yi for pi, yi in zip(p, labels, strict=True)) == pytest.approx(0, abs=0.01)
    assert sum((pi - yi) * s for pi, yi, s in zip(p, labels, scores, strict=True)) == pytest.approx(0, abs=0.01)
    # threshold: the F1 of flagging p >= cut is the best over every cut between pooled probabilities
    def f1_at(cut):
        tp = sum(1 for pi, yi in zip(p, labels, strict=True) if pi >= cut and yi == 1)
        n_flag = sum(1 for pi in p if pi >= cut)
        return 2 * tp / (n_flag + sum(labels))
    best = max(f1_at(c) for c in p)
    assert f1_at(fitted.threshold) == pytest.approx(best)
    # one repeat is the single split it always was
    one = training.fit(design, rows, y, groups, training.Settings(inner_folds=3), seed=11)
    half = len(y)
    p1 = [1 / (1 + math.exp(-(one.calibration["a"] * s + one.calibration["b"]))) for s in scores[:half]]
    assert sum(pi - yi for pi, yi in zip(p1, labels[:half], strict=True)) == pytest.approx(0, abs=0.01)


def test_inner_repeats_are_checked():
    with pytest.raises(ValueError, match="inner_repeats"):
        training.Settings(inner_repeats=0)


def test_an_opening_block_scores_the_same_in_training_and_from_the_file(frame, tmp_path):
    """``opening_chars``: the word n-grams of each ad's first characters as a third block; the
    saved model (version 3) gives the training design's scores, and only the opening counts."""
    texts, y = frame["body"].tolist(), frame["is_scam"].to_numpy()
    settings = training.Settings(bootstrap=20, cv_folds=3, inner_folds=3, opening_chars=30)
    design = training.build_design(texts, {}, settings)
    # the block holds exactly the word n-grams of the first 30 characters (a hand-built reference)
    hasher = NgramHasher(settings.n_features, settings.word_ngrams, ())
    for i in (0, 1, 7):
        ref = hasher.occurrences([texts[i][:30]])
        assert sorted(design.opening[i].indices.tolist()) == sorted(set(ref.col.tolist()))
    trained = train(frame, "body", "is_scam", settings=settings, seed=5)
    path = trained.save(tmp_path / "opening.skops")
    loaded = load(path)
    assert loaded._state["version"] == 3 and loaded.opening_chars == 30
    rows = np.arange(len(texts))
    lin = training.fit_linear(design, rows, y, settings, 5)
    assert len(lin.w_text) == 3 * settings.n_features and np.any(lin.w_text[2 * settings.n_features:] != 0)
    assert loaded.decision_function(texts) == pytest.approx(training.decision(design, rows, lin), rel=1e-4, abs=1e-5)
    # two texts that share their first 30 characters differ only in the other blocks' scores
    a, b = texts[0][:30] + " alpha beta", texts[0][:30] + " registration fee"
    assert loaded._opening_scores([a, b], 2)[0] == loaded._opening_scores([a, b], 2)[1]
    # files without the block stay version 2
    assert train(frame, "body", "is_scam", settings=FAST, seed=5).model._state["version"] == 2

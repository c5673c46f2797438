"""The screening model: training with grouped cross-validation on the real EMSCAD sample,
metrics checked against scikit-learn on the saved predictions, safe model files, bad input."""

from __future__ import annotations

import csv
import importlib.machinery
import json
import re
import subprocess
import sys
import types

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

from tests.conftest import shared
from tests.screen.model_fixtures import synthetic_ads
from tiplens.errors import BadInput
from tiplens.screen import features, labelled
from tiplens.screen.model import ScreenModel, evaluate, evaluate_detailed, load, train
from tiplens.screen.training import Settings

FAST = Settings(bootstrap=200)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tiplens", *args], capture_output=True, text=True)


def one_line(text: str) -> str:
    return " ".join(text.split())  # the console may wrap a long message


@pytest.fixture(scope="module")
def emscad():
    return shared("emscad-dev", "emscad_dev.csv")


@pytest.fixture(scope="module")
def trained(emscad):
    return train(emscad, "text", "label", settings=FAST, seed=11)


@pytest.fixture(scope="module")
def model_file(trained, tmp_path_factory):
    return trained.save(tmp_path_factory.mktemp("model") / "emscad.skops")


# ---- the real data ------------------------------------------------------------------------------

@pytest.mark.real
def test_no_near_duplicate_pair_spans_two_folds(emscad, trained):
    """Near-duplicates computed here independently (exact Jaccard of 5-word shingle sets via sparse
    products, no MinHash): every pair at Jaccard >= 0.8 sits in one cross-validation fold."""
    with emscad.open(newline="", encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        grams = {" ".join(words[j:j + 5]) for j in range(max(1, len(words) - 4))}
        for g in grams:
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
    a = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocab)))
    inter = (a @ a.T).tocoo()
    size = np.asarray(a.sum(axis=1)).ravel()
    jac = inter.data / (size[inter.row] + size[inter.col] - inter.data)
    close = (jac >= 0.8) & (inter.row < inter.col)
    pairs = list(zip(inter.row[close], inter.col[close], strict=True))
    assert len(pairs) > 100  # the sample does repeat templates
    fold, groups = trained.cv.folds, trained.cv.groups  # one entry per row, in file order (none rejected)
    assert len(fold) == len(texts) and len(np.unique(fold)) == 5
    assert all(fold[i] == fold[j] for i, j in pairs)
    assert all(groups[i] == groups[j] for i, j in pairs)


@pytest.mark.real
def test_card_metrics_match_sklearn_on_the_saved_predictions(trained, tmp_path):
    path = tmp_path / "cv.csv"
    trained.cv.to_frame().to_csv(path, index=False)
    saved = pd.read_csv(path)
    assert len(saved) == 1108 and saved["label"].sum() == 486
    y, prob, flag = saved["label"], saved["probability"], saved["flagged"].astype(bool)
    card = trained.card["cross_validation"]["variants"]["text only"]
    expected = {"precision": precision_score(y, flag), "recall": recall_score(y, flag), "f1": f1_score(y, flag),
                "roc_auc": roc_auc_score(y, prob), "pr_auc": average_precision_score(y, prob)}
    for k, v in expected.items():
        assert card[k]["value"] == pytest.approx(v, abs=1e-9)
        assert card[k]["low"] <= card[k]["value"] <= card[k]["high"]
    # unseen templates are harder than the training rows, but the model is far from chance
    assert card["roc_auc"]["value"] > 0.85 and card["f1"]["value"] > 0.7
    assert trained.card["data"] | {} and trained.card["data"]["n"] == 1108
    assert 0 < trained.threshold < 1 and trained.card["threshold"] == trained.threshold


@pytest.mark.real
def test_evaluate_matches_sklearn_on_the_models_own_scores(emscad, model_file):
    model = load(model_file)
    frame = pd.read_csv(emscad).iloc[::7]
    got = evaluate(frame, model, "text", "label")
    prob = np.asarray(model.predict_proba(frame["text"].tolist()))
    flag = prob >= model.threshold
    y = frame["label"].to_numpy()
    assert set(got) == {"n", "precision", "recall", "f1", "roc_auc", "pr_auc", "threshold"}
    assert got["n"] == len(frame) and got["threshold"] == model.threshold
    assert got["precision"] == pytest.approx(precision_score(y, flag))
    assert got["recall"] == pytest.approx(recall_score(y, flag))
    assert got["f1"] == pytest.approx(f1_score(y, flag))
    assert got["roc_auc"] == pytest.approx(roc_auc_score(y, prob))
    assert got["pr_auc"] == pytest.approx(average_precision_score(y, prob))


@pytest.mark.real
def test_skops_round_trip_keeps_every_score(trained, model_file):
    model = load(model_file)
    texts = ["Earn $900 a week from home, no experience needed, pay the registration fee by Western Union",
             "Senior accountant, five years of audit experience, pension and health insurance", "", "x" * 5000]
    assert np.array_equal(model.predict_proba(texts), trained.predict_proba(texts))
    assert model.threshold == trained.threshold and model.card == json.loads(json.dumps(trained.card))
    assert model.predict_proba(texts[:1])[0] > model.predict_proba(texts[1:2])[0]
    # scores do not depend on the other texts of the batch
    assert model.predict_proba(texts[1:2])[0] == pytest.approx(model.predict_proba(texts)[1], abs=1e-12)


@pytest.mark.real
def test_cli_evaluate_json_is_one_object(emscad, model_file, tmp_path):
    preds = tmp_path / "p.csv"
    r = run_cli("screen", "evaluate", str(emscad), "--model", str(model_file), "--text-column", "text",
                "--label-column", "label", "--json", "--predictions", str(preds))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["n", "precision", "recall", "f1", "roc_auc", "pr_auc", "threshold"] and out["n"] == 1108
    saved = pd.read_csv(preds)
    assert list(saved.columns) == ["line", "label", "probability", "flagged"]  # never the text
    assert out["f1"] == pytest.approx(f1_score(saved["label"], saved["flagged"]))


@pytest.mark.real
def test_metadata_is_opt_in_and_reported_with_and_without(emscad):
    small = Settings(bootstrap=50, cv_folds=3, inner_folds=3)
    t = train(emscad, "text", "label", metadata_columns=("telecommuting", "employment_type"), settings=small)
    variants = t.card["cross_validation"]["variants"]
    assert set(variants) == {"with metadata", "text only"}
    assert t.card["features"]["metadata_columns"] == ["telecommuting", "employment_type"]
    assert t.cv_text_only is not None and np.array_equal(t.cv.folds, t.cv_text_only.folds)
    frame = pd.read_csv(emscad).head(20)
    with pytest.raises(BadInput, match="metadata"):
        t.model.predict_proba(frame["text"].tolist())
    meta = {c: frame[c].tolist() for c in ("telecommuting", "employment_type")}
    assert len(t.model.predict_proba(frame["text"].tolist(), meta)) == 20


# ---- safety of model files ------------------------------------------------------------------------

def test_refuses_a_skops_file_holding_other_types(tmp_path):
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    est = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
    sio.dump(est, tmp_path / "lr.skops")  # a type skops itself trusts by default
    with pytest.raises(BadInput, match="untrusted types: sklearn"):
        load(tmp_path / "lr.skops")
    (tmp_path / "junk.skops").write_bytes(b"\x80\x04\x95 not a zip, maybe a pickle")
    with pytest.raises(BadInput, match="not a tiplens model file"):
        load(tmp_path / "junk.skops")
    sio.dump({"format": "something-else"}, tmp_path / "other.skops")
    with pytest.raises(BadInput, match="not a tiplens-screen-model"):
        load(tmp_path / "other.skops")
    with pytest.raises(BadInput, match="no such model file"):
        load(tmp_path / "missing.skops")


# ---- fast checks on a small synthetic set ----------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("syn") / "ads.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in synthetic_ads()) + "\n", encoding="utf-8")
    return path


def test_train_and_evaluate_from_the_cli(synthetic_file, tmp_path):
    out = tmp_path / "m" / "model.skops"
    r = run_cli("screen", "train", str(synthetic_file), "--text-column", "body", "--label-column", "is_scam",
                "--out", str(out), "--json", "--seed", "3")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["n"] == 90 and set(summary["cross_validation"]) == {"text only"}
    assert out.with_suffix(".card.md").read_text().startswith("# Model card")
    cv = pd.read_csv(out.with_suffix(".cv.csv"))
    assert len(cv) == 90 and set(cv.columns) == {"line", "group", "fold", "label", "probability", "flagged"}
    r = run_cli("screen", "evaluate", str(synthetic_file), "--model", str(out), "--text-column", "body",
                "--label-column", "is_scam", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["n"] == 90


def test_labels_in_words_and_formats(tmp_path):
    rows = synthetic_ads(60, seed=2)
    words = {1: "Fraudulent", 0: "legitimate"}
    frame = pd.DataFrame([{**r, "is_scam": words[r["is_scam"]]} for r in rows])
    frame.loc[0, "is_scam"] = "maybe"
    frame.loc[1, "body"] = "   "
    frame.to_parquet(tmp_path / "ads.parquet")
    data = labelled.load(tmp_path / "ads.parquet", "body", "is_scam")
    assert len(data.texts) == 58 and len(data.rejects) == 2 and data.read == 60
    assert {r.line for r in data.rejects} == {1, 2}
    assert "not a recognised label" in data.rejects[0].reason and "empty" in data.rejects[1].reason
    expected = [1 if w == "Fraudulent" else 0 for w in frame["is_scam"][2:]]
    assert data.labels.tolist() == expected
    assert [labelled.parse_label(v) for v in ("1", 0, True, "false", "YES", "scam", "genuine", 2, None)] == \
           [1, 0, 1, 0, 1, 1, 0, None, None]


def test_bad_input_is_one_clear_error(tmp_path, synthetic_file):
    one_class = tmp_path / "one.csv"
    pd.DataFrame([r for r in synthetic_ads() if r["is_scam"] == 0]).to_csv(one_class, index=False)
    with pytest.raises(BadInput, match="needs both classes"):
        train(one_class, "body", "is_scam")
    with pytest.raises(BadInput, match="'text' not found"):
        train(synthetic_file, "text", "is_scam")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(BadInput, match="empty file"):
        train(empty, "body", "is_scam")
    header_only = tmp_path / "header.csv"
    header_only.write_text("body,is_scam\n")
    with pytest.raises(BadInput, match="no usable rows"):
        train(header_only, "body", "is_scam")
    few = tmp_path / "few.csv"
    pd.DataFrame(synthetic_ads(6)).to_csv(few, index=False)
    with pytest.raises(BadInput, match="at least 3 of each class"):
        train(few, "body", "is_scam")
    r = run_cli("screen", "train", str(one_class), "--text-column", "body", "--label-column", "is_scam",
                "--out", str(tmp_path / "m.skops"))
    assert r.returncode == 2 and "needs both classes" in one_line(r.stderr) and "Traceback" not in r.stderr
    r = run_cli("screen", "evaluate", str(synthetic_file), "--model", str(tmp_path / "none.skops"),
                "--text-column", "body", "--label-column", "is_scam")
    assert r.returncode == 2 and "no such model file" in one_line(r.stderr)


def test_evaluate_on_one_class_gives_no_auc(synthetic_file, tmp_path):
    t = train(synthetic_file, "body", "is_scam", settings=Settings(bootstrap=20, cv_folds=3, inner_folds=3))
    positives = pd.DataFrame([r for r in synthetic_ads() if r["is_scam"] == 1])
    got = evaluate_detailed(positives, t.model, "body", "is_scam")
    assert got.metrics["roc_auc"] is None and got.metrics["pr_auc"] is None
    assert got.metrics["recall"] == pytest.approx(got.flagged.mean())


# ---- the indicator adapter ------------------------------------------------------------------------

def test_indicator_adapter_falls_back_then_uses_the_engine(monkeypatch):
    text = "Urgent hiring! No experience needed, registration fee $30, contact on WhatsApp"
    source, vectors = features.indicator_vectors([text])
    if source == features.FALLBACK_SOURCE:
        assert vectors[0] == {"urgent_hiring": 1, "no_experience_high_pay": 1, "fee_charged": 1,
                              "personal_messaging": 1}
    engine = types.ModuleType(features.INDICATOR_ENGINE)
    engine.__spec__ = importlib.machinery.ModuleSpec(features.INDICATOR_ENGINE, None)
    engine.indicator_vector = lambda t: {"fee": t.count("fee"), "debt": 0}
    monkeypatch.setitem(sys.modules, features.INDICATOR_ENGINE, engine)
    assert features.indicator_vectors([text, "fee fee"]) == (features.INDICATOR_ENGINE, [{"fee": 1, "debt": 0},
                                                                                         {"fee": 2, "debt": 0}])


def test_screen_model_rejects_a_state_of_another_format():
    with pytest.raises(BadInput):
        ScreenModel({"format": "tiplens-screen-model", "version": 99})

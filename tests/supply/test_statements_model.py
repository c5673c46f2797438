"""Training and evaluation on the shared AIMS sentence labels (real data), with grouped splits.

Expected values are computed here from the files with the csv module and scikit-learn, not taken
from the code under test.
"""

from __future__ import annotations

import ast
import csv
import io
from collections import defaultdict

import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_recall_fscore_support

from tests.conftest import shared
from tiplens.knowledge.msa_requirements import NAMES
from tiplens.supply import classifier, labelled, statements
from tiplens.supply import model as mdl

pytestmark = pytest.mark.real
AIMS = ("supply", "aims-uk-ca-annotated")


def raw_rows(path, encoding="utf-8"):
    """Rows of an AIMS file read with the csv module (bytes decoded one-to-one when not UTF-8)."""
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_non_utf8_canadian_file_is_read_in_full():
    path = shared(*AIMS, "ca_future.csv")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    rows = [r for r in raw_rows(path, "latin-1") if (r["sentence_text"] or "").strip() and (r["targets"] or "").strip()]
    data = labelled.read([path])
    assert len(data) == len(rows) and data.rejected == []
    odd = [i for i, r in enumerate(rows) if "\x8e" in r["sentence_text"]]  # the one byte that is not UTF-8
    assert len(odd) == 1
    got = data.sentences[odd[0]]
    assert got.startswith("Ferme St-Zotique Lt") and got.endswith("e; and") and "\ufffd" not in got
    positives = np.array([ast.literal_eval(r["targets"]) for r in rows]).sum(axis=0)
    assert (data.y == 1).sum(axis=0).tolist() == positives.tolist()


def test_grouped_folds_never_split_a_statement():
    data = labelled.read([shared(*AIMS, "UK_context0_llama.csv")])
    folds = classifier.grouped_folds(data.groups, 5)
    seen = []
    for train_rows, test_rows in folds:
        train_ids = {data.groups[i] for i in train_rows}
        test_ids = {data.groups[i] for i in test_rows}
        assert train_ids.isdisjoint(test_ids)
        seen.extend(int(i) for i in test_rows)
    assert sorted(seen) == list(range(len(data)))  # every row tested exactly once


@pytest.fixture(scope="module")
def split_files(tmp_path_factory):
    """30 UK statements to train on (targets layout) and 10 others to test on (label-column layout,
    rows of the statements interleaved)."""
    uk = raw_rows(shared(*AIMS, "UK_context0_llama.csv"))
    by_id = defaultdict(list)
    for r in uk:
        by_id[r["statement_id"]].append(r)
    ids = sorted(by_id)
    train_ids, test_ids = ids[:30], ids[30:40]
    tmp = tmp_path_factory.mktemp("aims")
    train = tmp / "train.csv"
    with train.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["statement_id", "sentence", "targets"])
        w.writerows([sid, r["sentence"], r["targets"]] for sid in train_ids for r in by_id[sid])
    test = tmp / "test.csv"
    queues = [list(by_id[sid]) for sid in test_ids]
    with test.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["statement_id", "sentence", *NAMES])
        while any(queues):
            for q in queues:
                if q:
                    r = q.pop(0)
                    w.writerow([r["statement_id"], r["sentence"], *ast.literal_eval(r["targets"])])
    return train, test, set(train_ids), set(test_ids)


@pytest.fixture(scope="module")
def trained(split_files, tmp_path_factory):
    train, *_ = split_files
    m = statements.train([train], n_splits=3)
    path = mdl.save(m, tmp_path_factory.mktemp("model") / "statements.skops")
    return m, path


def test_training_records_methods_and_thresholds(trained, split_files):
    m, _ = trained
    assert set(m.methods) == set(NAMES)
    assert m.methods["c1_reporting_entity"] == "rules" and m.methods["c6_consultation"] == "rules"
    assert all(m.methods[n] in ("model", "both") for n in ("c2_structure", "c4_mitigation", "c5_effectiveness"))
    assert all(0 < t < 1 for t in m.thresholds.values())
    assert m.info["statements"] == 30 and m.info["folds"] == 3


def test_evaluate_matches_sklearn_on_held_out_statements(trained, split_files, tmp_path):
    _, model_path = trained
    _, test, train_ids, test_ids = split_files
    assert train_ids.isdisjoint(test_ids)
    result = statements.evaluate(test, model_path, predictions=tmp_path / "pred.csv")
    with test.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (tmp_path / "pred.csv").open(newline="") as fh:
        pred = list(csv.DictReader(fh))
    assert len(pred) == len(rows) * len(NAMES)
    # sentence_index = position of the row within its statement in the input file
    counter: dict[str, int] = defaultdict(int)
    expected_index = []
    for r in rows:
        expected_index.append(counter[r["statement_id"]])
        counter[r["statement_id"]] += 1
    got = [(p["statement_id"], int(p["sentence_index"]), p["requirement"]) for p in pred]
    assert got == [(r["statement_id"], i, n) for r, i in zip(rows, expected_index, strict=True) for n in NAMES]
    gold = np.array([[int(r[n]) for n in NAMES] for r in rows])
    predicted = np.array([int(p["predicted"]) for p in pred]).reshape(len(rows), len(NAMES))
    sids = np.array([r["statement_id"] for r in rows])
    included = []
    for j, name in enumerate(NAMES):
        p, r, f, _ = precision_recall_fscore_support(gold[:, j], predicted[:, j], average="binary", zero_division=0)
        mine = result["per_requirement"][name]["sentence"]
        assert (mine["precision"], mine["recall"], mine["f1"]) == pytest.approx((p, r, f), abs=1e-4), name
        g_st = np.array([gold[sids == s, j].max() for s in sorted(set(sids))])
        p_st = np.array([predicted[sids == s, j].max() for s in sorted(set(sids))])
        p, r, f, _ = precision_recall_fscore_support(g_st, p_st, average="binary", zero_division=0)
        mine = result["per_requirement"][name]["statement"]
        assert (mine["precision"], mine["recall"], mine["f1"]) == pytest.approx((p, r, f), abs=1e-4), name
        if gold[:, j].sum():
            included.append(j)
    macro = f1_score(gold, predicted, average="macro", labels=included, zero_division=0)
    assert result["sentence_macro_f1"] == pytest.approx(macro, abs=1e-3)
    assert result["n_statements"] == 10
    # the model beats chance by a wide margin on the frequent requirement
    assert result["per_requirement"]["c4_mitigation"]["sentence"]["f1"] > 0.5


def test_saved_model_gives_the_same_scores(trained, split_files):
    m, path = trained
    _, test, *_ = split_files
    data = labelled.read([test])
    a = statements.predict_labelled(data, m)
    b = statements.predict_labelled(data, mdl.load(path))
    assert np.allclose(a.score, b.score) and (a.predicted == b.predicted).all()

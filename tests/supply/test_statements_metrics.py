"""Evaluation metrics on a hand-labelled fixture (rules-only mode), counted by hand."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tiplens.errors import BadInput
from tiplens.supply import labelled, metrics, statements

ROWS = [  # statement_id, sentence, approval, signature, c2_structure ('' = not labelled)
    ("A", "This statement was approved by the Board of Directors on 1 May 2023.", "1", "0", "0"),
    ("A", "Acme employs 300 people at its head office in Leeds.", "0", "0", "1"),
    ("B", "The Board of our parent company approved our policy on child labour.", "1", "0", ""),
    ("A", "Our suppliers are audited every year.", "0", "0", "0"),
    ("B", "Our subsidiaries are listed in the annual report.", "0", "0", "0"),
    ("A", "Jane Doe, Director, 1 May 2023", "0", "1", "0"),
    ("B", "Signed by the Chief Executive.", "0", "0", "0"),
]


@pytest.fixture
def fixture_csv(tmp_path):
    path = tmp_path / "labelled.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["statement_id", "sentence", "Approval", "signature", "C2 (structure)"])
        w.writerows(ROWS)
    return path


def test_rules_only_metrics_by_hand(fixture_csv, tmp_path):
    # approval:  rule fires on A0 only (a policy approval is not a statement approval) -> TP 1, FN 1
    # signature: rule fires on A5 (gold) and B6 (not gold) -> TP 1, FP 1
    # structure: keyword cues on A1 ('employ', gold) and B4 ('subsidiar', not gold); B2 is unlabelled -> TP 1, FP 1
    result = statements.evaluate(fixture_csv, None, predictions=tmp_path / "pred.csv")
    per = result["per_requirement"]
    assert per["approval"]["sentence"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2, "predicted": 1, "n": 7}
    assert per["signature"]["sentence"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1, "predicted": 2, "n": 7}
    assert per["c2_structure"]["sentence"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1, "predicted": 2, "n": 6}
    # statement level: approval A yes/yes, B yes/no; signature A yes/yes, B no/yes; structure A yes/yes, B no/yes
    assert per["approval"]["statement"]["f1"] == 0.6667 and per["approval"]["statement"]["recall"] == 0.5
    assert per["signature"]["statement"]["precision"] == 0.5 and per["c2_structure"]["statement"]["precision"] == 0.5
    # the other requirements have no labels at all: in the table, not in the macro average
    assert per["c3_risks"]["sentence"]["n"] == 0
    assert result["macro_over"]["sentence"] == ["approval", "signature", "c2_structure"]
    assert result["sentence_macro_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["statement_macro_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert (result["n_statements"], result["n_sentences"]) == (2, 7)
    with (tmp_path / "pred.csv").open() as fh:
        pred = list(csv.DictReader(fh))
    assert len(pred) == 7 * 11
    # sentence_index: position of the row within its statement, in file order (A, A, B, A, B, A, B)
    assert [int(r["sentence_index"]) for r in pred if r["requirement"] == "approval"] == [0, 1, 0, 2, 1, 3, 2]
    assert [r["predicted"] for r in pred if r["requirement"] == "signature"] == ["0", "0", "0", "0", "0", "1", "1"]


def test_prf_matches_definitions_on_edge_cases():
    assert metrics.prf(np.array([0, 0]), np.array([0, 0]))["f1"] == 0.0
    assert metrics.prf(np.array([1, 0]), np.array([0, 0])) == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                                               "support": 1, "predicted": 0, "n": 2}


def test_targets_layout_and_bad_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("statement_id,sentence,targets\n"
                    "S1,We audit suppliers.,\"[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]\"\n"
                    "S1,,\"[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\"\n"
                    "S2,We employ 20 people.,\"[0, 0, 0, 1, 0]\"\n"
                    ",No id here.,\"[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\"\n"
                    "S2,Unknown label.,\"[-1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]\"\n")
    data = labelled.read([path])
    assert data.sentences == ["We audit suppliers.", "Unknown label."]
    assert data.y[1, 0] == -1 and data.y[1, 3] == 1
    assert sorted((line, reason) for _, line, reason in data.rejected) == [
        (3, "empty sentence"), (4, "targets is not a list of 11 labels"), (5, "no statement id")]


def test_unusable_labelled_files_are_bad_input(tmp_path):
    nolabels = tmp_path / "n.csv"
    nolabels.write_text("statement_id,sentence\nS1,Text.\n")
    with pytest.raises(BadInput, match="no labels"):
        labelled.read([nolabels])
    nocol = tmp_path / "c.csv"
    nocol.write_text("id_x,body,approval\nS1,Text.,1\n")
    with pytest.raises(BadInput, match="needs a statement id column"):
        labelled.read([nocol])
    bad = tmp_path / "b.csv"
    bad.write_text("statement_id,sentence,approval\nS1,Text.,maybe\n")
    with pytest.raises(BadInput, match="no usable labelled sentences.*line 2: label not 0/1 in approval"):
        labelled.read([bad])
    with pytest.raises(BadInput, match="no such file"):
        labelled.read([tmp_path / "missing.csv"])


def test_macro_counts_a_labelled_requirement_with_positives_even_at_f1_zero(tmp_path):
    """The headline macro: every requirement with a gold positive counts (C1 here, missed by the rules:
    F1 0); a labelled requirement without any positive (C6 here) has no defined recall and is left
    out even when a rule fires on it."""
    path = tmp_path / "c1c6.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["statement_id", "sentence", "approval", "c1_reporting_entity", "c6_consultation"])
        w.writerows([
            ("S1", "This statement was approved by the Board of Directors on 1 May 2023.", "1", "0", "0"),
            ("S1", "We employ around 1097 staff across 45 sites.", "0", "1", "0"),
            ("S2", "This statement is made on behalf of Acme Ltd and its subsidiaries.", "0", "0", "0"),
            ("S2", "We consulted each of our subsidiaries in preparing this statement.", "0", "0", "0"),
        ])
    result = statements.evaluate(path, None)
    per = result["per_requirement"]
    # approval: TP 1 (row 1); C1: the "made on behalf of" rule fires on row 3 (FP) and misses row 2 (FN)
    assert (per["approval"]["sentence"]["f1"], per["c1_reporting_entity"]["sentence"]["f1"]) == (1.0, 0.0)
    assert per["c6_consultation"]["sentence"]["support"] == 0 and per["c6_consultation"]["sentence"]["predicted"] == 1
    assert result["macro_over"]["sentence"] == ["approval", "c1_reporting_entity"]
    assert result["sentence_macro_f1"] == pytest.approx((1.0 + 0.0) / 2)
    # statements: approval S1 yes/yes, S2 no/no -> 1; C1 S1 yes/no, S2 no/yes -> 0
    assert result["statement_macro_f1"] == pytest.approx(0.5)

"""The statements / train / evaluate commands through a tiny Typer app, on synthetic files."""

from __future__ import annotations

import csv
import json

import pytest
import skops.io as sio
import typer

from tests.supply.statement_files import make_pdf
from tiplens.cli import main as cli_main
from tiplens.cli import supply_statements as cmds
from tiplens.errors import BadInput
from tiplens.knowledge.msa_requirements import NAMES
from tiplens.samples import supply_statements as sample
from tiplens.supply import model as mdl


@pytest.fixture
def run(monkeypatch, capsys):
    app = typer.Typer()
    app.command("statements")(cmds.statements_cmd)
    app.command("train")(cmds.train_cmd)
    app.command("evaluate")(cmds.evaluate_cmd)
    monkeypatch.setattr(cli_main, "app", app)

    def invoke(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            cli_main.main([str(a) for a in args])
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    return invoke


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("m")
    labelled = sample.write_labelled(tmp / "train.csv", n=12)
    return tmp, labelled


def test_train_statements_evaluate_end_to_end(run, model_file, tmp_path):
    tmp, labelled = model_file
    code, out, err = run("train", labelled, "--out", tmp / "m.skops", "--folds", "3")
    assert code == 0, err
    assert "model written" in err and (tmp / "m.skops").is_file()

    folder = tmp_path / "in"
    sample.write_statements(folder, n=3, seed=7)
    (folder / "evil.html").write_text("<p>We audit suppliers. <b>&lt;script&gt;alert(1)&lt;/script&gt;</b> was found.</p>")
    make_pdf(folder / "scan.pdf", [[]])
    code, out, err = run("statements", folder, "--out", tmp_path / "out", "--model", tmp / "m.skops", "--act", "uk")
    assert code == 0, err
    assert out.count("/11 addressed") == 4  # 3 synthetic + the HTML page; the scan is a problem
    assert "scan.pdf: no text layer" in err
    with (tmp_path / "out" / "statements.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 * 11 and list(rows[0])[:5] == ["statement", "requirement", "addressed", "n_sentences", "confidence"]
    assert {r["act_reference"] for r in rows if r["requirement"] == "approval"} == {"s.54(6)"}
    with (tmp_path / "out" / "evidence.csv").open() as fh:
        ev = list(csv.DictReader(fh))
    assert list(ev[0])[:6] == ["statement", "requirement", "sentence_index", "sentence", "score", "vague"]
    assert any(e["vague"] == "True" and e["vague_cue"].startswith(("future", "vague")) for e in ev)
    # n_sentences in statements.csv = the evidence rows for that statement and requirement
    counts = {}
    for e in ev:
        counts[(e["statement"], e["requirement"])] = counts.get((e["statement"], e["requirement"]), 0) + 1
    assert all(int(r["n_sentences"]) == counts.get((r["statement"], r["requirement"]), 0) for r in rows)
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<mark" in html

    code, out, err = run("evaluate", labelled, "--model", tmp / "m.skops", "--json", "--predictions", tmp_path / "p.csv")
    assert code == 0, err
    result = json.loads(out)
    assert {"sentence_macro_f1", "statement_macro_f1", "per_requirement"} <= set(result)
    assert set(result["per_requirement"]) == set(NAMES)
    assert (tmp_path / "p.csv").read_text().startswith("statement_id,sentence_index,requirement,predicted,score")

    code, out, err = run("evaluate", labelled, "--model", tmp / "m.skops")
    assert code == 0 and "sentence macro F1" in out


def test_without_a_model_rules_only_is_said_clearly(run, tmp_path):
    paths = sample.write_statements(tmp_path / "in", n=1)
    code, out, err = run("statements", paths[0], "--out", tmp_path / "out")
    assert code == 0
    assert "no --model given" in err and "keyword cues" in err
    assert "No trained model was given" in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize("args,message", [
    (("statements", "{tmp}/missing.pdf", "--out", "{tmp}/o"), "no statement could be read"),
    (("statements", "{tmp}/a.txt", "--out", "{tmp}/o", "--act", "fr"), "--act 'fr'"),
    (("statements", "{tmp}/a.txt", "--out", "{tmp}/o", "--model", "{tmp}/a.txt"), "not a tiplens statement model"),
    (("evaluate", "{tmp}/missing.csv", "--model", "{tmp}/a.txt"), "no such file"),
    (("train", "{tmp}/a.txt", "--out", "{tmp}/m.skops"), "needs a statement id column"),
])
def test_bad_input_exits_2_with_one_line(run, tmp_path, args, message):
    (tmp_path / "a.txt").write_text("statement text. More text.")
    code, out, err = run(*[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    flat = " ".join(err.split())  # the console wraps long lines
    assert message in flat and "Traceback" not in err
    assert err.count("error: ") == 1


class Evil:
    pass


def test_model_loading_refuses_untrusted_types(tmp_path):
    path = tmp_path / "evil.skops"
    sio.dump({"format": mdl.FORMAT, "version": mdl.FORMAT_VERSION, "payload": Evil()}, path)
    with pytest.raises(BadInput, match="untrusted types: .*Evil"):
        mdl.load(path)
    other = tmp_path / "other.skops"
    sio.dump({"format": "something else"}, other)
    with pytest.raises(BadInput, match="not a tiplens statement model"):
        mdl.load(other)


def test_training_data_without_enough_examples_is_bad_input(tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("statement_id,sentence,c4_mitigation\nA,We audit.,1\nB,We train.,1\nB,Hello.,0\n")
    from tiplens.supply import statements

    with pytest.raises(BadInput, match="enough labelled examples"):
        statements.train([path])

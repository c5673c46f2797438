"""`tiplens screen FILE... --out RESULTS`: formats in and out, accounting, bad input, privacy."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tiplens.cli.main import main

FLAGGED = "Biaya pendaftaran Rp 2.500.000 transfer dulu. Paspor dititipkan ke agen. WA 0812-3456-7890 SECRETWORD"
CLEAN = "Example Logistics is hiring a warehouse associate. Written contract and paid leave. SECRETWORD"


def cli(capsys, *args):
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())  # the shared console wraps long lines


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_csv(path, rows, fields):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def ads_csv(tmp_path):
    return write_csv(tmp_path / "ads.csv", [{"id": "a1", "text": FLAGGED, "label": 1},
                                             {"id": "a2", "text": CLEAN, "label": 0},
                                             {"id": "a3", "text": "", "label": 0}], ["id", "text", "label"])


def test_csv_to_jsonl_one_record_per_input_and_no_text_in_messages(capsys, tmp_path, ads_csv):
    out = tmp_path / "r.jsonl"
    code, stdout, stderr = cli(capsys, "screen", ads_csv, "--out", out, "--country", "ID")
    assert code == 0, stderr
    recs = read_jsonl(out)
    assert [r["id"] for r in recs] == ["a1", "a2", "a3"]
    a1, a2, a3 = recs
    assert a1["flagged"] and a1["level"] in ("medium", "high") and a1["language"] == "id"
    assert {"worker_fees", "document_retention"} <= {i["id"] for i in a1["indicators"]}
    for ind in a1["indicators"]:
        assert FLAGGED[ind["start"]:ind["end"]] == ind["text"]
        assert set(ind) == {"id", "label", "ilo", "palermo", "start", "end", "text"}
    assert a1["contacts"][0]["value"] == "+6281234567890"
    assert any(h["number"] == "129" for h in a1["referral"])
    assert (a2["flagged"], a2["score"], a2["referral"]) == (False, 0.0, [])
    assert (a3["status"], a3["score"], a3["flagged"]) == ("empty", None, False)
    assert stdout == ""
    assert "read 3 record(s)" in stderr and "1 empty" in stderr and "flagged 1" in stderr
    assert "SECRETWORD" not in stderr and "0812" not in stderr and "Paspor" not in stderr


def test_default_command_and_run_are_the_same(capsys, tmp_path, ads_csv):
    cli(capsys, "screen", ads_csv, "--out", tmp_path / "a.jsonl")
    cli(capsys, "screen", "run", ads_csv, "--out", tmp_path / "b.jsonl")
    cli(capsys, "screen", "--out", tmp_path / "c.jsonl", ads_csv)
    a = read_jsonl(tmp_path / "a.jsonl")
    assert a == read_jsonl(tmp_path / "b.jsonl") == read_jsonl(tmp_path / "c.jsonl")
    code, out, _ = cli(capsys, "screen", "--help")
    assert code == 0 and "run" in out


def test_jsonl_in_csv_out_with_malformed_huge_and_missing_text(capsys, tmp_path):
    src = tmp_path / "posts.jsonl"
    big = "gaji besar " + "x" * 1200
    src.write_text("\n".join([json.dumps({"post_id": "p1", "body": FLAGGED}),
                              "{not json",
                              json.dumps({"post_id": "p3"}),
                              json.dumps(["a list"]),
                              json.dumps({"post_id": "p5", "body": big}),
                              json.dumps({"post_id": "p6", "body": "abc\x00\x01\x02\x03 binary"})]) + "\n",
                   encoding="utf-8")
    out = tmp_path / "r.csv"
    code, stdout, err = cli(capsys, "screen", src, "--out", out, "--text-column", "body", "--max-chars", "1000",
                            "--json")
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["p1", "posts.jsonl:2", "p3", "posts.jsonl:4", "p5", "p6"]
    assert [r["status"] for r in rows] == ["screened", "malformed", "empty", "malformed", "truncated", "binary"]
    assert rows[0]["flagged"] == "True" and "worker_fees" in rows[0]["indicator_ids"].split(";")
    assert rows[4]["indicator_ids"] == "pay_far_above_norm"
    summary = json.loads(stdout)
    assert summary["read"] == 6 and summary["statuses"]["malformed"] == 2 and summary["statuses"]["truncated"] == 1
    assert "1 truncated at 1,000 characters" in err


def test_json_array_input(capsys, tmp_path):
    src = tmp_path / "ads.json"
    src.write_text(json.dumps([{"id": "j1", "text": FLAGGED}, {"id": "j2", "text": CLEAN}]), encoding="utf-8")
    code, _, err = cli(capsys, "screen", src, "--out", tmp_path / "r.jsonl")
    assert code == 0, err
    assert [(r["id"], r["flagged"]) for r in read_jsonl(tmp_path / "r.jsonl")] == [("j1", True), ("j2", False)]


def test_text_files_to_parquet(capsys, tmp_path):
    (tmp_path / "one.txt").write_text(FLAGGED, encoding="utf-8")
    (tmp_path / "two.txt").write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "r.parquet"
    code, _, err = cli(capsys, "screen", tmp_path / "one.txt", tmp_path / "two.txt", "--out", out)
    assert code == 0, err
    table = pq.read_table(out)
    assert table.num_rows == 2
    rows = table.to_pylist()
    assert rows[0]["id"] == "one.txt" and rows[0]["flagged"]
    assert rows[0]["indicators"][0]["text"] == FLAGGED[rows[0]["indicators"][0]["start"]:rows[0]["indicators"][0]["end"]]
    assert rows[1]["indicators"] == []


def test_parquet_input_and_duckdb_engine(capsys, tmp_path, ads_csv):
    src = tmp_path / "ads.parquet"
    pq.write_table(pa.table({"ad_id": ["x1", "x2"], "text": [FLAGGED, CLEAN], "label": [1, 0]}), src)
    out = tmp_path / "p.jsonl"
    code, _, err = cli(capsys, "screen", src, "--out", out, "--label-column", "label")
    assert code == 0, err
    assert [r["id"] for r in read_jsonl(out)] == ["x1", "x2"]
    assert "precision 1.000, recall 1.000" in err
    out2 = tmp_path / "d.jsonl"
    code, _, err = cli(capsys, "screen", ads_csv, "--out", out2, "--engine", "duckdb")
    assert code == 0, err
    assert [(r["id"], r["status"], r["flagged"]) for r in read_jsonl(out2)] == [
        ("a1", "screened", True), ("a2", "screened", False), ("a3", "empty", False)]


@pytest.mark.parametrize(("setup", "args", "message"), [
    (lambda p: p.write_text("id,body\n1,x\n"), [], "no column 'text' (columns: id, body); pass --text-column"),
    (lambda p: p.write_text(""), [], "empty file"),
    (lambda p: p.write_text("id,text\n1,x\n"), ["--id-column", "nope"], "no id column 'nope'"),
    (lambda p: p.write_text("id,text\n1,x\n"), ["--country", "Atlantis"], "not a country code"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, setup, args, message):
    src = tmp_path / "in.csv"
    setup(src)
    out = tmp_path / "r.jsonl"
    code, _, err = cli(capsys, "screen", src, "--out", out, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".r.jsonl*"))


def test_other_unusable_inputs(capsys, tmp_path, ads_csv):
    code, _, err = cli(capsys, "screen", tmp_path / "missing.csv", "--out", tmp_path / "r.jsonl")
    assert code == 2 and "no such file" in err
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02\x03binary")
    code, _, err = cli(capsys, "screen", junk, "--out", tmp_path / "r.jsonl")
    assert code == 2 and "binary content" in err
    code, _, err = cli(capsys, "screen", ads_csv, "--out", tmp_path / "r.xlsx")
    assert code == 2 and ".jsonl, .csv or .parquet" in err


def test_model_option_without_the_model_module_is_a_clear_error(capsys, tmp_path, ads_csv, monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *a, **k):
        if name == "tiplens.screen.model":
            raise ModuleNotFoundError("No module named 'tiplens.screen.model'", name="tiplens.screen.model")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", fake)
    model = tmp_path / "m.skops"
    model.write_bytes(b"x")
    code, _, err = cli(capsys, "screen", ads_csv, "--out", tmp_path / "r.jsonl", "--model", model)
    assert code == 1 and "tiplens.screen.model" in err and "Traceback" not in err


def test_hash_contacts(capsys, tmp_path, ads_csv):
    code, _, err = cli(capsys, "screen", ads_csv, "--out", tmp_path / "h.jsonl", "--hash-contacts")
    assert code == 0 and "generated salt" in err
    rec = read_jsonl(tmp_path / "h.jsonl")[0]
    assert rec["contacts"][0]["value"].startswith("h:") and "0812" not in json.dumps(rec["contacts"])
    cli(capsys, "screen", ads_csv, "--out", tmp_path / "s1.jsonl", "--hash-contacts", "--salt", "pepper")
    cli(capsys, "screen", ads_csv, "--out", tmp_path / "s2.jsonl", "--hash-contacts", "--salt", "pepper")
    v1 = read_jsonl(tmp_path / "s1.jsonl")[0]["contacts"][0]["value"]
    assert v1 == read_jsonl(tmp_path / "s2.jsonl")[0]["contacts"][0]["value"] != rec["contacts"][0]["value"]


def test_report_is_written_with_escaped_highlighted_evidence(capsys, tmp_path):
    src = write_csv(tmp_path / "x.csv", [{"id": "<b>1</b>", "text": "<script>alert(1)</script> " + FLAGGED,
                                          "label": 1}], ["id", "text", "label"])
    code, _, err = cli(capsys, "screen", src, "--out", tmp_path / "r.jsonl", "--report", tmp_path / "rep",
                       "--label-column", "label", "--hash-contacts")
    assert code == 0, err
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>1</b>" not in html
    assert '<mark title="Fees charged to the worker' in html
    assert "[phone]" in html and "0812-3456-7890" not in html
    assert (tmp_path / "rep" / "tables" / "indicator_counts.csv").exists()
    assert (tmp_path / "rep" / "tables" / "screening_metrics.csv").exists()


def test_the_installed_entry_point_runs(tmp_path, ads_csv):
    out = tmp_path / "r.jsonl"
    r = subprocess.run([sys.executable, "-m", "tiplens", "screen", str(ads_csv), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(out.read_text().splitlines()) == 3

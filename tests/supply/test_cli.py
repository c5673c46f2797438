"""The supply commands end to end: JSON accounting, tables, signed log, one-line errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.supply.helpers import SUPPLIER_HEADER, SUPPLIERS, reference_fixture, write_csv
from tiplens.cli.main import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys):
    """Run ``tiplens supply ...`` in this process (the CLI's own error handling included)."""
    def invoke(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(["supply", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out = capsys.readouterr()
        return Result(int(code), out.out, out.err)

    return invoke


def test_import_reference_risk_log_verify(tmp_path, run):
    store = str(tmp_path / "s.duckdb")
    refs = [str(p) for p in reference_fixture(tmp_path)]
    r = run("reference", "load", *refs, "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    loaded = json.loads(r.stdout)
    assert [s["kind"] for s in loaded["sources"]] == ["dol_goods", "gsi_countries", "g20_imports", "sector_country"]
    assert loaded["read"] == loaded["imported"] + loaded["duplicates"] + loaded["rejected"]
    suppliers = write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, SUPPLIERS + [SUPPLIERS[0]])
    r = run("import", str(suppliers), "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["imported"], out["duplicates"], out["rejected"]) == (7, 6, 1, 0)
    assert out["unknown_countries"] == {"Atlantis": [7]} and out["duplicate_rows"][0]["line"] == 8
    r = run("risk", "--store", store, "--out", str(tmp_path / "risk"), "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["levels"] == {"high": 2, "medium": 2, "low": 1, "unassessed": 1}
    assert summary["uncertain_matches"] == 1 and summary["missing_reference"] == []
    with open(tmp_path / "risk" / "tables" / "suppliers.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0])[:6] == ["supplier", "country", "product", "score", "level", "reasons"]
    assert {x["supplier"]: int(x["score"]) for x in table}["B Cocoa"] == 75
    assert (tmp_path / "risk" / "tables" / "priorities.csv").exists()
    assert "Supply-chain due diligence" in (tmp_path / "risk" / "report.html").read_text()

    key, log = str(tmp_path / "key"), str(tmp_path / "log.jsonl")
    assert run("log", "keygen", "--out", key).returncode == 0
    r = run("log", "add-risk", "--store", store, "--log", log, "--key", key)
    assert r.returncode == 0, r.stderr
    head = r.stdout.strip()
    assert head.startswith("7:")  # 6 suppliers and a summary
    record = tmp_path / "audit.json"
    record.write_text(json.dumps([{"supplier": "B Cocoa", "audit": "passed"}]))
    r = run("log", "append", "--log", log, "--key", key, "--record", str(record), "--kind", "audit")
    assert r.returncode == 0 and r.stdout.startswith("8:")
    assert run("log", "head", "--log", log).stdout.strip() == r.stdout.strip()
    r = run("verify", "--log", log, "--public-key", key + ".pub", "--head", head, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    lines = open(log).read().splitlines()
    (tmp_path / "bad.jsonl").write_text("\n".join(lines[:3] + lines[4:]) + "\n")
    r = run("verify", "--log", str(tmp_path / "bad.jsonl"), "--public-key", key + ".pub")
    assert r.returncode == 1 and "FAILED: entry at line 4" in r.stderr


def test_errors_are_one_line_with_exit_code_2(tmp_path, run):
    store = str(tmp_path / "s.duckdb")
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    for args, message in [
        (("reference", "load", str(junk), "--store", store), "not a reference file"),
        (("import", str(junk), "--store", store), "no supplier column"),
        (("risk", "--store", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o")), "no such study"),
        (("verify", "--log", str(tmp_path / "nolog"), "--public-key", str(junk)), "not a PEM public key"),
        (("risk", "--store", store, "--out", str(tmp_path / "o"), "--source", "dol"), "KIND=SOURCE_ID"),
    ]:
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr and r.stderr.count("\n") == 1
    # and as a separate process: one line, no traceback
    p = subprocess.run([sys.executable, "-m", "tiplens", "supply", "import", str(junk), "--store", store],
                       capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.startswith("error: ") and p.stderr.count("\n") == 1


def test_demo_writes_a_synthetic_report_and_a_verifiable_log(tmp_path, run):
    from tiplens.supply.demo import supply_demo

    path = supply_demo(tmp_path)
    html = path.read_text(encoding="utf-8")
    assert path == tmp_path / "supply" / "report.html"
    assert "SYNTHETIC DATA" in html and "Verifiable records" in html
    with open(tmp_path / "supply" / "tables" / "ledger_checks.csv", newline="") as fh:
        checks = [x["result"] for x in csv.DictReader(fh)]
    assert checks == ["verifies", "FAILS", "FAILS", "FAILS"]
    with open(tmp_path / "supply" / "tables" / "reference_sources.csv", newline="") as fh:
        assert all(x["synthetic"] == "True" for x in csv.DictReader(fh))
    r = run("verify", "--log", str(tmp_path / "supply" / "ledger" / "assessments.jsonl"), "--public-key",
            str(tmp_path / "supply" / "ledger" / "demo-signing-key.pub"))
    assert r.returncode == 0, r.stderr

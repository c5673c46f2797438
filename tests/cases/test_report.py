"""The report: the named tables exist, every published count obeys the threshold, no case row is embedded."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

from tiplens.samples import cases as sample

T = 10


def test_report_tables_obey_the_threshold_and_embed_no_case_rows(tmp_path):
    files = sample.generate(tmp_path / "data", n=900)
    store = tmp_path / "s.duckdb"
    run = [sys.executable, "-m", "tiplens", "cases"]
    r = subprocess.run([*run, "import", *map(str, files.values()), "--store", str(store), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "report"
    r = subprocess.run([*run, "report", "--store", str(store), "--out", str(out), "--k", str(T),
                        "--periods", "2015-2019,2020-2021,2022-2023"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    tables = {p.name for p in (out / "tables").glob("*.csv")}
    for name in ("trend_yearly.csv", "coverage_yearly.csv", "routes.csv", "risk.csv", "breakdown_sex.csv"):
        assert name in tables
    with (out / "tables" / "routes.csv").open() as fh:
        assert next(csv.reader(fh)) == ["origin", "destination", "origin_name", "destination_name", "victims"]
    for path in (out / "tables").glob("*.csv"):
        with path.open() as fh:
            for row in csv.DictReader(fh):
                for col in ("victims", "count", "victims_first", "victims_last"):
                    v = row.get(col)
                    if v in (None, ""):
                        continue
                    assert v in (f"<{T}", "c") or (v.isdigit() and int(v) >= T), (path.name, col, v)
    privacy = json.loads((out / "privacy.json").read_text())
    assert privacy["threshold"] == T and privacy["case_rows_embedded"] is False
    html = (out / "report.html").read_text()
    assert "SYNTHETIC" not in html  # not a demo: imported through the CLI
    assert str(files["cases"]) not in html.split("Methods and provenance")[0]
    assert "case_id" not in html and "source_line" not in html
    r = subprocess.run([*run, "export", "--store", str(store), "--out", str(tmp_path / "x.csv"), "--k", "11",
                        "--json"], capture_output=True, text=True)
    summary = json.loads(r.stdout)
    assert summary["rows_in"] == 900 == summary["rows_out"] + summary["suppressed"] and summary["k"] == 11
    assert set(summary) == {"rows_in", "rows_out", "suppressed", "k", "generalised"}


def test_report_on_a_missing_study_is_one_clear_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "tiplens", "cases", "report", "--store", str(tmp_path / "no.duckdb"),
                        "--out", str(tmp_path / "o")], capture_output=True, text=True)
    err = " ".join(r.stderr.split())  # rich may wrap a long path
    assert r.returncode == 2 and "no such study" in err and "Traceback" not in err

"""The CLI contract: one clear error line, exit 2 for bad input, JSON accounting."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.social.helpers import twarc2_page, tweet, write_lines


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tiplens", *args], capture_output=True, text=True, cwd=cwd)


def test_import_json_accounting_and_idempotence(tmp_path):
    f = write_lines(tmp_path / "a.jsonl", [twarc2_page([tweet(1, "2020-01-01T00:00:00Z"), tweet(2, "2020-01-02T00:00:00Z")]), "garbage"])
    store = str(tmp_path / "s.duckdb")
    r = run("social", "import", str(f), "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {k: out[k] for k in ("read", "imported", "duplicates", "rejected")} == {"read": 3, "imported": 2, "duplicates": 0, "rejected": 1}
    assert out["rejects_file"] and "line" in open(out["rejects_file"]).read()
    again = json.loads(run("social", "import", str(f), "--store", store, "--json").stdout)
    assert (again["imported"], again["duplicates"]) == (0, 2)


def test_unusable_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    r = run("social", "import", str(empty), "--store", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "empty file" in r.stderr
    missing = run("social", "import", str(tmp_path / "nope.json"), "--store", str(tmp_path / "s.duckdb"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    unknown = tmp_path / "x.bin"
    unknown.write_bytes(b"\x00\x01\x02 binary")
    r = run("social", "import", str(unknown), "--store", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2 and "not recognised" in r.stderr


def test_report_on_a_missing_study_is_a_clear_error(tmp_path):
    r = run("social", "report", "--store", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "no such study" in r.stderr and "Traceback" not in r.stderr


def test_engine_choice_reads_the_environment_and_checks_spark_master(tmp_path, monkeypatch):
    import pytest

    from tiplens.cli.common import chosen_engine
    from tiplens.errors import BadInput

    monkeypatch.delenv("TIPLENS_ENGINE", raising=False)
    monkeypatch.delenv("TIPLENS_SPARK_MASTER", raising=False)
    assert chosen_engine(None) == "duckdb"
    monkeypatch.setenv("TIPLENS_ENGINE", "spark")
    assert chosen_engine(None) == "spark"
    assert chosen_engine("duckdb") == "duckdb"  # the option wins over the environment
    assert chosen_engine(None, "spark://head:7077") == "spark"
    import os

    assert os.environ["TIPLENS_SPARK_MASTER"] == "spark://head:7077"
    with pytest.raises(BadInput, match="--spark-master only makes sense with --engine spark"):
        chosen_engine("duckdb", "spark://head:7077")


def test_reports_and_screening_honour_tiplens_engine_and_reject_a_stray_spark_master(tmp_path):
    import os

    store = tmp_path / "s.duckdb"
    f = write_lines(tmp_path / "a.jsonl", [twarc2_page([tweet(1, "2020-01-01T00:00:00Z")])])
    assert run("social", "import", str(f), "--store", str(store)).returncode == 0
    ads = tmp_path / "ads.csv"
    ads.write_text("id,text\n1,hello\n")
    env = dict(os.environ, TIPLENS_ENGINE="nosuch")
    report = ["social", "report", "--store", str(store), "--out", str(tmp_path / "r")]
    screen = ["screen", str(ads), "--out", str(tmp_path / "o.jsonl")]
    for args in (report, screen):
        r = subprocess.run([sys.executable, "-m", "tiplens", *args], capture_output=True, text=True, env=env)
        assert r.returncode == 2 and "unknown engine 'nosuch'" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    for args in (["cases", "report", "--store", str(store), "--out", str(tmp_path / "c")], screen):
        r = run(*args, "--spark-master", "spark://head:7077")
        assert r.returncode == 2 and "--spark-master only makes sense" in r.stderr and "Traceback" not in r.stderr

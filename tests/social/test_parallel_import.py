"""Large JSON-lines files are parsed by worker processes; the result must equal a serial import."""

from __future__ import annotations

import pytest

from tests.conftest import shared
from tests.social.helpers import twarc2_page, tweet, write_lines
from tiplens.social import importing
from tiplens.store import Study

TABLES = {
    "posts": "SELECT * EXCLUDE (import_id) FROM posts ORDER BY source_file, source_line, post_id",
    "post_entities": "SELECT * FROM post_entities ORDER BY ALL",
    "interactions": "SELECT * FROM interactions ORDER BY ALL",
    "rejects": "SELECT file, line, reason FROM rejects ORDER BY ALL",
}


def _import(tmp_path, name, files, monkeypatch, parallel):
    if parallel:
        monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(importing, "CHUNK_BYTES", 40_000)
        monkeypatch.setenv("TIPLENS_WORKERS", "2")
    else:
        monkeypatch.setenv("TIPLENS_WORKERS", "1")
    with Study(tmp_path / f"{name}.duckdb") as study:
        report = importing.import_files(study, files)
        return report.to_dict(), {t: study.query(q) for t, q in TABLES.items()}


@pytest.mark.real
def test_parallel_equals_serial_on_real_twarc2_files(tmp_path, monkeypatch):
    folder = shared("social-samples", "twarc2-docnow-testdata")
    files = sorted(folder.glob("*.jsonl"))
    # one more file with broken lines and a duplicate, to exercise rejects and de-duplication
    broken = write_lines(tmp_path / "broken.jsonl", [
        twarc2_page([tweet(1, "2020-01-01T00:00:00.000Z"), tweet(1, "2020-01-01T00:00:00.000Z")]), "{oops", ""])
    files.append(broken)
    serial_report, serial = _import(tmp_path, "serial", files, monkeypatch, parallel=False)
    assert importing.CHUNK_BYTES > 40_000  # the serial run really was serial
    par_report, par = _import(tmp_path, "parallel", files, monkeypatch, parallel=True)
    assert len(importing._chunks(folder / "flat.jsonl", 40_000)) > 1  # flat.jsonl is split into ranges
    for key in ("read", "imported", "duplicates", "rejected"):
        assert par_report[key] == serial_report[key]
    for table in TABLES:
        assert par[table] == serial[table], table
    assert serial_report["rejected"] == 1 and serial_report["duplicates"] >= 101


def test_chunks_cover_the_file_on_line_boundaries(tmp_path):
    lines = [f'{{"n": {i}, "pad": "{"x" * (i % 37)}"}}' for i in range(500)]
    path = write_lines(tmp_path / "f.jsonl", lines)
    data = path.read_bytes()
    chunks = importing._chunks(path, 1000)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(data)
    for (s, e, first), (s2, _, first2) in zip(chunks, chunks[1:], strict=False):
        assert e == s2 and data[e - 1:e] == b"\n"
        assert first2 == first + data[s:e].count(b"\n")

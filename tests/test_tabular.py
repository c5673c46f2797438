"""Spreadsheet reading: encodings, delimiters, gzip, malformed rows with line numbers."""

from __future__ import annotations

import gzip

import pytest

from tiplens.errors import BadInput
from tiplens.tabular import read_rows


def test_gzip_csv_reads_like_the_plain_file(tmp_path):
    text = "id;name;n\n1;Ana;3\n2;José;4\n"
    plain = tmp_path / "a.csv"
    plain.write_text(text, encoding="utf-8")
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(text.encode("utf-8")))
    for path in (plain, packed):
        header, rows = read_rows(path)
        assert header == ["id", "name", "n"]
        assert [(r.line, r.values) for r in rows] == [(2, {"id": "1", "name": "Ana", "n": "3"}),
                                                       (3, {"id": "2", "name": "José", "n": "4"})]


def test_cp1252_is_detected(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("id,city\n1,Bogotá niño\n".encode("cp1252"))
    _, rows = read_rows(path)
    assert next(rows).values["city"] == "Bogotá niño"


def test_wrong_field_count_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3\n4,5\n", encoding="utf-8")
    _, rows = read_rows(path)
    got = [(r.line, r.problem) for r in rows]
    assert got == [(2, None), (3, "expected 2 fields, found 1"), (4, None)]


def test_empty_file_is_bad_input(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(BadInput, match="empty file"):
        read_rows(path)

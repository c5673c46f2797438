"""Reference files that cannot be used, or only in part: clear messages, nothing lost."""

from __future__ import annotations

import csv

import pytest

from tests.supply.helpers import GSI_HEADER, write_csv
from tiplens.errors import BadInput
from tiplens.supply.reference import load_files


def count(study, table):
    return study.query(f"SELECT count(*) FROM {table}")[0][0]


def test_unknown_country_names_are_kept_and_listed_rows_without_a_good_rejected(study, tmp_path):
    f = write_csv(tmp_path / "dol_2024.csv", ["Country/Area", "Good", "Exploitation Type"], [
        ["Burma", "Rice", "Forced Labor"],
        ["Freedonia", "Cocoa", "Child Labor"],
        ["Freedonia", "Coffee", "Child Labor"],
        ["Ghana", "", "Child Labor"],
        ["Peru", "Gold", "Child Labor, Slave Labor"],
    ])
    r = load_files(study, [f])
    s = r.sources[0]
    assert (s.read, s.imported, s.rejected) == (5, 4, 1)
    assert any("1 DOL country name(s) not recognised" in n and "'Freedonia' (2)" in n for n in s.notes)
    assert any("exploitation types not recognised (ignored): slave labor" in n for n in s.notes)
    assert study.query("SELECT iso3 FROM ref_dol_goods WHERE country = 'Freedonia'") == [(None,), (None,)]
    with open(r.accounting.rejects_file, newline="") as fh:
        assert [(x["line"], x["reason"]) for x in csv.DictReader(fh)] == [("5", "row without a country or a good")]


def test_gsi_rows_with_gaps_are_kept_and_counted(study, tmp_path):
    f = write_csv(tmp_path / "gsi2023.csv", GSI_HEADER, [
        ["Iceland", 1, "Europe", "", "", "", 70.0], ["Peru", 1, "Americas", 7.1, 1, 47.0, ""], ["", 1, "", 1, 1, 1, 1]])
    s = load_files(study, [f]).sources[0]
    assert (s.read, s.imported, s.rejected) == (3, 2, 1)
    assert "1 of 2 countries have no prevalence estimate: Iceland" in s.notes
    assert "1 of 2 countries have no government response score: Peru" in s.notes


@pytest.mark.parametrize("name, content, message", [
    ("random.csv", "a,b\n1,2\n", "not a reference file tiplens reads"),
    ("broken.xml", "<Goods><Good><Good_Name>X</Good_Name>", "not well-formed XML"),
    ("broken.xlsx", b"PK\x03\x04 not a workbook", "not a readable XLSX workbook"),
    ("empty.csv", "", "empty file"),
])
def test_unusable_files_are_refused_before_anything_is_stored(study, tmp_path, name, content, message):
    good = write_csv(tmp_path / "dol.csv", ["Country/Area", "Good", "Exploitation Type"], [["Peru", "Gold", "Child Labor"]])
    bad = tmp_path / name
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BadInput, match=message):
        load_files(study, [good, bad])
    assert count(study, "ref_sources") == 0 and count(study, "ref_dol_goods") == 0


def test_missing_file_and_no_files(study, tmp_path):
    with pytest.raises(BadInput, match="no such file"):
        load_files(study, [tmp_path / "nope.xml"])
    with pytest.raises(BadInput, match="at least one"):
        load_files(study, [])


def test_stacked_file_refuses_one_edition_for_all(study, tmp_path):
    f = write_csv(tmp_path / "stacked.csv", ["app_file", "app_file_year", "good", "country", "child_labor",
                                             "forced_labor"],
                  [["goods_2016.xml", 2016, "Gold", "Peru", "Yes", "No"],
                   ["goods_2019.xml", 2019, "Gold", "Peru", "Yes", "Yes"]])
    with pytest.raises(BadInput, match="several editions"):
        load_files(study, [f], edition="2024")

"""Bad input is named with file and line; the rest is imported; nothing dropped silently."""

from __future__ import annotations

import json
import subprocess
import sys

from tiplens.cases.importing import import_files

HEADER = "yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,CountryOfExploitation\n"


def _rejects(study):
    return study.query("SELECT file, line, reason FROM rejects ORDER BY line")


def test_unknown_codes_and_impossible_years_are_rejected_with_their_line(study, tmp_path):
    f = tmp_path / "ctdc.csv"
    f.write_text(HEADER + "2016,Female,18--20,UA,0,1,RU\n"      # line 2 ok
                 "1899,Female,18--20,UA,0,1,RU\n"               # 3 impossible year
                 "2016,Female,18--20,QQ,0,1,RU\n"               # 4 unknown country
                 "2016,Alien,18--20,UA,0,1,RU\n"                # 5 unknown gender
                 "2016,Male,-99,00,-99,1,ZZ\n"                  # 6 ok: all unknowns
                 "2016,Female,18--20,UA,2,1,RU\n"               # 7 not a binary value
                 "2016,Female,18--20,UA,0,1,RU\n")              # 8 ok, identical to line 2: a second victim
    report = import_files(study, [f])
    assert (report.read, report.imported, report.duplicates, report.rejected) == (7, 3, 0, 4)
    rejects = _rejects(study)
    assert [r[1] for r in rejects] == [3, 4, 5, 7]
    assert all(r[0] == str(f) for r in rejects)
    assert "impossible year" in rejects[0][2] and "unknown country code 'QQ'" in rejects[1][2]
    row = study.query("SELECT sex, age_band, citizenship, form_forced_labour, country_of_exploitation FROM cases "
                      "WHERE source_line = 6")[0]
    assert row == ("male", None, None, None, None)  # -99, 00 and ZZ are unknown, never 0


def test_mixed_schemas_in_one_file(study, tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text(HEADER + "2016,Female,18--20,UA,0,1,RU\n" + HEADER
                 + "2017,Male,30--38,MD,1,0,MD,extra\n" + "2018,Female,9--17,MM,1,0,ID\n")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (4, 2, 2)
    reasons = dict((r[1], r[2]) for r in _rejects(study))
    assert "header line inside the data" in reasons[3] and "expected 7 fields" in reasons[4]


def test_wrong_delimiter_and_broken_xlsx_name_the_file(study, tmp_path):
    semi = tmp_path / "semicolon.csv"
    semi.write_text(HEADER.replace(",", ";") + "2016;Female;18--20;UA;0;1;RU\n")
    report = import_files(study, [semi])
    assert report.imported == 1  # sniffed
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    garbled = tmp_path / "pipe.csv"
    garbled.write_text("yearOfRegistration gender ageBroad\n2016 Female 18--20\n")
    report = import_files(study, [broken, garbled])
    assert (report.imported, report.rejected) == (0, 2)
    reasons = [r for r in _rejects(study) if r[0] in (str(broken), str(garbled))]
    assert "not a readable XLSX workbook" in reasons[0][2] or "not a readable XLSX workbook" in reasons[1][2]
    assert any("format not recognised" in r[2] for r in reasons)


def test_glotip_csv_suppressed_and_aggregates(study, tmp_path):
    f = tmp_path / "glotip.csv"
    head = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source\n"
    f.write_text(head + 'IDN,Indonesia,Asia,South-eastern Asia,Detected trafficking victims,Total,Total,Total,Total,2020,Counts,"1,282",GLOTIP\n'
                 "IDN,Indonesia,Asia,South-eastern Asia,Detected trafficking victims,Total,Total,Female,Total,2020,Counts,<5,GLOTIP\n"
                 "SAM,,,,Detected trafficking victims,Total,Total,Total,Total,2020,Counts,12,GLOTIP\n"
                 "IDN,Indonesia,Asia,South-eastern Asia,Detected trafficking victims,Total,Total,Total,Total,2099,Counts,3,GLOTIP\n"
                 "IDN,Indonesia,Asia,South-eastern Asia,Detected trafficking victims,Total,Total,Male,Total,2020,Counts,many,GLOTIP\n")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (5, 3, 2)
    rows = study.query("SELECT iso3, area, sex, value, suppressed FROM country_stats ORDER BY area, sex")
    assert rows == [("IDN", "IDN", "Female", None, True), ("IDN", "IDN", "Total", 1282.0, False),
                    (None, "SAM", "Total", 12.0, False)]
    assert [r[1] for r in _rejects(study)] == [5, 6]


def test_generic_csv_with_map_and_cli_json(tmp_path):
    f = tmp_path / "ngo.csv"
    f.write_text("Nationality,Where exploited,Year identified,Sex,Age\n"
                 "Indonesia,Malaysia,2019-05-01,F,17\nID,MY,2020,M,34\nAtlantis,MY,2020,F,20\n")
    store = tmp_path / "s.duckdb"
    r = subprocess.run([sys.executable, "-m", "tiplens", "cases", "import", str(f), "--store", str(store),
                        "--map", "Nationality=citizenship", "--map", "Where exploited=country_of_exploitation",
                        "--map", "Year identified=year", "--map", "Sex=sex", "--map", "Age=age", "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {k: out[k] for k in ("read", "imported", "duplicates", "rejected")} == {
        "read": 3, "imported": 2, "duplicates": 0, "rejected": 1}
    assert "line" in open(out["rejects_file"]).read()
    bad = subprocess.run([sys.executable, "-m", "tiplens", "cases", "import", str(f), "--store", str(store),
                          "--map", "Nope=citizenship"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "Nope" in bad.stderr

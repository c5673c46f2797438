"""The DuckDB CTDC import gives the same cases table and the same rejects as the Python path.

Two kinds of check: a small file whose expected rows and rejects are written out by hand, and
seeded random files full of odd values and malformed records, each imported through both
paths into two studies whose tables and reject lists must be equal.
"""

from __future__ import annotations

import random

import pytest

from tiplens.cases.importers import ctdc_duckdb
from tiplens.cases.importing import import_files
from tiplens.store import Study

spy_sql_rows: list[int] = []


@pytest.fixture
def spy(monkeypatch):
    """Records whether the DuckDB path read each file (True) or handed it to Python (False)."""
    used: list[bool] = []
    plan = ctdc_duckdb.run

    def wrapped(*a, **k):
        out = plan(*a, **k)
        used.append(out is not None)
        spy_sql_rows.append(out.sql_rows if out is not None else 0)
        return out

    monkeypatch.setattr(ctdc_duckdb, "run", wrapped)
    return used


def _import(tmp_path, path, fast: bool, name: str):
    with Study(tmp_path / f"{name}.duckdb") as study:
        report = import_files(study, [path], fast=fast)
        rows = study.query("SELECT * EXCLUDE (import_id) FROM cases ORDER BY source_line")
        rejects = study.query("SELECT line, reason FROM rejects ORDER BY line")
    return report, rows, rejects


def _both(tmp_path, path, spy, *, expect_duckdb: bool = True):
    slow = _import(tmp_path, path, False, "python")
    fast = _import(tmp_path, path, True, "duckdb")
    assert spy == [expect_duckdb]
    if expect_duckdb:  # the SQL mapped records itself, not only Python
        assert spy_sql_rows[-1] > 0
    (r1, rows1, rej1), (r2, rows2, rej2) = slow, fast
    assert (r1.read, r1.imported, r1.duplicates, r1.rejected) == (r2.read, r2.imported, r2.duplicates, r2.rejected)
    assert r2.read == r2.imported + r2.duplicates + r2.rejected
    assert len(rows1) == len(rows2)
    for a, b in zip(rows1, rows2, strict=True):
        assert a == b
    assert rej1 == rej2
    return r2, rows2, rej2


HEADER = "yearOfRegistration,Datasource,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,CountryOfExploitation"


def test_hand_checked_file_with_bad_rows(tmp_path, spy):
    lines = [
        HEADER,
        "2016,Hotline,Female,18--20,UA,0,1,RU",           # 2 ok
        "2016,Hotline,Female,18--20,UA,0,1",              # 3 seven fields
        "",                                               # 4 blank: not an item
        "2017,\"Case, Management\",Male,-99,00,1,0,ZZ",   # 5 ok, quoted comma
        "1899,Hotline,Female,18--20,UA,0,1,RU",           # 6 impossible year
        HEADER,                                           # 7 a header inside the data
        ",,,,,,,",                                        # 8 blank
        "2018,-99,woman,9-11,ukr,1.0,0.0,804",            # 9 ok: alpha-3 and M49 codes, narrow band
        "2016,Hotline,Female,18--20,UA,0,1,RU,extra",     # 10 nine fields
        "2016,Hotline,Female,18--20,QQ,0,1,RU",           # 11 unknown country
    ]
    path = tmp_path / "ctdc.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, rows, rejects = _both(tmp_path, path, spy)
    # items: lines 2, 3, 5, 6, 7, 9, 10, 11 (4 and 8 are blank)
    assert (report.read, report.imported, report.rejected) == (8, 3, 5)
    assert [r[0] for r in rejects] == [3, 6, 7, 10, 11]
    assert rejects[0][1] == "expected 8 fields, found 7" and rejects[3][1] == "expected 8 fields, found 9"
    assert "impossible year" in rejects[1][1] and "header line" in rejects[2][1] and "'QQ'" in rejects[4][1]
    picked = [(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]  # source .. country_of_exploitation
    assert picked == [
        ("CTDC", "Hotline", 2016, "female", "18-20", False, "UA", "RU"),
        ("CTDC", "Case, Management", 2017, "male", None, None, None, None),
        ("CTDC", None, 2018, "female", "9-17", True, "UA", "UA"),
    ]
    # the case id names the file, the line and the record's position among the items
    assert [r[0].split(":")[1:] for r in rows] == [["2", "1"], ["5", "3"], ["9", "6"]]


# -- random files -----------------------------------------------------------------------------

FULL = ["yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
        "citizenship", "meansOfControlDebtBondage", "meansOfControlTakesEarnings", "meansOfControlThreats",
        "meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse", "meansOfControlNotSpecified",
        "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isAbduction",
        "typeOfLabourAgriculture", "typeOfLabourDomesticWork", "typeOfLabourNotSpecified", "typeOfSexProstitution",
        "CountryOfExploitation", "recruiterRelationFriend", "recruiterRelationFamily", "recruiterRelationUnknown",
        "notes"]
SYNTHETIC = ["yearOfRegistration", "Datasource", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
             "traffickMonths", "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex",
             "isForcedLabour", "isSexualExploit", "isOtherExploit", "typeOfLabourAgriculture",
             "typeOfSexProstitution", "recruiterRelationship"]
VALUES = {
    "year": ["2016", "2016", "2019", "2016.0", "-99", "", "NA", " 2017", "1899", "20x6", "2e3"],
    "Datasource": ["Case Management", "Hotline", "Hotline", "", "-99", "unknown", " Hotline", "Ünicode ngo",
                   "\u00a0NGO", "\"NGO, shelter\"", "gender"],
    "gender": ["Female", "Male", "Female", "female", "Woman", "Man", "-99", "", "Alien", " Male",
               "Trans/Transgender/NonConforming", "\u00a0Female"],
    "ageBroad": ["18--20", "9--17", "0--8", "48+", "-99", "", "9-11", "18-20", "25", "130", "x", "0\u20148"],
    "majority": ["Minor", "Adult", "-99", "Unknown", "", "kid"],
    "country": ["UA", "PH", "ua", "UKR", "804", "00", "0", "ZZ", "-99", "", "QQ", "Colombia", " PH"],
    "flag": ["1", "0", "0", "1", "-99", "", "1.0", "0.0", "true", "2", "yes"],
    "synflag": ["1", "1", "", "", "", "0", "-99", "2"],
    "months": ["0-12", "13-24", "25+", "", "-99", "0-12 (short)", "long"],
    "recruiter": ["Friend", "Family/relative; Other", "Intimate partner", "", "-99", "Stranger", "friend;family"],
    "notes": ["", "", "ok", "Côte d'Ivoire", "gender", "citizenship", "\"a, b\"", " x "],
}


def _kind(col: str, synthetic: bool) -> str:
    low = col.lower()
    if low == "yearofregistration":
        return "year"
    if low in ("citizenship", "countryofexploitation"):
        return "country"
    if low in ("majoritystatus", "majoritystatusatexploit"):
        return "majority"
    if low == "traffickmonths":
        return "months"
    if low == "recruiterrelationship":
        return "recruiter"
    if col in VALUES:
        return col
    return "synflag" if synthetic else "flag"


def _random_file(path, header: list[str], rows: int, seed: int, *, odd: float, crlf: bool = False,
                 synthetic: bool = False) -> None:
    rng = random.Random(seed)
    kinds = [_kind(c, synthetic) for c in header]
    out = [",".join(header)]
    for _ in range(rows):
        r = rng.random()
        if r < odd * 0.05:
            out.append("")
        elif r < odd * 0.1:
            out.append("," * (len(header) - 1))
        elif r < odd * 0.15:
            out.append(",".join(header))
        elif r < odd * 0.2:
            out.append(",".join(rng.choice(VALUES[k][:3]) for k in kinds[: rng.randrange(1, len(kinds))]))
        elif r < odd * 0.25:
            out.append(",".join(rng.choice(VALUES[k][:3]) for k in kinds) + ",1")
        else:
            # mostly common values (the first few of each list), sometimes any value
            out.append(",".join(rng.choice(VALUES[k] if rng.random() < odd else VALUES[k][:4]) for k in kinds))
    path.write_bytes(("\r\n" if crlf else "\n").join(out).encode("utf-8") + (b"\r\n" if crlf else b"\n"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_full_schema_files_match(tmp_path, spy, seed):
    path = tmp_path / "full.csv"
    _random_file(path, FULL, 1500, seed, odd=0.3, crlf=seed == 2)
    report, rows, rejects = _both(tmp_path, path, spy)
    assert report.imported > 200 and report.rejected > 50


def test_random_clean_file_matches(tmp_path, spy):
    path = tmp_path / "clean.csv"
    _random_file(path, FULL, 3000, 7, odd=0.0)
    report, _, rejects = _both(tmp_path, path, spy)
    assert report.imported > 2000


@pytest.mark.parametrize("seed", [4, 5])
def test_random_synthetic_schema_files_match(tmp_path, spy, seed):
    path = tmp_path / "synthetic.csv"
    _random_file(path, SYNTHETIC, 1500, seed, odd=0.2 if seed == 4 else 0.0, synthetic=True)
    report, rows, _ = _both(tmp_path, path, spy)
    assert report.files[0].format == "ctdc-synthetic"
    assert report.imported > 200


def test_recruiter_text_without_recruiter_columns(tmp_path, spy):
    path = tmp_path / "recruiter.csv"
    header = ["yearOfRegistration", "gender", "citizenship", "isForcedLabour", "recruiterRelationship"]
    _random_file(path, header, 800, 9, odd=0.1)
    _both(tmp_path, path, spy)


def test_repeated_import_counts_duplicates(tmp_path, spy):
    path = tmp_path / "twice.csv"
    _random_file(path, FULL, 300, 11, odd=0.2)
    results = []
    for fast in (False, True):
        with Study(tmp_path / f"twice-{fast}.duckdb") as study:
            import_files(study, [path], fast=fast)
            again = import_files(study, [path], fast=fast)
            results.append((again.read, again.imported, again.duplicates, again.rejected,
                            study.query("SELECT count(*) FROM cases")[0][0]))
    assert results[0] == results[1]
    assert results[1][1] == 0 and results[1][2] > 0


def test_files_the_duckdb_path_does_not_read_exactly_go_through_python(tmp_path, spy):
    # a quoted field spanning two lines: line numbers need the Python reader
    path = tmp_path / "multiline.csv"
    path.write_text(HEADER + "\n2016,\"Hot\nline\",Female,18--20,UA,0,1,RU\n2016,Hotline,Male,-99,UA,0,1,RU\n")
    report, rows, _ = _both(tmp_path, path, spy, expect_duckdb=False)
    assert report.imported == 2 and [r[-1] for r in rows] == [2, 4]


def test_most_records_of_a_clean_file_are_mapped_in_sql(tmp_path, spy):
    path = tmp_path / "clean.csv"
    _random_file(path, FULL, 2000, 13, odd=0.0)
    report, _, _ = _both(tmp_path, path, spy)
    assert spy_sql_rows[-1] == report.imported


def test_real_ctdc_subset_matches(tmp_path, spy):
    from tests.conftest import shared

    path = shared("ctdc-2020-subset", "dados_app.csv")  # skips when the shared data is absent
    report, rows, _ = _both(tmp_path, path, spy)
    assert report.read == 48_773 and report.imported == 48_773


@pytest.mark.parametrize(("name", "delimiter", "encoding"), [("bom.csv", ",", "utf-8-sig"), ("semi.csv", ";", "utf-8"),
                                                            ("tab.tsv", "\t", "utf-8")])
def test_byte_order_mark_and_other_delimiters(tmp_path, spy, name, delimiter, encoding):
    path = tmp_path / name
    _random_file(path, FULL, 400, 17, odd=0.1)
    text = path.read_text(encoding="utf-8").replace(",", delimiter)
    path.write_text(text, encoding=encoding)
    report, _, _ = _both(tmp_path, path, spy)
    assert report.imported > 100


def test_line_numbers_across_parallel_read_boundaries(tmp_path, spy):
    # about 20 MB: DuckDB reads it in several pieces, on several threads; every record carries
    # the line it was written on, and blank, malformed and Python-mapped lines are scattered
    # through the file, so each record's source line and position are checked against a count
    # kept while writing (not against another reader)
    lines = [HEADER]
    expected: dict[str, tuple[int, int]] = {}  # data source -> (line, position among the items)
    items = 0
    pad = "x" * 120
    for i in range(140_000):
        line = len(lines) + 1
        if i % 9973 == 5:
            lines.append("")  # blank: not an item
            continue
        items += 1
        if i % 10007 == 7:
            lines.append("2016,Hotline,Female,18--20,UA,0,1")  # seven fields: a reject
        elif i % 10009 == 3:
            lines.append("1899,Hotline,Female,18--20,UA,0,1,RU")  # impossible year: mapped in Python
        else:
            source = f"s{line}{pad}"
            expected[source] = (line, items)
            lines.append(f"{2015 + i % 5},{source},Female,18--20,UA,0,1,RU")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 16 << 20
    with Study(tmp_path / "big.duckdb") as study:
        report = import_files(study, [path], fast=True)
        rows = study.query("SELECT datasource, source_line, case_id FROM cases")
    assert spy == [True]
    assert report.imported == len(expected) and report.rejected == items - len(expected)
    got = {source: (line, int(case_id.rsplit(":", 1)[1])) for source, line, case_id in rows}
    assert got == expected
    assert all(case_id.split(":")[1] == str(line) for _, line, case_id in rows)


def test_without_insertion_order_the_python_path_reads_the_file(tmp_path, spy):
    # rowids give the records' positions only when DuckDB keeps insertion order
    path = tmp_path / "ctdc.csv"
    _random_file(path, FULL, 50, 5, odd=0.0)
    with Study(tmp_path / "unordered.duckdb") as study:
        study.con.execute("SET preserve_insertion_order = false")
        report = import_files(study, [path], fast=True)
        lines = [r[0] for r in study.query("SELECT source_line FROM cases ORDER BY source_line")]
    assert spy == [False]
    assert report.imported == 50 and lines == list(range(2, 52))

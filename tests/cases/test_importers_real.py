"""Importers on the real files in ../shared/data; expectations counted independently with
the csv module and openpyxl."""

from __future__ import annotations

import csv
from collections import Counter

import openpyxl
import pytest

from tests.conftest import shared
from tiplens.cases.importing import import_files

pytestmark = pytest.mark.real


def test_ctdc_subset_every_row_is_a_victim_and_codes_follow_the_codebook(study):
    path = shared("ctdc-2020-subset", "dados_app.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    report = import_files(study, [path])
    assert (report.read, report.imported, report.duplicates, report.rejected) == (len(rows), len(rows), 0, 0)
    # identical rows are distinct victims: nothing is de-duplicated
    assert study.query("SELECT count(*) FROM cases")[0][0] == len(rows) == 48_773
    years = Counter(int(r["yearOfRegistration"]) for r in rows)
    assert dict(study.query("SELECT year, count(*) FROM cases GROUP BY year")) == dict(years)
    # '0' is the data dictionary's '00' (Unknown Country) read as a number; '' was -99: both unknown
    unknown_cit = sum(r["citizenship"] in ("", "0") for r in rows)
    assert study.query("SELECT count(*) FROM cases WHERE citizenship IS NULL")[0][0] == unknown_cit
    assert study.query("SELECT count(*) FROM cases WHERE citizenship = 'NA'")[0][0] == sum(
        r["citizenship"] == "NA" for r in rows)  # Namibia, not missing
    labour = Counter(r["isForcedLabour"] for r in rows)
    got = dict(study.query("SELECT form_forced_labour, count(*) FROM cases GROUP BY 1"))
    assert got == {True: labour["1.0"], False: labour["0.0"], None: labour[""]}
    both = [(r["citizenship"], r["CountryOfExploitation"]) for r in rows]
    known = [(a, b) for a, b in both if a not in ("", "0") and b not in ("", "0")]
    assert study.query("SELECT count(*) FROM cases WHERE citizenship IS NOT NULL AND "
                       "country_of_exploitation IS NOT NULL")[0][0] == len(known)
    assert study.query("SELECT count(*) FROM cases WHERE citizenship <> country_of_exploitation")[0][0] == sum(
        a != b for a, b in known)
    bands = Counter(r["ageBroad"].replace("--", "-") for r in rows if r["ageBroad"])
    assert dict(study.query("SELECT age_band, count(*) FROM cases WHERE age_band IS NOT NULL GROUP BY 1")) == bands


def test_reimporting_the_same_file_counts_duplicates_not_victims(study):
    path = shared("ctdc-2020-subset", "dados_app.csv")
    first = import_files(study, [path])
    again = import_files(study, [path])
    assert (again.imported, again.duplicates) == (0, first.imported)
    assert study.query("SELECT count(*) FROM cases")[0][0] == first.imported


def test_glotip_xlsx_suppressed_cells_and_thousands(study):
    path = shared("unodc-glotip", "data_glotip.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))[3:]  # title, date, header
    wb.close()
    rows = [r for r in rows if any(v is not None for v in r)]
    report = import_files(study, [path])
    assert (report.read, report.imported, report.rejected) == (len(rows), len(rows), 0)
    suppressed = sum(r[11] == "<5" for r in rows)
    assert study.query("SELECT count(*) FROM country_stats WHERE suppressed AND value IS NULL")[0][0] == suppressed
    thousands = [r for r in rows if isinstance(r[11], str) and "," in r[11]]
    assert thousands
    sample = thousands[0]
    got = study.query("SELECT value FROM country_stats WHERE area = ? AND year = ? AND indicator = ? AND dimension = ? "
                      "AND category = ? AND sex = ? AND age = ? ORDER BY part", list(sample[:1]) + [sample[9]] +
                      list(sample[4:9]))
    assert float(sample[11].replace(",", "")) in [g[0] for g in got]
    # the 2020 headline: every country-year's Total/Total/Total/Total row, summed by hand
    total = sum(float(str(r[11]).replace(",", "")) for r in rows
                if r[4] == "Detected trafficking victims" and r[5:9] == ("Total", "Total", "Total", "Total")
                and r[9] == 2020 and r[11] != "<5" and len(str(r[0])) == 3 and r[2])
    got = study.query("SELECT sum(value) FROM country_stats WHERE indicator = 'Detected trafficking victims' AND "
                      "dimension = 'Total' AND category = 'Total' AND sex = 'Total' AND age = 'Total' AND part = 1 "
                      "AND year = 2020 AND iso3 IS NOT NULL")[0][0]
    assert got == pytest.approx(total)


def test_gsi_workbook_prevalence_vulnerability_response(study):
    path = shared("walkfree-gsi-2023", "2023-Global-Slavery-Index-Data.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb["GSI 2023 summary data"].iter_rows(values_only=True))
    wb.close()
    header = rows[2]
    data = [r for r in rows[3:] if r[0]]
    assert len(data) == 180
    report = import_files(study, [path])
    assert report.rejected == 0
    prev_col = header.index("Estimated prevalence of modern slavery per 1,000 population")
    vul_col = header.index("Total Vulnerability score (%)")
    resp_col = header.index("Government response total (%)")
    count = dict(study.query("SELECT indicator, count(*) FROM country_stats GROUP BY 1"))
    assert count["prevalence_per_1000"] == sum(r[prev_col] is not None for r in data) == 160
    assert count["vulnerability_total"] == sum(r[vul_col] is not None for r in data)
    assert count["government_response_total"] == sum(r[resp_col] is not None for r in data) == 176
    assert sum(count[f"vulnerability_{d}"] for d in ("governance_issues", "lack_of_basic_needs", "inequality",
                                                    "disenfranchised_groups", "effects_of_conflict")) == 5 * 160
    indonesia = dict(study.query("SELECT indicator, value FROM country_stats WHERE iso3 = 'IDN'"))
    assert indonesia["prevalence_per_1000"] == pytest.approx(6.70, abs=0.01)
    assert indonesia["vulnerability_total"] == pytest.approx(48.6, abs=0.05)
    assert count["population"] == sum(1 for r in data if r[1])  # a population of 0 is unknown
    again = import_files(study, [shared("walkfree-gsi-2023", "gsi2023_summary_data.csv")])
    assert again.imported == 0 and again.duplicates == report.imported

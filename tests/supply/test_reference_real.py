"""Reference loaders on the real files in ../shared/data, against counts made here with
the csv module, openpyxl and plain text searches (never the loaders' own output)."""

from __future__ import annotations

import csv
import re
from collections import Counter

import openpyxl
import pytest

from tests.conftest import shared
from tiplens.store import Study
from tiplens.supply.reference import load_files, status

pytestmark = pytest.mark.real


def rows(study, sql):
    return study.query(sql)


def source(study, kind):
    return rows(study, f"SELECT source_id, edition, edition_year, notes FROM ref_sources WHERE kind = '{kind}' "
                       "ORDER BY source_id")


def test_dol_app_xml_matches_a_text_count_and_the_flattened_csv(study):
    xml = shared("supply", "dol-tvpra-goods-app", "goods_2021.xml")
    text = xml.read_text(encoding="utf-8")
    n_country = len(re.findall(r"<Country>", text))
    yes = {tag: len(re.findall(rf"<{tag}>Yes</{tag}>", text))
           for tag in ("Child_Labor", "Forced_Labor", "Forced_Child_Labor", "Derived_Labor_Exploitation")}
    r = load_files(study, [xml])
    assert (r.accounting.read, r.accounting.imported, r.accounting.rejected) == (n_country, n_country, 0)
    got = rows(study, "SELECT count(*), count_if(child_labor), count_if(forced_labor), count_if(forced_child_labor), "
                      "count_if(inputs) FROM ref_dol_goods")[0]
    assert got == (n_country, yes["Child_Labor"], yes["Forced_Labor"], yes["Forced_Child_Labor"],
                   yes["Derived_Labor_Exploitation"])
    with shared("supply", "dol-tvpra-goods-app", "tvpra_goods_latest_app_goods_2021.csv").open(encoding="utf-8") as fh:
        flat = {(x["good"], x["country"]) for x in csv.DictReader(fh)}
    assert set(rows(study, "SELECT good, country FROM ref_dol_goods")) == flat
    assert rows(study, "SELECT count(*) FROM ref_dol_goods WHERE iso3 IS NULL")[0][0] == 0  # every DOL name resolves
    sid, edition, year, notes = source(study, "dol_goods")[0]
    assert (edition, year) == ("DOL app data goods_2021", 2021)
    assert "from the file name" in notes


def test_dol_2016_xml_good_without_country_is_rejected_and_said(study):
    xml = shared("supply", "dol-tvpra-goods-app", "goods_2016.xml")
    text = xml.read_text(encoding="utf-8")
    goods = re.findall(r"<Good>.*?</Good>", text, flags=re.S)
    empty = [g for g in goods if "<Country>" not in g]
    r = load_files(study, [xml])
    assert r.accounting.rejected == len(empty) == 1
    assert r.accounting.imported == len(re.findall(r"<Country>", text))
    assert any("list no country" in n for n in r.sources[0].notes)
    assert any("no Derived_* fields" in n for n in r.sources[0].notes)


def test_stacked_dol_csv_becomes_one_source_per_app_file(study):
    f = shared("supply", "dol-tvpra-goods-app", "tvpra_goods_by_app_file.csv")
    with f.open(encoding="utf-8") as fh:
        per_file = Counter(x["app_file"] for x in csv.DictReader(fh))
    r = load_files(study, [f])
    assert {s.edition: s.imported for s in r.sources} == {f"DOL app data {k}": n for k, n in per_file.items()}
    assert r.accounting.read == sum(per_file.values())
    used = {s.kind: s for s in status(study)}["dol_goods"]
    assert used.edition == "DOL app data goods_2021.xml"


def test_dol_table_layout_third_party_copy(study):
    f = shared("supply", "dol-tvpra-goods-thirdparty-2024", "US_Labour_Issues.csv")
    with f.open(encoding="utf-8-sig") as fh:
        data = list(csv.DictReader(fh))
    kinds = [{k.strip() for k in x["Exploitation Type"].split(",")} for x in data]
    r = load_files(study, [f])
    assert r.accounting.imported == len(data)
    got = rows(study, "SELECT count_if(forced_labor), count_if(child_labor), count_if(inputs_forced_labor), "
                      "count_if(inputs_child_labor) FROM ref_dol_goods")[0]
    assert got == (sum("Forced Labor" in k for k in kinds), sum("Child Labor" in k for k in kinds),
                   sum("Inputs Produced with Forced Labor" in k for k in kinds),
                   sum("Inputs Produced with Child Labor" in k for k in kinds))
    sid, edition, year, notes = source(study, "dol_goods")[0]
    assert (edition, year) == ("unknown", None) and "pass --edition" in notes
    with Study(study.path.parent / "other.duckdb") as other:
        load_files(other, [f], edition="2024 (third-party copy)")
        assert source(other, "dol_goods")[0][1:3] == ("2024 (third-party copy)", 2024)


def _gsi_sheet(name, header_row):
    wb = openpyxl.load_workbook(shared("walkfree-gsi-2023", "2023-Global-Slavery-Index-Data.xlsx"), read_only=True,
                                data_only=True)
    ws = wb[name]
    values = list(ws.iter_rows(values_only=True))
    wb.close()
    header = values[header_row - 1]
    return header, [r for r in values[header_row:] if any(v is not None for v in r[:4])]


def test_gsi_workbook_summary_and_g20_sheets(study):
    header, data = _gsi_sheet("GSI 2023 summary data", 3)
    col = {h: i for i, h in enumerate(header)}
    prevalence = col["Estimated prevalence of modern slavery per 1,000 population"]
    response = col["Government response total (%)"]
    no_response = sorted(r[0] for r in data if r[response] is None)
    _, g20 = _gsi_sheet("G20 Importing Risk", 4)
    r = load_files(study, [shared("walkfree-gsi-2023", "2023-Global-Slavery-Index-Data.xlsx")])
    assert [(s.kind, s.edition, s.imported) for s in r.sources] == [
        ("gsi_countries", "GSI 2023", len(data)), ("g20_imports", "GSI 2023", len(g20))]
    got = rows(study, "SELECT count(prevalence), count(government_response) FROM ref_gsi_countries")[0]
    assert got == (sum(x[prevalence] is not None for x in data), sum(x[response] is not None for x in data))
    indo = next(x for x in data if x[0] == "Indonesia")
    assert rows(study, "SELECT prevalence, vulnerability, government_response FROM ref_gsi_countries "
                       "WHERE iso3 = 'IDN'")[0] == pytest.approx(
        (indo[prevalence], indo[col["Total Vulnerability score (%)"]], indo[response]))
    notes = r.sources[0].notes
    assert any(n.startswith(f"{len(no_response)} of {len(data)} countries have no government response score: "
                            + ", ".join(no_response)) for n in notes)
    total = rows(study, "SELECT sum(value_kusd), count(DISTINCT importer) FROM ref_g20_imports")[0]
    assert total[0] == pytest.approx(sum(x[2] for x in g20))
    assert total[1] == len({x[3] for x in g20})
    unresolved = rows(study, "SELECT count(*) FROM ref_gsi_countries WHERE iso3 IS NULL")[0][0]
    assert unresolved == 0


def test_gsi_csv_exports_equal_the_workbook(study):
    f = shared("walkfree-gsi-2023", "gsi2023_summary_data.csv")
    with f.open(encoding="utf-8") as fh:
        data = list(csv.DictReader(fh))
    g = shared("supply", "gsi2023-supply-sheets", "g20_importing_risk.csv")
    with g.open(encoding="utf-8") as fh:
        g20 = list(csv.DictReader(fh))
    r = load_files(study, [f, g], edition=None)
    assert [(s.kind, s.imported) for s in r.sources] == [("gsi_countries", len(data)), ("g20_imports", len(g20))]
    assert r.sources[0].edition == "GSI 2023"  # year in the file name
    assert r.sources[1].edition == "unknown"  # g20_importing_risk.csv names no year
    assert rows(study, "SELECT sum(value_kusd) FROM ref_g20_imports")[0][0] == pytest.approx(
        sum(float(x["value_thousands_usd"]) for x in g20))


def test_shilling_matrix_and_long_csv_agree(study):
    xlsx = shared("supply", "sector-forced-labour-risk", "Shilling_Matrix_GTAP-AgUnSk.xlsx")
    wb = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    values = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    header, data = values[0], [r for r in values[1:] if r[1]]
    sectors = [i for i, h in enumerate(header) if h and str(h).count("-") >= 2]
    total = sum(r[i] for r in data for i in sectors if r[i] is not None)
    rest_of = {r[1] for r in data if str(r[2]).startswith("Rest of")}
    long = shared("supply", "sector-forced-labour-risk", "shilling2021_forced_labour_by_region_gtap_sector_long.csv")
    with long.open(encoding="utf-8") as fh:
        long_rows = list(csv.DictReader(fh))
    r = load_files(study, [xlsx, long])
    assert [s.imported for s in r.sources] == [len(data) * len(sectors), len(long_rows)]
    sums = rows(study, "SELECT source_id, sum(value) FROM ref_sector_estimates GROUP BY 1 ORDER BY 1")
    assert sums[0][1] == pytest.approx(total) and sums[1][1] == pytest.approx(sum(float(x["value"]) for x in long_rows))
    no_iso = {c for (c,) in rows(study, "SELECT DISTINCT region_code FROM ref_sector_estimates WHERE iso3 IS NULL")}
    assert rest_of <= no_iso
    assert rows(study, "SELECT DISTINCT iso3 FROM ref_sector_estimates WHERE region_code = 'XEA'") == [("PRK",)]
    assert rows(study, "SELECT count(DISTINCT broad_sector) FROM ref_sector_estimates")[0][0] == 6


def test_global_sector_table_and_repeat_loads(study):
    f = shared("walkfree-gsi-2023", "GEMS_from_make-labour-satellite.xlsx")
    wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
    data = [r for r in list(wb.worksheets[0].iter_rows(values_only=True))[1:] if r[0]]
    wb.close()
    r = load_files(study, [f])
    assert r.sources[0].kind == "sector_global" and r.sources[0].imported == len(data)
    assert rows(study, "SELECT sum(value) FROM ref_sector_estimates")[0][0] == pytest.approx(sum(x[1] for x in data))
    again = load_files(study, [f])
    assert (again.accounting.imported, again.accounting.duplicates) == (0, len(data))
    assert len(source(study, "sector_global")) == 1
    missing = [s.kind for s in status(study) if s.source_id is None]
    assert missing == ["dol_goods", "gsi_countries", "g20_imports", "sector_country"]

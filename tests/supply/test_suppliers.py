"""Importing supplier lists: accounting, duplicates, unknown countries, mapping, bad files."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tests.supply.helpers import write_csv
from tiplens.errors import BadInput
from tiplens.supply.suppliers import import_file, parse_spend, parse_tier


def rows_in(study):
    return study.query("SELECT supplier, iso3, product, tier, spend, currency FROM suppliers ORDER BY source_line")


def test_accounting_duplicates_and_unknown_countries(study, tmp_path):
    f = write_csv(tmp_path / "s.csv", ["Supplier Name", "Country", "Product", "Tier", "Annual Spend (USD)"], [
        ["Acme Ltd", "Bangladesh", "T-shirts", "1", "1,200"],     # line 2
        ["ACME LTD", "bangladesh", "t-shirts", "Tier 1", "900"],  # line 3: same supplier, country, product
        ["Acme Limited", "BGD", "T-shirts", "1", ""],            # line 4: possible duplicate, kept
        ["Beta", "Narnia", "cocoa", "2", "5"],                    # line 5: unknown country, kept
        ["Gamma", "Untied Kingdom", "gold", "", "7"],             # line 6: typo is not guessed
        ["", "India", "rice", "1", "1"],                          # line 7: no supplier name
        ["Delta", "India", "rice", "one", "1"],                   # line 8: tier not a number
        ["Eps", "India", "rice", "1", "-3"],                      # line 9: negative spend
        ["Zeta", "", "rice", "3", "$2,500.50"],                   # line 10: no country, kept
    ])
    r = import_file(study, f)
    a = r.accounting
    assert (a.read, a.imported, a.duplicates, a.rejected) == (9, 5, 1, 3)
    assert a.read == a.imported + a.duplicates + a.rejected
    assert r.duplicates == [{"file": str(f), "line": 3, "supplier": "ACME LTD", "repeats": f"{f}:2"}]
    assert r.possible_duplicates == [{"line": 4, "supplier": "Acme Limited", "like": "Acme Ltd", "like_line": 2}]
    assert r.unknown_countries == {"Narnia": [5], "Untied Kingdom": [6]}
    assert r.no_country == [10]
    with open(a.rejects_file, newline="") as fh:
        rejects = {int(x["line"]): x["reason"] for x in csv.DictReader(fh)}
    assert rejects == {7: "no supplier name", 8: "tier 'one' is not a number", 9: "spend '-3' is negative or not finite"}
    got = rows_in(study)
    assert got[0] == ("Acme Ltd", "BGD", "T-shirts", 1, 1200.0, "USD")  # currency from the column header
    assert got[2][1] is None and got[3][1] is None  # Narnia, Untied Kingdom: kept, no ISO code
    assert got[-1][4] == 2500.5
    again = import_file(study, f)
    assert (again.accounting.imported, again.accounting.duplicates) == (0, 6)


def test_map_names_columns_and_unknown_fields_are_refused(study, tmp_path):
    f = write_csv(tmp_path / "v.csv", ["Vendor", "Origin", "Commodity", "Cost"], [["V1", "Ghana", "cocoa", "10"]])
    r = import_file(study, f, mapping={"Cost": "spend"})
    assert r.mapping == {"spend": "Cost", "supplier": "Vendor", "country": "Origin", "product": "Commodity"}
    assert rows_in(study) == [("V1", "GHA", "cocoa", None, 10.0, None)]
    with pytest.raises(BadInput, match="unknown field 'price'"):
        import_file(study, f, mapping={"Cost": "price"})
    with pytest.raises(BadInput, match="no column 'Nope'"):
        import_file(study, f, mapping={"Nope": "spend"})


def test_ignored_columns_are_listed(study, tmp_path):
    f = write_csv(tmp_path / "x.csv", ["supplier", "country", "notes"], [["A", "Peru", "x"]])
    assert import_file(study, f).ignored_columns == ["notes"]


@pytest.mark.parametrize("header, message", [
    (["name_of_firm", "country"], "no supplier column"),
    (["supplier", "spend"], "no country, product or sector column"),
])
def test_unusable_headers(study, tmp_path, header, message):
    f = write_csv(tmp_path / "h.csv", header, [["a", "b"]])
    with pytest.raises(BadInput, match=message):
        import_file(study, f)


def test_broken_files(study, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(BadInput, match="empty file"):
        import_file(study, empty)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(BadInput, match="not a readable XLSX"):
        import_file(study, broken)
    with pytest.raises(BadInput, match="no such file"):
        import_file(study, tmp_path / "missing.csv")


def test_xlsx_supplier_list(study, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Supplier", "Country", "Product", "Tier", "Spend"])
    ws.append(["Kilo", "Viet Nam", "shrimp", 2, 1500.5])
    ws.append(["Lima", "Côte d'Ivoire", "cocoa", 1, None])
    wb.save(tmp_path / "s.xlsx")
    r = import_file(study, tmp_path / "s.xlsx")
    assert (r.accounting.read, r.accounting.imported) == (2, 2)
    assert rows_in(study) == [("Kilo", "VNM", "shrimp", 2, 1500.5, None), ("Lima", "CIV", "cocoa", 1, None, None)]


def test_malformed_rows_are_rejected_with_their_line(study, tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("supplier,country,product\nA,Peru,gold\nB,Peru\nC,Peru,gold,extra\n", encoding="utf-8")
    r = import_file(study, f)
    assert (r.accounting.imported, r.accounting.rejected) == (1, 2)


@pytest.mark.parametrize("text, value", [("1,234.5", 1234.5), ("£ 1 000", 1000.0), ("12", 12.0), ("", None),
                                         ("USD 5", 5.0)])
def test_parse_spend(text, value):
    assert parse_spend(text) == value


@pytest.mark.parametrize("text", ["lots", "1.234,5", "-1", "nan", "inf"])
def test_parse_spend_refuses(text):
    with pytest.raises(ValueError):
        parse_spend(text)


@pytest.mark.parametrize("text, value", [("1", 1), ("Tier 2", 2), ("T3", 3), ("2.0", 2), (None, None)])
def test_parse_tier(text, value):
    assert parse_tier(text) == value


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=12)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, st.sampled_from(["Ghana", "Narnia", "", "GB"]), cell,
                               st.sampled_from(["1", "x", ""]), st.sampled_from(["10", "-1", "", "1,000", "abc"])),
                     min_size=1, max_size=12))
def test_every_row_is_imported_a_duplicate_or_rejected(tmp_path_factory, rows):
    from tiplens.store import Study

    folder = tmp_path_factory.mktemp("prop")
    f = write_csv(folder / "p.csv", ["supplier", "country", "product", "tier", "spend"], [list(r) for r in rows])
    with Study(folder / "s.duckdb") as study:
        a = import_file(study, f).accounting
        stored = study.query("SELECT count(*) FROM suppliers")[0][0]
    assert a.read == a.imported + a.duplicates + a.rejected
    assert stored == a.imported

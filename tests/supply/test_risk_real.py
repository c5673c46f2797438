"""Risk scores against the real DOL list (app XML) and GSI 2023 summary; the expected
points are computed here from the flattened CSV and the GSI CSV with the csv module and
the published rules (scoring.py docstring)."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import shared
from tests.supply.helpers import write_csv
from tiplens.supply.analyses import risk
from tiplens.supply.reference import load_files
from tiplens.supply.suppliers import import_file
from tiplens.supply.tables import supply_tables

pytestmark = pytest.mark.real
CASES = [("Bangladesh", "Garments", "BGD"), ("Ghana", "Cocoa", "GHA"), ("Peru", "Gold", "PER"),
         ("Italy", "Cotton", "ITA"), ("Thailand", "Shrimp", "THA")]


def expected_points(dol_rows, gsi_row):
    pts = 0
    if dol_rows:
        pts += 40 * any(r["forced_labor"] == "Yes" for r in dol_rows)
        pts += 30 * any(r["child_labor"] == "Yes" for r in dol_rows)
        pts += 10 * any(r["forced_child_labor"] == "Yes" for r in dol_rows)
        pts += 20 * any(r["derived_labor_exploitation"] == "Yes" for r in dol_rows)
    prev = float(gsi_row["Estimated prevalence of modern slavery per 1,000 population"])
    vul = float(gsi_row["Total Vulnerability score (%)"])
    gov = float(gsi_row["Government response total (%)"])
    pts += 15 if prev >= 10 else 8 if prev >= 5 else 0
    pts += 10 if vul >= 60 else 5 if vul >= 40 else 0
    pts += 10 if gov < 30 else 5 if gov < 45 else 0
    return min(pts, 100)


def test_scores_on_the_real_reference_data(study, tmp_path):
    with shared("supply", "dol-tvpra-goods-app", "tvpra_goods_latest_app_goods_2021.csv").open(encoding="utf-8") as fh:
        dol = list(csv.DictReader(fh))
    with shared("walkfree-gsi-2023", "gsi2023_summary_data.csv").open(encoding="utf-8") as fh:
        gsi = {r["Country"]: r for r in csv.DictReader(fh)}
    load_files(study, [shared("supply", "dol-tvpra-goods-app", "goods_2021.xml"),
                       shared("walkfree-gsi-2023", "gsi2023_summary_data.csv")])
    import_file(study, write_csv(tmp_path / "s.csv", ["supplier", "country", "product"],
                                 [[f"S-{c}", c, g.lower()] for c, g, _ in CASES]))
    result = risk.run(supply_tables(study.tables()))
    got = {r["supplier"]: r for r in result.suppliers.to_pylist()}
    for country, good, _ in CASES:
        rows = [r for r in dol if r["country"] == country and r["good"] == good]
        assert got[f"S-{country}"]["score"] == expected_points(rows, gsi[country]), country
    assert "on the DOL list for other countries, not for Italy" in got["S-Italy"]["gaps"]
    assert set(result.missing) == {"g20_imports", "sector_country"}

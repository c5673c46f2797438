"""Supplier risk on a hand fixture: every score below is computed by hand from the
fixture tables in helpers.py and the rules in tiplens.supply.scoring."""

from __future__ import annotations

import ibis
import pytest

from tests.supply.helpers import SUPPLIER_HEADER, SUPPLIERS, reference_fixture, write_csv
from tiplens.supply.analyses import portfolio, risk
from tiplens.supply.priorities import priorities
from tiplens.supply.reference import load_files
from tiplens.supply.suppliers import import_file
from tiplens.supply.tables import supply_tables


@pytest.fixture
def assessed(study, tmp_path):
    load_files(study, reference_fixture(tmp_path))
    import_file(study, write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, SUPPLIERS))
    return risk.run(supply_tables(study.tables()))


def _by_supplier(result):
    return {r["supplier"]: r for r in result.suppliers.to_pylist()}


def test_scores_and_levels_match_the_hand_computation(assessed):
    rows = _by_supplier(assessed)
    # A: DOL forced 40 + child 30, prevalence 7.1 -> 8, vulnerability 58 -> 5, response 40 -> 5,
    #    G20 garments 15, manufacturing 100/1000 = 10% -> 5; 108 capped at 100
    # B: DOL child 30, vulnerability 65 -> 10, response 28 -> 10, G20 cocoa 15, agriculture 80% -> 10 = 75
    # C: DOL inputs 20, vulnerability 45.5 -> 5, response 39.7 -> 5, no G20 row, China has no sector row = 30
    # D: cotton is on no list; Italy below every threshold = 0
    # E: 'cocao' ~ Cocoa is uncertain: child 30 // 2 = 15, vulnerability 10, response 10, G20 15 // 2 = 7 = 42
    # F: Atlantis is not a country: unassessed
    expected = {"A Knit": (100, "high"), "B Cocoa": (75, "high"), "C Solar": (30, "medium"),
                "D Cotton": (0, "low"), "E Cocao": (42, "medium"), "F Lost": (0, "unassessed")}
    assert {k: (v["score"], v["level"]) for k, v in rows.items()} == expected
    assert rows["E Cocao"]["uncertain_match"] and not rows["B Cocoa"]["uncertain_match"]


def test_every_reason_has_points_and_a_source(assessed):
    reasons = assessed.reasons.to_pylist()
    flags = {(r["supplier"], r["flag"]): r["points"] for r in reasons}
    assert flags[("A Knit", "dol_forced_labour")] == 40
    assert flags[("A Knit", "sector_concentration")] == 5
    assert flags[("C Solar", "dol_inputs")] == 20
    assert flags[("E Cocao", "dol_child_labour")] == 15
    assert flags[("E Cocao", "g20_at_risk_import")] == 7
    assert ("D Cotton", "gsi_prevalence") not in flags
    assert all(r["source"] and "source " in r["source"] for r in reasons)
    dol = [r for r in reasons if r["flag"].startswith("dol_")]
    assert all("US DOL List of Goods (2024" in r["source"] for r in dol)  # edition from the file name
    e = next(r for r in reasons if r["supplier"] == "E Cocao" and r["flag"] == "dol_child_labour")
    assert "uncertain match of 'cocao' to 'Cocoa' (80%)" in e["reason"]


def test_gaps_say_what_could_not_be_checked(assessed):
    rows = _by_supplier(assessed)
    assert "'Atlantis' not recognised" in rows["F Lost"]["gaps"]
    assert "matches no good on the DOL list" in rows["D Cotton"]["gaps"]
    assert "no sector estimate for China" in rows["C Solar"]["gaps"]
    assert assessed.unknown_countries == (("Atlantis", 1),)
    assert assessed.unmatched_products == (("cotton", 1),)
    assert assessed.missing == ()


def test_priorities_order_by_level_then_spend(assessed):
    p = priorities(assessed.suppliers, assessed.reasons).to_pylist()
    assert [r["supplier"] for r in p] == ["B Cocoa", "A Knit", "C Solar", "E Cocao", "F Lost"]
    assert [r["rank"] for r in p] == [1, 2, 3, 4, 5]
    assert "Complete or correct the supplier's country" in p[-1]["next_step"]
    assert p[3]["next_step"].startswith("Confirm what the supplier provides")


def test_portfolio_spend_at_risk(assessed):
    folio = portfolio.run(ibis.memtable(assessed.suppliers))
    t = folio.totals
    assert (t.suppliers, t.spend, t.spend_at_risk) == (6, 760.0, 100 + 500 + 50 + 10)
    assert t.by_level == {"high": 2, "medium": 2, "low": 1, "unassessed": 1}
    heat = {(r["country"], r["product"]): r["max_score"] for r in folio.heat.to_pylist()}
    assert heat[("Ghana", "cocoa beans")] == 75 and ("Atlantis", "garments") not in heat
    ghana = next(r for r in folio.by_country.to_pylist() if r["country"] == "Ghana")
    assert (ghana["suppliers"], ghana["spend"], ghana["spend_at_risk"], ghana["max_score"]) == (2, 510.0, 510.0, 75)


def test_without_reference_data_every_kind_is_reported_missing(study, tmp_path):
    import_file(study, write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, SUPPLIERS[:2]))
    result = risk.run(supply_tables(study.tables()))
    assert set(result.missing) == {"dol_goods", "gsi_countries", "g20_imports", "sector_country"}
    assert result.suppliers.column("score").to_pylist() == [0, 0]


def test_a_named_source_replaces_the_newest_edition(study, tmp_path):
    files = reference_fixture(tmp_path)
    load_files(study, files)
    older = write_csv(tmp_path / "dol_goods_2016.csv", ["Country/Area", "Good", "Exploitation Type"],
                      [["Bangladesh", "Garments", "Child Labor"]])
    load_files(study, [older])
    import_file(study, write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, SUPPLIERS[:1]))
    newest = _by_supplier(risk.run(supply_tables(study.tables())))["A Knit"]["flags"]
    assert "dol_forced_labour" in newest  # the 2024 table lists forced labour
    old_id = study.query("SELECT source_id FROM ref_sources WHERE file = 'dol_goods_2016.csv'")[0][0]
    chosen = _by_supplier(risk.run(supply_tables(study.tables(), {"dol_goods": old_id})))["A Knit"]["flags"]
    assert "dol_forced_labour" not in chosen and "dol_child_labour" in chosen

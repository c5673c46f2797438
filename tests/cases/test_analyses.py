"""Analyses on hand fixtures: expected values counted by hand in the test."""

from __future__ import annotations

import math

import pytest

from tests.cases.helpers import tables
from tiplens.cases.analyses import coverage, profiles, risk, routes, trends


def _cases():
    recs = []
    recs += [{"year": 2019, "sex": "female", "age_band": "18-20", "citizenship": "UA", "country_of_exploitation": "RU",
              "form_sexual": True, "form_forced_labour": False}] * 30
    recs += [{"year": 2020, "sex": "male", "age_band": "30-38", "citizenship": "UA", "country_of_exploitation": "UA",
              "form_sexual": False, "form_forced_labour": True}] * 20
    recs += [{"year": 2021, "sex": "female", "age_band": "9-17", "citizenship": "MM", "country_of_exploitation": "ID",
              "form_sexual": True, "form_forced_labour": True}] * 10
    recs += [{"year": None, "sex": None, "citizenship": None}] * 5
    return recs


def test_trends_counts_periods_and_change():
    r = trends.run(tables(_cases()), trends.Params(periods=((2019, 2019), (2020, 2021))))
    assert r.yearly.to_pylist() == [{"year": 2019, "victims": 30}, {"year": 2020, "victims": 20},
                                    {"year": 2021, "victims": 10}]
    assert r.unknown_year == 5 and r.total == 65
    ch = r.changes[0]
    assert (ch.victims_first, ch.victims_second, ch.years_first, ch.years_second) == (30, 30, 1, 2)
    assert ch.ratio == pytest.approx(0.5)  # 15 a year after 30 a year
    assert ch.ci_low == pytest.approx(0.5 * math.exp(-1.96 * math.sqrt(1 / 30 + 1 / 30)))
    forms = {(x["year"], x["form"]): x["victims"] for x in r.by_split["form"].to_pylist()}
    assert forms == {(2019, "sexual exploitation"): 30, (2020, "forced labour"): 20, (2021, "sexual and labour"): 10}


def test_routes_domestic_cross_border_regions_growth():
    r = routes.run(tables(_cases()), routes.Params(periods=((2019, 2019), (2020, 2021)), min_victims=1))
    got = {(x["origin"], x["destination"]): x["victims"] for x in r.corridors.to_pylist()}
    assert got == {("UA", "RU"): 30, ("UA", "UA"): 20, ("MM", "ID"): 10}
    assert dict(zip(r.summary.column("kind").to_pylist(), r.summary.column("victims").to_pylist(), strict=True)) == {
        "domestic": 20, "cross-border": 40}
    names = {x["origin"]: x["origin_name"] for x in r.corridors.to_pylist()}
    assert names == {"UA": "Ukraine", "MM": "Myanmar"}
    regions = {(x["origin_region"], x["destination_region"]): x["victims"] for x in r.by_region.to_pylist()}
    assert regions == {("Europe", "Europe"): 50, ("Asia", "Asia"): 10}
    growth = {(x["origin"], x["destination"]): x["ratio"] for x in r.growth.to_pylist()}
    assert growth[("MM", "ID")] == pytest.approx((5 + 0.5) / (0 + 0.5))  # 10 in two years vs none


def test_profiles_chi_square_and_cramers_v_by_hand():
    r = profiles.run(tables(_cases()))
    tab = next(t for t in r.crosstabs if t.name == "sex_by_form")
    # female: 30 sexual, 10 both; male: 20 labour -> a perfect association, V = 1
    assert tab.n == 60 and tab.dof == 2 and tab.cramers_v == pytest.approx(1.0)
    assert tab.chi2 == pytest.approx(60.0)


def _stats():
    rows = []
    for year, values in ((2019, {"AAA": None, "IDN": 100, "MYS": 50}), (2020, {"IDN": 120, "MYS": 40, "PHL": 500}),
                         (2021, {"IDN": 130})):
        for iso3, v in values.items():
            code = iso3 if iso3 != "AAA" else None
            rows.append({"iso3": code, "area": iso3, "year": year, "value": v, "suppressed": v is None})
    rows.append({"iso3": "IDN", "year": 2020, "value": 90, "sex": "Female"})  # overlaps the total: never added
    rows.append({"iso3": None, "area": "SAM", "year": 2020, "value": 7})
    return rows


def test_coverage_counts_balanced_panel_and_never_sums_overlapping_rows():
    r = coverage.run(tables(stats=_stats()), coverage.Params(panel=(2019, 2021), claims=((2020, 600),),
                                                             replication_panel=(2019, 2020)))
    y = {x["year"]: x for x in r.yearly.to_pylist()}
    assert (y[2020]["countries"], y[2020]["victims"], y[2020]["areas"], y[2020]["area_victims"]) == (3, 660, 1, 7)
    assert (y[2019]["countries"], y[2019]["victims"], y[2019]["suppressed"]) == (2, 150, 0)
    assert y[2019]["areas"] == 1  # AAA is not a country code
    assert r.panel_countries == ("IDN",)
    assert [x["victims"] for x in r.panel.to_pylist()] == [100, 120, 130]
    rep = r.replication.to_pylist()[0]
    assert (rep["glotip_victims"], rep["panel_victims"], rep["panel_countries"]) == (660, 160, 2)


def test_risk_ranks_are_explained_and_sensitivity_reported():
    stats = []
    for iso3, prev, vul, resp in (("UKR", 10.0, 60.0, 40.0), ("RUS", 13.0, 50.0, 20.0), ("IDN", 6.7, 48.6, 50.0),
                                  ("MMR", 12.0, 70.0, 10.0)):
        for ind, v in (("prevalence_per_1000", prev), ("vulnerability_total", vul), ("government_response_total", resp)):
            stats.append({"iso3": iso3, "year": 2023, "indicator": ind, "value": v, "source": "Walk Free GSI 2023"})
    r = risk.run(tables(_cases(), stats), risk.Params(draws=50))
    rows = {x["iso2"]: x for x in r.countries.to_pylist()}
    assert set(rows) == {"UA", "RU", "ID", "MM"}
    # by hand: mid-rank percentiles among the four (0, 33.3, 66.7, 100; ties share), weights .4/.25/.25/.1
    # detected UA 50 > RU 30 > MM 10 = ID 10; prevalence RU > MM > UA > ID; vulnerability MM > UA > RU > ID;
    # response gap MM > RU > UA > ID
    expected = {"UA": .4 * 100 + .25 * 100 / 3 + .25 * 200 / 3 + .1 * 100 / 3,
                "RU": .4 * 200 / 3 + .25 * 100 + .25 * 100 / 3 + .1 * 200 / 3,
                "MM": .4 * 50 / 3 + .25 * 200 / 3 + .25 * 100 + .1 * 100, "ID": .4 * 50 / 3}
    for k, v in expected.items():
        assert rows[k]["score"] == pytest.approx(v, abs=0.01)
    assert [rows[k]["rank"] for k in ("UA", "RU", "MM", "ID")] == [1, 2, 3, 4]
    assert "percentile" in rows["UA"]["explanation"] and rows["UA"]["rank_p05"] <= rows["UA"]["rank_p95"]
    assert r.detected_source == "case records"

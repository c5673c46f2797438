"""Product matching: how each product text meets the reference names, and when a match
is uncertain; broad sectors; country names."""

from __future__ import annotations

import pytest

from tiplens.supply.countries import resolve
from tiplens.supply.products import Matcher, broad_sector, words

GOODS = ["Cocoa", "Coca (stimulant plant)", "Garments", "Cotton", "Textiles", "Tea", "Teak", "Crude Palm Oil",
         "Oil (Palm)", "Cobalt ore (heterogenite)", "Brazil Nuts/Chestnuts", "Tomatoes", "Beans", "Stones",
         "Fruit (Pome and Stone)", "Electronics", "Solar Modules", "Açaí Berries"]


@pytest.fixture(scope="module")
def m():
    return Matcher(GOODS)


def names(matches):
    return {(x.name, x.method, x.certain) for x in matches}


def test_words_fold_case_accents_plurals_and_stopwords():
    assert words("Açaí Berries") == ("acai", "berry")
    assert words("TOMATOES and Potatoes") == ("tomato", "potato")
    assert words("T-Shirts") == ("shirt",)
    assert words("glass") == ("glass",)


@pytest.mark.parametrize("product, expected", [
    ("cocoa", {("Cocoa", "exact", True)}),
    ("Cocoa", {("Cocoa", "exact", True)}),
    ("organic cocoa beans", {("Cocoa", "contains", True)}),  # 'cocoa bean' is not the good Beans
    ("T-shirts", {("Garments", "synonym", True)}),
    ("cotton fabric", {("Cotton", "contains", True), ("Textiles", "synonym", True)}),
    ("acai berries", {("Açaí Berries", "exact", True)}),
    ("chestnuts", {("Brazil Nuts/Chestnuts", "exact", True)}),
    ("cobalt", {("Cobalt ore (heterogenite)", "exact", True)}),  # 'ore' is not required
    ("heterogenite", {("Cobalt ore (heterogenite)", "synonym", True)}),
    ("crude palm oil", {("Crude Palm Oil", "exact", True), ("Oil (Palm)", "contains", True)}),
    ("tomatoe", {("Tomatoes", "fuzzy", True)}),  # 'tomatoe' vs 'tomato': 92
])
def test_certain_matches(m, product, expected):
    assert names(m.match(product)) == expected


def test_a_misspelling_is_an_uncertain_match_with_its_score(m):
    found = m.match("cocao")
    assert all(not x.certain and x.method == "fuzzy" for x in found)
    assert {x.name: x.score for x in found} == {"Coca (stimulant plant)": 89, "Cocoa": 80}


@pytest.mark.parametrize("product", ["oil", "tea towels", "stone fruit", "", None, "steel pipes", "office cleaning"])
def test_no_match_rather_than_a_guess(m, product):
    found = m.match(product)
    if product == "stone fruit":  # the vocabulary stops 'stone fruit' from meaning the mined good Stones
        assert "Stones" not in {x.name for x in found}
    else:
        assert found == ()


def test_names_not_in_the_loaded_list_are_ignored():
    assert names(Matcher(["Cocoa"]).match("t-shirts")) == set()


@pytest.mark.parametrize("sector, product, expected", [
    ("construction services", None, "Construction"),
    ("Agriculture", None, "Agriculture"),
    (None, "laptops", "Manufacturing"),
    (None, "palm oil", "Agriculture"),
    ("trading and manufacturing", None, None),  # two sectors: not guessed
    (None, "widgets", None),
])
def test_broad_sector(sector, product, expected):
    assert broad_sector(sector, product) == expected


@pytest.mark.parametrize("name, iso3", [
    ("Burma", "MMR"), ("Congo, Democratic Republic of the", "COD"), ("Democratic Republic of the Congo", "COD"),
    ("Turkey (Türkiye)", "TUR"), ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Viet Nam", "VNM"),
    ("Russia", "RUS"), ("UK", "GBR"), ("United States of America", "USA"), ("bgd", "BGD"), ("GH", "GHA"),
    ("Gambia, The", "GMB"), ("Kosovo", "XKX"), ("Lao PDR", "LAO"), ("  india ", "IND"),
])
def test_country_names_and_aliases(name, iso3):
    assert resolve(name).iso3 == iso3


@pytest.mark.parametrize("name", ["Narnia", "Untied Kingdom", "Bangladeshh", "Korea", "", None, "Europe"])
def test_unknown_countries_are_not_guessed(name):
    assert resolve(name) is None

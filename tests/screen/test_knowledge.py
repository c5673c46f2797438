"""The knowledge files: indicator catalogue, hotline directory, forms of exploitation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tiplens.errors import BadInput
from tiplens.knowledge.forms import form_ids, load_forms
from tiplens.knowledge.hotlines import country_code, load_hotlines
from tiplens.knowledge.indicators import ILO_INDICATORS, expand, load_indicators

ILO_ELEVEN = {"abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
              "physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
              "withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions", "excessive_overtime"}


def test_the_ilo_list_is_the_eleven_indicators():
    assert set(ILO_INDICATORS) == ILO_ELEVEN


def test_catalogue_fields_are_valid():
    cat = load_indicators()
    assert len(cat.indicators) >= 25
    forms = form_ids()
    for ind in cat.indicators:
        assert ind.ilo is None or ind.ilo in ILO_ELEVEN
        assert ind.palermo in (None, "act", "means", "purpose")
        assert ind.form is None or ind.form in forms
        assert 0 < ind.weight <= 3
        assert ind.label_en and ind.label_id
        assert ind.patterns_en or ind.patterns_id or ind.patterns_any


def test_the_recruitment_red_flags_of_the_issue_are_covered():
    ids = set(load_indicators().ids)
    for required in ("worker_fees", "pay_far_above_norm", "light_requirements", "personal_messaging_only",
                     "visit_visa_work", "no_contract", "irregular_recruiter", "accommodation_controlled",
                     "phone_restricted", "age_sex_limits", "live_in", "third_party_control",
                     "sex_service_terms", "sex_youth_cues", "movement_cues"):
        assert required in ids


def test_bilingual_indicators_have_both_languages():
    for ind in load_indicators().indicators:
        if ind.patterns_any:
            continue  # emoji: language-neutral
        assert ind.patterns_en, ind.id
        assert ind.patterns_id, ind.id


def test_brace_expansion():
    assert sorted(expand("fee{s|}")) == ["fee", "fees"]
    assert sorted(expand("{a|b {c|d}} x")) == ["a x", "b c x", "b d x"]
    assert expand("no {prior |}experience") == ["no prior experience", "no experience"]
    with pytest.raises(ValueError):
        expand("fee{s|")


def test_a_bad_catalogue_is_rejected_with_a_clear_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators:\n  - id: x\n    label_en: X\n    label_id: X\n    group: recruitment\n"
                   "    ilo: slavery\n    palermo: means\n    form: null\n    weight: 1\n    patterns_en: ['x']\n")
    with pytest.raises(BadInput, match="ilo 'slavery' is not one of the ILO indicators"):
        load_indicators(bad)
    bad.write_text("indicators:\n  - id: y\n    label_en: Y\n    label_id: Y\n    group: recruitment\n"
                   "    ilo: null\n    palermo: means\n    form: null\n    weight: 1\n    patterns_en: ['re:(unclosed']\n")
    with pytest.raises(BadInput, match="not a valid regex"):
        load_indicators(bad)


def test_forms_of_exploitation_from_the_seeds():
    knowledge = load_forms()
    assert {"sexual_exploitation", "forced_labour", "domestic_servitude", "forced_criminality",
            "child_trafficking", "forced_marriage", "organ_removal", "debt_bondage"} <= form_ids()
    assert {"unodc", "ilo", "unicef", "iom"} <= {o.id for o in knowledge.organisations}
    assert "palermo_protocol" in {i.id for i in knowledge.instruments}


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def test_every_hotline_has_a_source_and_the_seed_numbers_are_there():
    lines = load_hotlines()
    assert all(h.cite for h in lines)
    numbers = {_digits(h.number) for h in lines}
    for seed_number in ("18883737888", "08000121700", "1800000123"):  # seed 002
        assert seed_number in numbers
    assert any(h.country == "ID" and h.number == "129" for h in lines)
    for country in ("ID", "MY", "SA", "TW", "HK", "SG", "KR", "JP", "AE"):
        assert any(h.country == country and h.verified for h in lines), country


def test_country_codes_are_resolved():
    assert country_code("idn") == "ID"
    assert country_code("Indonesia") == "ID"
    assert country_code("us-nj") == "US-NJ"
    with pytest.raises(BadInput):
        country_code("Atlantis")




@pytest.mark.real
def test_the_tat_north_american_list_is_in_the_directory():
    raw = json.loads(shared("tat-hotlines", "hotlines.json").read_text(encoding="utf-8"))
    ours = {(h.region, _digits(h.number)) for h in load_hotlines() if h.source == "tat"}
    for entry in raw:
        region = entry["regionCode"]
        if region.startswith("Custom region"):
            region = "US-NY-KINGS"
        assert (region, _digits(entry["phoneNumber"])) in ours, entry["name"]["en-us"]

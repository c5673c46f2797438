"""The documented rules and the vague / future-tense cues, on hand-written sentences."""

from __future__ import annotations

import pytest

from tiplens.knowledge import msa_requirements as reqs
from tiplens.supply import rules, vagueness


def fires(requirement: str, sentence: str) -> bool:
    return rules.rule_score(sentence, requirement)[0] > 0


@pytest.mark.parametrize("sentence", [
    "This statement was approved by the Board of Directors on 25 March 2024.",
    "The Board of Acme plc has reviewed and approved this statement.",
    "Approved by the Board: 15th February 2024",
    "This Report was approved pursuant to subparagraph 11(4)(b)(ii) of the Act by the Board.",
    "This statement has been adopted by the trustees of the Foundation.",
])
def test_approval_fires(sentence):
    assert fires("approval", sentence)


@pytest.mark.parametrize("sentence", [
    "Our Human Rights Policy was approved by the Board in 2022.",
    "All new appointments are approved by senior directors.",
    "We only use approved suppliers.",
    "The Board meets four times a year.",
])
def test_approval_does_not_fire(sentence):
    assert not fires("approval", sentence)


@pytest.mark.parametrize("sentence", [
    "Signed by Jane Doe, Director",
    "Signed: ____________________",
    "Jane Doe Chief Executive Officer",
    "Alasdair Murdoch Director Date: 13/1/2023",
    "Paul Ashworth, Director, for and on behalf of each UK company in the group",
    "I attest that I have reviewed the information contained in the report.",
    "I, Bernhard Bruggaier, hereby certify that the information in this statement is accurate.",
])
def test_signature_fires(sentence):
    assert fires("signature", sentence)


@pytest.mark.parametrize("sentence", [
    "The Chief Executive Officer is responsible for our modern slavery programme.",
    "Our directors receive annual training on modern slavery, which we will extend to all managers.",
    "Suppliers must sign our code of conduct.",
])
def test_signature_does_not_fire(sentence):
    assert not fires("signature", sentence)


@pytest.mark.parametrize("sentence", [
    "This statement is made on behalf of Acme Pty Ltd (ABN 12 345 678 901).",
    "Acme Holdings is a reporting entity under the Modern Slavery Act 2018 (Cth).",
    "This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015.",
    "This joint statement covers Acme Holdings Ltd and its subsidiaries.",
    "Registered in England and Wales, company number 01234567.",
    "This statement sets out the steps Acme PLC has taken and is made pursuant to the Modern Slavery Act 2015.",
])
def test_reporting_entity_fires(sentence):
    assert fires("c1_reporting_entity", sentence)


@pytest.mark.parametrize("sentence", [
    "We consulted with each of our owned and controlled entities in preparing this statement.",
    "The subsidiaries covered by this statement were consulted through the group working group.",
    "Acme does not own or control any other entities.",
    "This statement was prepared in collaboration with the management of each reporting entity.",
])
def test_consultation_fires(sentence):
    assert fires("c6_consultation", sentence)


@pytest.mark.parametrize("sentence", [
    "We consulted NGOs and workers' representatives on our grievance mechanism.",
    "Our subsidiaries operate in 12 countries.",
])
def test_consultation_does_not_fire_on_other_consultation_or_mere_entities(sentence):
    assert not fires("c6_consultation", sentence)


def test_every_rule_belongs_to_a_known_requirement_and_keywords_cover_all():
    assert {r.requirement for r in rules.RULES} <= set(reqs.NAMES)
    assert set(rules.KEYWORDS) == set(reqs.NAMES)
    assert {n for n in reqs.NAMES if rules.has_rules(n)} == {"approval", "signature", "c1_reporting_entity", "c6_consultation"}
    assert all(0 < r.strength <= 1 for r in rules.RULES)


@pytest.mark.parametrize("sentence,kind", [
    ("We will introduce supplier audits next year.", "future"),
    ("We intend to map our tier 2 suppliers.", "future"),
    ("Our aim is modest; we aim to train all buyers.", "future"),
    ("The company plans to roll out training in 2025.", "future"),
    ("Going forward, the Board will review the statement.", "future"),
    ("We are committed to eradicating modern slavery.", "vague"),
    ("Where possible, we visit our suppliers.", "vague"),
    ("We have a zero tolerance approach to slavery.", "vague"),
    ("We will continue to audit our suppliers every year.", ""),
    ("We asked suppliers when they will be able to comply.", ""),
    ("In 2023 we audited 45 suppliers and found two cases of withheld passports.", ""),
])
def test_vague_and_future_cues(sentence, kind):
    assert vagueness.cue(sentence)[0] == kind

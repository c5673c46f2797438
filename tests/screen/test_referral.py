"""Referral hotlines by country."""

from __future__ import annotations

import pytest

from tiplens.errors import BadInput
from tiplens.screen.referral import hotlines_for, referral


def numbers(country):
    return [h.number for h in hotlines_for(country)]


def test_indonesia():
    got = numbers("ID")
    assert "129" in got and "0800-1000" in got
    assert got[-1] == "110"  # the general emergency number comes last
    assert all(r["source"] for r in referral("ID"))


def test_destination_countries():
    assert "1955" in numbers("TW")
    assert "+852 2157 9537" in numbers("HK")
    assert "19911" in numbers("SA")
    assert "+60 3-8000 8000" in numbers("Malaysia")


def test_unverified_seed_number_is_not_offered():
    assert "1800 000 123" not in numbers("AU")
    assert "131 237" in numbers("AU")


def test_subdivision_gets_its_own_and_the_national_lines():
    got = numbers("US-NJ")
    assert "+1 855-363-6548" in got and "+1 888-373-7888" in got
    assert "+1 866-455-5075" not in got  # Colorado
    assert "+1 855-363-6548" not in numbers("US")


def test_no_country_and_unknown_country():
    assert referral(None) == []
    assert referral("FR") == []
    with pytest.raises(BadInput):
        referral("Atlantis")

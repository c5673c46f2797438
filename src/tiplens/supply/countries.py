"""Country names as suppliers and publishers write them, resolved to ISO 3166 alpha-3.

Resolution is exact, never fuzzy: a name is looked up (accents and case folded) among
pycountry's names, official names, common names and codes, then in a small alias table
of the variants the publishers and supplier lists use ("Burma", "Congo, Democratic
Republic of the", "Turkey (Türkiye)", "UK"). Anything else is reported as unknown, so
that a misspelt country is listed for the user to fix, not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

KOSOVO = "XKX"  # not in ISO 3166; the user-assigned code the EU and IMF use

# folded variant -> alpha-3 (variants pycountry does not know)
ALIASES: dict[str, str] = {
    "burma": "MMR", "burma (myanmar)": "MMR", "myanmar (burma)": "MMR",
    "congo, democratic republic of the": "COD", "democratic republic of the congo": "COD",
    "democratic republic of congo": "COD", "dr congo": "COD", "drc": "COD", "congo (kinshasa)": "COD",
    "congo, republic of the": "COG", "republic of the congo": "COG", "congo (brazzaville)": "COG",
    "russia": "RUS", "turkey": "TUR", "turkey (turkiye)": "TUR", "turkiye": "TUR",
    "cape verde": "CPV", "lao pdr": "LAO", "lao people's democratic republic": "LAO",
    "kosovo": KOSOVO, "ivory coast": "CIV", "swaziland": "SWZ", "macedonia": "MKD",
    "brunei": "BRN", "palestine": "PSE", "state of palestine": "PSE", "west bank and gaza": "PSE",
    "west bank and the gaza strip": "PSE", "micronesia": "FSM", "micronesia (federated states of)": "FSM",
    "east timor": "TLS", "holland": "NLD", "uk": "GBR", "u.k.": "GBR", "great britain": "GBR",
    "britain": "GBR", "england": "GBR", "scotland": "GBR", "wales": "GBR", "northern ireland": "GBR",
    "u.s.": "USA", "u.s.a.": "USA", "united states of america": "USA", "uae": "ARE",
    "south korea": "KOR", "korea, south": "KOR", "republic of korea": "KOR",
    "north korea": "PRK", "korea, north": "PRK", "dprk": "PRK",
    "bosnia": "BIH", "st. lucia": "LCA", "st lucia": "LCA", "st. kitts and nevis": "KNA",
    "st. vincent and the grenadines": "VCT", "curacao": "CUW", "sao tome and principe": "STP",
    "falkland islands (islas malvinas)": "FLK",
    "saint helena, ascension, and tristan da cunha": "SHN", "vatican": "VAT", "hong kong sar": "HKG",
    "macau": "MAC", "macao sar": "MAC", "taiwan, china": "TWN", "chinese taipei": "TWN",
}

_NAMES = {"COD": "Democratic Republic of the Congo", KOSOVO: "Kosovo"}


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str


def fold(text: str) -> str:
    """Accent- and case-folded, single-spaced, curly quotes straightened."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_2", "alpha_3"):
            value = getattr(c, attr, None)
            if value:
                index.setdefault(fold(value), c.alpha_3)
    index.update(ALIASES)
    return index


def display_name(iso3: str) -> str:
    if iso3 in _NAMES:
        return _NAMES[iso3]
    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return iso3
    return getattr(c, "common_name", None) or c.name


@lru_cache(maxsize=4096)
def resolve(raw: str | None) -> Country | None:
    """The country a name or code stands for, or None when it is not recognised."""
    if raw is None or not str(raw).strip():
        return None
    key = fold(str(raw))
    index = _index()
    iso3 = index.get(key)
    if iso3 is None and key.startswith("the "):
        iso3 = index.get(key[4:])
    if iso3 is None and key.endswith(", the"):
        iso3 = index.get(key[:-5])
    if iso3 is None:
        return None
    return Country(iso3, display_name(iso3))

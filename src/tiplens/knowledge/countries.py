"""Countries and their UN M49 regions, for the cases pillar.

``m49_regions.csv`` (package data) has one row per ISO 3166-1 country: alpha-2, alpha-3,
M49 numeric code, English name, M49 region, sub-region and intermediate region. It was
built by :func:`build_table` from pycountry (codes, names) and country_converter's
``UNregion`` column (the M49 sub-region or intermediate region of each country), with the
intermediate regions placed under their M49 sub-regions from our own knowledge of the M49
standard (e.g. Western Africa -> Sub-Saharan Africa -> Africa). Kosovo (XK, used by CTDC)
and the former Netherlands Antilles (AN) are added by hand; Nauru is corrected to
Micronesia (M49). Rebuild with
``python -m tiplens.knowledge.countries``.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyarrow as pa

FILE = "m49_regions.csv"
COLUMNS = ("iso2", "iso3", "m49", "name", "region", "subregion", "intermediate_region")

# M49 intermediate regions and the sub-region each belongs to.
_INTERMEDIATE = {
    "Eastern Africa": "Sub-Saharan Africa", "Middle Africa": "Sub-Saharan Africa",
    "Southern Africa": "Sub-Saharan Africa", "Western Africa": "Sub-Saharan Africa",
    "Caribbean": "Latin America and the Caribbean", "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
}
# M49 sub-regions and their region.
SUBREGION_REGION = {
    "Northern Africa": "Africa", "Sub-Saharan Africa": "Africa",
    "Latin America and the Caribbean": "Americas", "Northern America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia", "Southern Asia": "Asia",
    "Western Asia": "Asia", "Eastern Europe": "Europe", "Northern Europe": "Europe",
    "Southern Europe": "Europe", "Western Europe": "Europe", "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania", "Micronesia": "Oceania", "Polynesia": "Oceania",
}
# Corrections where country_converter's UNregion differs from M49 (checked against UNODC's GLOTIP).
_FIX_SUBREGION = {"NR": "Micronesia"}
_EXTRA = (
    ("XK", "XKX", "", "Kosovo", "Europe", "Southern Europe", ""),
    ("AN", "ANT", "530", "Netherlands Antilles (former)", "Americas", "Latin America and the Caribbean", "Caribbean"),
)


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    m49: str
    name: str
    region: str
    subregion: str
    intermediate_region: str


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """All countries by alpha-2 code."""
    text = resources.files("tiplens.knowledge").joinpath(FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["iso2"]: Country(**{c: r[c] for c in COLUMNS}) for r in rows}


@lru_cache(maxsize=1)
def _by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in countries().values()}


def by_code(code: str | None) -> Country | None:
    """Look a country up by ISO alpha-2, alpha-3 or M49 numeric code (case-insensitive)."""
    if not code:
        return None
    c = code.strip().upper()
    if len(c) == 2:
        return countries().get(c)
    if len(c) == 3 and c.isalpha():
        return _by_iso3().get(c)
    if c.isdigit():
        for country in countries().values():
            if country.m49 and int(country.m49) == int(c):
                return country
    return None


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


@lru_cache(maxsize=4096)
def by_name(name: str | None) -> Country | None:
    """Find a country from an English name as statistical tables spell it ("Côte d'Ivoire",
    "Congo, Democratic Republic of the", "Türkiye"), with country_converter's patterns."""
    if not name or not name.strip():
        return None
    key = _norm(name)
    for c in countries().values():
        if _norm(c.name) == key:
            return c
    iso3 = _coco().convert(name, to="ISO3", not_found=None)
    return _by_iso3().get(iso3) if isinstance(iso3, str) else None


@lru_cache(maxsize=1)
def _coco():
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    # country_converter's own loader reads Namibia's "NA" as missing under pandas >= 3; load
    # its table with NA kept as text and hand it over.
    import pandas as pd

    path = Path(coco.__file__).with_name("country_data.tsv")
    data = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=data)


def region_table() -> pa.Table:
    """The M49 table as Arrow, for joining in Ibis (``ibis.memtable``)."""
    rows = list(countries().values())
    return pa.table({c: [getattr(r, c) or None for r in rows] for c in COLUMNS})


def build_table() -> list[tuple[str, ...]]:
    """Rebuild the rows of ``m49_regions.csv`` from pycountry and country_converter."""
    import pycountry

    coco = _coco()
    unregion = dict(zip(coco.data["ISO3"], coco.data["UNregion"], strict=False))
    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        raw = unregion.get(c.alpha_3)
        raw = raw if isinstance(raw, str) else ""
        sub = _FIX_SUBREGION.get(c.alpha_2) or _INTERMEDIATE.get(raw, raw)
        inter = raw if raw in _INTERMEDIATE else ""
        region = SUBREGION_REGION.get(sub, "")
        name = getattr(c, "common_name", None) or c.name
        out.append((c.alpha_2, c.alpha_3, c.numeric, name, region, sub if region else "", inter if region else ""))
    out.extend(_EXTRA)
    return sorted(out)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    target = Path(__file__).with_name(FILE)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(build_table())
    print(f"wrote {target}")

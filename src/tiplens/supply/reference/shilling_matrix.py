"""Modelled forced labour by region and sector from Shilling, Wiedmann & Malik (2021),
"Modern slavery footprints in global supply chains" (Journal of Industrial Ecology), in
the authors' matrix layout (``Shilling_Matrix_GTAP-AgUnSk.xlsx``): one row per GTAP
region (``Number, Code, Description (County or Region), Classified Region``) and one
column per GTAP sector named ``CODE-Description-BroadSector``. :func:`region_iso3` and
:func:`split_sector` are shared with the long CSV reader."""

from __future__ import annotations

from pathlib import Path

import pycountry

from tiplens.importing import Reject
from tiplens.supply.reference.base import (
    CountryNotes,
    Loaded,
    Peek,
    column,
    edition_from,
    find_header,
    pick,
    records,
    to_float,
)
from tiplens.supply.schema import BROAD_SECTORS

NAME = "shilling-matrix"
DESCRIPTION = "Shilling et al. (2021) forced labour by GTAP region x sector, matrix XLSX"
PUBLISHER = "Shilling, Wiedmann & Malik (2021), Journal of Industrial Ecology"
TITLE = "Modern slavery footprints in global supply chains: forced labour by region and sector"
EDITION = "Shilling et al. 2021"


def _sheet(peek: Peek) -> str | None:
    for name, rows in peek.sheets.items():
        if find_header(rows, "code", "description", "classified region") is not None:
            return name
    return None


def sniff(peek: Peek) -> bool:
    return peek.container == "xlsx" and _sheet(peek) is not None


def region_iso3(code: str, name: str, countries: CountryNotes) -> str | None:
    """GTAP codes are ISO alpha-3 for single countries; 'X..' codes are aggregates."""
    if code and not code.upper().startswith("X") and pycountry.countries.get(alpha_3=code.upper()):
        return code.upper()
    if name and not name.casefold().startswith("rest of"):
        from tiplens.supply.countries import resolve

        c = resolve(name)
        if c is not None:
            return c.iso3
    countries.unknown[f"{code} {name}".strip()] += 1
    return None


def split_sector(label: str) -> tuple[str, str, str | None]:
    """'WAP-Wearing apparel-Manufacturing' -> ('WAP', 'Wearing apparel', 'Manufacturing')."""
    code, _, rest = label.partition("-")
    desc, _, broad = rest.rpartition("-")
    if broad not in BROAD_SECTORS:
        return code, rest, None
    return code, desc, broad


def aggregate_note(countries: CountryNotes) -> list[str]:
    if not countries.unknown:
        return []
    names = ", ".join(sorted(countries.unknown))
    return [f"{len(countries.unknown)} regions are groups of countries, not one country; suppliers there get no "
            f"sector estimate: {names}"]


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    sheet = _sheet(peek)
    header, items = records(path, peek, sheet=sheet, needles=("code", "description", "classified region"))
    i_code, i_name = column(header, "Code"), column(header, "Description", contains=True)
    sectors = [(h, *split_sector(h)) for h in header if h.count("-") >= 2]
    ed, y, notes = edition_from(edition, EDITION, 2021, "")
    out = Loaded("sector_country", PUBLISHER, TITLE, ed, y, notes=notes)
    countries = CountryNotes("region")
    blank = 0
    for line, values, problem in items:
        out.read += len(sectors)  # one item per region x sector cell
        code = str(pick(values, header, i_code) or "").strip()
        name = str(pick(values, header, i_name) or "").strip()
        if problem or not code:
            out.rejects.extend(Reject(problem or "row without a region code", line) for _ in sectors)
            continue
        iso3 = region_iso3(code, name, countries)
        for label, scode, desc, broad in sectors:
            value = to_float(values.get(label))
            if value is None:
                blank += 1
                out.rejects.append(Reject(f"{code} x {scode}: empty or not a number", line))
                continue
            out.rows.append({"region_code": code, "iso3": iso3, "region": name, "sector_code": scode,
                             "sector": desc, "broad_sector": broad, "value": value})
    out.notes.append(f"{len(sectors)} sectors per region; modelled counts of people in forced labour "
                     "(low-skilled labour used as the allocation proxy), not observed cases")
    if blank:
        out.notes.append(f"{blank} empty region x sector cells")
    out.notes.extend(aggregate_note(countries))
    return [out]

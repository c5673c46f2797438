"""Shilling et al. (2021) forced labour by region and sector, reshaped to one CSV row per
region and sector (``region_code, region, ilo_region, gtap_sector, value, ...``)."""

from __future__ import annotations

from pathlib import Path

from tiplens.importing import Reject
from tiplens.supply.reference.base import CountryNotes, Loaded, Peek, edition_from, records, to_float
from tiplens.supply.reference.shilling_matrix import (
    EDITION,
    PUBLISHER,
    TITLE,
    aggregate_note,
    region_iso3,
    split_sector,
)

NAME = "shilling-long"
DESCRIPTION = "Shilling et al. (2021) forced labour by region x sector, long CSV (region_code, gtap_sector, value)"


def sniff(peek: Peek) -> bool:
    return peek.container == "csv" and peek.has_columns("region_code", "region", "gtap_sector", "value")


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    header, items = records(path, peek)
    ed, y, notes = edition_from(edition, EDITION, 2021, "")
    out = Loaded("sector_country", PUBLISHER, TITLE, ed, y, notes=notes)
    countries = CountryNotes("region")
    cache: dict[tuple[str, str], str | None] = {}
    for line, values, problem in items:
        out.read += 1
        code, name = (values.get("region_code") or "").strip(), (values.get("region") or "").strip()
        label, value = (values.get("gtap_sector") or "").strip(), to_float(values.get("value"))
        if problem or not code or not label or value is None:
            out.rejects.append(Reject(problem or "row without a region code, sector or numeric value", line))
            continue
        if (code, name) not in cache:
            cache[(code, name)] = region_iso3(code, name, countries)
        scode, desc, broad = split_sector(label)
        out.rows.append({"region_code": code, "iso3": cache[(code, name)], "region": name, "sector_code": scode,
                         "sector": desc, "broad_sector": (values.get("broad_sector") or "").strip() or broad,
                         "value": value})
    out.notes.append("modelled counts of people in forced labour (low-skilled labour used as the allocation proxy), "
                     "not observed cases")
    out.notes.extend(aggregate_note(countries))
    return [out]

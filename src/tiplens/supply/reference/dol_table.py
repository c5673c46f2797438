"""The US DOL List of Goods as a table, the way DOL publishes it for download (CSV or
XLSX): one row per good and country with ``Country/Area``, ``Good`` and ``Exploitation
Type`` ("Child Labor, Forced Labor", "Inputs Produced with Forced Labor", ...), or with
one column per kind of exploitation marked X / Yes.

The table carries no good sector and no edition: pass ``--edition`` (e.g. 2024).
"""

from __future__ import annotations

from pathlib import Path

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
    year_in,
)

NAME = "dol-goods-table"
DESCRIPTION = "US DOL List of Goods as a table: Country/Area, Good, Exploitation Type (CSV or XLSX)"
PUBLISHER = "US Department of Labor, Bureau of International Labor Affairs (ILAB)"
TITLE = "List of Goods Produced by Child Labor or Forced Labor"
_TYPES = ("exploitation type", "child labor")


def _sheet(peek: Peek) -> str | None:
    for name, rows in peek.sheets.items():
        for needle in _TYPES:
            if find_header(rows, "good", needle) is not None and find_header(rows, "country") is not None:
                return name
    return None


def sniff(peek: Peek) -> bool:
    if peek.container == "csv":
        h = [x.casefold() for x in peek.header]
        return "good" in h and any(x.startswith("country") for x in h) and any(t in h for t in _TYPES)
    return peek.container == "xlsx" and _sheet(peek) is not None


def _mark(value) -> bool:
    return value is not None and str(value).strip().casefold() in ("x", "yes", "y", "true", "1")


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    sheet = _sheet(peek) if peek.container == "xlsx" else None
    needle = "exploitation type"
    if sheet is not None and find_header(peek.sheets[sheet], "good", needle) is None:
        needle = "child labor"
    header, items = records(path, peek, sheet=sheet, needles=("good", needle))
    i_country = column(header, "Country/Area", "Country", "Country/area")
    i_good = column(header, "Good")
    i_type = column(header, "Exploitation Type")
    i_cl, i_fl = column(header, "Child Labor"), column(header, "Forced Labor")
    i_fcl = column(header, "Forced Child Labor")
    ed, year, notes = edition_from(edition, None, None, "List")
    if not edition and year_in(path.name):
        ed, year, notes = str(year_in(path.name)), year_in(path.name), ["edition year taken from the file name"]
    out = Loaded("dol_goods", PUBLISHER, TITLE, ed, year, notes=notes)
    countries = CountryNotes("DOL country")
    unknown_types: set[str] = set()
    for line, values, problem in items:
        out.read += 1
        if problem:
            out.rejects.append(Reject(problem, line))
            continue
        by = {k: pick(values, header, i) for k, i in
              (("country", i_country), ("good", i_good), ("type", i_type), ("cl", i_cl), ("fl", i_fl), ("fcl", i_fcl))}
        country, good = by["country"], by["good"]
        if not country or not str(country).strip() or not good or not str(good).strip():
            out.rejects.append(Reject("row without a country or a good", line))
            continue
        if i_type is not None:
            kinds = {k.strip().casefold() for k in str(by["type"] or "").split(",") if k.strip()}
            unknown_types |= kinds - {"child labor", "forced labor", "forced child labor",
                                      "inputs produced with child labor", "inputs produced with forced labor"}
            cl, fl = "child labor" in kinds, "forced labor" in kinds
            fcl = True if "forced child labor" in kinds else None
            icl, ifl = "inputs produced with child labor" in kinds, "inputs produced with forced labor" in kinds
        else:
            cl, fl, fcl = _mark(by["cl"]), _mark(by["fl"]), (_mark(by["fcl"]) if i_fcl is not None else None)
            icl = ifl = False
        out.rows.append({
            "good": str(good).strip(), "good_sector": None, "country": str(country).strip(),
            "iso3": countries.iso3(country), "child_labor": cl, "forced_labor": fl, "forced_child_labor": fcl,
            "inputs": icl or ifl, "inputs_child_labor": icl, "inputs_forced_labor": ifl, "derived_country": None,
        })
    out.notes.append("the table gives no sector per good")
    if i_type is not None:
        out.notes.append("forced child labour is not distinguished from child and forced labour in this layout")
    if unknown_types:
        out.notes.append(f"exploitation types not recognised (ignored): {', '.join(sorted(unknown_types))}")
    out.notes.extend(countries.note())
    return [out]

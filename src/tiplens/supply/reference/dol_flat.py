"""The DOL List of Goods flattened to one CSV row per good and country with Yes/No
columns (``good, good_sector, country, child_labor, forced_labor, forced_child_labor,
derived_labor_exploitation, derived_country``), as written by flattening DOL's app XML.
A stacked file with ``app_file`` / ``app_file_year`` columns holds several editions;
each becomes its own source, so nothing is dropped and the newest is used for risk.
"""

from __future__ import annotations

from pathlib import Path

from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.supply.reference.base import CountryNotes, Loaded, Peek, edition_from, records, yes_no
from tiplens.supply.reference.dol_xml import PUBLISHER, TITLE

NAME = "dol-goods-flat"
DESCRIPTION = "US DOL List of Goods flattened to CSV (good, country, child_labor, forced_labor, ...)"


def sniff(peek: Peek) -> bool:
    return peek.container == "csv" and peek.has_columns("good", "country", "child_labor", "forced_labor")


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    header, items = records(path, peek)
    stacked = "app_file" in header
    by_edition: dict[str, Loaded] = {}
    notes_for: dict[str, CountryNotes] = {}
    rejects_without_edition: list[Reject] = []
    read_without_edition = 0
    for line, values, problem in items:
        key = (values.get("app_file") or "").strip() if stacked else ""
        if problem or (stacked and not key):
            read_without_edition += 1
            rejects_without_edition.append(Reject(problem or "row without an app_file", line))
            continue
        if key not in by_edition:
            year = values.get("app_file_year")
            found = f"DOL app data {key}" if key else None
            if stacked and edition:
                raise BadInput(f"{path}: holds several editions (app_file column); --edition cannot name them all")
            ed, y, notes = edition_from(edition, found, int(year) if year and str(year).isdigit() else None, "List")
            by_edition[key] = Loaded("dol_goods", PUBLISHER, TITLE, ed, y, notes=notes)
            notes_for[key] = CountryNotes("DOL country")
        out = by_edition[key]
        out.read += 1
        good, country = (values.get("good") or "").strip(), (values.get("country") or "").strip()
        if not good or not country:
            out.rejects.append(Reject("row without a good or a country", line))
            continue
        derived = values.get("derived_labor_exploitation")
        dcountry = (values.get("derived_country") or "").strip()
        out.rows.append({
            "good": good, "good_sector": (values.get("good_sector") or "").strip() or None, "country": country,
            "iso3": notes_for[key].iso3(country), "child_labor": yes_no(values.get("child_labor")),
            "forced_labor": yes_no(values.get("forced_labor")),
            "forced_child_labor": yes_no(values.get("forced_child_labor")),
            "inputs": yes_no(derived) if derived else None, "inputs_child_labor": None, "inputs_forced_labor": None,
            "derived_country": dcountry if dcountry and dcountry.casefold() != "no" else None,
        })
    if not by_edition:
        raise BadInput(f"{path}: no rows")
    loaded = [by_edition[k] for k in sorted(by_edition, key=lambda k: (by_edition[k].edition_year or 0, k))]
    loaded[-1].read += read_without_edition
    loaded[-1].rejects.extend(rejects_without_edition)
    for key, out in by_edition.items():
        if all(r["inputs"] is None for r in out.rows):
            out.notes.append("no derived_* values: goods made with inputs produced with child or forced labour are not marked")
        out.notes.extend(notes_for[key].note())
        if len(by_edition) > 1:
            out.notes.append(f"one of {len(by_edition)} editions stacked in this file")
    return loaded

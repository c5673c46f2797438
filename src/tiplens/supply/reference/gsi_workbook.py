"""The Walk Free Global Slavery Index workbook as published (``2023-Global-Slavery-Index-
Data.xlsx``): the country summary sheet and the G20 Importing Risk sheet, each becoming
its own source. The edition is read from the sheets' "Global Slavery Index YEAR" line."""

from __future__ import annotations

import re
from pathlib import Path

from tiplens.supply.reference import gsi_g20, gsi_summary
from tiplens.supply.reference.base import Loaded, Peek, edition_from, records

NAME = "gsi-workbook"
DESCRIPTION = "Walk Free Global Slavery Index workbook (XLSX): summary data and G20 Importing Risk sheets"


def _sheet(peek: Peek, *words: str) -> str | None:
    for name in peek.sheets:
        if all(w in name.casefold() for w in words):
            return name
    return None


def sniff(peek: Peek) -> bool:
    return peek.container == "xlsx" and (_sheet(peek, "summary data") is not None
                                         or _sheet(peek, "g20", "risk") is not None)


def _edition(peek: Peek) -> tuple[str | None, int | None]:
    for rows in peek.sheets.values():
        for row in rows:
            for cell in row:
                m = re.search(r"Global Slavery Index (\d{4})", str(cell or ""), re.IGNORECASE)
                if m:
                    return f"GSI {m.group(1)}", int(m.group(1))
    return None, None


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    found, year = _edition(peek)
    out: list[Loaded] = []
    summary = _sheet(peek, "summary data")
    if summary:
        ed, y, notes = edition_from(edition, found, year, "GSI")
        loaded = Loaded("gsi_countries", gsi_summary.PUBLISHER, gsi_summary.TITLE, ed, y, notes=notes)
        header, items = records(path, peek, sheet=summary, needles=("country", "prevalence"))
        gsi_summary.map_rows(header, items, loaded)
        loaded.notes.insert(0, f"sheet {summary!r}")
        out.append(loaded)
    g20 = _sheet(peek, "g20", "risk")
    if g20:
        ed, y, notes = edition_from(edition, found, year, "GSI")
        loaded = Loaded("g20_imports", gsi_summary.PUBLISHER, gsi_g20.TITLE, ed, y, notes=notes)
        header, items = records(path, peek, sheet=g20, needles=("product", "origin_country", "importer"))
        gsi_g20.map_rows(header, items, loaded)
        loaded.notes.insert(0, f"sheet {g20!r}")
        out.append(loaded)
    return out

"""A two-column table of forced labour by broad economic sector worldwide (``Sector,
Forced labour``), such as the sector breakdown of the ILO, Walk Free and IOM Global
Estimates of Modern Slavery. It is shown as context beside the sector reason and never
adds points. Such files often state no unit, source or year: say so, or pass --edition."""

from __future__ import annotations

from pathlib import Path

from tiplens.importing import Reject
from tiplens.supply.reference.base import (
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

NAME = "sector-global"
DESCRIPTION = "forced labour by broad sector worldwide: two columns Sector, Forced labour (CSV or XLSX)"
_BROAD = {"mining and quarrying": "Mining", "quarrying": "Mining", **{s.casefold(): s for s in BROAD_SECTORS}}


def _sheet(peek: Peek) -> str | None:
    for name, rows in peek.sheets.items():
        if find_header(rows, "sector", "forced labour") is not None:
            return name
    return None


def sniff(peek: Peek) -> bool:
    if peek.container == "csv":
        return peek.has_columns("sector", "forced labour") and len(peek.header) <= 3
    return peek.container == "xlsx" and _sheet(peek) is not None and len(peek.sheets) == 1


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    sheet = _sheet(peek) if peek.container == "xlsx" else None
    header, items = records(path, peek, sheet=sheet, needles=("sector", "forced labour"))
    i_sector, i_value = column(header, "Sector"), column(header, "Forced labour")
    ed, y, notes = edition_from(edition, None, None, "")
    out = Loaded("sector_global", "as given in the file (no publisher stated)", "Forced labour by sector, worldwide",
                 ed, y, notes=notes)
    for line, values, problem in items:
        out.read += 1
        sector, value = pick(values, header, i_sector), to_float(pick(values, header, i_value))
        if problem or not sector or value is None:
            out.rejects.append(Reject(problem or "row without a sector or numeric value", line))
            continue
        sector = str(sector).strip()
        out.rows.append({"region_code": "WLD", "iso3": None, "region": "World", "sector_code": None,
                         "sector": sector, "broad_sector": _BROAD.get(sector.casefold()), "value": value})
    out.notes.append("the file states no unit or source; values are shown as written (context only, no points)")
    return [out]

"""Walk Free Global Slavery Index country data: the workbook's summary sheet saved as
CSV (``Country, Population, Region, Estimated prevalence of modern slavery per 1,000
population, ..., Total Vulnerability score (%), ..., Government response total (%)``).
:func:`map_rows` is shared with the workbook reader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tiplens.importing import Reject
from tiplens.supply.reference.base import (
    CountryNotes,
    Loaded,
    Peek,
    column,
    edition_from,
    pick,
    records,
    to_float,
    year_in,
)

NAME = "gsi-summary-csv"
DESCRIPTION = "Walk Free GSI country summary (prevalence, vulnerability, government response) as CSV"
PUBLISHER = "Walk Free (Minderoo Foundation)"
TITLE = "Global Slavery Index: prevalence, vulnerability and government response by country"


def sniff(peek: Peek) -> bool:
    return (peek.container == "csv" and column(peek.header, "country") is not None
            and column(peek.header, "prevalence", contains=True) is not None
            and column(peek.header, "government response total", contains=True) is not None)


def map_rows(header: list[str], items: Iterable[tuple[int, dict[str, Any], str | None]], out: Loaded) -> None:
    cols = {
        "country": column(header, "Country"), "population": column(header, "Population"),
        "region": column(header, "Region"), "prevalence": column(header, "prevalence", contains=True),
        "people": column(header, "estimated number", contains=True),
        "vulnerability": column(header, "total vulnerability", contains=True),
        "government_response": column(header, "government response total", contains=True),
    }
    missing_cols = [k for k, i in cols.items() if i is None]
    if missing_cols:
        out.notes.append(f"columns not found: {', '.join(missing_cols)}")
    countries = CountryNotes("GSI country")
    gaps: dict[str, list[str]] = {"prevalence": [], "vulnerability": [], "government_response": []}
    for line, values, problem in items:
        out.read += 1
        if problem:
            out.rejects.append(Reject(problem, line))
            continue
        name = pick(values, header, cols["country"])
        if name is None or not str(name).strip():
            out.rejects.append(Reject("row without a country", line))
            continue
        name = str(name).strip()
        row: dict[str, Any] = {"country": name, "iso3": countries.iso3(name),
               "region": (str(pick(values, header, cols["region"]) or "").strip() or None)}
        pop = to_float(pick(values, header, cols["population"]))
        row["population"] = int(pop) if pop is not None else None
        for key in ("prevalence", "people", "vulnerability", "government_response"):
            row[key] = to_float(pick(values, header, cols[key]))
            if key in gaps and row[key] is None:
                gaps[key].append(name)
        out.rows.append(row)
    labels = {"prevalence": "prevalence estimate", "vulnerability": "vulnerability score",
              "government_response": "government response score"}
    for key, names in gaps.items():
        if names:
            shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
            out.notes.append(f"{len(names)} of {len(out.rows)} countries have no {labels[key]}: {shown}")
    out.notes.extend(countries.note())


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    year = year_in(path.name)
    ed, y, notes = edition_from(edition, f"GSI {year}" if year else None, year, "GSI")
    if year and not edition:
        notes.append("edition year taken from the file name")
    out = Loaded("gsi_countries", PUBLISHER, TITLE, ed, y, notes=notes)
    header, items = records(path, peek)
    map_rows(header, items, out)
    return [out]

"""Walk Free Global Slavery Index "G20 Importing Risk": the value of products at risk of
modern slavery that each G20 country imports from each source country (``product,
origin_country, value (thousands US$), importer``), as CSV. :func:`map_rows` is shared
with the workbook reader."""

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
from tiplens.supply.reference.gsi_summary import PUBLISHER

NAME = "gsi-g20-csv"
DESCRIPTION = "Walk Free GSI G20 imports of at-risk products (product, origin_country, value, importer) as CSV"
TITLE = "Global Slavery Index: G20 imports of products at risk of modern slavery"


def sniff(peek: Peek) -> bool:
    return peek.container == "csv" and peek.has_columns("product", "origin_country", "importer")


def map_rows(header: list[str], items: Iterable[tuple[int, dict[str, Any], str | None]], out: Loaded) -> None:
    i_product, i_origin = column(header, "product"), column(header, "origin_country")
    i_importer = column(header, "importer")
    i_value = column(header, "value_thousands_usd", "Value (thousands US$)")
    if i_value is None:
        i_value = column(header, "value", contains=True)
    origins, importers = CountryNotes("origin country"), CountryNotes("importer")
    for line, values, problem in items:
        out.read += 1
        if problem:
            out.rejects.append(Reject(problem, line))
            continue
        product, origin = pick(values, header, i_product), pick(values, header, i_origin)
        importer = pick(values, header, i_importer)
        if not all(v is not None and str(v).strip() for v in (product, origin, importer)):
            out.rejects.append(Reject("row without a product, origin country or importer", line))
            continue
        value = to_float(pick(values, header, i_value))
        if value is None:
            out.rejects.append(Reject("import value is not a number", line))
            continue
        out.rows.append({"importer": str(importer).strip(), "importer_iso3": importers.iso3(importer),
                         "product": str(product).strip(), "origin_country": str(origin).strip(),
                         "origin_iso3": origins.iso3(origin), "value_kusd": value})
    out.notes.append("values are thousands of US$ as published; only each importer's top at-risk products are listed, "
                     "not all trade")
    out.notes.extend(origins.note() + importers.note())


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    year = year_in(path.name)
    ed, y, notes = edition_from(edition, f"GSI {year}" if year else None, year, "GSI")
    if year and not edition:
        notes.append("edition year taken from the file name")
    out = Loaded("g20_imports", PUBLISHER, TITLE, ed, y, notes=notes)
    header, items = records(path, peek)
    map_rows(header, items, out)
    return [out]

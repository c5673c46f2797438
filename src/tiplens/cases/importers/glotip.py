"""UNODC Global Report on Trafficking in Persons (GLOTIP) data table, long format, as the
XLSX UNODC publishes (title lines above the header) or as CSV.

One row per (country, indicator, dimension, category, sex, age, year). ``txtVALUE`` is
text: "<5" is a suppressed small count (stored as value NULL, suppressed TRUE) and
numbers may carry thousands separators ("1,282"). Rows of one country-year overlap (a
Total row plus by-sex, by-age and by-form rows), so nothing here sums them: they are
stored as published, keyed on all their dimensions; rows that repeat the same dimensions
(several unlabelled "Other forms of exploitation" rows) are numbered by ``part``. Codes that are not ISO 3166 alpha-3
(UNODC's sub-regional aggregates such as "SAM", or "Sark") are kept with ``iso3`` NULL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tiplens.cases.importers import base
from tiplens.cases.importers.base import BadCode, ReadContext, StatRow
from tiplens.cases.importers.workbook import read_table
from tiplens.cases.schema import GLOTIP_SOURCE
from tiplens.importing import Reject
from tiplens.knowledge.countries import by_code, by_name

NAME = "glotip"
KIND = "stats"
REQUIRED = ("Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year", "txtVALUE")
SUPPRESSED = {"<5", "< 5", "<3", "<10"}


def sniff(header: list[str], path: Path) -> bool:
    cols = {h.strip().lower() for h in header}
    return {"iso3_code", "txtvalue"} <= cols or {"iso3_code", "indicator", "dimension", "value"} <= cols


def read(path: Path, ctx: ReadContext) -> Iterator[tuple[int, StatRow | Reject]]:
    header, rows, _ = read_table(path, REQUIRED[:3], sheet_hint="glotip", encoding=ctx.encoding)
    value_col = next((h for h in header if h.lower() == "txtvalue"), None) or next(
        (h for h in header if h.lower() == "value"), None)
    if value_col is None:
        from tiplens.errors import BadInput

        raise BadInput(f"{path}: no txtVALUE or VALUE column")
    parts: Counter[tuple] = Counter()
    for row in rows:
        if row.problem:
            yield row.line, Reject(row.problem, row.line)
            continue
        v = {k.lower(): val for k, val in row.values.items()}
        try:
            item = map_item(v, value_col.lower())
        except BadCode as exc:
            yield row.line, Reject(str(exc), row.line)
            continue
        parts[item.dims()] += 1
        item.part = parts[item.dims()]
        yield row.line, item


def map_item(v: dict[str, str | None], value_col: str = "txtvalue") -> StatRow:
    code = (v.get("iso3_code") or "").strip()
    name = (v.get("country") or "").strip()
    country = by_code(code) if len(code) == 3 else None
    if country is None and not code:
        country = by_name(name)
    area = code or name
    if not area:
        raise BadCode("Iso3_code and Country are both empty")
    indicator = (v.get("indicator") or "").strip()
    if not indicator:
        raise BadCode("Indicator is empty")
    raw = v.get(value_col)
    text = (str(raw).strip() if raw is not None else "")
    suppressed = text.replace(" ", "") in {s.replace(" ", "") for s in SUPPRESSED}
    value = None if suppressed else base.number(raw, "txtVALUE")
    if value is not None and value < 0:
        raise BadCode(f"txtVALUE: negative count {text!r}")
    return StatRow(
        iso3=country.iso3 if country else None, area=area, year=base.year(v.get("year"), "Year"),
        indicator=indicator, value=value, suppressed=suppressed, source=GLOTIP_SOURCE,
        dimension=(v.get("dimension") or "Total").strip(), category=(v.get("category") or "Total").strip(),
        sex=(v.get("sex") or "Total").strip(), age=(v.get("age") or "Total").strip(),
        unit=(v.get("unit of measurement") or None),
    )

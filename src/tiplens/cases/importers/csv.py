"""Any CSV/TSV/XLSX of case records or country statistics, with ``--map SOURCE=FIELD``.

Columns already named like a canonical field are taken as they are; ``--map`` names the
others (``--map Nationality=citizenship --map "Year identified=year"``). The file holds
country statistics when a column maps to ``value`` (with ``iso3`` or ``area``,
``indicator`` and ``year``), otherwise case records. Countries may be ISO codes or
English names; ages may be exact ages or CTDC bands; years may be dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tiplens.cases.importers import base
from tiplens.cases.importers.base import BadCode, CaseRow, ReadContext, StatRow
from tiplens.cases.schema import FLAG_COLUMNS
from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.knowledge.countries import by_code, by_name
from tiplens.tabular import read_rows

NAME = "csv"
KIND = "cases"  # or "stats", decided per file by the mapping
CASE_FIELDS = ("year", "sex", "age_band", "age", "minor", "citizenship", "country_of_exploitation", "datasource",
               "traffick_months", "abduction", *FLAG_COLUMNS)
STAT_FIELDS = ("iso3", "area", "year", "indicator", "dimension", "category", "sex", "age", "value", "suppressed",
               "unit", "source")
_YEAR = re.compile(r"^\s*(\d{4})")


def sniff(header: list[str], path: Path) -> bool:
    return True  # last resort: any table with a header


def fields_of(header: list[str], mapping: dict[str, str]) -> tuple[dict[str, str], str]:
    """Source column -> canonical field, and the kind ("cases" or "stats")."""
    known = {h.lower(): h for h in header}
    for src in mapping:
        if src.lower() not in known:
            raise BadInput(f"--map {src}=...: no column {src!r} in the file (columns: {', '.join(header[:12])})")
    chosen = {known[s.lower()]: f.strip().lower() for s, f in mapping.items()}
    kind = "stats" if "value" in chosen.values() else "cases"
    allowed = STAT_FIELDS if kind == "stats" else CASE_FIELDS
    for src, field in chosen.items():
        if field not in allowed:
            raise BadInput(f"--map {src}={field}: unknown {kind} field (choose from {', '.join(allowed[:12])}, ...)")
    for h in header:
        if h not in chosen and h.strip().lower() in allowed and h.strip().lower() not in chosen.values():
            chosen[h] = h.strip().lower()
    if kind == "cases" and not chosen:
        raise BadInput("no column maps to a case field; pass --map SOURCE_COLUMN=FIELD (e.g. --map Nationality=citizenship)")
    if kind == "stats" and not ({"iso3", "area"} & set(chosen.values()) and "indicator" in chosen.values()):
        raise BadInput("country statistics need columns mapped to value, indicator and iso3 (or area)")
    return chosen, kind


def read(path: Path, ctx: ReadContext) -> Iterator[tuple[int, CaseRow | StatRow | Reject]]:
    header, rows = read_rows(path, encoding=ctx.encoding)
    chosen, kind = fields_of(header, ctx.mapping)
    for row in rows:
        if row.problem:
            yield row.line, Reject(row.problem, row.line)
            continue
        v = {field: row.values.get(src) for src, field in chosen.items()}
        try:
            yield row.line, (map_stat(v) if kind == "stats" else map_case(v))
        except BadCode as exc:
            yield row.line, Reject(str(exc), row.line)


def _year(value: object) -> int | None:
    if base.is_missing(value):
        return None
    m = _YEAR.match(str(value))
    return base.year(m.group(1) if m else value, "year")


def _country(value: object, field: str) -> str | None:
    try:
        return base.country(value, field)
    except BadCode:
        found = by_name(str(value))
        if found is None:
            raise
        return found.iso2


def map_case(v: dict[str, str | None]) -> CaseRow:
    row = CaseRow(source="CSV")
    row.year = _year(v.get("year"))
    row.sex = base.sex(v.get("sex"), "sex")
    row.age_band = base.age_band(v.get("age_band", v.get("age")), "age_band")
    row.minor = base.minor_of(row.age_band)
    if row.minor is None and "minor" in v:
        row.minor = base.flag(v["minor"], "minor")
    row.citizenship = _country(v.get("citizenship"), "citizenship")
    row.country_of_exploitation = _country(v.get("country_of_exploitation"), "country_of_exploitation")
    row.datasource = None if base.is_missing(v.get("datasource")) else str(v["datasource"]).strip()
    row.abduction = base.flag(v.get("abduction"), "abduction")
    for col in FLAG_COLUMNS:
        if col in v:
            row.flags[col] = base.flag(v[col], col)
    return row


def map_stat(v: dict[str, str | None]) -> StatRow:
    code = (v.get("iso3") or "").strip()
    area = code or (v.get("area") or "").strip()
    if not area:
        raise BadCode("iso3/area is empty")
    country = by_code(code) if code else by_name(area)
    if code and country is None:
        raise BadCode(f"iso3: unknown country code {code[:12]!r}")
    text = (v.get("value") or "").strip()
    suppressed = text.startswith("<") or (v.get("suppressed") or "").strip().lower() in ("1", "true", "yes")
    indicator = (v.get("indicator") or "").strip()
    if not indicator:
        raise BadCode("indicator is empty")
    return StatRow(iso3=country.iso3 if country else None, area=country.iso3 if country else area,
                   year=_year(v.get("year")), indicator=indicator,
                   value=None if suppressed else base.number(text, "value"), suppressed=suppressed,
                   source=(v.get("source") or "CSV").strip(), dimension=(v.get("dimension") or "Total").strip(),
                   category=(v.get("category") or "Total").strip(), sex=(v.get("sex") or "Total").strip(),
                   age=(v.get("age") or "Total").strip(), unit=v.get("unit"))

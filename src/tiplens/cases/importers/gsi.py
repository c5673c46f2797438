"""Walk Free Global Slavery Index 2023 country data: the workbook's "GSI 2023 summary data"
sheet (header on its third row) or a CSV export of it.

Each country row gives prevalence (per 1,000 and number of people), the vulnerability
total and its five dimensions, and the government response total and its five
milestones. Every present value becomes one ``country_stats`` row (year 2023, source
"Walk Free GSI 2023"); blank cells (20 small states have no estimate, four countries no
response rating) are unknown and not stored. Countries are matched by name. A population
of 0 (four territories in the workbook) is unknown, not zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tiplens.cases.importers import base
from tiplens.cases.importers.base import BadCode, ReadContext, StatRow
from tiplens.cases.importers.workbook import read_table
from tiplens.cases.schema import GSI_SOURCE
from tiplens.importing import Reject
from tiplens.knowledge.countries import by_name

NAME = "gsi"
KIND = "stats"
YEAR = 2023

# column heading (lower case, prefix) -> indicator
INDICATORS = (
    ("population", "population"),
    ("estimated prevalence of modern slavery per 1,000", "prevalence_per_1000"),
    ("estimated number of people in modern slavery", "people_in_modern_slavery"),
    ("governance issues", "vulnerability_governance_issues"),
    ("lack of basic needs", "vulnerability_lack_of_basic_needs"),
    ("inequality", "vulnerability_inequality"),
    ("disenfranchised groups", "vulnerability_disenfranchised_groups"),
    ("effects of conflict", "vulnerability_effects_of_conflict"),
    ("total vulnerability score", "vulnerability_total"),
    ("survivors of slavery are identified", "response_survivors_supported"),
    ("criminal justice mechanisms", "response_criminal_justice"),
    ("coordination occurs", "response_coordination"),
    ("risk factors, such as attitudes", "response_risk_factors"),
    ("government and business stop sourcing", "response_supply_chains"),
    ("government response total", "government_response_total"),
)
VULNERABILITY_DIMENSIONS = INDICATORS[3:8]
UNITS = {"population": "persons", "prevalence_per_1000": "per 1,000 population",
         "people_in_modern_slavery": "persons"}


def sniff(header: list[str], path: Path) -> bool:
    cols = " | ".join(h.strip().lower() for h in header)
    return "country" in cols and "prevalence of modern slavery" in cols and "vulnerability" in cols


def read(path: Path, ctx: ReadContext) -> Iterator[tuple[int, StatRow | Reject]]:
    header, rows, _ = read_table(path, ("Country",), sheet_hint="summary", encoding=ctx.encoding)
    columns: list[tuple[str, str]] = []
    for h in header:
        key = h.strip().lower()
        for prefix, indicator in INDICATORS:
            if key.startswith(prefix) and indicator not in {i for _, i in columns}:
                columns.append((h, indicator))
                break
    if not any(i == "prevalence_per_1000" for _, i in columns):
        from tiplens.errors import BadInput

        raise BadInput(f"{path}: no 'Estimated prevalence of modern slavery per 1,000 population' column")
    for row in rows:
        if row.problem:
            yield row.line, Reject(row.problem, row.line)
            continue
        name = (row.values.get("Country") or "").strip()
        if not name:
            continue  # notes under the table
        country = by_name(name)
        if country is None:
            yield row.line, Reject(f"Country: {name[:40]!r} is not a country name we know", row.line)
            continue
        for column, indicator in columns:
            raw = row.values.get(column)
            try:
                value = base.number(raw, column[:40])
            except BadCode as exc:
                yield row.line, Reject(str(exc), row.line)
                continue
            if value is None or (indicator == "population" and value == 0):
                continue
            unit = UNITS.get(indicator, "score (%)")
            yield row.line, StatRow(iso3=country.iso3, area=country.iso3, year=YEAR, indicator=indicator,
                                    value=value, suppressed=False, source=GSI_SOURCE, unit=unit)

"""CTDC Global Synthetic Dataset (codebook version 2, February 2024; 27 variables).

Differences from the k-anonymised dataset, all from the codebook: countries are ISO
3166-1 alpha-3; gender is Man / Woman / Trans/Transgender/NonConforming; binary fields
hold 1 or NULL, and within a group (means of control, type of exploitation, labour
sector, type of sexual exploitation, recruiter relation) a record with at least one 1
counts the others as 0 (section 6, "percentage calculations"); ``traffickMonths`` is a
band (0-12, 13-24, 25+). The mapping itself is shared with :mod:`ctdc`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tiplens.cases.importers import ctdc
from tiplens.cases.importers.base import CaseRow, ReadContext
from tiplens.importing import Reject

NAME = "ctdc-synthetic"
KIND = "cases"
SOURCE = "CTDC synthetic"
MARKERS = {"traffickmonths", "meansdebtbondageearnings", "meansthreats", "meansabusepsyphysex", "meansfalsepromises",
           "meansdrugsalcohol", "meansdenybasicneeds", "meansexcessiveworkhours", "meanswithholddocs",
           "meanswithholddocuments"}


def sniff(header: list[str], path: Path) -> bool:
    cols = {h.strip().lower() for h in header}
    return ctdc.sniff(header, path) and bool(cols & MARKERS)


def unknown_columns(header: list[str]) -> list[str]:
    return ctdc.unknown_columns(header)


def read(path: Path, ctx: ReadContext) -> Iterator[tuple[int, CaseRow | Reject]]:
    return ctdc.read(path, ctx, synthetic=True)

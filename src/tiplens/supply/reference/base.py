"""What every reference-file reader shares: a peek at the file to recognise its format,
and the :class:`Loaded` result (rows for one reference table, with edition, source and
what the file lacks).

A reader module defines ``NAME``, ``DESCRIPTION``, ``sniff(peek) -> bool`` and
``read(path, peek, edition) -> list[Loaded]``. Rows that cannot be used become
``Reject`` (line and reason); a country name that is not recognised is kept (its ISO
code NULL) and listed in the notes, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.supply.countries import resolve

PEEK_ROWS = 12


@dataclass
class Peek:
    """The first bytes and rows of a file, enough to recognise its format."""

    path: Path
    container: str  # xml | xlsx | csv
    head: str = ""
    sheets: dict[str, list[tuple]] = field(default_factory=dict)  # xlsx: sheet -> first rows
    header: tuple[str, ...] = ()  # csv header

    def has_columns(self, *names: str) -> bool:
        folded = {h.strip().casefold() for h in self.header}
        return all(n.casefold() in folded for n in names)


@dataclass
class Loaded:
    """Rows for one reference table from one file (a workbook can give several)."""

    kind: str
    publisher: str
    title: str
    edition: str
    edition_year: int | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    read: int = 0


def peek(path: Path) -> Peek:
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name the reference files")
    if path.stat().st_size == 0:
        raise BadInput(f"{path}: empty file")
    with path.open("rb") as fh:
        raw = fh.read(4096)
    if raw.startswith(b"PK\x03\x04"):
        return Peek(path, "xlsx", sheets=_xlsx_heads(path))
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("<"):
        return Peek(path, "xml", head=text)
    from tiplens.tabular import read_rows

    header, rows = read_rows(path)
    next(rows, None)  # start the generator so that closing it closes the file
    rows.close()  # type: ignore[attr-defined]
    return Peek(path, "csv", head=text, header=tuple(h.strip() for h in header))


def _xlsx_heads(path: Path) -> dict[str, list[tuple]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise BadInput(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        heads = {}
        for ws in wb.worksheets:
            rows = []
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i >= PEEK_ROWS:
                    break
                rows.append(tuple(row))
            heads[ws.title] = rows
        return heads
    finally:
        wb.close()


def find_header(rows: list[tuple], *needles: str) -> int | None:
    """Index of the first row whose cells contain every needle (case-insensitive substrings)."""
    for i, row in enumerate(rows):
        cells = [str(c).casefold() for c in row if c is not None]
        if all(any(n.casefold() in c for c in cells) for n in needles):
            return i
    return None


def column(header: list[str] | tuple[str, ...], *candidates: str, contains: bool = False) -> int | None:
    folded = [str(h).strip().casefold() if h is not None else "" for h in header]
    for cand in candidates:
        c = cand.casefold()
        for i, h in enumerate(folded):
            if (c in h) if contains else (h == c):
                return i
    return None


def year_in(text: str | None) -> int | None:
    m = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", text or "")
    return int(m.group(1)) if m else None


def edition_from(user: str | None, found: str | None, found_year: int | None, what: str) -> tuple[str, int | None, list[str]]:
    """The edition to record: the user's ``--edition`` wins, then what the file says."""
    if user:
        return user, year_in(user), [f"edition {user!r} given by the user"]
    if found:
        return found, found_year, []
    what = f"{what} edition" if what else "edition"
    return "unknown", None, [f"the file does not state the {what}; pass --edition to record it"]


def to_float(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    s = str(value).strip().replace(",", "")
    if s in ("", "-", "NA", "N/A", "n/a", "..", "Unavailable"):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def yes_no(value: Any) -> bool | None:
    s = str(value).strip().casefold() if value is not None else ""
    if s in ("yes", "y", "true", "1", "x"):
        return True
    if s in ("no", "n", "false", "0"):
        return False
    return None


class CountryNotes:
    """Resolves country names and remembers the ones it could not."""

    def __init__(self, what: str = "country") -> None:
        self.what = what
        self.unknown: Counter[str] = Counter()

    def iso3(self, name: Any) -> str | None:
        if name is None or not str(name).strip():
            return None
        c = resolve(str(name))
        if c is None:
            self.unknown[str(name).strip()] += 1
            return None
        return c.iso3

    def note(self) -> list[str]:
        if not self.unknown:
            return []
        names = ", ".join(f"{n!r} ({k})" for n, k in sorted(self.unknown.items()))
        return [f"{len(self.unknown)} {self.what} name(s) not recognised, kept without an ISO code "
                f"(rows in brackets): {names}"]


def records(path: Path, peek_: Peek, *, sheet: str | None = None, needles: tuple[str, ...] = ()):
    """(header, iterator of (line, values by header, problem)) for a CSV file or an XLSX
    sheet whose header row is the first one holding every needle."""
    if peek_.container == "csv":
        from tiplens.tabular import read_rows

        header, rows = read_rows(path)

        def csv_items():
            for row in rows:
                yield row.line, {k.strip(): v for k, v in row.values.items()}, row.problem

        return [h.strip() for h in header], csv_items()
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    start = find_header(peek_.sheets.get(ws.title, []), *needles) if needles else 0
    if start is None:
        wb.close()
        raise BadInput(f"{path}: no header row with {', '.join(needles)} in sheet {ws.title!r}")
    it = ws.iter_rows(values_only=True)
    for _ in range(start):
        next(it, None)
    header = [str(h).strip() if h is not None else "" for h in next(it)]

    def xlsx_items():
        try:
            for line, values in enumerate(it, start=start + 2):
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield line, {h: v for h, v in zip(header, values, strict=False) if h}, None
        finally:
            wb.close()

    return header, xlsx_items()


def pick(values: dict[str, Any], header: list[str], index: int | None) -> Any:
    """The value under ``header[index]`` (None when the column is absent)."""
    if index is None or index >= len(header):
        return None
    return values.get(header[index])

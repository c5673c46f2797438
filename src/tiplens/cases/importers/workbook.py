"""Statistical tables as published: an XLSX sheet (or a CSV) whose header is not always on
the first line (UNODC and Walk Free put a title or a release date above it). Finds the
header row by its expected column names and yields rows with their sheet row numbers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from tiplens.errors import BadInput
from tiplens.tabular import Row, is_xlsx, read_rows

SCAN_ROWS = 30


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v)
    return s if s.strip() != "" else None


def read_table(path: Path, required: Iterable[str], *, sheet_hint: str | None = None,
               encoding: str | None = None) -> tuple[list[str], Iterator[Row], str]:
    """Return (header, rows, where) for the first sheet (or the CSV) whose header contains all
    ``required`` names (case-insensitive). ``where`` names the sheet for messages."""
    need = {r.lower() for r in required}
    if not is_xlsx(path):
        header, rows = read_rows(path, encoding=encoding)
        if not need <= {h.lower() for h in header}:
            missing = sorted(need - {h.lower() for h in header})
            raise BadInput(f"{path}: line 1: missing column(s) {', '.join(missing)}")
        return header, rows, "csv"
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise BadInput(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    sheets = sorted(wb.worksheets, key=lambda ws: 0 if sheet_hint and sheet_hint.lower() in ws.title.lower() else 1)
    for ws in sheets:
        for number, values in enumerate(ws.iter_rows(values_only=True, max_row=SCAN_ROWS), start=1):
            names = [str(v).strip() if v is not None else "" for v in values]
            if need <= {n.lower() for n in names}:
                return names, _rows(wb, ws, names, number), ws.title
    wb.close()
    raise BadInput(f"{path}: no sheet has a header with {', '.join(sorted(required))} in its first {SCAN_ROWS} rows")


def _rows(wb, ws, header: list[str], header_row: int) -> Iterator[Row]:
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True, min_row=header_row + 1), start=header_row + 1):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield Row(number, {h: _text(v) for h, v in zip(header, values, strict=False) if h})
    finally:
        wb.close()


def candidate_headers(path: Path, encoding: str | None = None) -> list[list[str]]:
    """Lines that could be a header: the first line of a CSV; in a workbook, every row of the
    first rows of each sheet with at least three text cells."""
    if not is_xlsx(path):
        header, rows = read_rows(path, encoding=encoding)
        close = getattr(rows, "close", None)
        if close:
            close()
        return [header]
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise BadInput(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    out: list[list[str]] = []
    try:
        for ws in wb.worksheets:
            for values in ws.iter_rows(values_only=True, max_row=SCAN_ROWS):
                names = [str(v).strip() for v in values if isinstance(v, str) and v.strip()]
                if len(names) >= 3:
                    out.append(names)
    finally:
        wb.close()
    if not out:
        raise BadInput(f"{path}: no sheet has a header row")
    return out

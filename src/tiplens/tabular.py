"""Reading spreadsheets people actually have: CSV/TSV in any common encoding and
delimiter, and XLSX, with the line number of every row kept for error messages."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tiplens.errors import BadInput

csv.field_size_limit(1 << 27)


@dataclass(frozen=True)
class Row:
    line: int  # 1-based physical line (CSV) or sheet row (XLSX) where the record starts
    values: dict[str, str | None]
    problem: str | None = None  # set when the row is malformed (e.g. wrong number of fields)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, transparently decompressed when it is gzip (e.g. ``.csv.gz``)."""
    if is_gzip(path):
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """Best guess of a text file's encoding (UTF-8 first, then charset detection)."""
    with open_binary(path) as fh:
        raw = fh.read(sample_size)
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multibyte char cut by the sample boundary is still UTF-8
        if exc.start >= len(raw) - 4:
            return "utf-8"
    from charset_normalizer import from_bytes

    results = from_bytes(raw)
    best = results.best()
    if best is None:
        return "cp1252"
    # Western text decodes equally well as cp1250/cp1252/cp1257; prefer the common one on a tie
    tied = {r.encoding for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)}
    return "cp1252" if "cp1252" in tied else best.encoding


def open_text(path: Path, encoding: str | None = None) -> tuple[io.TextIOBase, str]:
    enc = encoding or detect_encoding(path)
    try:
        fh = io.TextIOWrapper(open_binary(path), encoding=enc, errors="strict", newline="")
    except LookupError:
        raise BadInput(f"{path}: unknown encoding {enc!r}") from None
    return fh, enc


def sniff_delimiter(sample: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    head = "\n".join(sample.splitlines()[:20])  # the sniffer is slow on long samples
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm")


def read_rows(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """Return the header and an iterator of rows. Raises BadInput when there is no header."""
    if is_xlsx(path):
        return _read_xlsx(path, sheet)
    return _read_csv(path, encoding)


def csv_layout(path: Path, encoding: str | None = None) -> tuple[list[str], str, str]:
    """The header, delimiter and encoding of a CSV/TSV file, as :func:`read_rows` reads them.
    Raises BadInput when there is no header."""
    fh, enc = open_text(path, encoding)
    try:
        header, delimiter = _header(fh, path, enc)
    finally:
        fh.close()
    return header, delimiter, enc


def _header(fh: io.TextIOBase, path: Path, enc: str) -> tuple[list[str], str]:
    try:
        sample = fh.read(64 * 1024)
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not valid {enc} text ({exc.reason} at byte {exc.start}); pass --encoding") from None
    if not sample.strip():
        raise BadInput(f"{path}: empty file")
    fh.seek(0)
    delimiter = sniff_delimiter(sample, path)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(csv.reader(fh, delimiter=delimiter))]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read the header line ({exc})") from None
    if not any(header):
        raise BadInput(f"{path}: the first line is not a header")
    return header, delimiter


def row_of(line: int, header: list[str], fields: list[str]) -> Row | None:
    """One parsed CSV record as a Row (None for a blank line, which is not an item)."""
    if not fields or all(not f.strip() for f in fields):
        return None
    n = len(header)
    if len(fields) != n:
        return Row(line, dict(zip(header, fields, strict=False)), f"expected {n} fields, found {len(fields)}")
    return Row(line, {h: (v if v != "" else None) for h, v in zip(header, fields, strict=True)})


def _read_csv(path: Path, encoding: str | None) -> tuple[list[str], Iterator[Row]]:
    fh, enc = open_text(path, encoding)
    try:
        header, delimiter = _header(fh, path, enc)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader)
    except BaseException:
        fh.close()
        raise

    def rows() -> Iterator[Row]:
        try:
            while True:
                line = reader.line_num + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Row(line, {}, f"malformed CSV ({exc})")
                    continue
                except UnicodeDecodeError as exc:
                    yield Row(line, {}, f"not valid {enc} text ({exc.reason}); pass --encoding")
                    return
                row = row_of(line, header, fields)
                if row is not None:
                    yield row
        finally:
            fh.close()

    return header, rows()


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], Iterator[Row]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise BadInput(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    ws = wb[sheet] if sheet else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        first = next(it)
    except StopIteration:
        raise BadInput(f"{path}: the sheet {ws.title!r} is empty") from None
    header = [str(h).strip() if h is not None else "" for h in first]

    def rows() -> Iterator[Row]:
        for i, values in enumerate(it, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield Row(i, {h: (None if v is None or str(v) == "" else str(v) if not hasattr(v, "isoformat") else v.isoformat())
                          for h, v in zip(header, values, strict=False) if h})
        wb.close()

    return header, rows()

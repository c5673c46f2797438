"""Reading ads to screen: CSV/TSV/XLSX, JSON Lines (or a JSON array), Parquet, plain text.

Every record of a file becomes one :class:`Doc`, also when it cannot be screened (a malformed
CSV row or JSON line, a record without text): the problem travels with it and the screener
writes it out with a status, so nothing is dropped silently. Problems that make a whole file
unusable (missing file, unknown format, missing column) raise :class:`BadInput` before any
screening starts. ``open_input`` checks a file; iterating its ``docs()`` reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiplens.errors import BadInput
from tiplens.screen.labelled import parse_label

TEXT_SUFFIXES = (".txt", ".text", ".md")
CSV_SUFFIXES = (".csv", ".tsv", ".tab", ".xlsx", ".xlsm")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")
DEFAULT_ID_COLUMNS = ("id", "ad_id", "doc_id", "post_id")
BATCH = 2048


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str | None
    source: str          # file name
    line: int | None     # line (CSV, JSONL), row (XLSX, Parquet) or record number
    label: int | None = None
    problem: str | None = None  # why the record cannot be screened (malformed, ...)
    meta: dict[str, Any] | None = None  # the record's other columns (for linking)


@dataclass
class Input:
    path: Path
    format: str
    text_column: str | None
    id_column: str | None
    label_column: str | None
    columns: list[str] = field(default_factory=list)
    _docs: Callable[[], Iterator[Doc]] | None = None

    def docs(self) -> Iterator[Doc]:
        assert self._docs is not None
        return self._docs()


def detect_format(path: Path) -> str:
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; pass the files inside it")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8192)
    if suffix in PARQUET_SUFFIXES or head.startswith(b"PAR1"):
        return "parquet"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSON_SUFFIXES:
        return "json" if head.lstrip()[:1] == b"[" else "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if not head.strip():
        raise BadInput(f"{path}: empty file")
    if b"\x00" in head:
        raise BadInput(f"{path}: binary content in a file of unknown type ({suffix or 'no extension'}); "
                       "expected CSV, JSON Lines, Parquet or plain text")
    first = head.lstrip()[:1]
    if first == b"{":
        return "jsonl"
    if first == b"[":
        return "json"
    return "text"


def open_input(path: Path, *, text_column: str | None = None, id_column: str | None = None,
               label_column: str | None = None, engine: str | None = None) -> Input:
    """Check ``path`` (format, columns) and return an :class:`Input` ready to read."""
    fmt = detect_format(path)
    if engine == "duckdb" and fmt in ("csv", "jsonl", "parquet"):
        from tiplens.screen.duckdb_input import open_duckdb

        return open_duckdb(path, fmt, text_column, id_column, label_column)
    if fmt == "text":
        return _open_text(path)
    if fmt in ("csv", "xlsx"):
        return _open_tabular(path, fmt, text_column, id_column, label_column)
    if fmt == "parquet":
        return _open_parquet(path, text_column, id_column, label_column)
    return _open_json(path, fmt, text_column, id_column, label_column)


def resolve_columns(path: Path, columns: list[str], text_column: str | None, id_column: str | None,
                    label_column: str | None) -> tuple[str, str | None, str | None]:
    """Check the requested columns exist; pick the defaults ('text'; 'id', 'ad_id', ...)."""
    shown = ", ".join(columns[:25]) + (" ..." if len(columns) > 25 else "")
    text_col = text_column or "text"
    if text_col not in columns:
        hint = "" if text_column else "; pass --text-column"
        raise BadInput(f"{path}: no column {text_col!r} (columns: {shown}){hint}")
    if id_column and id_column not in columns:
        raise BadInput(f"{path}: no id column {id_column!r} (columns: {shown})")
    id_col = id_column or next((c for c in DEFAULT_ID_COLUMNS if c in columns), None)
    if label_column and label_column not in columns:
        raise BadInput(f"{path}: no label column {label_column!r} (columns: {shown})")
    return text_col, id_col, label_column


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value if isinstance(value, str) else str(value)


def make_doc(path: Path, line: int, record: dict[str, Any], text_col: str, id_col: str | None,
             label_col: str | None, problem: str | None = None) -> Doc:
    raw_id = record.get(id_col) if id_col else None
    doc_id = str(raw_id) if raw_id not in (None, "") else f"{path.name}:{line}"
    meta = {k: v for k, v in record.items() if k not in (text_col, id_col, label_col)} or None
    return Doc(doc_id, as_text(record.get(text_col)), path.name, line,
               parse_label(record.get(label_col)) if label_col else None, problem, meta)


def _open_text(path: Path) -> Input:
    def docs() -> Iterator[Doc]:
        raw = path.read_bytes()
        if b"\x00" in raw[:65536]:
            yield Doc(path.name, None, path.name, None, problem="binary content")
            return
        from tiplens.tabular import detect_encoding

        enc = detect_encoding(path)
        yield Doc(path.name, raw.decode(enc, errors="replace"), path.name, None)

    return Input(path, "text", None, None, None, [], docs)


def _open_tabular(path: Path, fmt: str, text_column: str | None, id_column: str | None,
                  label_column: str | None) -> Input:
    from tiplens.tabular import read_rows

    header, rows = read_rows(path)
    text_col, id_col, label_col = resolve_columns(path, header, text_column, id_column, label_column)

    def docs() -> Iterator[Doc]:
        for row in rows:
            yield make_doc(path, row.line, row.values, text_col, id_col, label_col,
                           f"malformed row ({row.problem})" if row.problem else None)

    return Input(path, fmt, text_col, id_col, label_col, header, docs)


def _open_parquet(path: Path, text_column: str | None, id_column: str | None, label_column: str | None) -> Input:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise BadInput(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
    columns = list(pf.schema_arrow.names)
    text_col, id_col, label_col = resolve_columns(path, columns, text_column, id_column, label_column)

    def docs() -> Iterator[Doc]:
        row = 0
        for batch in pf.iter_batches(batch_size=BATCH):
            for record in batch.to_pylist():
                row += 1
                yield make_doc(path, row, record, text_col, id_col, label_col)

    return Input(path, "parquet", text_col, id_col, label_col, columns, docs)


def _open_json(path: Path, fmt: str, text_column: str | None, id_column: str | None,
               label_column: str | None) -> Input:
    from tiplens.tabular import detect_encoding

    enc = detect_encoding(path)
    if fmt == "json":
        try:
            text = path.read_text(encoding=enc)
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadInput(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, list):
            raise BadInput(f"{path}: expected a JSON array of objects or JSON Lines (one object per line)")
        if "\\ud" in text or "\\uD" in text:
            data = [_without_surrogates(r) for r in data]
        records: list[tuple[int, Any, str | None]] = [(i, r, None) for i, r in enumerate(data, start=1)]
    else:
        records = []

    def jsonl() -> Iterator[tuple[int, Any, str | None]]:
        with path.open("r", encoding=enc, errors="replace") as fh:
            for i, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    # an escaped lone surrogate ("\ud800") decodes to a string that cannot be
                    # encoded (matching, hashing and writing would fail): only such lines are checked
                    yield i, (_without_surrogates(obj) if "\\ud" in line or "\\uD" in line else obj), None
                except json.JSONDecodeError as exc:
                    yield i, None, f"malformed JSON ({exc.msg} at column {exc.colno})"

    source = (lambda: iter(records)) if fmt == "json" else jsonl
    seen: set[str] = set()
    for _, obj, _ in _take(source(), 200):
        if isinstance(obj, dict):
            seen.update(obj)
    if not seen:
        raise BadInput(f"{path}: no JSON objects in the first 200 records")
    text_col, id_col, label_col = resolve_columns(path, sorted(seen), text_column, id_column, label_column)

    def docs() -> Iterator[Doc]:
        for line, obj, problem in source():
            if problem:
                yield Doc(f"{path.name}:{line}", None, path.name, line, problem=problem)
            elif not isinstance(obj, dict):
                yield Doc(f"{path.name}:{line}", None, path.name, line,
                          problem=f"not a JSON object ({type(obj).__name__})")
            else:
                yield make_doc(path, line, obj, text_col, id_col, label_col)

    return Input(path, fmt, text_col, id_col, label_col, sorted(seen), docs)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(obj: Any) -> Any:
    """A JSON object with each lone surrogate in its string values replaced by U+FFFD (one
    character for one, so spans stay where they were), as undecodable bytes are."""
    if not isinstance(obj, dict):
        return obj
    return {k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in obj.items()}


def _take(it: Iterator[Any], n: int) -> list[Any]:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out

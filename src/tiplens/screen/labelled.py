"""Labelled ads for training and evaluation: read CSV/TSV/XLSX, JSONL/JSON or Parquet (or take a
DataFrame), pick the text, label and metadata columns, and parse labels such as 1/0, true/false,
fraudulent/legitimate. Unusable rows are rejected with their line and reason (never their text);
nothing is dropped silently."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tiplens.errors import BadInput
from tiplens.importing import Reject, sha256_file

POSITIVE = frozenset({"1", "1.0", "true", "t", "yes", "y", "fraud", "fraudulent", "scam", "fake", "suspicious",
                      "positive", "pos", "flagged", "ya", "benar", "penipuan", "palsu"})
NEGATIVE = frozenset({"0", "0.0", "false", "f", "no", "n", "legit", "legitimate", "genuine", "real", "clean",
                      "negative", "neg", "not flagged", "tidak", "salah", "asli"})

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class LabelledAds:
    texts: list[str]
    labels: np.ndarray  # 1 = positive (fraudulent / suspicious), 0 = negative
    metadata: dict[str, list[Any]]
    lines: list[int]  # line (CSV/JSONL) or 1-based row of each kept ad in its source
    rejects: tuple[Reject, ...]
    source: str  # file name, or "<frame>"
    sha256: str  # of the file, or of the kept texts and labels for a frame
    text_column: str
    label_column: str | None

    @property
    def read(self) -> int:
        return len(self.texts) + len(self.rejects)


def parse_label(value: Any) -> int | None:
    """1, 0, or None when the value is not a recognised label."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value) if value in (0, 1) else None
    text = str(value).strip().lower()
    return 1 if text in POSITIVE else 0 if text in NEGATIVE else None


def load(source: Any, text_column: str, label_column: str | None,
         metadata_columns: Sequence[str] = ()) -> LabelledAds:
    """Read ``source`` (a path, a pandas DataFrame or a pyarrow Table) and keep rows with a
    non-empty text and (when ``label_column`` is given) a recognised label."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
        columns, rows = read_records(path)
        name, digest = path.name, sha256_file(path)
    else:
        columns, rows = _frame_records(source)
        name, digest = "<frame>", ""
    wanted = [text_column] + ([label_column] if label_column else []) + list(metadata_columns)
    missing = [c for c in wanted if c not in columns]
    if missing:
        shown = ", ".join(columns[:30]) + (" ..." if len(columns) > 30 else "")
        raise BadInput(f"{name}: column(s) {', '.join(repr(c) for c in missing)} not found; the columns are: {shown}")
    texts: list[str] = []
    labels: list[int] = []
    lines: list[int] = []
    meta: dict[str, list[Any]] = {c: [] for c in metadata_columns}
    rejects: list[Reject] = []
    for line, record, problem in rows:
        if problem:
            rejects.append(Reject(problem, line))
            continue
        text = record.get(text_column)
        if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
            rejects.append(Reject(f"empty {text_column!r}", line))
            continue
        if label_column:
            label = parse_label(record.get(label_column))
            if label is None:
                rejects.append(Reject(f"{label_column!r} is not a recognised label (expected 1/0, true/false, "
                                      "fraudulent/legitimate, ...)", line))
                continue
            labels.append(label)
        texts.append(str(text))
        lines.append(line)
        for c in metadata_columns:
            meta[c].append(record.get(c))
    if not digest:
        h = hashlib.sha256()
        for t, y in zip(texts, labels or [0] * len(texts), strict=True):
            h.update(t.encode("utf-8", "replace") + b"\x1f" + str(y).encode() + b"\x1e")
        digest = h.hexdigest()
    return LabelledAds(texts, np.asarray(labels, dtype=np.int8), meta, lines, tuple(rejects), name, digest,
                       text_column, label_column)


def require_both_classes(data: LabelledAds, what: str) -> None:
    if not data.texts:
        first = f" (e.g. line {data.rejects[0].line}: {data.rejects[0].reason})" if data.rejects else ""
        raise BadInput(f"{data.source}: no usable rows for {what}; {len(data.rejects)} rejected{first}")
    n_pos = int(data.labels.sum())
    if n_pos == 0 or n_pos == len(data.labels):
        only = "positive (fraudulent)" if n_pos else "negative (legitimate)"
        raise BadInput(f"{data.source}: every usable row is {only}; {what} needs both classes")


def read_records(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any], str | None]]]:
    """Column names and (line, record, problem) for CSV/TSV/XLSX, JSONL/JSON and Parquet."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _parquet_records(path)
    if suffix in JSON_SUFFIXES:
        return _json_records(path)
    from tiplens.tabular import read_rows

    header, rows = read_rows(path)
    return header, ((r.line, dict(r.values), r.problem) for r in rows)


def _parquet_records(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any], str | None]]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise BadInput(f"{path}: not a readable Parquet file ({type(exc).__name__})") from None
    return _frame_records(table)


def _json_records(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any], str | None]]]:
    import orjson

    data = path.read_bytes()
    if not data.strip():
        raise BadInput(f"{path}: empty file")
    if data.lstrip()[:1] == b"[":
        try:
            items = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise BadInput(f"{path}: not valid JSON ({exc})") from None
        records = [(i, item) for i, item in enumerate(items, start=1)]
    else:
        records = []
        for i, raw in enumerate(data.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                records.append((i, orjson.loads(raw)))
            except orjson.JSONDecodeError:
                records.append((i, None))
    columns: list[str] = []
    for _, item in records:
        if isinstance(item, dict):
            columns.extend(k for k in item if k not in columns)

    def rows() -> Iterator[tuple[int, dict[str, Any], str | None]]:
        for i, item in records:
            if isinstance(item, dict):
                yield i, item, None
            else:
                yield i, {}, "not a JSON object" if item is not None else "malformed JSON"

    return columns, rows()


def _frame_records(frame: Any) -> tuple[list[str], Iterator[tuple[int, dict[str, Any], str | None]]]:
    if hasattr(frame, "to_pylist"):  # pyarrow Table
        columns, records = list(frame.column_names), frame.to_pylist()
    elif hasattr(frame, "to_dict") and hasattr(frame, "columns"):  # pandas DataFrame
        columns, records = [str(c) for c in frame.columns], frame.to_dict(orient="records")
    else:
        raise BadInput(f"expected a file path, a pandas DataFrame or a pyarrow Table, not {type(frame).__name__}")
    return columns, ((i, r, None) for i, r in enumerate(records, start=1))

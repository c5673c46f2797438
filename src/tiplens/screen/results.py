"""Writing screening records: JSON Lines, CSV or Parquet, chosen by the extension of ``--out``.

Records are written as they come (a temporary file renamed at the end, so a failed run leaves
no half file behind). In CSV the nested fields (indicators, contacts, referral) are JSON text,
with ``indicator_ids`` as a plain ``;``-separated list for spreadsheets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import orjson

from tiplens.errors import BadInput

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
CSV_COLUMNS = ["id", "status", "score", "flagged", "level", "language", "n_indicators", "indicator_ids",
               "indicators", "contacts", "referral"]


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(f"--out {path}: use a name ending in .jsonl, .csv or .parquet")
    return fmt


class ResultWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = output_format(path)
        if not path.parent.exists():
            raise BadInput(f"--out {path}: the folder {path.parent} does not exist")
        self.tmp = path.with_name(f".{path.name}.partial")
        self.count = 0
        self._fh: Any = None
        self._csv: Any = None
        self._pq: Any = None
        if self.format == "jsonl":
            self._fh = self.tmp.open("wb")
        elif self.format == "csv":
            self._fh = self.tmp.open("w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._fh)
            self._csv.writerow(CSV_COLUMNS)

    def write(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        if self.format == "jsonl":
            self._fh.write(b"".join(orjson.dumps(r) + b"\n" for r in records))
        elif self.format == "csv":
            self._csv.writerows(_csv_row(r) for r in records)
        else:
            self._write_parquet(records)
        self.count += len(records)

    def _write_parquet(self, records: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(records, schema=parquet_schema())
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.tmp, parquet_schema())
        self._pq.write_table(table)

    def close(self) -> Path:
        if self.format == "parquet":
            if self._pq is None:  # no record at all: still write a valid, empty file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pylist([], schema=parquet_schema()), self.tmp)
            else:
                self._pq.close()
        else:
            self._fh.close()
        self.tmp.replace(self.path)
        return self.path

    def abort(self) -> None:
        try:
            if self._pq is not None:
                self._pq.close()
            if self._fh is not None:
                self._fh.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def _csv_row(r: dict[str, Any]) -> list[Any]:
    inds = r.get("indicators") or []
    return [r["id"], r["status"], "" if r["score"] is None else r["score"], r["flagged"], r["level"] or "",
            r["language"], len(inds), ";".join(dict.fromkeys(i["id"] for i in inds)),
            json.dumps(inds, ensure_ascii=False), json.dumps(r.get("contacts") or [], ensure_ascii=False),
            json.dumps(r.get("referral") or [], ensure_ascii=False)]


def parquet_schema() -> Any:
    import pyarrow as pa

    indicator = pa.struct([("id", pa.string()), ("label", pa.string()), ("ilo", pa.string()),
                           ("palermo", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                           ("text", pa.string())])
    contact = pa.struct([("kind", pa.string()), ("value", pa.string()), ("start", pa.int64()),
                         ("end", pa.int64()), ("channel", pa.string()), ("valid", pa.bool_())])
    hotline = pa.struct([("name", pa.string()), ("number", pa.string()), ("e164", pa.string()),
                         ("whatsapp", pa.string()), ("type", pa.string()), ("country", pa.string()),
                         ("region", pa.string()), ("source", pa.string())])
    return pa.schema([("id", pa.string()), ("status", pa.string()), ("score", pa.float64()),
                      ("flagged", pa.bool_()), ("level", pa.string()), ("language", pa.string()),
                      ("indicators", pa.list_(indicator)), ("contacts", pa.list_(contact)),
                      ("referral", pa.list_(hotline))])

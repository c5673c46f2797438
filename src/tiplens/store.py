"""A study is one DuckDB file holding the canonical tables of every pillar.

Each pillar declares its tables in its own ``schema`` module (DDL strings); the study
creates them on first use. Analyses never touch DuckDB directly: they receive Ibis
tables from :meth:`Study.tables` (see :mod:`tiplens.engines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tiplens.errors import BadInput

CORE_DDL = (
    """CREATE TABLE IF NOT EXISTS imports (
        import_id INTEGER, pillar VARCHAR, file VARCHAR, sha256 VARCHAR, format VARCHAR,
        read BIGINT, imported BIGINT, duplicates BIGINT, rejected BIGINT,
        rejects_file VARCHAR, imported_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS rejects (
        import_id INTEGER, file VARCHAR, line BIGINT, reason VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
)

SCHEMA_VERSION = "1"


class Study:
    """An open study file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise BadInput(f"{self.path}: no such study (run an import first)")
        if self.path.exists() and self.path.is_dir():
            raise BadInput(f"{self.path}: is a folder; a study is a single .duckdb file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:  # not a DuckDB file, locked, or corrupt
            raise BadInput(f"{self.path}: cannot open as a study ({_first_line(exc)})") from None
        if not read_only:
            for ddl in CORE_DDL:
                self.con.execute(ddl)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    # -- schema ---------------------------------------------------------------------------
    def ensure(self, ddl: Iterable[str]) -> None:
        """Create the tables a pillar needs (idempotent)."""
        for statement in ddl:
            self.con.execute(statement)

    def has_table(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    # -- data -----------------------------------------------------------------------------
    def append(self, table: str, data: pa.Table) -> None:
        """Append an Arrow table whose columns are a subset of ``table``'s, by name."""
        if data.num_rows == 0:
            return
        self.con.register("_tiplens_batch", data)
        try:
            cols = ", ".join(f'"{c}"' for c in data.column_names)
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _tiplens_batch')
        finally:
            self.con.unregister("_tiplens_batch")

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def next_import_id(self) -> int:
        row = self.con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()
        return int(row[0]) if row else 1

    def tables(self):  # -> ibis backend; imported lazily so the store stays light
        from tiplens.engines import duckdb_backend

        return duckdb_backend(self)

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

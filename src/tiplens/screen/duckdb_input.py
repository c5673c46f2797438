"""``--engine duckdb``: read CSV, JSON Lines and Parquet with DuckDB's scanners (fast on large
files, and glob-friendly); records are numbered in file order instead of by physical line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tiplens.errors import BadInput
from tiplens.screen.inputs import BATCH, Doc, Input, make_doc, resolve_columns

_SCAN = {
    "csv": "read_csv(?, all_varchar = true, header = true)",
    "jsonl": "read_json(?, format = 'newline_delimited')",
    "parquet": "read_parquet(?)",
}


def open_duckdb(path: Path, fmt: str, text_column: str | None, id_column: str | None,
                label_column: str | None) -> Input:
    import duckdb

    con = duckdb.connect()
    try:
        columns = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM {_SCAN[fmt]}", [str(path)]).fetchall()]
    except duckdb.Error as exc:
        con.close()
        raise BadInput(f"{path}: DuckDB cannot read it as {fmt} ({str(exc).splitlines()[0]})") from None
    text_col, id_col, label_col = resolve_columns(path, columns, text_column, id_column, label_column)

    def docs() -> Iterator[Doc]:
        try:
            cur = con.execute(f"SELECT * FROM {_SCAN[fmt]}", [str(path)])
            names = [d[0] for d in cur.description]
            row = 0
            while batch := cur.fetchmany(BATCH):
                for values in batch:
                    row += 1
                    yield make_doc(path, row, dict(zip(names, values, strict=True)), text_col, id_col, label_col)
        except duckdb.Error as exc:
            raise BadInput(f"{path}: DuckDB stopped reading ({str(exc).splitlines()[0]})") from None
        finally:
            con.close()

    return Input(path, f"{fmt} (duckdb)", text_col, id_col, label_col, columns, docs)

"""Small builders for cases fixtures: an Ibis CasesTables from plain Python records."""

from __future__ import annotations

import duckdb
import ibis
import pyarrow as pa

from tiplens.cases.importing import CASE_SCHEMA, STAT_SCHEMA
from tiplens.cases.tables import CasesTables
from tiplens.knowledge.countries import region_table


def case_table(records: list[dict]) -> pa.Table:
    cols = {name: [] for name in CASE_SCHEMA.names}
    for i, r in enumerate(records):
        for name in CASE_SCHEMA.names:
            cols[name].append(r.get(name, f"c{i}" if name == "case_id" else "CTDC" if name == "source" else None))
    return pa.Table.from_pydict(cols, schema=CASE_SCHEMA)


def stat_table(records: list[dict]) -> pa.Table:
    defaults = {"dimension": "Total", "category": "Total", "sex": "Total", "age": "Total", "part": 1,
                "suppressed": False, "source": "UNODC GLOTIP", "indicator": "Detected trafficking victims"}
    cols = {name: [] for name in STAT_SCHEMA.names}
    for r in records:
        row = {**defaults, **r}
        row.setdefault("area", row.get("iso3"))
        for name in STAT_SCHEMA.names:
            cols[name].append(row.get(name))
    return pa.Table.from_pydict(cols, schema=STAT_SCHEMA)


def tables(cases: list[dict] | None = None, stats: list[dict] | None = None) -> CasesTables:
    """Fixture tables in an in-memory DuckDB, as the analyses receive them."""
    con = duckdb.connect()
    for name, data in (("cases", case_table(cases or [])), ("country_stats", stat_table(stats or [])),
                       ("regions", region_table())):
        con.register("_arrow", data)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _arrow")
        con.unregister("_arrow")
    backend = ibis.duckdb.from_connection(con)
    return CasesTables(cases=backend.table("cases") if cases is not None else None,
                       stats=backend.table("country_stats") if stats is not None else None,
                       regions=backend.table("regions"))

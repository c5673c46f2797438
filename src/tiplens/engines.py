"""Engines, chosen at the edge by name or URL; only Ibis tables travel inward.

``duckdb`` (default) reads the study file in place. ``spark`` copies the study's tables
into a local (or ``--spark-master``) Spark session through Arrow and runs the same Ibis
expressions there.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tiplens.errors import BadInput

if TYPE_CHECKING:
    from tiplens.store import Study

ENGINES = ("duckdb", "spark")


def engine_name(name: str | None = None) -> str:
    chosen = (name or os.environ.get("TIPLENS_ENGINE") or "duckdb").lower()
    if chosen.startswith("duckdb"):
        return "duckdb"
    if chosen.startswith("spark"):
        return "spark"
    raise BadInput(f"unknown engine {chosen!r}: choose one of {', '.join(ENGINES)}")


def duckdb_backend(study: Study, con: Any = None) -> Any:
    """An Ibis backend on the study's DuckDB connection, or on ``con`` (e.g. a cursor of it)."""
    import ibis

    return ibis.duckdb.from_connection(study.con if con is None else con)


def connect(study: Study, engine: str | None = None, *, spark_master: str | None = None) -> Any:
    """Return an Ibis backend holding the study's tables on the chosen engine."""
    name = engine_name(engine)
    if name == "duckdb":
        return duckdb_backend(study)
    from tiplens.spark_engine import spark_backend  # optional extra

    return spark_backend(study, master=spark_master)

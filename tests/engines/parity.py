"""Helpers for the DuckDB/Spark parity suite."""

from __future__ import annotations

import math
import shutil

import pyarrow as pa
import pytest


def spark_or_skip() -> None:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17 (java not on PATH)")


def _norm(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def assert_same_table(a: pa.Table, b: pa.Table, *, sort: bool = True, rel: float = 1e-9) -> None:
    """Same column names and same rows (order-insensitive unless sort=False); numbers compared loosely."""
    assert a.column_names == b.column_names
    ra = [tuple(_norm(v) for v in row.values()) for row in a.to_pylist()]
    rb = [tuple(_norm(v) for v in row.values()) for row in b.to_pylist()]
    if sort:
        key = lambda r: tuple((x is None, str(x)) for x in r)  # noqa: E731
        ra, rb = sorted(ra, key=key), sorted(rb, key=key)
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb, strict=True):
        for u, v in zip(x, y, strict=True):
            if isinstance(u, float) or isinstance(v, float):
                assert u is not None and v is not None and math.isclose(u, v, rel_tol=rel, abs_tol=1e-12), (x, y)
            else:
                assert u == v, (x, y)

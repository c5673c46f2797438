"""Cases analyses, registered in one explicit list (no folder scanning).

Each module defines ``NAME``, ``TITLE``, a frozen ``Params`` dataclass and
``run(tables, params) -> Result`` on :class:`~tiplens.cases.tables.CasesTables` (Ibis
tables only, so the same code runs on DuckDB and Spark). ``privacy`` holds the guard
every published table passes through; ``kanonymity`` the microdata export.
"""

from __future__ import annotations

from tiplens.cases.analyses import coverage, kanonymity, privacy, profiles, risk, routes, trends

REGISTRY = (trends, coverage, profiles, routes, risk, privacy, kanonymity)

__all__ = ["REGISTRY"]

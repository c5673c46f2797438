"""The Ibis tables a supply analysis receives: the supplier list and, for each kind of
reference data, the rows of the one source in use (the newest edition unless the caller
names a source)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
from ibis.common.exceptions import TableNotFound

from tiplens.errors import BadInput
from tiplens.supply.schema import KINDS


@dataclass(frozen=True)
class SupplyTables:
    suppliers: ibis.Table
    dol: ibis.Table | None
    gsi: ibis.Table | None
    g20: ibis.Table | None
    sector: ibis.Table | None
    sector_global: ibis.Table | None
    sources: dict[str, dict[str, Any]]  # kind -> the ref_sources row in use


def current_sources(backend: Any, choose: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """kind -> ref_sources row: the chosen source id, else the highest edition year (unknown
    years last), then the most recently loaded."""
    try:
        rows = backend.table("ref_sources").to_pyarrow().to_pylist()
    except TableNotFound:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        if choose and kind in choose:
            picked = [r for r in of_kind if r["source_id"] == choose[kind]]
            if not picked:
                raise BadInput(f"no {kind} source with id {choose[kind]} in the study")
            out[kind] = picked[0]
        elif of_kind:
            out[kind] = max(of_kind, key=lambda r: (r["edition_year"] is not None, r["edition_year"] or 0,
                                                    r["source_id"]))
    return out


def supply_tables(backend: Any, choose: dict[str, int] | None = None) -> SupplyTables:
    sources = current_sources(backend, choose)

    def rows_of(kind: str) -> ibis.Table | None:
        if kind not in sources:
            return None
        t = backend.table(KINDS[kind][0])
        return t.filter(t.source_id == sources[kind]["source_id"])

    return SupplyTables(
        suppliers=backend.table("suppliers"), dol=rows_of("dol_goods"), gsi=rows_of("gsi_countries"),
        g20=rows_of("g20_imports"), sector=rows_of("sector_country"), sector_global=rows_of("sector_global"),
        sources=sources,
    )

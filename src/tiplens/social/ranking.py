"""Top rows per group of an Arrow table, ranked (the per-year hashtags, the per-language words)."""

from __future__ import annotations

import pyarrow as pa


def top_per_group(table: pa.Table, group: str, by: str, tie: str, top: int) -> pa.Table:
    """The ``top`` rows of each ``group`` value by ``by`` descending (ties by ``tie`` ascending),
    sorted that way, with a ``rank`` column (1 = first) appended."""
    table = table.sort_by([(group, "ascending"), (by, "descending"), (tie, "ascending")])
    keep, rank, prev, r = [], [], None, 0
    for i, g in enumerate(table.column(group).to_pylist()):
        r = r + 1 if g == prev else 1
        prev = g
        if r <= top:
            keep.append(i)
            rank.append(r)
    return table.take(pa.array(keep, pa.int64())).append_column("rank", pa.array(rank, pa.int64()))

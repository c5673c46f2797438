"""The privacy guard for published tables: small-cell suppression with complementary
suppression checked by linear programming, and differentially private counts.

Every count below the threshold is withheld and shown as "<T" (primary suppression). A
table's totals are treated as known to a reader (they are printed elsewhere in the
report), so a single withheld cell in a row or column could be worked out by
subtraction; further cells are withheld ("c", complementary suppression) until an audit
shows that no withheld small cell can be pinned to one value from the row, column and
grand totals. The audit solves, for each withheld small cell, the smallest and largest
value consistent with everything published (scipy's HiGHS linear programs, per connected
group of withheld cells), with small cells bounded to 0..T-1 and complementary cells to
T or more, as a reader who knows the rule would.

Differentially private counts use OpenDP's discrete Laplace (geometric) mechanism on a
partition of the victims (each victim in one cell, L1 sensitivity 1), scale 1/epsilon.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from scipy.optimize import linprog

NAME = "privacy"
TITLE = "Privacy guard"
PUBLISHED, PRIMARY, COMPLEMENTARY = "published", "primary", "complementary"
COMPLEMENT_LABEL = "c"


@dataclass(frozen=True)
class Params:
    threshold: int = 10
    epsilon: float = 1.0  # total budget of the differentially private counts; 0 = none


@dataclass
class CellTable:
    """Counts addressed by (row, column); a 1-D table uses one column key. Cells that are not
    listed are known zeros (a sparse table such as corridors)."""

    cells: dict[tuple[Hashable, Hashable], int]
    row_totals_known: bool = True
    col_totals_known: bool = True
    status: dict[tuple[Hashable, Hashable], str] = field(default_factory=dict)


def label(value: int, status: str, threshold: int) -> str:
    if status == PRIMARY:
        return f"<{threshold}"
    if status == COMPLEMENTARY:
        return COMPLEMENT_LABEL
    return str(int(value))


def suppress(table: CellTable, threshold: int, max_rounds: int = 500) -> CellTable:
    """Mark every cell published, primary or complementary (in place; returns the table).

    Row and column totals are themselves guarded first (as one line whose total is the
    grand total); a total that comes out withheld is unknown to the reader in the audit."""
    cells = table.cells
    status = {key: PRIMARY if v < threshold else PUBLISHED for key, v in cells.items()}
    rows, cols = _lines(cells)
    margins: dict = {}  # ("r"|"c", key) -> (total, status)
    for kind, known, lines in (("r", table.row_totals_known, rows), ("c", table.col_totals_known, cols)):
        if not known:
            continue
        totals = {k: sum(cells[x] for x in ks) for k, ks in lines.items()}
        margins.update({(kind, k): (v, s) for k, (v, s) in _guard_line(totals, threshold).items()})
    known_lines = [ks for (kind, k), (_, st) in margins.items() if st == PUBLISHED
                   for ks in [rows[k] if kind == "r" else cols[k]]]
    for _ in range(max_rounds):
        _pair_up(known_lines, cells, status)  # 1) no known line may hold exactly one withheld cell
        # 2) audit; withhold more where a small cell is still exactly recoverable
        exposed = audit(cells, status, threshold, margins, first=True)
        if not exposed:
            break
        r, c = exposed[0]
        if not (_hide_smallest(rows[r], cells, status) or _hide_smallest(cols[c], cells, status)):
            if not _hide_any_in_component(exposed[0], cells, status, rows, cols):
                break  # everything around it is already withheld
    table.status = status
    return table


def _guard_line(values: dict, threshold: int) -> dict:
    """Statuses of the cells of one line whose total is known when it reaches the threshold."""
    if len(values) == 1:
        (k, v), = values.items()
        return {k: (v, PUBLISHED if v >= threshold else PRIMARY)}
    line = CellTable({(None, k): v for k, v in values.items()}, row_totals_known=True, col_totals_known=False)
    suppress(line, threshold)
    return {k: (v, line.status[(None, k)]) for k, v in values.items()}


def _pair_up(lines, cells, status) -> None:
    changed = True
    while changed:
        changed = False
        for ks in lines:
            if sum(status[k] != PUBLISHED for k in ks) == 1 and _hide_smallest(ks, cells, status):
                changed = True


def _lines(cells) -> tuple[dict, dict]:
    rows: dict[Hashable, list] = {}
    cols: dict[Hashable, list] = {}
    for key in cells:
        rows.setdefault(key[0], []).append(key)
        cols.setdefault(key[1], []).append(key)
    return rows, cols


def _hide_smallest(keys, cells, status) -> bool:
    candidates = [k for k in keys if status[k] == PUBLISHED]
    if not candidates:
        return False
    status[min(candidates, key=lambda k: (cells[k], str(k)))] = COMPLEMENTARY
    return True


def _hide_any_in_component(key, cells, status, rows, cols) -> bool:
    seen_r: set = set()
    seen_c: set = set()
    stack = [key]
    while stack:
        r, c = stack.pop()
        for line, seen, idx in ((rows[r], seen_r, r), (cols[c], seen_c, c)):
            if idx in seen:
                continue
            seen.add(idx)
            if _hide_smallest(line, cells, status):
                return True
            stack.extend(k for k in line if status[k] != PUBLISHED)
    return False


def audit(cells, status, threshold: int, margins: dict | None = None, *, first: bool = False) -> list:
    """Withheld small cells whose value a reader can pin down (empty when the table is safe);
    with ``first``, only the first one found (what one round of suppression needs: the
    linear programs of the cells after it are not solved).

    ``margins`` maps ("r", row) / ("c", col) to (total, status) for the totals that relate
    the cells; a published total is a constant, a withheld one an unknown bounded like a
    cell, and the grand total (when at least the threshold) ties the totals together."""
    margins = margins or {}
    rows, cols = _lines(cells)
    unknown = {k: status[k] for k in cells if status[k] != PUBLISHED}
    unknown.update({m: st for m, (_, st) in margins.items() if st != PUBLISHED})
    if not any(st == PRIMARY for k, st in unknown.items() if k in cells):
        return []
    grand = sum(cells.values())
    equations = []  # (terms {var: coef}, rhs)
    for (kind, key), (total, st) in margins.items():
        line = rows[key] if kind == "r" else cols[key]
        terms = {k: 1.0 for k in line if k in unknown}
        rhs = -float(sum(cells[k] for k in line if k not in unknown))
        if st == PUBLISHED:
            rhs += total
        else:
            terms[(kind, key)] = -1.0
        if terms:
            equations.append((terms, rhs))
    for kind in ("r", "c"):
        group = {m: v for m, v in margins.items() if m[0] == kind}
        if group and grand >= threshold:
            terms = {m: 1.0 for m, (_, st) in group.items() if st != PUBLISHED}
            if terms:
                equations.append((terms, grand - sum(v for m, (v, st) in group.items() if st == PUBLISHED)))
    exposed = []
    for comp in _components(list(unknown), [list(t) for t, _ in equations]):
        index = {k: i for i, k in enumerate(comp)}
        a_eq, b_eq = [], []
        for terms, rhs in equations:
            if any(k in index for k in terms):
                row = np.zeros(len(comp))
                for k, coef in terms.items():
                    row[index[k]] = coef
                a_eq.append(row)
                b_eq.append(rhs)
        if not a_eq:
            continue
        bounds = [(0, threshold - 1) if unknown[k] == PRIMARY else (threshold, None) for k in comp]
        for k in comp:
            if k not in cells or unknown[k] != PRIMARY:
                continue
            lo, hi = _range(index[k], len(comp), np.array(a_eq), np.array(b_eq), bounds)
            if math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) < 1:
                exposed.append(k)
                if first:
                    return exposed
    return exposed


def _components(variables, groups) -> list[list]:
    """Unknowns linked through a shared equation."""
    parent = {k: k for k in variables}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in groups:
        for k in members[1:]:
            parent[find(k)] = find(members[0])
    out: dict = {}
    for k in variables:
        out.setdefault(find(k), []).append(k)
    return list(out.values())


def _range(i: int, n: int, a_eq, b_eq, bounds) -> tuple[float, float]:
    c = np.zeros(n)
    c[i] = 1
    lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    low = lo.fun if lo.status == 0 else bounds[i][0]
    high = -hi.fun if hi.status == 0 else (bounds[i][1] if bounds[i][1] is not None else math.inf)
    if hi.status == 3:  # unbounded
        high = math.inf
    return float(low), float(high)


# -- published tables --------------------------------------------------------------------------------------
def guard(table: pa.Table, count: str, *, rows: str | None = None, cols: str | None = None, threshold: int = 10,
          dense: bool = True, row_totals_known: bool = True, col_totals_known: bool = True) -> tuple[pa.Table, dict]:
    """Suppress ``count`` in a long table whose cells are addressed by ``rows`` x ``cols``
    (either may be None for a 1-D table). Returns the table with ``count`` as text labels
    and a summary. ``dense`` adds absent combinations as zero cells (crosstabs)."""
    rkeys = table.column(rows).to_pylist() if rows else [None] * table.num_rows
    ckeys = table.column(cols).to_pylist() if cols else [None] * table.num_rows
    values = [int(v or 0) for v in table.column(count).to_pylist()]
    cells: dict = {}
    for r, c, v in zip(rkeys, ckeys, values, strict=True):
        cells[(r, c)] = cells.get((r, c), 0) + v
    extra = []
    if dense and rows and cols:
        for r in dict.fromkeys(rkeys):
            for c in dict.fromkeys(ckeys):
                if (r, c) not in cells:
                    cells[(r, c)] = 0
                    extra.append((r, c))
    one_d = not (rows and cols)
    ct = CellTable(cells, row_totals_known=row_totals_known and (not one_d or cols is None),
                   col_totals_known=col_totals_known and (not one_d or rows is None))
    if one_d:  # one line: the grand total is the only margin
        ct = CellTable({(None, k[0] if rows else k[1]): v for k, v in cells.items()}, True, False)
    suppress(ct, threshold)
    status = ct.status if not one_d else {((k[1], None) if rows else (None, k[1])): s for k, s in ct.status.items()}
    if extra:
        add: dict[str, list] = {name: [None] * len(extra) for name in table.column_names}
        if rows:
            add[rows] = [e[0] for e in extra]
        if cols:
            add[cols] = [e[1] for e in extra]
        add[count] = [0] * len(extra)
        table = pa.concat_tables([table, pa.table(add, schema=table.schema)])
        rkeys = table.column(rows).to_pylist()
        ckeys = table.column(cols).to_pylist()
        values = [int(v or 0) for v in table.column(count).to_pylist()]
    labels = [label(v, status[(r, c)], threshold) for r, c, v in zip(rkeys, ckeys, values, strict=True)]
    out = table.set_column(table.column_names.index(count), count, pa.array(labels, pa.string()))
    summary = {"cells": len(status), "primary": sum(s == PRIMARY for s in status.values()),
               "complementary": sum(s == COMPLEMENTARY for s in status.values())}
    return out, summary


def published_count(text: str | None) -> int | None:
    """The number in a published label, None for a withheld cell."""
    return int(text) if text is not None and text.isdigit() else None


# -- differential privacy -------------------------------------------------------------------------------------
def dp_counts(values: list[int], epsilon: float) -> list[int]:
    """Discrete Laplace noise (OpenDP) on a partition histogram: epsilon-DP for the whole
    vector when each person is in one cell. OpenDP draws from a secure random source, so
    the noise is not reproducible by design."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    meas = dp.m.make_laplace(*space, scale=1.0 / epsilon)
    return [int(v) for v in meas([int(v) for v in values])]

"""Profiles of detected victims: crosstabs of sex, age band and form of exploitation with
a chi-square test of independence and Cramer's V; and, for the multi-valued fields
(means of control, recruiter relation, labour sector), how often each is recorded for
victims of each form.

Chi-square is computed only where both variables are single-valued (a victim in one
row and one column) and on records where both are known; the multi-valued fields get
counts and shares, since one victim can appear in several of their columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import ibis
import numpy as np
import pyarrow as pa
from scipy import stats

from tiplens.cases.schema import LABOUR, MEANS, RECRUITER
from tiplens.cases.tables import CasesTables, form_category

NAME = "profiles"
TITLE = "Profiles: sex, age, form of exploitation, means of control, recruiters, sectors"
PAIRS = (("sex", "age_band"), ("sex", "form"), ("age_band", "form"), ("minor", "form"))
MULTI = {"means": MEANS, "recruiter": RECRUITER, "labour": LABOUR}


@dataclass(frozen=True)
class Params:
    pairs: tuple[tuple[str, str], ...] = PAIRS


@dataclass(frozen=True)
class Crosstab:
    name: str
    row: str
    col: str
    table: pa.Table  # <row>, <col>, victims (known values only)
    n: int
    chi2: float | None = None
    dof: int | None = None
    p_value: float | None = None
    cramers_v: float | None = None


@dataclass(frozen=True)
class ProfilesResult:
    marginals: dict[str, pa.Table]  # field -> (<field>, victims), NULL = unknown
    crosstabs: tuple[Crosstab, ...]
    multi: dict[str, pa.Table]  # group -> (form, item, victims, known)
    params: Params = field(default_factory=Params)

    def to_frame(self):
        return self.crosstabs[0].table.to_pandas() if self.crosstabs else None


def _with_form(t: ibis.Table) -> ibis.Table:
    return t.mutate(form=form_category(t), minor=t.minor.cast("string"))


def run(tables: CasesTables, params: Params = Params()) -> ProfilesResult:
    t = _with_form(tables.cases)
    fields = sorted({f for pair in params.pairs for f in pair} | {"citizenship", "country_of_exploitation"})
    marginals = {f: t.group_by(f).aggregate(victims=ibis._.count()).order_by(f).to_pyarrow() for f in fields}
    tabs = []
    for row, col in params.pairs:
        known = t.filter(t[row].notnull() & t[col].notnull())
        agg = known.group_by([row, col]).aggregate(victims=ibis._.count()).order_by([row, col]).to_pyarrow()
        tabs.append(chi_square(f"{row}_by_{col}", row, col, agg))
    # every group's counts by form in one query (one scan of the cases)
    groups = {g: [c for c in (f"{g}_{i}" for i in items) if c in t.columns] for g, items in MULTI.items()}
    groups = {g: cols for g, cols in groups.items() if cols}
    aggs = {}
    for cols in groups.values():
        for c in cols:
            aggs[f"{c}__yes"] = t[c].fill_null(False).cast("int64").sum()
            aggs[f"{c}__known"] = t[c].notnull().cast("int64").sum()
    wide = (t.filter(t.form.notnull()).group_by("form").aggregate(**aggs).order_by("form").to_pyarrow().to_pylist()
            if aggs else [])
    multi = {}
    for group, cols in groups.items():
        rows = []
        for r in wide:
            for c in cols:
                rows.append({"form": r["form"], "item": c.removeprefix(f"{group}_"),
                             "victims": int(r[f"{c}__yes"] or 0), "known": int(r[f"{c}__known"] or 0)})
        multi[group] = pa.Table.from_pylist(rows, schema=pa.schema([
            ("form", pa.string()), ("item", pa.string()), ("victims", pa.int64()), ("known", pa.int64())]))
    return ProfilesResult(marginals, tuple(tabs), multi, params)


def chi_square(name: str, row: str, col: str, table: pa.Table) -> Crosstab:
    """Pearson chi-square of independence and Cramer's V on a long table of counts."""
    rows = list(dict.fromkeys(table.column(row).to_pylist()))
    cols = list(dict.fromkeys(table.column(col).to_pylist()))
    m = np.zeros((len(rows), len(cols)))
    for r, c, v in zip(table.column(row).to_pylist(), table.column(col).to_pylist(),
                       table.column("victims").to_pylist(), strict=True):
        m[rows.index(r), cols.index(c)] += v
    n = int(m.sum())
    if len(rows) < 2 or len(cols) < 2 or n == 0:
        return Crosstab(name, row, col, table, n)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    chi2, p, dof, _ = stats.chi2_contingency(m, correction=False)
    v = math.sqrt(chi2 / (n * (min(m.shape) - 1))) if min(m.shape) > 1 else None
    return Crosstab(name, row, col, table, n, float(chi2), int(dof), float(p), v)

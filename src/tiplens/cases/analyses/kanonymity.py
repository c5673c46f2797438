"""k-anonymous case microdata: generalise the quasi-identifiers step by step, then
suppress the records still in groups smaller than k.

Generalisation ladders (each step coarser): year -> period -> withheld; age band ->
minor/adult -> withheld; sex -> withheld; a country -> UN M49 sub-region -> region ->
withheld; any other quasi-identifier -> withheld. While more than ``max_suppression``
of the records sit in groups smaller than k, the quasi-identifier with the most
distinct values at its current step moves one step up (the Datafly heuristic). Then the
remaining small groups are suppressed, so ``rows_in = rows_out + suppressed``. Every
combination of quasi-identifier values in the output appears at least k times
(a withheld value counts as one value). Computed with Ibis expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis

from tiplens.cases.schema import FLAG_COLUMNS
from tiplens.cases.tables import CasesTables
from tiplens.errors import BadInput

NAME = "kanonymity"
TITLE = "k-anonymous export"
DEFAULT_QUASI = ("year", "sex", "age_band", "citizenship", "country_of_exploitation")
COUNTRY = {"citizenship", "country_of_exploitation"}
EXPORT_COLUMNS = ("source", "datasource", "year", "sex", "age_band", "citizenship", "country_of_exploitation",
                  "traffick_months", "abduction", *FLAG_COLUMNS)
LEVELS = {"year": ("year", "period", "withheld"), "age_band": ("age band", "minor/adult", "withheld"),
          "sex": ("sex", "withheld")}
COUNTRY_LEVELS = ("country", "subregion", "region", "withheld")


@dataclass(frozen=True)
class Params:
    k: int = 11
    quasi: tuple[str, ...] = DEFAULT_QUASI
    periods: tuple[tuple[int, int], ...] = ()  # for years; default five-year bins
    max_suppression: float = 0.05


@dataclass(frozen=True)
class KAnonResult:
    table: ibis.Table  # the export (EXPORT_COLUMNS, values generalised)
    rows_in: int
    rows_out: int
    suppressed: int
    generalised: dict[str, str]  # quasi-identifier -> level reached (only those above level 0)
    params: Params = field(default_factory=Params)

    def summary(self) -> dict:
        return {"rows_in": self.rows_in, "rows_out": self.rows_out, "suppressed": self.suppressed,
                "k": self.params.k, "generalised": self.generalised}


def ladder(name: str) -> tuple[str, ...]:
    return COUNTRY_LEVELS if name in COUNTRY else LEVELS.get(name, (name, "withheld"))


def _generalise(t: ibis.Table, name: str, level: int, regions: dict[str, dict[str, str]], params: Params) -> ibis.Value:
    col = t[name]
    steps = ladder(name)
    if steps[level] == "withheld":
        return ibis.null(col.type())
    if level == 0:
        return col
    if name == "year":
        if params.periods:
            branches = [((col >= a) & (col <= b), f"{a}-{b}") for a, b in params.periods]
            return ibis.cases(*branches, else_=ibis.null("string"))
        start = (col // 5) * 5
        return start.cast("string") + "-" + (start + 4).cast("string")
    if name == "age_band":
        return ibis.cases((col.isin(["0-8", "9-17"]), "0-17"), (col.notnull(), "18+"), else_=ibis.null("string"))
    if name in COUNTRY:
        mapping = regions[name + ":" + steps[level]]
        return col.substitute(mapping, else_=ibis.null("string")) if mapping else ibis.null("string")
    return col


def run(tables: CasesTables, params: Params = Params()) -> KAnonResult:
    t = tables.need_cases()
    unknown = [q for q in params.quasi if q not in t.columns]
    if unknown:
        raise BadInput(f"--quasi: unknown column(s) {', '.join(unknown)} (choose from {', '.join(EXPORT_COLUMNS)})")
    if params.k < 2:
        raise BadInput("--k must be at least 2")
    base = t.select(*[c for c in EXPORT_COLUMNS if c in t.columns])
    rows_in = int(base.count().to_pyarrow().as_py())
    level = {q: 0 for q in params.quasi}
    regions = _region_maps(base, tables.regions, params)
    while True:
        g = _apply(base, level, regions, params)
        small = _small_rows(g, params)
        movable = [q for q in params.quasi if level[q] < len(ladder(q)) - 1]
        if small <= params.max_suppression * rows_in or not movable:
            break
        distinct = g.aggregate(**{q: g[q].nunique() for q in movable}).to_pyarrow().to_pylist()[0]
        level[max(movable, key=lambda q: (distinct[q], q))] += 1
    kept = g.mutate(_n=g.source.count().over(ibis.window(group_by=[g[q] for q in params.quasi]))) \
        .filter(ibis._._n >= params.k).drop("_n")
    rows_out = int(kept.count().to_pyarrow().as_py())
    generalised = {q: ladder(q)[lvl] for q, lvl in level.items() if lvl > 0}
    return KAnonResult(kept, rows_in, rows_out, rows_in - rows_out, generalised, params)


def _region_maps(base: ibis.Table, regions: ibis.Table, params: Params) -> dict[str, dict[str, str]]:
    """code -> sub-region / region, for the codes present in the data only (a short CASE)."""
    table = regions.to_pyarrow()
    out: dict[str, dict[str, str]] = {}
    for name in COUNTRY & set(params.quasi):
        present = set(base.select(name).distinct().to_pyarrow().column(0).to_pylist()) - {None}
        for level in ("subregion", "region"):
            mapping = dict(zip(table.column("iso2").to_pylist(), table.column(level).to_pylist(), strict=True))
            out[f"{name}:{level}"] = {k: mapping[k] for k in present if mapping.get(k)}
    return out


def _apply(base: ibis.Table, level: dict[str, int], regions: dict[str, dict[str, str]], params: Params) -> ibis.Table:
    changes = {q: _generalise(base, q, lvl, regions, params).cast("string") for q, lvl in level.items()}
    return base.mutate(**changes)


def _small_rows(g: ibis.Table, params: Params) -> int:
    sizes = g.group_by(list(params.quasi)).aggregate(n=ibis._.count())
    small = sizes.filter(sizes.n < params.k).n.sum()
    return int(small.to_pyarrow().as_py() or 0)

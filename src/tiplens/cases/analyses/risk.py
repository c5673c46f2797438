"""Risk zones: a prioritisation aid that ranks countries and corridors by combining
detected flows with Walk Free's Global Slavery Index (prevalence and vulnerability) and
the gap in government response.

Each factor is turned into a percentile rank among the countries that have it (0-100),
and the score is the weighted mean of the available factors (weights re-normalised when
a factor is missing, which is flagged). Every rank is explained by its factors, and its
sensitivity to the weights is measured by re-ranking under random weights drawn around
the chosen ones (Dirichlet, seeded) and with each factor left out. It is not a
prediction of where trafficking happens: detected flows follow where organisations work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pyarrow as pa

from tiplens.cases.schema import DETECTED, GLOTIP_SOURCE, GSI_SOURCE
from tiplens.cases.tables import CasesTables

NAME = "risk"
TITLE = "Risk zones (a prioritisation aid)"
FACTORS = ("detected", "prevalence", "vulnerability", "response_gap")
LABELS = {"detected": "detected victims", "prevalence": "GSI prevalence", "vulnerability": "GSI vulnerability",
          "response_gap": "GSI government response gap"}


@dataclass(frozen=True)
class Params:
    weights: tuple[tuple[str, float], ...] = (("detected", 0.4), ("prevalence", 0.25), ("vulnerability", 0.25),
                                              ("response_gap", 0.1))
    draws: int = 500
    concentration: float = 20.0  # Dirichlet concentration around the chosen weights
    seed: int = 2023
    top: int = 10
    min_coverage: float = 0.6  # share of the total weight a country's known factors must carry to be ranked


@dataclass(frozen=True)
class RiskResult:
    countries: pa.Table  # rank, iso2, name, score, <factor>_pct, <factor>_value, detected, explanation, sensitivity
    corridors: pa.Table  # rank, origin, destination, names, victims, score, explanation
    weights: dict[str, float]
    detected_source: str  # "cases" or "GLOTIP <year>"
    params: Params = field(default_factory=Params)
    unranked: int = 0  # countries left out for missing factors

    def to_frame(self):
        return self.countries.to_pandas()


def _percentile(values: Mapping[Any, float]) -> dict[Any, float]:
    """Mid-rank percentile (0-100) of each key's value among all keys."""
    if not values:
        return {}
    keys = list(values)
    arr = np.array([values[k] for k in keys], dtype=float)
    order = arr.argsort(kind="stable")
    ranks = np.empty(len(arr))
    sorted_vals = arr[order]
    i = 0
    while i < len(arr):
        j = i
        while j + 1 < len(arr) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2
        i = j + 1
    pct = ranks / (len(arr) - 1) * 100 if len(arr) > 1 else np.full(len(arr), 50.0)
    return dict(zip(keys, pct.tolist(), strict=True))


def _gsi(stats: ibis.Table, regions: pa.Table) -> dict[str, dict[str, float]]:
    s = stats.filter((stats.source == GSI_SOURCE) & stats.indicator.isin(
        ["prevalence_per_1000", "vulnerability_total", "government_response_total"]) & stats.value.notnull())
    rows = s.select("iso3", "indicator", "value").to_pyarrow().to_pylist()
    iso2 = dict(zip(regions.column("iso3").to_pylist(), regions.column("iso2").to_pylist(), strict=True))
    out: dict[str, dict[str, float]] = {"prevalence": {}, "vulnerability": {}, "response_gap": {}}
    for r in rows:
        code = iso2.get(r["iso3"])
        if code is None:
            continue
        if r["indicator"] == "prevalence_per_1000":
            out["prevalence"][code] = r["value"]
        elif r["indicator"] == "vulnerability_total":
            out["vulnerability"][code] = r["value"]
        else:
            out["response_gap"][code] = 100.0 - r["value"]
    return out


def _detected(tables: CasesTables, regions: pa.Table) -> tuple[dict[str, float], str]:
    """Victims detected per country (as citizenship plus as country of exploitation, each
    victim once per country), from case records; else GLOTIP's latest year with most countries."""
    if tables.cases is not None:
        c = tables.cases
        a = c.filter(c.citizenship.notnull()).select(iso2=c.citizenship, k=c.case_id)
        b = c.filter(c.country_of_exploitation.notnull()).select(iso2=c.country_of_exploitation, k=c.case_id)
        both = a.union(b, distinct=True)
        rows = both.group_by("iso2").aggregate(n=both.count()).to_pyarrow().to_pylist()
        if rows:
            return {r["iso2"]: float(r["n"]) for r in rows}, "case records"
    if tables.stats is not None:
        s = tables.stats
        h = s.filter((s.source == GLOTIP_SOURCE) & (s.indicator == DETECTED) & (s.dimension == "Total")
                     & (s.category == "Total") & (s.sex == "Total") & (s.age == "Total") & (s.part == 1)
                     & s.iso3.notnull() & s.value.notnull())
        per_year = h.group_by("year").aggregate(n=h.count()).order_by([ibis.desc("n"), ibis.desc("year")])
        best = per_year.limit(1).to_pyarrow().to_pylist()
        if best:
            year = best[0]["year"]
            rows = h.filter(h.year == year).select("iso3", "value").to_pyarrow().to_pylist()
            iso2 = dict(zip(regions.column("iso3").to_pylist(), regions.column("iso2").to_pylist(), strict=True))
            return {iso2[r["iso3"]]: r["value"] for r in rows if r["iso3"] in iso2}, f"GLOTIP {year}"
    return {}, "none"


def run(tables: CasesTables, params: Params = Params()) -> RiskResult:
    regions = tables.regions.to_pyarrow()
    names = dict(zip(regions.column("iso2").to_pylist(), regions.column("name").to_pylist(), strict=True))
    detected, detected_source = _detected(tables, regions)
    raw = {"detected": {k: float(np.log1p(v)) for k, v in detected.items()}}
    raw.update(_gsi(tables.stats, regions) if tables.stats is not None else {})
    pct = {f: _percentile(raw.get(f, {})) for f in FACTORS}
    weights = dict(params.weights)
    everyone = sorted({k for f in FACTORS for k in pct[f]})
    total_w = sum(w for w in weights.values() if w > 0)
    countries = [k for k in everyone
                 if sum(weights.get(f, 0) for f in FACTORS if k in pct[f]) >= params.min_coverage * total_w]
    base = _scores(countries, pct, weights)
    ranked = sorted(countries, key=lambda k: (-base[k], k))
    rank = {k: i + 1 for i, k in enumerate(ranked)}
    sens = _sensitivity(countries, pct, weights, params)
    rows = []
    for k in ranked:
        have = [f for f in FACTORS if k in pct[f] and weights.get(f, 0) > 0]
        parts = sorted(have, key=lambda f: -weights[f] * pct[f][k])
        expl = "; ".join(f"{LABELS[f]} {ordinal(pct[f][k])} percentile (weight {weights[f]:.2f})" for f in parts)
        missing = [LABELS[f] for f in FACTORS if weights.get(f, 0) > 0 and k not in pct[f]]
        row = {"rank": rank[k], "iso2": k, "name": names.get(k, k), "score": round(base[k], 2),
               "detected": int(detected[k]) if k in detected else None,
               "explanation": expl + (f"; missing: {', '.join(missing)}" if missing else ""),
               **sens[k]}
        for f in FACTORS:
            row[f"{f}_pct"] = round(pct[f][k], 1) if k in pct[f] else None
        rows.append(row)
    corridors = _corridors(tables, pct, names, weights)
    return RiskResult(pa.Table.from_pylist(rows), corridors, weights, detected_source, params,
                      unranked=len(everyone) - len(countries))


def ordinal(x: float) -> str:
    n = int(round(x))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _scores(keys, pct, weights) -> dict[str, float]:
    out = {}
    for k in keys:
        have = [(weights.get(f, 0.0), pct[f][k]) for f in FACTORS if k in pct[f] and weights.get(f, 0.0) > 0]
        total = sum(w for w, _ in have)
        out[k] = sum(w * p for w, p in have) / total if total else 0.0
    return out


def _ranks(keys, scores) -> dict[str, int]:
    return {k: i + 1 for i, k in enumerate(sorted(keys, key=lambda k: (-scores[k], k)))}


def _sensitivity(keys, pct, weights, params: Params) -> dict[str, dict]:
    rng = np.random.default_rng(params.seed)
    active = [f for f in FACTORS if weights.get(f, 0) > 0]
    alpha = np.array([weights[f] for f in active]) / sum(weights[f] for f in active) * params.concentration
    samples: dict[Any, list[int]] = {k: [] for k in keys}
    for w in rng.dirichlet(alpha, size=params.draws) if keys else []:
        r = _ranks(keys, _scores(keys, pct, dict(zip(active, w, strict=True))))
        for k in keys:
            samples[k].append(r[k])
    leave_out = {}
    for f in active:
        r = _ranks(keys, _scores(keys, pct, {g: weights[g] for g in active if g != f}))
        leave_out[f] = r
    out = {}
    for k in keys:
        s = np.array(samples[k]) if samples[k] else np.array([0])
        out[k] = {"rank_p05": int(np.percentile(s, 5)), "rank_p95": int(np.percentile(s, 95)),
                  f"share_top{params.top}": round(float((s <= params.top).mean()), 3),
                  "rank_without": "; ".join(f"{LABELS[f]}: {leave_out[f][k]}" for f in active)}
    return out


def _corridors(tables: CasesTables, pct, names, weights) -> pa.Table:
    if tables.cases is None:
        return pa.table({})
    c = tables.cases
    known = c.filter(c.citizenship.notnull() & c.country_of_exploitation.notnull()
                     & (c.citizenship != c.country_of_exploitation))
    flows = known.group_by(origin=known.citizenship, destination=known.country_of_exploitation).aggregate(
        victims=ibis._.count()).to_pyarrow().to_pylist()
    if not flows:
        return pa.table({})
    flow_pct = _percentile({(r["origin"], r["destination"]): float(np.log1p(r["victims"])) for r in flows})
    rows = []
    for r in flows:
        key = (r["origin"], r["destination"])
        parts = {"corridor flow": (weights.get("detected", 0.4), flow_pct[key]),
                 "origin vulnerability": (weights.get("vulnerability", 0.25), pct["vulnerability"].get(r["origin"])),
                 "destination prevalence": (weights.get("prevalence", 0.25), pct["prevalence"].get(r["destination"]))}
        have = {n: wp for n, wp in parts.items() if wp[1] is not None and wp[0] > 0}
        total = sum(w for w, _ in have.values())
        score = sum(w * p for w, p in have.values()) / total if total else 0.0
        expl = "; ".join(f"{n} {ordinal(p)} percentile" for n, (w, p) in sorted(have.items(), key=lambda x: -x[1][0] * x[1][1]))
        rows.append({"origin": r["origin"], "destination": r["destination"], "origin_name": names.get(r["origin"]),
                     "destination_name": names.get(r["destination"]), "victims": r["victims"],
                     "score": round(score, 2), "explanation": expl})
    rows.sort(key=lambda x: (-x["score"], -x["victims"], x["origin"], x["destination"]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return pa.Table.from_pylist(rows)

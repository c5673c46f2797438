"""The points, thresholds and wording of supplier risk: every flag a supplier can get,
how many points it adds and the sentence that explains it, with its source.

Plain Python over the rows the risk analysis pulled from the store (no engine here).
The rules, in one place so the report and the docs can print them:

============================  ======================================================  ======
flag                          when                                                    points
============================  ======================================================  ======
dol_forced_labour             DOL lists the matched good from the supplier's country   40
                              for forced labour
dol_child_labour              ... for child labour                                     30
dol_forced_child_labour       ... for forced child labour (on top of the above)        10
dol_inputs                    ... as made with inputs produced with child or forced    20
                              labour
g20_at_risk_import            the product from this country is one of the GSI's G20    15
                              at-risk imports
gsi_prevalence                GSI prevalence >= 10 per 1,000 (15) or >= 5 (8)          15 / 8
gsi_vulnerability             GSI vulnerability >= 60% (10) or >= 40% (5)              10 / 5
gsi_government_response       GSI government response < 30% (10) or < 45% (5)          10 / 5
sector_concentration          the supplier's broad sector holds >= 25% (10) or >= 10%   10 / 5
                              (5) of the country's modelled forced labour
============================  ======================================================  ======

A product matched only uncertainly earns half the points (rounded down). The score is
the sum, capped at 100; high >= 50, medium >= 25, low below; "unassessed" when the
country is missing or not recognised (no check is possible).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("high", "medium", "low", "unassessed")
SHORT = {"dol_goods": "US DOL List of Goods", "gsi_countries": "Walk Free GSI",
         "g20_imports": "Walk Free GSI G20 Importing Risk", "sector_country": "sector forced-labour estimates",
         "sector_global": "forced labour by sector, worldwide"}


@dataclass(frozen=True)
class Rules:
    dol_forced: int = 40
    dol_child: int = 30
    dol_forced_child: int = 10
    dol_inputs: int = 20
    g20: int = 15
    prevalence: tuple[tuple[float, int], ...] = ((10.0, 15), (5.0, 8))  # per 1,000, at or above
    vulnerability: tuple[tuple[float, int], ...] = ((60.0, 10), (40.0, 5))  # %, at or above
    response: tuple[tuple[float, int], ...] = ((30.0, 10), (45.0, 5))  # %, below
    sector_share: tuple[tuple[float, int], ...] = ((0.25, 10), (0.10, 5))  # share, at or above
    high: int = 50
    medium: int = 25


@dataclass(frozen=True)
class Reason:
    flag: str
    points: int
    text: str
    source: str


@dataclass
class Assessment:
    reasons: list[Reason] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    uncertain: bool = False

    @property
    def score(self) -> int:
        return min(100, sum(r.points for r in self.reasons))

    def level(self, rules: Rules, assessable: bool) -> str:
        if not assessable:
            return "unassessed"
        s = self.score
        return "high" if s >= rules.high else "medium" if s >= rules.medium else "low"


def cite(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    short = SHORT.get(source["kind"], source["kind"])
    if source.get("synthetic"):
        return f"SYNTHETIC stand-in for {short} (source {source['source_id']})"
    edition = "edition unknown" if source["edition"] == "unknown" else source["edition"]
    return f"{short} ({edition}; source {source['source_id']})"


def _band(value: float | None, bands: tuple[tuple[float, int], ...], below: bool = False) -> tuple[int, float | None]:
    if value is None:
        return 0, None
    for threshold, points in bands:
        if (value < threshold) if below else (value >= threshold):
            return points, threshold
    return 0, None


def dol_reasons(a: Assessment, rules: Rules, hits: list[dict], country: str, src: str) -> None:
    """``hits``: the matched goods DOL lists for this supplier's country, with flags."""
    checks = (
        ("dol_forced_labour", "forced_labor", rules.dol_forced, "forced labour"),
        ("dol_child_labour", "child_labor", rules.dol_child, "child labour"),
        ("dol_forced_child_labour", "forced_child_labor", rules.dol_forced_child, "forced child labour"),
        ("dol_inputs", "inputs", rules.dol_inputs, "goods made with inputs produced with child or forced labour"),
    )
    for flag, column, points, label in checks:
        listed = [h for h in hits if h.get(column)]
        if not listed:
            continue
        sure = [h for h in listed if h["certain"]]
        shown = sure or listed
        goods = ", ".join(sorted({h["good"] for h in shown}))
        text = f"{goods} from {country}: listed for {label}"
        if flag == "dol_inputs":
            origins = sorted({h["derived_country"] for h in shown if h.get("derived_country")})
            if origins:
                text += f" (inputs from {', '.join(origins)})"
        if not sure:
            best = max(listed, key=lambda h: h["score"])
            text += (f" - uncertain match of {best['product']!r} to {best['good']!r} ({best['score']}%): "
                     "verify the product; half points")
            a.uncertain = True
        a.reasons.append(Reason(flag, points if sure else points // 2, text, src))


def gsi_reasons(a: Assessment, rules: Rules, row: dict | None, country: str, src: str) -> None:
    if row is None:
        a.gaps.append(f"{country} is not in the GSI country table: no prevalence, vulnerability or response check")
        return
    specs = (
        ("gsi_prevalence", "prevalence", rules.prevalence, False,
         lambda v, t: f"estimated prevalence of modern slavery in {country}: {v:.1f} per 1,000 (>= {t:g})"),
        ("gsi_vulnerability", "vulnerability", rules.vulnerability, False,
         lambda v, t: f"vulnerability to modern slavery in {country}: {v:.1f}% (>= {t:g}%)"),
        ("gsi_government_response", "government_response", rules.response, True,
         lambda v, t: f"government response to modern slavery in {country}: {v:.1f}% (< {t:g}%)"),
    )
    for flag, column, bands, below, words in specs:
        value = row.get(column)
        if value is None:
            a.gaps.append(f"the GSI gives no {column.replace('_', ' ')} for {country}")
            continue
        points, threshold = _band(value, bands, below)
        if points:
            a.reasons.append(Reason(flag, points, words(value, threshold), src))


def g20_reasons(a: Assessment, rules: Rules, hits: list[dict], country: str, src: str) -> None:
    if not hits:
        return
    sure = [h for h in hits if h["certain"]]
    shown = sure or hits
    products = ", ".join(sorted({h["name"] for h in shown}))
    value = sum(h["value_kusd"] for h in shown)
    importers = max(h["importers"] for h in shown)
    text = (f"{products} from {country}: among the G20's imports at risk of modern slavery "
            f"({importers} G20 importer(s), US$ {_money(value * 1000)})")
    if not sure:
        best = max(hits, key=lambda h: h["score"])
        text += f" - uncertain match of {best['product']!r} to {best['name']!r} ({best['score']}%): half points"
        a.uncertain = True
    a.reasons.append(Reason("g20_at_risk_import", rules.g20 if sure else rules.g20 // 2, text, src))


def sector_reasons(a: Assessment, rules: Rules, row: dict | None, sector: str | None, country: str, src: str,
                   world: dict[str, float], world_src: str) -> None:
    if sector is None:
        a.gaps.append("broad sector unknown (give a sector, or a product the vocabulary knows): no sector check")
        return
    if row is None:
        a.gaps.append(f"no sector estimate for {country}")
        return
    share = row["value"] / row["total"] if row["total"] else 0.0
    points, threshold = _band(share, rules.sector_share)
    context = f"; worldwide figure for {sector.lower()}: {world[sector]:,.3g} ({world_src})" if sector in world else ""
    text = (f"{sector.lower()} holds {share:.0%} of the modelled forced labour in {country} "
            f"({row['value']:,.0f} of {row['total']:,.0f} people)")
    if points:
        a.reasons.append(Reason("sector_concentration", points, f"{text} (>= {threshold:.0%}){context}", src))


def _money(x: float) -> str:
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if x >= size:
            return f"{x / size:,.1f} {unit}"
    return f"{x:,.0f}"

"""The portfolio view of a supplier risk assessment: where the risk and the spend are,
by country, by product and country x product, and how much spend sits with suppliers
at high or medium risk ("spend at risk")."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa

NAME = "portfolio"
TITLE = "Portfolio: risk and spend by country and product"


@dataclass(frozen=True)
class Params:
    at_risk: tuple[str, ...] = ("high", "medium")
    top_countries: int = 25
    top_products: int = 20


@dataclass(frozen=True)
class Totals:
    suppliers: int
    with_spend: int
    spend: float
    spend_at_risk: float
    by_level: dict[str, int]
    spend_by_level: dict[str, float]

    @property
    def share_at_risk(self) -> float | None:
        return self.spend_at_risk / self.spend if self.spend else None


@dataclass(frozen=True)
class PortfolioResult:
    by_country: pa.Table
    by_product: pa.Table
    heat: pa.Table  # country, product, suppliers, max_score, spend (top countries x top products, assessed only)
    totals: Totals
    params: Params = field(default_factory=Params)

    def to_frame(self, which: str = "by_country"):
        return getattr(self, which).to_pandas()


def _summary(t: ibis.Table, by: list[str], at_risk: tuple[str, ...]) -> ibis.Table:
    risky = t.level.isin(list(at_risk))
    return t.group_by(by).aggregate(
        suppliers=t.count(), high=(t.level == "high").sum(), medium=(t.level == "medium").sum(),
        low=(t.level == "low").sum(), unassessed=(t.level == "unassessed").sum(),
        spend=t.spend.sum(), spend_at_risk=ibis.cases((risky, t.spend), else_=0.0).sum(),
        max_score=t.score.max(), mean_score=t.score.mean())


def run(scored: ibis.Table, params: Params = Params()) -> PortfolioResult:
    """``scored``: the risk result's suppliers (country, product, score, level, spend)."""
    t = scored.mutate(product=scored.product.fill_null("(no product)"), spend=scored.spend)
    order = [ibis.desc("spend_at_risk"), ibis.desc("max_score"), ibis.desc("suppliers")]
    by_country = _summary(t, ["country"], params.at_risk).order_by([*order, "country"])
    by_product = _summary(t, ["product"], params.at_risk).order_by([*order, "product"])
    top_c = by_country.limit(params.top_countries).select("country")
    top_p = by_product.limit(params.top_products).select("product")
    cell = t.filter(t.level != "unassessed").semi_join(top_c, "country").semi_join(top_p, "product")
    heat = cell.group_by(["country", "product"]).aggregate(
        suppliers=cell.count(), max_score=cell.score.max(), spend=cell.spend.sum()).order_by(["country", "product"])
    levels = {r["level"]: (r["n"], r["spend"]) for r in
              t.group_by("level").aggregate(n=t.count(), spend=t.spend.sum()).to_pyarrow().to_pylist()}
    agg = t.aggregate(n=t.count(), with_spend=t.spend.count(), spend=t.spend.sum()).to_pyarrow().to_pylist()[0]
    totals = Totals(
        suppliers=int(agg["n"]), with_spend=int(agg["with_spend"]), spend=float(agg["spend"] or 0.0),
        spend_at_risk=float(sum((levels.get(k, (0, 0.0))[1] or 0.0) for k in params.at_risk)),
        by_level={k: int(v[0]) for k, v in levels.items()},
        spend_by_level={k: float(v[1] or 0.0) for k, v in levels.items()})
    return PortfolioResult(by_country.to_pyarrow(), by_product.to_pyarrow(), heat.to_pyarrow(), totals, params)

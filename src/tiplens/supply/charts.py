"""Supply charts (Vega-Lite dicts built with Altair, data inline): the country x product
risk heat map and spend by country split by risk level."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from tiplens.report.charts import WIDTH

LEVEL_COLORS = {"high": "#b2182b", "medium": "#ef8a62", "low": "#9ecae1", "unassessed": "#bdbdbd"}


def heatmap(frame: pd.DataFrame, title: str = "") -> dict[str, Any]:
    """``frame``: country, product, max_score, suppliers, spend."""
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("product:N", title="product", sort="ascending", axis=alt.Axis(labelAngle=-40, labelLimit=160)),
        y=alt.Y("country:N", title="country", sort="ascending"),
    )
    rect = base.mark_rect(stroke="#fff").encode(
        color=alt.Color("max_score:Q", title="highest score", scale=alt.Scale(scheme="orangered", domain=[0, 100])),
        tooltip=["country", "product", "max_score", "suppliers", alt.Tooltip("spend:Q", format=",.0f")],
    )
    text = base.mark_text(fontSize=10).encode(
        text="max_score:Q",
        color=alt.condition(alt.datum.max_score >= 60, alt.value("white"), alt.value("#1d2430")),
    )
    height = max(160, 24 * frame["country"].nunique())
    width = min(WIDTH, max(240, 36 * frame["product"].nunique()))
    return (rect + text).properties(width=width, height=height).configure_view(strokeWidth=0).to_dict()


def spend_by_level(frame: pd.DataFrame, title: str = "") -> dict[str, Any]:
    """``frame``: country, level, spend (long)."""
    order = list(LEVEL_COLORS)
    chart = alt.Chart(frame, title=title).mark_bar().encode(
        y=alt.Y("country:N", sort="-x", title="country"),
        x=alt.X("sum(spend):Q", title="spend"),
        color=alt.Color("level:N", scale=alt.Scale(domain=order, range=[LEVEL_COLORS[k] for k in order]),
                        title="risk level"),
        order=alt.Order("level_order:Q"),
        tooltip=["country", "level", alt.Tooltip("spend:Q", format=",.0f")],
    ).properties(width=WIDTH, height=max(160, 22 * frame["country"].nunique()))
    return chart.configure_view(strokeWidth=0).to_dict()

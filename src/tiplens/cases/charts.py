"""Chart specs for the cases report (Vega-Lite via Altair, data inline, published values only)."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from tiplens.report.charts import PALETTE, WIDTH


def sankey(flows: pd.DataFrame, source: str, target: str, value: str = "victims", *, title: str = "",
           height: int = 460, gap: int = 8) -> dict[str, Any]:
    """A Sankey diagram with our own layout: origins on the left, destinations on the right,
    each link a band (a Vega-Lite area along a smooth curve) as wide as its flow."""
    flows = flows[flows[value] > 0]
    left = flows.groupby(source)[value].sum().sort_values(ascending=False)
    right = flows.groupby(target)[value].sum().sort_values(ascending=False)
    n = max(len(left), len(right))
    scale = (height - gap * (n - 1)) / max(left.sum(), right.sum(), 1)
    x0, x1 = 150.0, WIDTH - 150.0

    def positions(totals: pd.Series) -> dict[str, float]:
        pos, y = {}, 0.0
        for key, v in totals.items():
            pos[key] = y
            y += v * scale + gap
        return pos

    ltop, rtop = positions(left), positions(right)
    lused = {k: 0.0 for k in left.index}
    rused = {k: 0.0 for k in right.index}
    order = flows.assign(_l=flows[source].map(list(left.index).index), _r=flows[target].map(list(right.index).index))
    points = []
    for i, row in enumerate(order.sort_values(["_l", "_r"]).itertuples(index=False)):
        s, t, v = getattr(row, source), getattr(row, target), getattr(row, value)
        w = v * scale
        ya = ltop[s] + lused[s] + w / 2
        lused[s] += w
        points.append((i, s, t, v, w, ya))
    rows = []
    for i, s, t, v, w, ya in sorted(points, key=lambda p: (list(right.index).index(p[2]), p[5])):
        yb = rtop[t] + rused[t] + w / 2
        rused[t] += w
        for step, u in enumerate(np.linspace(0, 1, 24)):
            # cubic Bezier with horizontal tangents at both ends
            x = (1 - u) ** 3 * x0 + 3 * (1 - u) ** 2 * u * (x0 + x1) / 2 + 3 * (1 - u) * u ** 2 * (x0 + x1) / 2 + u ** 3 * x1
            y = (1 - u) ** 3 * ya + 3 * (1 - u) ** 2 * u * ya + 3 * (1 - u) * u ** 2 * yb + u ** 3 * yb
            half = max(w, 1.0) / 2
            rows.append({"link": i, "step": step, "x": x, "y": y - half, "y2": y + half, "from": s, "to": t,
                         "victims": int(v)})
    links = pd.DataFrame(rows)
    nodes = pd.DataFrame(
        [{"name": k, "x": x0 - 8, "x2": x0, "y": ltop[k], "y2": ltop[k] + v * scale, "victims": int(v),
          "side": "origin", "tx": x0 - 12, "align": "right"} for k, v in left.items()]
        + [{"name": k, "x": x1, "x2": x1 + 8, "y": rtop[k], "y2": rtop[k] + v * scale, "victims": int(v),
            "side": "destination", "tx": x1 + 12, "align": "left"} for k, v in right.items()])
    xs = alt.Scale(domain=[0, WIDTH])
    ys = alt.Scale(domain=[0, height], reverse=True)
    band = alt.Chart(links).mark_area(opacity=0.45, interpolate="monotone").encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("y:Q", scale=ys, axis=None, stack=None), y2="y2:Q", detail="link:N",
        color=alt.Color("from:N", title="origin", scale=alt.Scale(range=PALETTE)),
        tooltip=["from:N", "to:N", alt.Tooltip("victims:Q", format=",")])
    bars = alt.Chart(nodes).mark_rect(color="#34495e").encode(
        x=alt.X("x:Q", scale=xs), x2="x2:Q", y=alt.Y("y:Q", scale=ys), y2="y2:Q",
        tooltip=["name:N", "side:N", alt.Tooltip("victims:Q", format=",")])
    text_l = alt.Chart(nodes[nodes.side == "origin"]).mark_text(align="right", fontSize=11).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("mid:Q", scale=ys), text="name:N").transform_calculate(
        mid="(datum.y + datum.y2) / 2")
    text_r = alt.Chart(nodes[nodes.side == "destination"]).mark_text(align="left", fontSize=11).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("mid:Q", scale=ys), text="name:N").transform_calculate(
        mid="(datum.y + datum.y2) / 2")
    chart = alt.layer(band, bars, text_l, text_r, title=title).properties(width=WIDTH, height=height)
    return chart.configure_view(strokeWidth=0).to_dict()

"""Chart specs shared by reports and the web app: small functions returning Vega-Lite
dicts built with Altair, data inline (so the page needs no file or network)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

alt.data_transformers.disable_max_rows()

WIDTH = 680
PALETTE = ["#1f5f8b", "#e07b39", "#4c9a6a", "#b94a6c", "#7a68a6", "#c9a227", "#5fa3c7", "#8c8c8c"]


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure_view(strokeWidth=0).configure_range(category=PALETTE).to_dict()


def bars(frame: pd.DataFrame, x: str, y: str, *, color: str | None = None, horizontal: bool = False,
         title: str = "", sort: str | None = "-x", height: int | None = None, x_title: str | None = None,
         y_title: str | None = None, tooltip: list[str] | None = None) -> dict[str, Any]:
    """Bar chart; ``horizontal`` puts categories on the y axis sorted by value."""
    tip = tooltip or [c for c in (x, y, color) if c]
    if horizontal:
        enc: dict[str, Any] = {"y": alt.Y(f"{x}:N", sort=sort, title=x_title or x), "x": alt.X(f"{y}:Q", title=y_title or y)}
        h = height or max(160, 18 * frame[x].nunique())
    else:
        enc = {"x": alt.X(f"{x}:O", title=x_title or x), "y": alt.Y(f"{y}:Q", title=y_title or y, stack=True)}
        h = height or 260
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    chart = alt.Chart(frame, title=title).mark_bar().encode(**enc, tooltip=tip).properties(width=WIDTH, height=h)
    return _spec(chart)


def lines(frame: pd.DataFrame, x: str, y: str, *, color: str | None = None, title: str = "",
          temporal: bool = True, height: int = 260, y_title: str | None = None,
          points: bool = False) -> dict[str, Any]:
    xenc = alt.X(f"{x}:T" if temporal else f"{x}:O", title=x)
    enc: dict[str, Any] = {"x": xenc, "y": alt.Y(f"{y}:Q", title=y_title or y)}
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    chart = alt.Chart(frame, title=title).mark_line(point=points).encode(
        **enc, tooltip=[c for c in (x, y, color) if c]
    ).properties(width=WIDTH, height=height)
    return _spec(chart)


def heatmap(frame: pd.DataFrame, x: str, y: str, value: str, *, title: str = "", height: int | None = None,
            x_sort: Any = None, y_sort: Any = None) -> dict[str, Any]:
    chart = alt.Chart(frame, title=title).mark_rect().encode(
        x=alt.X(f"{x}:O", title=x, sort=x_sort),
        y=alt.Y(f"{y}:N", title=y, sort=y_sort),
        color=alt.Color(f"{value}:Q", title=value, scale=alt.Scale(scheme="blues")),
        tooltip=[x, y, value],
    ).properties(width=WIDTH, height=height or max(160, 20 * frame[y].nunique()))
    return _spec(chart)


def network(nodes: pd.DataFrame, edges: pd.DataFrame, *, title: str = "", size: str = "degree",
            color: str = "org_type", label: str = "account", height: int = 520) -> dict[str, Any]:
    """Node-link drawing from precomputed positions: ``nodes`` has x, y, ``label``, ``size``,
    ``color``; ``edges`` has x, y, x2, y2 and weight."""
    base_edges = alt.Chart(edges).mark_rule(opacity=0.25, color="#8a94a3").encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.5, 4]), legend=None),
    )
    pts = alt.Chart(nodes).mark_circle(opacity=0.9, stroke="#fff").encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None),
        size=alt.Size(f"{size}:Q", scale=alt.Scale(range=[30, 900])),
        color=alt.Color(f"{color}:N", title=color), tooltip=[label, color, size],
    )
    text = alt.Chart(nodes[nodes["show_label"]] if "show_label" in nodes else nodes).mark_text(
        dy=-10, fontSize=10, color="#1d2430").encode(x="x:Q", y="y:Q", text=f"{label}:N")
    chart = alt.layer(base_edges, pts, text, title=title).properties(width=WIDTH, height=height)
    return _spec(chart)

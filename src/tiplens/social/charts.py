"""Chart specs the social report needs beyond ``tiplens.report.charts``: grouped bars and a
point-and-interval chart (Vega-Lite dicts built with Altair, data inline)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from tiplens.report.charts import PALETTE, WIDTH


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure_view(strokeWidth=0).configure_range(category=PALETTE).to_dict()


def grouped_bars(frame: pd.DataFrame, x: str, y: str, group: str, *, title: str = "", x_title: str | None = None,
                 y_title: str | None = None, y_format: str | None = None, x_sort: list | None = None,
                 height: int = 240) -> dict[str, Any]:
    """Side-by-side bars: one bar per ``group`` within each ``x``."""
    axis = alt.Axis(format=y_format) if y_format else alt.Axis()
    chart = alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X(f"{x}:O", title=x_title or x, sort=x_sort),
        xOffset=alt.XOffset(f"{group}:N"),
        y=alt.Y(f"{y}:Q", title=y_title or y, axis=axis),
        color=alt.Color(f"{group}:N", title=group),
        tooltip=[x, group, alt.Tooltip(f"{y}:Q", format=y_format or ",")],
    ).properties(width=WIDTH, height=height)
    return _spec(chart)


def share_bars(frame: pd.DataFrame, category: str, share: str, *, title: str = "", color: str | None = None,
               label: str | None = None, tooltip: list[str] | None = None) -> dict[str, Any]:
    """Horizontal bars of a share (0-1), categories in the frame's order, value printed at the bar end."""
    order = frame[category].tolist()
    enc: dict[str, Any] = {
        "y": alt.Y(f"{category}:N", sort=order, title=None),
        "x": alt.X(f"{share}:Q", title=label or share, axis=alt.Axis(format="%")),
        "tooltip": tooltip or [category, alt.Tooltip(f"{share}:Q", format=".1%")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    base = alt.Chart(frame, title=title).encode(**enc)
    text = alt.Chart(frame).mark_text(align="left", dx=3, fontSize=10, color="#1d2430").encode(
        y=alt.Y(f"{category}:N", sort=order), x=f"{share}:Q", text=alt.Text(f"{share}:Q", format=".1%"))
    chart = alt.layer(base.mark_bar(), text).properties(width=WIDTH - 120, height=max(140, 20 * len(frame)))
    return _spec(chart)


def monthly_bars(frame: pd.DataFrame, month: str, value: str, *, color: str | None = None, title: str = "",
                 y_title: str | None = None, height: int = 260) -> dict[str, Any]:
    """Stacked bars on a time axis: ``month`` holds 'YYYY-MM'; the axis shows years, not every month."""
    data = frame.assign(_date=frame[month].astype(str) + "-01")
    enc: dict[str, Any] = {
        "x": alt.X("_date:T", timeUnit="yearmonth", title=month, axis=alt.Axis(format="%Y", tickCount="year")),
        "y": alt.Y(f"{value}:Q", title=y_title or value, stack=True),
        "tooltip": [alt.Tooltip(f"{month}:N"), *(alt.Tooltip(f"{color}:N") for _ in [0] if color),
                    alt.Tooltip(f"{value}:Q")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    chart = alt.Chart(data, title=title).mark_bar().encode(**enc).properties(width=WIDTH, height=height)
    return _spec(chart)

"""The review page's section on linked ads: the clusters table (exported as clusters.csv) and a
chart (a timeline of the clustered ads by location when dates exist, else the cluster sizes)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from tiplens.report import Chart, Note, Section, Table
from tiplens.report.charts import WIDTH, bars
from tiplens.screen.linking import LinkResult

MAX_TIMELINE_CLUSTERS = 15


def sections(result: LinkResult) -> list[Section]:
    clusters = result.clusters.to_pandas()
    p = result.params
    intro = (f"Ads that share a contact or are near-duplicates (MinHash Jaccard >= {p.duplicate_threshold}) form a "
             f"cluster. Flags: at least {p.many_locations} locations within {p.short_days} days; at least "
             f"{p.many_names} names used with one phone number. Clusters are leads for a reviewer, not findings.")
    blocks: list[Any] = []
    if clusters.empty:
        blocks.append(Note(f"No cluster of two or more ads among {result.n_ads:,} ads."))
        return [Section("clusters", "Linked ads", blocks, intro)]
    n_clustered = int(clusters["n_ads"].sum())
    n_flagged = int((clusters["flags"] != "").sum())
    blocks.append(Note(f"{len(clusters):,} clusters hold {n_clustered:,} of {result.n_ads:,} ads; "
                       f"{n_flagged:,} cluster(s) carry a flag.", kind="finding" if n_flagged else "text"))
    if result.n_bad_dates:
        blocks.append(Note(f"{result.n_bad_dates:,} date value(s) could not be read and were treated as unknown.",
                           kind="warning"))
    if p.contact_salt is None and (clusters["contacts"] != "").any():
        blocks.append(Note("Contacts are shown in clear; pass a salt to share this table with hashed contacts.",
                           kind="warning"))
    shown = clusters.assign(first_seen=clusters["first_seen"].astype("string"),
                            last_seen=clusters["last_seen"].astype("string"))
    blocks.append(Table("clusters", shown, title="Clusters of linked ads",
                        caption="One row per cluster, largest first; the full table is tables/clusters.csv."))
    blocks.append(Chart(_chart(result, clusters), title="Linked ads"))
    return [Section("clusters", "Linked ads", blocks, intro)]


def _chart(result: LinkResult, clusters: pd.DataFrame) -> dict[str, Any]:
    members = result.members.to_pandas()
    dated = members.dropna(subset=["date"])
    if dated.empty:
        top = clusters.head(30)[["cluster_id", "n_ads"]]
        return bars(top, "cluster_id", "n_ads", horizontal=True, title="Ads per cluster (largest 30)",
                    x_title="cluster", y_title="ads")
    keep = clusters["cluster_id"].head(MAX_TIMELINE_CLUSTERS)
    data = dated[dated["cluster_id"].isin(keep)].assign(
        date=lambda d: pd.to_datetime(d["date"]).dt.strftime("%Y-%m-%d"),
        location=lambda d: d["location"].fillna("(unknown)"))[["cluster_id", "date", "location", "id"]]
    base = alt.Chart(data, title=f"Clustered ads over time by location (largest {MAX_TIMELINE_CLUSTERS} clusters)")
    lines = base.mark_line(color="#8a94a3", opacity=0.6).encode(
        x=alt.X("date:T", title="date"), y=alt.Y("cluster_id:N", title="cluster"), detail="cluster_id:N")
    points = base.mark_circle(size=90, opacity=0.9).encode(
        x="date:T", y="cluster_id:N", color=alt.Color("location:N", title="location"),
        tooltip=["cluster_id", "date", "location", "id"])
    height = max(160, 24 * data["cluster_id"].nunique())
    return (lines + points).properties(width=WIDTH, height=height).configure_view(strokeWidth=0).to_dict()

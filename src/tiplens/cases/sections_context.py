"""Section builders of the cases report on country statistics: coverage of UNODC GLOTIP
with the replication of seed 001's trend, and risk zones with Walk Free's GSI."""

from __future__ import annotations

import pandas as pd

from tiplens.cases.analyses import coverage, risk
from tiplens.cases.context import Context
from tiplens.cases.publish import published_values
from tiplens.cases.schema import GLOTIP_SOURCE, GSI_SOURCE
from tiplens.report import Chart, Note, Section, Table, charts


def _has(ctx: Context, source: str) -> bool:
    s = ctx.tables.stats
    return s is not None and int(s.filter(s.source == source).count().to_pyarrow().as_py()) > 0


def coverage_section(ctx: Context) -> Section | None:
    if not _has(ctx, GLOTIP_SOURCE):
        return None
    r = coverage.run(ctx.tables)
    pub = ctx.pub
    yearly = pub.table("coverage_yearly", r.yearly.select(
        ["year", "countries", "victims", "suppressed", "with_value", "areas", "area_victims", "suppressed_cells",
         "cells"]), rows="year")
    has_areas = yearly.areas.fillna(0).astype(int) > 0
    guarded = pub.column("coverage_yearly_areas", yearly.assign(area_victims=yearly.area_victims.fillna(0)),
                         "area_victims")
    yearly["area_victims"] = guarded["area_victims"].where(has_areas, None)
    blocks: list = []
    panel = pub.table("coverage_panel", r.panel, rows="year", derived=("index",))
    series = published_values(yearly)[["year", "victims"]].assign(series="all reporting countries")
    if len(panel) and r.panel_window is not None:
        series = pd.concat([series, published_values(panel)[["year", "victims"]].assign(
            series=f"balanced panel ({len(r.panel_countries)} countries reporting every year "
                   f"{r.panel_window[0]}-{r.panel_window[1]})")])
    blocks.append(Chart(charts.lines(series, "year", "victims", color="series", temporal=False, points=True,
                                     y_title="detected victims (GLOTIP)",
                                     title="Detected victims: all reporters vs a balanced panel"),
                        title="Victims and coverage"))
    counts = r.yearly.to_pandas()[["year", "countries"]]
    blocks.append(Chart(charts.bars(counts, "year", "countries", y_title="countries with a headline value",
                                    title="Countries reporting detected victims per year"),
                        title="Countries reporting"))
    blocks.append(Table("coverage_yearly", yearly, title="Coverage per year",
                        caption="countries = countries with a headline total (incl. suppressed '<5'); victims = sum "
                                "of their known totals; suppressed = headline totals published as '<5'; areas = "
                                "UNODC sub-regional aggregates, summed apart (area_victims); suppressed_cells = "
                                "'<5' cells among all rows of the indicator."))
    blocks.append(Table("coverage_panel", panel, title="Balanced panel", caption="index: first year = 100."))
    rep = r.replication.to_pandas()
    blocks.append(Table("replication", rep.astype({"year": str}), title="Seed 001's trend next to GLOTIP"))
    blocks.extend(_replication_notes(rep, r))
    return Section("coverage", coverage.TITLE, blocks, intro=coverage.__doc__.split("\n\n")[0].replace("\n", " "))


def _replication_notes(rep: pd.DataFrame, r: coverage.CoverageResult) -> list[Note]:
    notes = []
    a, b = r.params.replication_panel
    for row in rep.itertuples(index=False):
        if pd.isna(row.glotip_victims):
            notes.append(Note(f"{row.year}: seed 001 reads about {row.claimed:,} detected victims; this GLOTIP table "
                              f"has no {row.year} data, so the claim cannot be checked here.", "warning"))
            continue
        areas = 0 if pd.isna(row.area_victims) else row.area_victims
        total = row.glotip_victims + areas
        text = (f"{row.year}: seed 001 reads about {row.claimed:,}; GLOTIP sums {total:,.0f} detected victims "
                f"({row.glotip_victims:,.0f} in {int(row.countries)} countries"
                + (f" + {areas:,.0f} in UNODC sub-regional aggregates" if areas else "") + ").")
        if not pd.isna(row.panel_victims):
            text += (f" The {int(row.panel_countries)} countries that reported in every year {a}-{b} detected "
                     f"{row.panel_victims:,.0f}.")
        notes.append(Note(text, "finding"))
    yr = {int(x.year): x for x in rep.itertuples(index=False)}
    if 2020 in yr and 2021 in yr and not pd.isna(yr[2021].glotip_victims) and not pd.isna(yr[2021].panel_victims):
        p20, p21 = yr[2020].panel_victims, yr[2021].panel_victims
        notes.append(Note(
            f"Coverage, not trafficking: {int(yr[2020].countries)} countries reported for 2020 but only "
            f"{int(yr[2021].countries)} for 2021 in this release. Among the same {int(yr[2021].panel_countries)} countries, "
            f"detected victims went from {p20:,.0f} to {p21:,.0f} ({(p21 / p20 - 1) * 100:+.1f}%): the fall in the "
            "raw sum is mostly countries not yet reporting, not a measured fall.", "warning"))
    return notes


def risk_section(ctx: Context) -> Section | None:
    if not _has(ctx, GSI_SOURCE):
        return None
    params = risk.Params(seed=ctx.params.seed)
    r = risk.run(ctx.tables, params)
    pub = ctx.pub
    frame = r.countries.to_pandas().rename(columns={"detected": "victims"})
    frame["victims"] = frame["victims"].fillna(0).astype(int)
    frame = pub.column("risk", frame, "victims")
    frame.loc[r.countries.to_pandas()["detected"].isna().to_numpy(), "victims"] = None
    order = ["rank", "iso2", "name", "score", "victims", *[f"{f}_pct" for f in risk.FACTORS], "rank_p05", "rank_p95",
             f"share_top{params.top}", "rank_without", "explanation"]
    frame = frame[[c for c in order if c in frame.columns]]
    blocks: list = [Note(
        "A prioritisation aid, not a prediction: it ranks where detected flows, estimated prevalence, vulnerability "
        "and gaps in government response coincide. Detected flows follow where organisations work and report.",
        "warning")]
    w = ", ".join(f"{risk.LABELS[k]} {v:.2f}" for k, v in r.weights.items())
    blocks.append(Note(f"Weights: {w}. Detected victims from {r.detected_source} (log scale). Each factor is a "
                       f"percentile among countries that have it; {r.unranked} countries lack factors worth "
                       f"{params.min_coverage:.0%} of the weight and are not ranked. Sensitivity: ranks under "
                       f"{params.draws} Dirichlet weight draws (seed {params.seed}; 5th-95th percentile) and with "
                       "each factor left out."))
    top = frame.head(20)
    blocks.append(Chart(charts.bars(top, "name", "score", horizontal=True, sort="-x", x_title="country",
                                    y_title="score (0-100)", title="Top 20 countries by combined score",
                                    tooltip=["name", "score", "rank_p05", "rank_p95"]), title="Top countries"))
    ctx.files["tables/risk.csv"] = frame.to_csv(index=False)
    shown = frame.drop(columns=["iso2", "rank_without"]).rename(columns={f"share_top{params.top}": "top10_share"})
    blocks.append(Table("", shown, title="Countries ranked", max_rows=30, export=False,
                        caption="victims = records with the country as citizenship or as country of exploitation. "
                                "Full table with ranks when each factor is left out: tables/risk.csv."))
    if r.corridors.num_rows:
        cor = r.corridors.to_pandas().head(50)
        cor = pub.column("risk_corridors", cor, "victims")
        cor = cor[["rank", "origin", "destination", "origin_name", "destination_name", "victims", "score",
                   "explanation"]]
        blocks.append(Table("risk_corridors", cor, title="Cross-border corridors ranked", max_rows=25,
                            caption="score = weighted percentiles of corridor flow, origin vulnerability and "
                                    "destination prevalence."))
    return Section("risk", risk.TITLE, blocks, intro=risk.__doc__.split("\n\n")[0].replace("\n", " "))

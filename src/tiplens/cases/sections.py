"""Section builders of the cases report on victim records: trends, profiles, routes.
Each takes the report :class:`~tiplens.cases.context.Context` and returns a Section;
every table goes through ``ctx.pub`` (the privacy guard) before it is shown."""

from __future__ import annotations

import pandas as pd

from tiplens.cases import charts as case_charts
from tiplens.cases import worldmap
from tiplens.cases.analyses import profiles, routes, trends
from tiplens.cases.context import Context
from tiplens.cases.publish import published_values
from tiplens.cases.schema import AGE_BANDS
from tiplens.cases.sections_context import coverage_section, risk_section
from tiplens.report import Chart, Html, Note, Section, Table, charts


def _ordered(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Age bands in their natural order, '(unknown)' last; other categories as they come."""
    if column != "age_band" or column not in frame:
        return frame
    order = {b: i for i, b in enumerate(AGE_BANDS)}
    return frame.sort_values(column, key=lambda s: s.map(lambda v: order.get(v, len(order))), kind="stable")


def _wide(frame: pd.DataFrame, row: str, col: str) -> pd.DataFrame:
    wide = frame.pivot(index=row, columns=col, values="victims").reset_index()
    wide.columns.name = None
    if col == "age_band":
        keep = [c for c in [row, *AGE_BANDS, "(unknown)"] if c in wide.columns]
        wide = wide[keep]
    return _ordered(wide, row)


def _n(label: str) -> int | None:
    return int(label) if isinstance(label, str) and label.isdigit() else None


def trends_result(ctx: Context) -> trends.TrendsResult:
    """The trends analysis, run once per report (the privacy section reuses it)."""
    if "trends" not in ctx.results:
        ctx.results["trends"] = trends.run(ctx.tables, trends.Params(periods=ctx.params.periods))
    return ctx.results["trends"]  # type: ignore[return-value]


def trends_section(ctx: Context) -> Section:
    r = trends_result(ctx)
    pub, t = ctx.pub, ctx.params.threshold
    yearly = pub.table("trend_yearly", r.yearly, rows="year")
    blocks: list = []
    shown = published_values(yearly)
    blocks.append(Chart(charts.bars(shown, "year", "victims", x_title="year of registration",
                                    y_title="victims (published counts)", title="Detected victims per year"),
                        title="Victims per year", caption="Years with fewer than the threshold are not drawn."))
    if r.unknown_year:
        unknown = str(r.unknown_year) if r.unknown_year >= t else f"<{t}"
        blocks.append(Note(f"{unknown} records have no year and are left out of the yearly series."))
    blocks.append(Table("trend_yearly", yearly, title="Victims per year"))
    periods = pub.table("trend_periods", r.periods, rows="period", derived=("per_year",))
    periods[["first_year", "last_year"]] = periods[["first_year", "last_year"]].astype(str)
    blocks.append(Table("trend_periods", periods, title="Victims per period"))
    rows = []
    for ch in r.changes:
        if ch.victims_first < t or ch.victims_second < t:
            continue
        rows.append({"from": ch.first, "to": ch.second, "ratio": ch.ratio, "ci_low": ch.ci_low,
                     "ci_high": ch.ci_high, "p_value": ch.p_value})
        blocks.append(Note(
            f"{ch.second} vs {ch.first}: mean victims per year x{ch.ratio:.2f} (95% CI {ch.ci_low:.2f}-"
            f"{ch.ci_high:.2f}; exact conditional test p = {ch.p_value:.3g}). Detected victims, not prevalence: "
            "more contributing organisations or more identification also raise it.", "finding"))
    if rows:
        blocks.append(Table("trend_changes", pd.DataFrame(rows), title="Change between consecutive periods"))
    for split, table in r.by_split.items():
        name = f"breakdown_year_{split}"
        frame = pub.table(name, table, rows="year", cols=split)
        if split == "form":
            shown = published_values(frame)
            blocks.append(Chart(charts.bars(shown, "year", "victims", color="form", y_title="victims",
                                            title="Victims per year by form of exploitation"),
                                title="By form of exploitation",
                                caption="Only published cells are drawn; '(unknown)' = no form recorded."))
        ctx.files[f"tables/{name}.csv"] = frame.to_csv(index=False)
        blocks.append(Table("", _wide(frame, "year", split), title=f"Victims per year by {split.replace('_', ' ')}",
                            export=False, caption=f"Full table (long form): tables/{name}.csv."))
    return Section("trends", trends.TITLE, blocks, intro=trends.__doc__.split("\n\n")[0].replace("\n", " "))


def profiles_result(ctx: Context) -> profiles.ProfilesResult:
    """The profiles analysis, run once per report (the routes map reuses its marginals)."""
    if "profiles" not in ctx.results:
        ctx.results["profiles"] = profiles.run(ctx.tables)
    return ctx.results["profiles"]  # type: ignore[return-value]


def profiles_section(ctx: Context) -> Section:
    r = profiles_result(ctx)
    pub = ctx.pub
    blocks: list = []
    for field_name in ("sex", "age_band", "form", "minor"):
        if field_name in r.marginals:
            frame = _ordered(pub.table(f"breakdown_{field_name}", r.marginals[field_name], rows=field_name),
                             field_name)
            blocks.append(Table(f"breakdown_{field_name}", frame, title=f"Victims by {field_name.replace('_', ' ')}"))
    for tab in r.crosstabs:
        frame = pub.table(f"breakdown_{tab.name}", tab.table, rows=tab.row, cols=tab.col)
        wide = _wide(frame, tab.row, tab.col)
        ctx.files[f"tables/breakdown_{tab.name}.csv"] = frame.to_csv(index=False)
        blocks.append(Table("", wide, title=f"{tab.row.replace('_', ' ')} by {tab.col.replace('_', ' ')}",
                            export=False, caption=f"Full table (long form): tables/breakdown_{tab.name}.csv."))
        if tab.chi2 is not None:
            blocks.append(Note(
                f"{tab.row} x {tab.col}: chi-square = {tab.chi2:,.1f}, df = {tab.dof}, p = {tab.p_value:.3g}, "
                f"Cramer's V = {tab.cramers_v:.2f} (n = {tab.n:,} records with both known). "
                "V near 0: no association; 0.1 small, 0.3 medium, 0.5 large.", "finding"))
    for group, table in r.multi.items():
        if sum(table.column("known").to_pylist()) == 0:
            continue
        frame = pub.table(f"breakdown_form_{group}", table, rows="item", cols="form", margins=False)
        known = pub.column(f"breakdown_form_{group}_known", frame, "known")
        share = [None if _n(v) is None or not k else round(_n(v) / k * 100, 1)
                 for v, k in zip(frame["victims"], table.column("known").to_pylist()[:len(frame)], strict=False)]
        known["share_pct"] = share
        blocks.append(Table(f"breakdown_form_{group}", known, title=f"{group.replace('_', ' ').title()} by form",
                            caption="victims = records where it was recorded; known = records where it was "
                                    "recorded as present or absent; share = victims / known.", max_rows=40))
    if not r.multi or all(sum(t.column("known").to_pylist()) == 0 for t in r.multi.values()):
        blocks.append(Note("The imported files have no means-of-control, recruiter or labour-sector columns "
                           "(the shared CTDC subset keeps 7 of the 63 columns).", "warning"))
    return Section("profiles", profiles.TITLE, blocks, intro=profiles.__doc__.split("\n\n")[0].replace("\n", " "))


def routes_section(ctx: Context) -> Section:
    r = routes.run(ctx.tables, routes.Params(periods=ctx.params.periods))
    pub, t = ctx.pub, ctx.params.threshold
    blocks: list = []
    total = r.total
    summary = pub.table("routes_summary", r.summary, rows="kind", derived=())
    known = sum(_n(v) or 0 for v in summary["victims"])
    shares = [_n(v) for v in summary["victims"]]
    summary["share_pct"] = [round(n / known * 100, 1) if n is not None and known else None for n in shares]
    blocks.append(Note(f"{r.known:,} of {total:,} records have both citizenship and country of exploitation."
                       if r.known >= t else f"Fewer than {t} records have both countries.", "text"))
    blocks.append(Table("routes_summary", summary, title="Domestic and cross-border"))
    cols = ["origin", "destination", "origin_name", "destination_name", "victims"]
    corridors = r.corridors.select(cols)
    frame = pub.table("routes", corridors, rows="origin", cols="destination", dense=False)
    frame["origin_name"] = frame["origin_name"].fillna("")
    sub = pub.table("routes_subregions", r.by_subregion, rows="origin_subregion", cols="destination_subregion",
                    dense=False)
    flows = published_values(sub)
    flows = flows[(flows.origin_subregion != "(unknown)") & (flows.destination_subregion != "(unknown)")]
    if len(flows):
        flows = flows.assign(origin_subregion="from " + flows.origin_subregion,
                             destination_subregion="to " + flows.destination_subregion).nlargest(30, "victims")
        blocks.append(Chart(case_charts.sankey(flows, "origin_subregion", "destination_subregion",
                                               title="Citizenship to country of exploitation, UN M49 sub-regions"),
                            title="Flows between sub-regions",
                            caption="Sankey diagram of the 30 largest published sub-regional flows; band width "
                                    "is proportional to victims."))
    _add_map(ctx, blocks)
    cross = frame[frame.origin != frame.destination]
    top = published_values(cross).nlargest(15, "victims")
    blocks.append(Table("", top, title="Top cross-border corridors", export=False))
    blocks.append(Table("routes", frame, title="All corridors", max_rows=40,
                        caption="origin = citizenship, destination = country of exploitation (ISO 3166 alpha-2)."))
    blocks.append(Table("routes_regions", pub.table("routes_regions", r.by_region, rows="origin_region",
                                                    cols="destination_region", dense=False),
                        title="Between UN regions", max_rows=40))
    blocks.append(Table("routes_subregions", sub, title="Between UN sub-regions", max_rows=40))
    if r.growth.num_rows:
        g = pub.column("routes_growth", r.growth.to_pandas(), "victims_first")
        g = pub.column("routes_growth_last", g, "victims_last")
        for col, base in (("per_year_first", "victims_first"), ("per_year_last", "victims_last")):
            g[col] = g[col].where(g[base].str.fullmatch(r"\d+"), None)
        g["ratio"] = g["ratio"].where(g["victims_first"].str.fullmatch(r"\d+"), None)
        g["new"] = g["victims_first"].isin(["0", f"<{t}"])
        blocks.append(Table("routes_growth", g, title="Fastest-growing corridors",
                            caption="Ratio of victims per year, last vs first period (+0.5 per year in both, so new "
                                    "corridors stay finite). A new corridor often means a new contributing "
                                    "organisation, not new trafficking."))
    return Section("routes", routes.TITLE, blocks, intro=routes.__doc__.split("\n\n")[1].replace("\n", " "))


def _add_map(ctx: Context, blocks: list) -> None:
    prof = profiles_result(ctx)
    dest = ctx.pub.table("breakdown_country_of_exploitation", prof.marginals["country_of_exploitation"],
                         rows="country_of_exploitation")
    orig = ctx.pub.table("breakdown_citizenship", prof.marginals["citizenship"], rows="citizenship")
    regions = ctx.tables.regions.to_pyarrow()
    names = dict(zip(regions.column("iso2").to_pylist(), regions.column("name").to_pylist(), strict=True))
    dest.insert(1, "name", [names.get(k, "") for k in dest.country_of_exploitation])
    orig.insert(1, "name", [names.get(k, "") for k in orig.citizenship])
    labels = {k: v for k, v in zip(dest.country_of_exploitation, dest.victims, strict=True) if k != "(unknown)"}
    extra = {k: f"citizens: {v}" for k, v in zip(orig.citizenship, orig.victims, strict=True) if k != "(unknown)"}
    svg = worldmap.choropleth("map-exploitation", labels, names, "Victims by country of exploitation", extra)
    if svg is not None:
        blocks.append(Html(str(svg)))
    else:
        blocks.append(Note("No world map: the pygal_maps_world package is not installed.", "warning"))
    blocks.append(Table("breakdown_country_of_exploitation", dest, title="Victims by country of exploitation",
                        max_rows=30))
    blocks.append(Table("breakdown_citizenship", orig, title="Victims by citizenship", max_rows=30))


SECTIONS_CASES = [trends_section, profiles_section, routes_section]
SECTIONS_STATS = [coverage_section, risk_section]

"""The cases report: run the registered analyses, pass every published table through the
privacy guard, and lay the results out as sections. The report never embeds case rows:
it holds aggregated counts (each at least the threshold, or withheld), statistics and
charts drawn from those published counts only."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tiplens import provenance
from tiplens.cases.analyses import privacy
from tiplens.cases.context import CasesReportParams, Context
from tiplens.cases.publish import Publisher
from tiplens.cases.sections import SECTIONS_CASES, SECTIONS_STATS, trends_result
from tiplens.cases.tables import CasesTables, cases_tables, study_tables
from tiplens.engines import connect, engine_name
from tiplens.errors import BadInput
from tiplens.report import Note, Report, Section, Table, write_report
from tiplens.store import Study

SOURCES = {
    "CTDC": "Counter Trafficking Data Collaborative (CTDC), Global Dataset (k-anonymised, k = 11), "
            "ctdatacollaborative.org; codebook version 6 (November 2017).",
    "CTDC synthetic": "CTDC Global Synthetic Dataset, codebook version 2 (February 2024).",
    "UNODC GLOTIP": "UNODC, Global Report on Trafficking in Persons data table (dataunodc.un.org), release of 30 May 2023.",
    "Walk Free GSI 2023": "Walk Free 2023, The Global Slavery Index 2023, Minderoo Foundation "
                          "(walkfree.org/global-slavery-index/downloads).",
}
SEED_NOTE = ("The replication of the 2020-2023 trend reads seed 001 (Fitria 2025, 'Human Trafficking in the Lens of "
             "Liberalism in International Relations'), which cites UNODC's Global Report on Trafficking in Persons 2023.")


def build(study: Study, params: CasesReportParams, *, synthetic: bool = False) -> Report:
    if params.threshold < 2:
        raise BadInput("--k must be at least 2")
    names = study_tables(study)
    if not names & {"cases", "country_stats"}:
        raise BadInput(f"{study.path}: the study has no case records or country statistics; "
                       "run 'tiplens cases import' first")
    tables = cases_tables(connect(study, params.engine), names)
    n_cases = int(tables.cases.count().to_pyarrow().as_py()) if tables.cases is not None else 0
    n_stats = int(tables.stats.count().to_pyarrow().as_py()) if tables.stats is not None else 0
    if n_cases == 0 and n_stats == 0:
        raise BadInput(f"{study.path}: the study's case tables are empty")
    ctx = Context(tables if n_cases else CasesTables(None, tables.stats, tables.regions), params,
                  Publisher(params.threshold), {}, [])
    sections = [_overview(ctx, n_cases, n_stats)]
    builders = (SECTIONS_CASES if n_cases else []) + (SECTIONS_STATS if n_stats else [])
    for build_section in builders:
        section = build_section(ctx)
        if section is not None:
            sections.append(section)
    sections.append(_privacy_section(ctx, n_cases))
    used = sorted({r[0] for r in study.query("SELECT DISTINCT source FROM cases")} if n_cases else set())
    used += sorted({r[0] for r in study.query("SELECT DISTINCT source FROM country_stats")} if n_stats else set())
    sources = [SOURCES.get(s, s) for s in used] + [SEED_NOTE]
    return Report(
        title="Case data: trends, coverage, profiles, routes and risk zones",
        subtitle=(f"{n_cases:,} victim records, {n_stats:,} country statistics"
                  + (" (synthetic demonstration data)" if synthetic else "")),
        sections=sections, synthetic=synthetic, sources=sources,
        provenance=provenance.describe(study, "cases", {"report": params}, engine_name(params.engine)),
        files=ctx.files,
    )


def write(study: Study, out: str | Path, params: CasesReportParams, *, synthetic: bool = False) -> Path:
    return write_report(build(study, params, synthetic=synthetic), out)


def _overview(ctx: Context, n_cases: int, n_stats: int) -> Section:
    t = ctx.params.threshold
    blocks: list = [Note(
        f"Privacy guard on: every count below {t} is shown as '<{t}'; a 'c' marks a cell withheld so that a "
        f"small cell cannot be worked out from row or column totals. No case record appears in this report.")]
    if n_cases:
        c = ctx.tables.need_cases()
        src = c.group_by("source").aggregate(victims=c.count()).order_by("source").to_pyarrow()
        blocks.append(Table("overview_sources", ctx.pub.table("overview_sources", src, rows="source"),
                            title="Victim records by source"))
    if n_stats:
        s = ctx.tables.need_stats()
        stats = s.group_by(["source", "indicator"]).aggregate(
            rows=s.count(), countries=s.iso3.nunique(), first_year=s.year.min(), last_year=s.year.max()) \
            .order_by(["source", "indicator"]).to_pyarrow().to_pandas()
        stats[["first_year", "last_year"]] = stats[["first_year", "last_year"]].astype("Int64").astype(str)
        blocks.append(Table("overview_statistics", stats, title="Country statistics in the study",
                            caption="Rows of published statistics (not victim records)."))
    return Section("overview", "Overview", blocks)


def _privacy_section(ctx: Context, n_cases: int) -> Section:
    t = ctx.params.threshold
    blocks: list = []
    eps = ctx.params.epsilon
    if n_cases and eps > 0:
        tr = trends_result(ctx)
        parts = [("year", tr.yearly)] + [(f"year x {k}", v) for k, v in tr.by_split.items() if k in ("sex",)]
        per = eps / len(parts)
        rows = []
        for label, table in parts:
            frame = table.to_pandas()
            keys = [c for c in frame.columns if c != "victims"]
            noisy = privacy.dp_counts(frame["victims"].astype(int).tolist(), per)
            for key_values, value in zip(frame[keys].itertuples(index=False), noisy, strict=True):
                rows.append({"table": label, "cell": " / ".join("(unknown)" if pd.isna(v) else str(v) for v in key_values),
                             "victims": max(value, 0), "epsilon": per})
        frame = pd.DataFrame(rows)
        published = ctx.pub.column("dp_counts", frame, "victims")
        ctx.dp.extend({"table": label, "epsilon": per, "cells": int((frame.table == label).sum())} for label, _ in parts)
        blocks.append(Note(
            f"Differentially private counts (OpenDP discrete Laplace mechanism, total epsilon = {eps:g}, split "
            f"evenly: epsilon = {per:g} per table). Each victim is in one cell per table, so each table is "
            f"{per:g}-DP and the pair is {eps:g}-DP by composition. Noisy counts below {t} are shown as '<{t}'. "
            "The noise is drawn from a secure random source and differs on every run.", "finding"))
        blocks.append(Table("dp_counts", published, title="Differentially private counts", max_rows=40))
    summary = {
        "threshold": t,
        "rule": f"counts below {t} shown as '<{t}'; 'c' = withheld by complementary suppression",
        "complementary_audit": "no withheld small cell is recoverable exactly from row, column or grand totals "
                               "(linear-programming audit per table)",
        "case_rows_embedded": False,
        "tables": ctx.pub.log,
        "differential_privacy": {"library": "OpenDP", "mechanism": "discrete Laplace",
                                 "epsilon_total": eps if ctx.dp else 0, "tables": ctx.dp},
    }
    ctx.files["privacy.json"] = json.dumps(summary, indent=2)
    withheld = sum(v.get("primary", 0) for v in ctx.pub.log.values())
    comp = sum(v.get("complementary", 0) for v in ctx.pub.log.values())
    blocks.insert(0, Note(
        f"{len(ctx.pub.log)} published tables; {withheld:,} cells below {t} withheld, {comp:,} more withheld by "
        f"complementary suppression. Details per table in privacy.json. For microdata use 'tiplens cases export' "
        f"(k-anonymous, default k = 11)."))
    return Section("privacy", "Privacy guard", blocks,
                   intro="What was withheld, and differentially private counts as an alternative view.")


"""The social report: run the registered analyses and lay their results out as sections."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from tiplens import provenance
from tiplens.engines import connect, duckdb_backend, engine_name
from tiplens.errors import BadInput
from tiplens.knowledge.codebook import load_codebook
from tiplens.knowledge.organisations import load_organisations
from tiplens.report import Chart, Note, Report, Section, Table, write_report
from tiplens.social import charts as social_charts
from tiplens.social.analyses import engagement, volume
from tiplens.social.sections import engagement as engagement_section
from tiplens.social.sections import hashtags as hashtags_section
from tiplens.social.sections import interactions as interactions_section
from tiplens.social.sections import themes as themes_section
from tiplens.social.sections import words as words_section
from tiplens.social.sections import years_as_text
from tiplens.social.tables import SocialTables, social_tables
from tiplens.store import Study

SOURCE_NOTE = ("Replicates and extends the design of Rosana & Sahide's study of @IOMIndonesia (July 2015 - "
               "March 2023, NVivo 12 Plus), as summarised in the project's seed document 004.")


@dataclass(frozen=True)
class SocialReportParams:
    account: str | None = None
    since: date | None = None
    until: date | None = None
    periods: tuple[tuple[int, int], ...] = ()
    codebook: str | None = None  # theme codebook YAML; None = the bundled one
    organisations: str | None = None  # organisation registry YAML; None = the bundled one
    metric: str = "likes"  # engagement metric: likes, reposts, replies, quotes or views
    engine: str = "duckdb"
    seed: int = 20150701


def parse_periods(text: str | None) -> tuple[tuple[int, int], ...]:
    """'2015-2016,2017-2023' -> ((2015, 2016), (2017, 2023)); a single year is allowed."""
    if not text:
        return ()
    out = []
    for part in text.split(","):
        part = part.strip()
        try:
            a, _, b = part.partition("-")
            y0, y1 = int(a), int(b or a)
        except ValueError:
            raise BadInput(f"--periods: {part!r} is not YEAR or YEAR-YEAR") from None
        if y1 < y0:
            raise BadInput(f"--periods: {part!r} ends before it starts")
        out.append((y0, y1))
    return tuple(out)


def check(params: SocialReportParams) -> list[str]:
    """Fail early, with one clear line, on a bad codebook, registry or metric; return the
    knowledge files used, with their hashes, for the provenance."""
    codebook = load_codebook(params.codebook)
    registry = load_organisations(params.organisations)
    if params.metric not in engagement.METRICS:
        raise BadInput(f"--metric {params.metric!r}: choose one of {', '.join(engagement.METRICS)}")
    return [f"codebook: {codebook.name} v{codebook.version} ({_knowledge_file(params.codebook, 'social_codebook.yaml')})",
            f"organisation registry: {len(registry.organisations)} accounts "
            f"({_knowledge_file(params.organisations, 'organisations.yaml')})",
            "stopwords: stopwords_en.txt, stopwords_id.txt (bundled)"]


def _knowledge_file(path: str | None, bundled: str) -> str:
    from importlib import resources

    data = (Path(path).read_bytes() if path else
            resources.files("tiplens.knowledge").joinpath(bundled).read_bytes())
    return f"{path or bundled + ', bundled'}; sha256={hashlib.sha256(data).hexdigest()[:16]}…"


def build(study: Study, params: SocialReportParams, *, synthetic: bool = False) -> Report:
    knowledge = check(params)
    if not study.has_table("posts"):
        raise BadInput(f"{study.path}: the study has no social posts; run 'tiplens social import' first")
    tables = _tables(connect(study, params.engine), params)
    n = tables.posts.count().to_pyarrow().as_py()
    if n == 0:
        who = f" for @{params.account}" if params.account else ""
        raise BadInput(f"{study.path}: no posts{who} in the chosen window")
    sections = [_overview(tables, n)]
    extra_files: dict[str, str] = {}
    for section, files in _sections(study, params, tables):
        extra_files.update(files)
        if section is not None:
            sections.append(section)
    title_account = f"@{params.account}" if params.account else "all accounts in the study"
    prov = provenance.describe(study, "social", {"report": params}, engine_name(params.engine))
    prov["knowledge"] = knowledge
    prov["seeds"] = (f"{params.seed} for every random step: change-point permutations, Louvain communities, "
                     "network layout, NMF topics, bootstrap")
    return Report(
        title=f"Social media campaign analysis: {title_account}",
        subtitle=f"{n:,} posts" + (" (synthetic demonstration data)" if synthetic else ""),
        sections=sections,
        synthetic=synthetic,
        sources=[SOURCE_NOTE],
        provenance=prov,
        files=extra_files,
    )


def _tables(backend: Any, params: SocialReportParams) -> SocialTables:
    """The study's tables on ``backend`` narrowed to the report's account and window."""
    return social_tables(backend, account=params.account, since=params.since, until=params.until)


def _sections(study: Study, params: SocialReportParams, tables: SocialTables) -> list[tuple[Section | None, dict[str, str]]]:
    """Every section in report order, with the files it adds. On DuckDB the sections are built
    two at a time, each on its own cursor of the study: while one waits for the engine, the other
    does its Python work (graph measures, topic model, charts), so both cores stay busy. BLAS is
    held to one thread throughout, as the topic model and the regression hold it anyway (their
    limits would otherwise overlap and undo each other), so each figure is what a sequential run gives."""
    if engine_name(params.engine) != "duckdb" or PARALLEL_SECTIONS < 2:
        done = []
        for build_section in SECTIONS:
            files: dict[str, str] = {}
            done.append((build_section(tables, params, files), files))
        return done

    def one(build_section):
        cursor = study.con.cursor()
        try:
            own = _tables(duckdb_backend(study, cursor), params)
            files: dict[str, str] = {}
            return build_section(own, params, files), files
        finally:
            cursor.close()

    with threadpool_limits(1), ThreadPoolExecutor(PARALLEL_SECTIONS) as pool:
        # started longest first, so that the workers finish close together; returned in report order
        started = {i: pool.submit(one, SECTIONS[i]) for i in _start_order(SECTIONS)}
        return [started[i].result() for i in range(len(SECTIONS))]


def _start_order(builders: list[Callable]) -> list[int]:
    """The positions of ``builders`` in the order the pool starts them: those named in
    LONGEST_FIRST in its order, then the others in report order."""
    def rank(i: int) -> tuple[int, int]:
        name = builders[i].__module__.rsplit(".", 1)[-1]
        return (LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST), i)

    return sorted(range(len(builders)), key=rank)


def write(study: Study, out: str | Path, params: SocialReportParams, *, synthetic: bool = False) -> Path:
    return write_report(build(study, params, synthetic=synthetic), out)


def _overview(tables: SocialTables, n: int) -> Section:
    p = tables.posts
    by = p.group_by(["platform", "account"]).aggregate(
        posts=p.count(), first=p.created_at.min(), last=p.created_at.max()
    )
    # ties by platform and account: the engine returns the groups in any order
    frame = by.to_pyarrow().to_pandas().sort_values(["posts", "platform", "account"], ascending=[False, True, True])
    return Section("overview", "Overview", [
        Note(f"{n:,} posts from {len(frame):,} account(s)."),
        Table("accounts_overview", frame, title="Accounts", max_rows=20),
    ])


def _volume_section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section:
    vol = volume.run(tables, volume.Params(periods=params.periods, seed=params.seed))
    yearly = vol.yearly.to_pandas()
    monthly = vol.monthly.to_pandas()
    blocks: list = []
    long = monthly.melt(id_vars=["month"], value_vars=list(volume.KINDS), var_name="kind", value_name="n")
    long = long[long["n"] > 0]
    blocks.append(Chart(social_charts.monthly_bars(long, "month", "n", color="kind", y_title="posts",
                                                   title="Posts per month by kind"), title="Posts per month"))
    for rr in vol.rate_ratios:
        text = (f"Posting rate {rr.second} vs {rr.first}: {rr.ratio:.2f} times "
                f"(95% CI {rr.ci_low:.2f}-{rr.ci_high:.2f}; exact conditional test p = {rr.p_value:.3g}; "
                f"{rr.posts_first:,} posts in {rr.days_first:,} days vs {rr.posts_second:,} in {rr.days_second:,} days).")
        blocks.append(Note(text, "finding"))
    if vol.change_point:
        cp = vol.change_point
        blocks.append(Note(
            f"Change point: the monthly posting rate shifts in {cp.month}, from {cp.rate_before:.1f} to "
            f"{cp.rate_after:.1f} posts per month (likelihood ratio {cp.likelihood_ratio:.1f}, permutation "
            f"p = {cp.p_value:.3g}, {vol.params.permutations} permutations, seed {vol.params.seed}).", "finding"))
    blocks.append(Table("volume_yearly", years_as_text(yearly), title="Posts per year by kind"))
    blocks.append(Table("volume_monthly", monthly, title="Posts per month by kind", max_rows=24))
    rr_frame = pd.DataFrame([rr.__dict__ for rr in vol.rate_ratios])
    if len(rr_frame):
        blocks.append(Table("volume_rate_ratios", rr_frame, title="Rate ratios between periods"))
    return Section("volume", volume.TITLE, blocks,
                   intro="Posts per month and year, split by kind (original, reply, retweet, quote).")


# sections built at once on DuckDB (1 = one after the other)
PARALLEL_SECTIONS = 2
# the sections' modules by the time they take (one after the other, a million posts: interactions
# 6.2 s, themes 5.3, words 3.1, hashtags 2.3, engagement 1.6, volume 0.5), longest first: the order
# in which the pool starts them; started in report order, the longest came last and ran alone
LONGEST_FIRST = ("interactions", "themes", "words", "hashtags", "engagement")

# Section builders in report order: (tables, params, extra_files) -> Section | None.
# ``extra_files`` maps a file name in the report folder (e.g. "network.gexf") to its text.
SECTIONS: list[Callable[[SocialTables, SocialReportParams, dict[str, str]], Section | None]] = [
    _volume_section,
    hashtags_section.section,
    themes_section.section,
    words_section.section,
    interactions_section.section,
    engagement_section.section,
]

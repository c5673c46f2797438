"""Report section: themes (codebook) and topics (NMF)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from tiplens.report import Chart, Note, Section, Table, charts
from tiplens.social import charts as social_charts
from tiplens.social.analyses import themes
from tiplens.social.tables import SocialTables

if TYPE_CHECKING:
    from tiplens.social.report import SocialReportParams

# the key themes the @IOMIndonesia study reported (seed 004), as codebook keys
STUDY_THEMES = ("awareness", "case_reports", "victim_support", "prevention")


def section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section | None:
    res = themes.run(tables, themes.Params(codebook=params.codebook, seed=params.seed))
    th = res.themes.to_pandas()
    blocks: list = [Note(reading(res), "finding")]
    if res.posts_without_text:
        blocks.append(Note(f"{res.posts_without_text:,} posts have no text and are not coded.", "warning"))
    if res.posts_with_text:
        ordered = th.sort_values(["posts", "theme"], ascending=[False, True])
        blocks.append(Chart(social_charts.share_bars(ordered, "label", "share", color="group",
                                                     label="share of posts with text",
                                                     tooltip=["label", "group", "posts", "share"]),
                            title="Share of posts per theme", caption="A post can carry several themes."))
        yearly = res.yearly.to_pandas()
        blocks.append(Chart(charts.heatmap(yearly, "year", "label", "share", y_sort=ordered["label"].tolist(),
                                           title="Share of each year's posts coded with the theme"),
                            title="Themes by year"))
    keys, years, grid = res.crosstab()
    cross = th[["theme", "label", "group", "posts", "share"]].copy()
    for j, y in enumerate(years):
        cross[str(y)] = grid[:, j]
    blocks.append(Table("themes", cross, title="Theme x year (posts)", max_rows=40,
                        caption="posts and share over the whole window; then posts coded with the theme per year."))
    ex = res.excerpts.to_pandas()
    if len(ex):
        ex["created_at"] = pd.to_datetime(ex["created_at"]).dt.strftime("%Y-%m-%d")
        blocks.append(Table("theme_excerpts", ex[["label", "created_at", "account", "matched", "text"]],
                            title="Coded excerpts", max_rows=60,
                            caption="A few posts per theme, spread over time, with the words that matched: "
                                    "read them to check the coding."))
    if res.topics is not None and res.topics.num_rows:
        tp = res.topics.to_pandas().round({"share": 3, "uncoded_share": 3, "closest_theme_share": 3})
        blocks.append(Note(topic_reading(res), "finding"))
        blocks.append(Table("topics", tp, title="Topics found without the codebook", max_rows=20,
                            caption=f"{res.topic_note}. uncoded_share = share of the topic's posts that no codebook "
                                    "theme matches; closest_theme = the theme most of its posts carry."))
    elif res.topic_note:
        blocks.append(Note(f"Topic model not run: {res.topic_note}.", "warning"))
    source = "the bundled bilingual codebook" if res.codebook_source == "bundled" else res.codebook_source
    return Section("themes", themes.TITLE, blocks, intro=(
        f"Posts are coded with {source} ({res.codebook_name}): English and Indonesian keywords per theme, "
        "matched as whole words, ignoring case; a post can carry several themes. An unsupervised topic model "
        "then shows what the codebook does not cover. Edit the codebook and pass it with --codebook."))


def reading(res: themes.ThemesResult) -> str:
    if res.posts_with_text == 0:
        return "No post has text to code."
    rows = sorted(res.themes.to_pylist(), key=lambda r: (-r["posts"], r["theme"]))
    top = ", ".join(f"{r['label'].lower()} ({r['share']:.0%})" for r in rows[:4] if r["posts"])
    text = (f"{res.coded_posts:,} of {res.posts_with_text:,} posts with text ({res.coded_posts / res.posts_with_text:.0%}) "
            f"carry at least one theme. The most frequent: {top}.")
    by_key = {r["theme"]: r for r in rows}
    study = [f"{by_key[k]['label'].lower()} {by_key[k]['share']:.0%}" for k in STUDY_THEMES if k in by_key]
    if study:
        text += (" The study's key themes (awareness campaigns, case reports, victim support, prevention) are found "
                 f"here as: {', '.join(study)}.")
    forms = [r for r in rows if r["group"] == "exploitation" and r["posts"]]
    if forms:
        text += " Forms of exploitation named: " + ", ".join(f"{r['label'].lower()} ({r['posts']:,})" for r in forms) + "."
    return text


def topic_reading(res: themes.ThemesResult) -> str:
    rows = res.topics.to_pylist() if res.topics is not None else []
    missed = [r for r in rows if r["posts"] and r["uncoded_share"] >= 0.5]
    if not missed:
        return ("Every topic the model finds is mostly covered by the codebook (no topic has half or more of its "
                "posts uncoded).")
    parts = [f"topic {r['topic']} ({r['top_words']}; {r['posts']:,} posts, {r['uncoded_share']:.0%} uncoded)" for r in missed]
    return ("What the codebook misses: " + "; ".join(parts) + ". Consider adding a theme for it to the codebook.")

"""Report section: hashtags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiplens.report import Chart, Note, Section, Table, charts
from tiplens.social import charts as social_charts
from tiplens.social.analyses import hashtags
from tiplens.social.sections import years_as_text
from tiplens.social.tables import SocialTables

if TYPE_CHECKING:
    from tiplens.social.report import SocialReportParams

# the hashtags the @IOMIndonesia study reported as most used (seed 004)
STUDY_TAGS = ("iomasiapacific", "indonesia", "migration", "covid19")


def section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section | None:
    res = hashtags.run(tables, hashtags.Params())
    overall = res.overall.to_pandas()
    blocks: list = [Note(reading(res), "finding")]
    if len(overall):
        top = overall.head(res.params.top).assign(tag="#" + overall["hashtag"].head(res.params.top))
        blocks.append(Chart(social_charts.share_bars(top, "tag", "share", label="share of posts",
                                                     tooltip=["tag", "posts", "share"]),
                            title=f"Top {len(top)} hashtags", caption="Share of all posts that use the hashtag."))
        trend = res.trend.to_pandas()
        trend["tag"] = "#" + trend["hashtag"]
        order = ["#" + t for t in top["hashtag"]]
        blocks.append(Chart(charts.heatmap(trend, "year", "tag", "share", y_sort=order,
                                           title="Share of each year's posts using the hashtag"),
                            title="Top hashtags per year"))
    blocks.append(Table("hashtags", overall[["hashtag", "posts", "share"]], title="All hashtags", max_rows=25,
                        caption="Lower case, without '#'; a post counts once per hashtag; share of all posts."))
    blocks.append(Table("hashtags_yearly", years_as_text(res.per_year.to_pandas()), title="Top hashtags per year", max_rows=30))
    pairs = res.pairs.to_pandas()
    if len(pairs):
        blocks.append(Table("hashtag_pairs", pairs, title="Hashtags used together", max_rows=15,
                            caption=f"Pairs in at least {res.params.min_pair_posts} posts: an edge list for a "
                                    "co-occurrence network (source, target, posts)."))
    return Section("hashtags", hashtags.TITLE, blocks,
                   intro="Hashtags are case-folded (#COVID19 and #covid19 are one tag) and counted once per post; "
                         "retweets are included, because sharing a post with its tags is part of the campaign.")


def reading(res: hashtags.HashtagsResult) -> str:
    if res.total_posts == 0 or res.overall.num_rows == 0:
        return "No post in the window uses a hashtag."
    rows = res.overall.to_pylist()
    rank = {r["hashtag"]: i for i, r in enumerate(rows, start=1)}
    top = ", ".join(f"#{r['hashtag']} ({r['share']:.0%})" for r in rows[:4])
    text = (f"{res.posts_with_hashtags:,} of {res.total_posts:,} posts ({res.posts_with_hashtags / res.total_posts:.0%}) "
            f"use at least one hashtag. The most used are {top}.")
    found = [f"#{t} is {_ordinal(rank[t])}" for t in STUDY_TAGS if t in rank]
    missing = [f"#{t}" for t in STUDY_TAGS if t not in rank]
    text += " Of the four hashtags the @IOMIndonesia study reported as most used, " + (
        "; ".join(found) if found else "none appears") + (f"; {', '.join(missing)} not used" if missing and found else "") + "."
    return text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

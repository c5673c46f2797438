"""Hashtags: case-folded and counted once per post; the top tags overall and per year with
their share of posts, and the pairs of tags used in the same post (a co-occurrence edge list
for a network)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from tiplens.social.tables import SocialTables

NAME = "hashtags"
TITLE = "Hashtags"


@dataclass(frozen=True)
class Params:
    top: int = 20  # tags in the overall table shown first (the table keeps every tag)
    top_per_year: int = 10
    min_pair_posts: int = 2  # a co-occurrence pair needs at least this many posts
    exclude_retweets: bool = False  # a retweet carries the original's tags; kept by default, as NVivo does


@dataclass(frozen=True)
class HashtagsResult:
    overall: pa.Table  # hashtag, posts, share (of all posts), sorted by posts desc, hashtag
    per_year: pa.Table  # year, rank, hashtag, posts, year_posts, share (top_per_year per year)
    pairs: pa.Table  # source, target, posts (source < target)
    trend: pa.Table  # year, hashtag, posts, year_posts, share: the `top` tags overall, every year
    total_posts: int
    posts_with_hashtags: int
    params: Params = field(default_factory=Params)

    def to_frame(self, part: str = "overall"):
        return getattr(self, part).to_pandas()

    def top(self, n: int | None = None) -> pa.Table:
        return self.overall.slice(0, n or self.params.top)


def _post_tags(tables: SocialTables, params: Params) -> tuple[ibis.Table, ibis.Table]:
    posts = tables.posts
    if params.exclude_retweets:
        posts = posts.filter(posts.kind.isnull() | (posts.kind != "retweet"))
    ent = tables.entities
    tags = ent.filter((ent.kind == "hashtag") & ent.value.notnull())
    # case-fold again (importers store folded values, hand-made rows may not) and count once per post
    tags = tags.select("post_id", "platform", hashtag=tags.value.lower().strip().re_replace("^[#＃]+", ""))
    tags = tags.filter(tags.hashtag != "").distinct()
    keys = posts.select("post_id", "platform", year=posts.created_at.year())
    return posts, tags.join(keys, ["post_id", "platform"])


def run(tables: SocialTables, params: Params = Params()) -> HashtagsResult:
    posts, tags = _post_tags(tables, params)
    total = int(posts.count().to_pyarrow().as_py())
    with_tags = int(tags.select("post_id", "platform").distinct().count().to_pyarrow().as_py())
    denom = max(total, 1)
    overall = tags.group_by("hashtag").aggregate(posts=tags.count())
    overall = overall.mutate(share=overall.posts.cast("float64") / denom).order_by(
        [ibis.desc("posts"), "hashtag"])

    dated_posts = posts.filter(posts.created_at.notnull())
    year_posts = dated_posts.group_by(year=dated_posts.created_at.year()).aggregate(year_posts=dated_posts.count())
    dated = tags.filter(tags.year.notnull())
    per_year = dated.group_by(["year", "hashtag"]).aggregate(posts=dated.count())
    per_year = per_year.join(year_posts, "year")
    per_year = per_year.mutate(
        rank=ibis.row_number().over(group_by="year", order_by=[ibis.desc("posts"), "hashtag"]) + 1,
        share=per_year.posts.cast("float64") / per_year.year_posts)
    per_year = per_year.filter(per_year["rank"] <= params.top_per_year).select(
        "year", "rank", "hashtag", "posts", "year_posts", "share").order_by(["year", "rank"])
    overall_tbl = overall.to_pyarrow()
    top_tags = overall_tbl.column("hashtag").to_pylist()[: params.top]
    top_dated = dated.filter(dated.hashtag.isin(top_tags)) if top_tags else dated.filter(ibis.literal(False))
    trend = top_dated.group_by(["year", "hashtag"]).aggregate(posts=top_dated.count()).join(year_posts, "year")
    trend = trend.mutate(share=trend.posts.cast("float64") / trend.year_posts).order_by(["year", "hashtag"])

    # pairs from each post's list of tags (a self-join on the post keys is several times slower)
    lists = tags.group_by(["post_id", "platform"]).aggregate(tags=tags.hashtag.collect())
    lists = lists.filter(lists.tags.length() >= 2)
    one = lists.select("tags", source=lists.tags.unnest())
    both = one.select("source", target=one.tags.unnest())
    both = both.filter(both.source < both.target)
    pairs = both.group_by(["source", "target"]).aggregate(posts=both.count())
    pairs = pairs.filter(pairs.posts >= params.min_pair_posts).order_by([ibis.desc("posts"), "source", "target"])

    return HashtagsResult(
        overall=overall_tbl,
        per_year=per_year.to_pyarrow(),
        pairs=pairs.to_pyarrow(),
        trend=trend.select("year", "hashtag", "posts", "year_posts", "share").to_pyarrow(),
        total_posts=total,
        posts_with_hashtags=with_tags,
        params=params,
    )

"""Hashtags: case-folded and counted once per post; the top tags overall and per year with
their share of posts, and the pairs of tags used in the same post (a co-occurrence edge list
for a network)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from tiplens.social.ranking import top_per_group
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


def _post_tags(tables: SocialTables, params: Params) -> tuple[ibis.Table, ibis.Table, ibis.Table]:
    """(posts, their tags once per post with the post's year, every tag row of the study)."""
    posts = tables.posts
    if params.exclude_retweets:
        posts = posts.filter(posts.kind.isnull() | (posts.kind != "retweet"))
    # joined to the posts below, which keeps only the window's
    ent = tables.entities if tables.study_entities is None else tables.study_entities
    tags = ent.filter((ent.kind == "hashtag") & ent.value.notnull())
    # case-fold again (importers store folded values, hand-made rows may not) and count once per post
    tags = tags.select("post_id", "platform", hashtag=tags.value.lower().strip().re_replace("^[#＃]+", ""))
    every = tags.filter(tags.hashtag != "")
    keys = posts.select("post_id", "platform", year=posts.created_at.year())
    return posts, every.distinct().join(keys, ["post_id", "platform"]), every


def run(tables: SocialTables, params: Params = Params()) -> HashtagsResult:
    posts, tags, every = _post_tags(tables, params)
    year_posts = posts.group_by(year=posts.created_at.year()).aggregate(year_posts=posts.count()).to_pyarrow()
    total = int(pc.sum(year_posts.column("year_posts")).as_py() or 0)
    year_posts = year_posts.filter(pc.is_valid(year_posts.column("year"))).cast(
        pa.schema([("year", pa.int32()), ("year_posts", pa.int64())]))
    # the posts with a tag (a post is one row: the importers keep one row per post id and platform);
    # a semi-join costs a third of a distinct count over the post keys of the tags
    with_tags = int(posts.semi_join(every, ["post_id", "platform"]).count().to_pyarrow().as_py())
    # one pass over the tags: posts per (year, tag), the year null for undated posts; the overall
    # table, the top tags per year and the trend are summed and ranked from it
    counts = tags.group_by(["year", "hashtag"]).aggregate(posts=tags.count()).to_pyarrow()
    counts = counts.cast(pa.schema([("year", pa.int32()), ("hashtag", pa.string()), ("posts", pa.int64())]))
    overall = counts.group_by("hashtag").aggregate([("posts", "sum")])
    overall = pa.table({"hashtag": overall.column("hashtag"), "posts": overall.column("posts_sum")}).sort_by([("posts", "descending"), ("hashtag", "ascending")])
    overall = overall.append_column("share", _share(overall.column("posts"), max(total, 1)))
    dated = counts.filter(pc.is_valid(counts.column("year"))).join(year_posts, "year", join_type="inner")
    top_tags = overall.column("hashtag").to_pylist()[: params.top]
    trend = dated.filter(pc.is_in(dated.column("hashtag"), value_set=pa.array(top_tags, pa.string())))
    trend = trend.sort_by([("year", "ascending"), ("hashtag", "ascending")])
    trend = trend.append_column("share", _share(trend.column("posts"), trend.column("year_posts")))
    # pairs from each post's list of tags (a self-join on the post keys is several times slower)
    lists = tags.group_by(["post_id", "platform"]).aggregate(tags=tags.hashtag.collect())
    lists = lists.filter(lists.tags.length() >= 2)
    one = lists.select("tags", source=lists.tags.unnest())
    both = one.select("source", target=one.tags.unnest())
    both = both.filter(both.source < both.target)
    pairs = both.group_by(["source", "target"]).aggregate(posts=both.count())
    pairs = pairs.filter(pairs.posts >= params.min_pair_posts).order_by([ibis.desc("posts"), "source", "target"])

    return HashtagsResult(
        overall=overall,
        per_year=_top_per_year(dated, params.top_per_year),
        pairs=pairs.to_pyarrow(),
        trend=trend.select(["year", "hashtag", "posts", "year_posts", "share"]),
        total_posts=total,
        posts_with_hashtags=with_tags,
        params=params,
    )


def _share(posts, denominator) -> pa.Array:
    """posts / denominator in float64, as the engine divides."""
    return pc.divide(pc.cast(posts, pa.float64()), pc.cast(denominator, pa.float64()) if not isinstance(
        denominator, int) else float(denominator))


def _top_per_year(dated: pa.Table, top: int) -> pa.Table:
    """The ``top`` tags of each year by posts (ties by tag), with their rank and share."""
    out = top_per_group(dated, "year", "posts", "hashtag", top)
    out = out.append_column("share", _share(out.column("posts"), out.column("year_posts")))
    return out.select(["year", "rank", "hashtag", "posts", "year_posts", "share"])

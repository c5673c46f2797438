"""Themes: posts coded with a bilingual (English/Indonesian) keyword codebook - theme share
per year, a theme x year crosstab and coded excerpts - plus an unsupervised topic model
(TF-IDF and NMF, fixed seed) that shows what the codebook misses.

Coding runs in the engine (one regular expression per theme), so it scales with the data;
the topic model runs on at most ``max_docs`` posts, an evenly spaced subset in time order
when there are more.

A theme's expression reads the whole of every text it does not match, so the themes that few
posts carry cost the most. Those are searched in groups: one expression (any of the group's
themes) first, and a theme's own only in the posts where the group's matched. A post carries a
theme exactly when it did before (a text matches one of the themes only if it matches the
group's expression); the groups only change the time. They are chosen from the sample of posts
drawn for the topic model, coded first: how often each theme matches there. Only themes made of
keywords are grouped (a theme with a 're:' pattern is always searched alone)."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

import ibis
import numpy as np
import pyarrow as pa
from threadpoolctl import threadpool_limits

from tiplens.knowledge.codebook import Codebook, Theme, load_codebook
from tiplens.knowledge.stopwords import bilingual
from tiplens.social.tables import SocialTables

NAME = "themes"
TITLE = "Themes and topics"
_URL = re.compile(r"https?://\S+|www\.\S+")
_TAG = re.compile(r"(?<![\w@#＃])[@#＃]\w+")
TOKEN = r"(?u)\b[^\W\d_]{2,}(?:['-][^\W\d_]+)*\b"  # words of 2+ letters; tanda-tanda, aren't
# a character that trimming whitespace (Python's string.whitespace) would keep: a text with one is
# not blank. A search for it is much cheaper in the engine than trimming every text (RE2 and Java
# read the escapes alike)
_NOT_BLANK = r"[^ \t\n\r\x0b\x0c]"
# a group's expression is at most this long: well inside what RE2 (DuckDB) compiles in its default
# memory budget, a cap of our choosing
_GATE_MAX_CHARS = 20_000


@dataclass(frozen=True)
class Params:
    codebook: str | None = None  # YAML path; None = the bundled bilingual codebook
    excerpts: int = 3  # coded excerpts shown per theme, spread over time
    topics: int = 10
    topic_words: int = 8
    max_docs: int = 20_000
    seed: int = 20150701


@dataclass(frozen=True)
class ThemesResult:
    themes: pa.Table  # theme, label, group, posts, share (of posts with text)
    yearly: pa.Table  # year, theme, label, posts, year_posts, share
    excerpts: pa.Table  # theme, label, created_at, post_id, account, matched, text
    topics: pa.Table | None  # topic, top_words, posts, share, uncoded_share, closest_theme, closest_theme_share
    posts_with_text: int
    coded_posts: int
    posts_without_text: int
    codebook_name: str
    codebook_source: str
    topic_note: str = ""
    params: Params = field(default_factory=Params)

    def to_frame(self, part: str = "themes"):
        table = getattr(self, part)
        return table.to_pandas() if table is not None else None

    def crosstab(self) -> tuple[list[str], list[int], np.ndarray]:
        """(theme keys, years, counts[theme, year])."""
        keys = self.themes.column("theme").to_pylist()
        years = sorted(set(self.yearly.column("year").to_pylist()))
        grid = np.zeros((len(keys), len(years)), dtype=int)
        for row in self.yearly.to_pylist():
            grid[keys.index(row["theme"]), years.index(row["year"])] = row["posts"]
        return keys, years, grid


def _with_text(tables: SocialTables) -> ibis.Table:
    p = tables.posts
    return p.filter(p.text.notnull() & p.text.re_search(_NOT_BLANK))


def _flag(p: ibis.Table, codebook: Codebook, *keep: str, groups: tuple[tuple[str, ...], ...] = ()) -> ibis.Table:
    """The posts with a flag per theme; the themes of each group (theme keys) are searched only
    in the posts that match the group's expression."""
    flags = {}
    for group in groups:
        members = [codebook.theme(k) for k in group]
        gate = p.text.re_search(group_regex(members))
        flags.update({f"t_{t.key}": gate.ifelse(p.text.re_search(_regex(t)), False) for t in members})
    flags = {f"t_{t.key}": flags[f"t_{t.key}"] if f"t_{t.key}" in flags else p.text.re_search(_regex(t))
             for t in codebook.themes}
    return p.select("post_id", "platform", "account", "created_at", "text", *keep, year=p.created_at.year(), **flags)


def group_regex(themes: list[Theme]) -> str:
    """An expression that matches a text when any of the themes' expressions does."""
    return "|".join(f"(?:{_regex(t)})" for t in themes)


@functools.lru_cache(maxsize=512)
def _regex(theme: Theme) -> str:
    """``theme.regex``, built once per theme (the groups are planned from many runs of themes)."""
    return theme.regex


def plan_groups(codebook: Codebook, sample: pa.Table) -> tuple[tuple[str, ...], ...]:
    """Groups of themes to search together, from how often each matches in the sample. A
    text costs one reading per expression it is searched with: a theme alone, one; a group of
    k themes, one for the group plus k for the texts the group matches. The themes, rarest
    first, are cut into the runs that cost least in all (a run of one is no group)."""
    rows = sample.num_rows
    if rows == 0:
        return ()
    hits = {t.key: np.asarray(sample.column(f"t_{t.key}").to_numpy(zero_copy_only=False), dtype=bool)
            for t in codebook.themes}
    # keyword themes only: their expressions carry no flags or groups of their own
    keywords = [t for t in codebook.themes if not any(p.startswith("re:") for _, pats in t.patterns for p in pats)]
    order = sorted(keywords, key=lambda t: int(hits[t.key].sum()))

    def cost(run: list[Theme]) -> float:
        if len(run) == 1:
            return 1.0
        if len(group_regex(run)) > _GATE_MAX_CHARS:
            return math.inf
        share = float(np.logical_or.reduce([hits[t.key] for t in run]).mean())
        return 1.0 + len(run) * share

    best: list[tuple[float, list[int]]] = [(0.0, [])]  # best[i]: cost and cuts of the first i themes
    for i in range(1, len(order) + 1):
        best.append(min((best[j][0] + cost(order[j:i]), best[j][1] + [j]) for j in range(i)))
    cuts = best[-1][1] + [len(order)]
    runs = [order[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    return tuple(tuple(t.key for t in run) for run in runs if len(run) > 1)


def run(tables: SocialTables, params: Params = Params()) -> ThemesResult:
    codebook = load_codebook(params.codebook)
    texts = _with_text(tables)
    # one pass over the posts for the counts the sample needs
    p = tables.posts
    has_text = p.text.notnull() & p.text.re_search(_NOT_BLANK)
    totals = p.aggregate(posts=p.count(), with_text=has_text.ifelse(1, 0).sum()).to_pyarrow().to_pylist()[0]
    all_posts, n = int(totals["posts"] or 0), int(totals["with_text"] or 0)
    sample = _sample(texts, codebook, n, params.max_docs)
    coded = _flag(texts, codebook, groups=plan_groups(codebook, sample))
    cols = [f"t_{t.key}" for t in codebook.themes]
    any_theme = ibis.or_(*[coded[c] for c in cols])
    coded = coded.mutate(any_theme=any_theme)
    # one pass over the texts: counts per year (and for posts without a date); the totals are
    # their sums
    per_year = coded.group_by("year").aggregate(year_posts=coded.count(), coded_n=coded.any_theme.sum(),
                                                **{c: coded[c].sum() for c in cols}).to_pyarrow().to_pylist()
    coded_n = sum(int(r["coded_n"] or 0) for r in per_year)
    counts = [sum(int(r[c] or 0) for r in per_year) for c in cols]
    themes = pa.table({
        "theme": list(codebook.keys()), "label": [t.label for t in codebook.themes],
        "group": [t.group for t in codebook.themes], "posts": pa.array(counts, pa.int64()),
        "share": pa.array([c / n if n else math.nan for c in counts], pa.float64()),
    })
    by_year = sorted((r for r in per_year if r["year"] is not None), key=lambda r: r["year"])
    rows = [{"year": r["year"], "theme": t.key, "label": t.label, "posts": int(r[f"t_{t.key}"] or 0),
             "year_posts": r["year_posts"], "share": (r[f"t_{t.key}"] or 0) / r["year_posts"]}
            for r in by_year for t in codebook.themes]
    yearly = pa.Table.from_pylist(rows, schema=pa.schema([
        ("year", pa.int64()), ("theme", pa.string()), ("label", pa.string()), ("posts", pa.int64()),
        ("year_posts", pa.int64()), ("share", pa.float64())]))
    excerpts = _excerpts(sample, codebook, params.excerpts)
    topics, note = _topics(sample, codebook, n, params)
    return ThemesResult(themes, yearly, excerpts, topics, n, coded_n, all_posts - n,
                        codebook.name, codebook.source, note, params)


def _sample(posts: ibis.Table, codebook: Codebook, n: int, max_docs: int) -> pa.Table:
    """The coded posts in time order for excerpts and topics: all of them, or an evenly spaced
    subset of about ``max_docs`` when there are more (chosen first, then coded). The posts are
    numbered on their keys alone; only the chosen ones are read with their text."""
    keys = posts.select("post_id", "platform", "created_at")
    keys = keys.mutate(rn=ibis.row_number().over(order_by=[keys.created_at, keys.post_id]))
    if n > max_docs:
        keys = keys.filter(keys.rn % math.ceil(n / max_docs) == 0)
    chosen = keys.join(posts.select("post_id", "platform", "account", "text"), ["post_id", "platform"])
    sample = _flag(chosen, codebook, "rn")
    cols = ["post_id", "account", "created_at", "text"] + [f"t_{t.key}" for t in codebook.themes]
    return sample.order_by("rn").select(*cols).to_pyarrow()


def _excerpts(sample: pa.Table, codebook: Codebook, per_theme: int) -> pa.Table:
    """Up to ``per_theme`` posts per theme, evenly spaced in time (first, middle, last...)."""
    out: list[dict] = []
    for t in codebook.themes:
        hits = np.flatnonzero(np.array(sample.column(f"t_{t.key}").to_pylist(), dtype=bool))
        n = len(hits)
        if n == 0 or per_theme <= 0:
            continue
        k = min(per_theme, n)
        for i in sorted({round(j * (n - 1) / (k - 1)) if k > 1 else 0 for j in range(k)}):
            row = sample.slice(int(hits[i]), 1).to_pylist()[0]
            m = re.search(_regex(t), row["text"])
            out.append({"theme": t.key, "label": t.label, "created_at": row["created_at"], "post_id": row["post_id"],
                        "account": row["account"], "matched": m.group(0) if m else None,
                        "text": _clip(row["text"], m.start() if m else 0)})
    return pa.Table.from_pylist(out, schema=pa.schema([
        ("theme", pa.string()), ("label", pa.string()), ("created_at", pa.timestamp("us")),
        ("post_id", pa.string()), ("account", pa.string()), ("matched", pa.string()), ("text", pa.string())]))


def _clip(text: str, at: int, width: int = 240) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = max(0, min(at - 60, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def clean_for_topics(text: str) -> str:
    """Lower case, without URLs, @mentions and hashtags (they have their own analyses)."""
    return _TAG.sub(" ", _URL.sub(" ", text.lower()))


def _topics(sample: pa.Table, codebook: Codebook, n: int, params: Params) -> tuple[pa.Table | None, str]:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    if params.topics <= 0:
        return None, "topic model switched off"
    data = sample
    cols = ["text"] + [f"t_{t.key}" for t in codebook.themes]
    texts = [clean_for_topics(t) for t in data.column("text").to_pylist()]
    flags = np.array([data.column(c).to_pylist() for c in cols[1:]], dtype=bool).T.reshape(len(texts), -1)
    if len(texts) < max(20, 3 * params.topics):
        return None, f"too few posts with text ({len(texts)}) for a topic model"
    vec = TfidfVectorizer(stop_words=sorted(bilingual()), token_pattern=TOKEN, min_df=2 if len(texts) < 2000 else 3,
                          max_df=0.5, sublinear_tf=True, max_features=5000)
    try:
        x = vec.fit_transform(texts)
    except ValueError:
        return None, "no words left for a topic model after removing stopwords"
    k = min(params.topics, x.shape[1] - 1, x.shape[0] - 1)
    if k < 2:
        return None, "vocabulary too small for a topic model"
    model = NMF(n_components=k, init="nndsvda", random_state=params.seed, max_iter=500)
    # one BLAS thread (small sparse problem); a near-exact fit can round the error to a tiny negative
    with threadpool_limits(1), np.errstate(invalid="ignore"):
        w = model.fit_transform(x)
    vocab = np.array(vec.get_feature_names_out())
    dominant = np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1)
    coded_any: np.ndarray = np.asarray(flags.any(axis=1))
    rows: list[dict] = []
    for j in range(k):
        members = dominant == j
        m = int(members.sum())
        top = vocab[np.argsort(-model.components_[j])[: params.topic_words]]
        shares: np.ndarray = flags[members].mean(axis=0) if m else np.zeros(flags.shape[1])
        best = int(np.argmax(shares)) if m else 0
        rows.append({"topic": j + 1, "top_words": ", ".join(top), "posts": m, "share": m / len(texts),
                     "uncoded_share": float((~coded_any[members]).mean()) if m else math.nan,
                     "closest_theme": codebook.themes[best].key if m and shares[best] > 0 else None,
                     "closest_theme_share": float(shares[best]) if m else math.nan})
    rows.sort(key=lambda r: (math.isnan(float(r["uncoded_share"])), -float(r["uncoded_share"]), int(r["topic"])))
    note = f"NMF with {k} topics on TF-IDF of {len(texts):,} posts (seed {params.seed})"
    if n > params.max_docs:
        note += f", an evenly spaced subset of the {n:,} posts with text"
    return pa.Table.from_pylist(rows), note

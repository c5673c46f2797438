"""Interactions: mention, reply, retweet and quote edges between accounts, labelled with the
organisation registry; degree and betweenness centrality, communities (Louvain, fixed seed)
and a GEXF file for Gephi.

The network joins two kinds of tie: the interactions themselves (account -> account, by
kind) and, by default, co-mentions (two accounts mentioned in the same post). Without
co-mentions the network of a single account's timeline is a star, and centrality and
communities say nothing; with them, partners that are addressed together cluster."""

from __future__ import annotations

import functools
import math
import random
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

import ibis
import networkx as nx
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse
from scipy.sparse import csgraph

from tiplens.knowledge.organisations import OrganisationRegistry, load_organisations
from tiplens.social import network
from tiplens.social.network import Graph, louvain
from tiplens.social.tables import SocialTables

NAME = "interactions"
TITLE = "Interactions with other accounts"
# Exact betweenness costs one breadth-first search per node (nodes x edges steps, a few
# microseconds each in networkx). Above this budget it is estimated from a seeded sample of
# source nodes, as many as the budget allows, between the two bounds below.
EXACT_BETWEENNESS_WORK = 2_000_000  # nodes x edges
BETWEENNESS_SAMPLE = (32, 500)  # fewest and most sampled sources


@dataclass(frozen=True)
class Params:
    organisations: str | None = None  # registry YAML; None = the bundled one
    co_mentions: bool = True
    include_self: bool = False  # replies to oneself (threads) are not interactions
    draw_nodes: int = 60  # nodes drawn: highest weighted degree in the largest connected group
    seed: int = 20150701


@dataclass(frozen=True)
class InteractionsResult:
    edges: pa.Table  # source, target, kind, count
    co_mentions: pa.Table  # source, target, posts (source < target)
    accounts: pa.Table  # account, org_type, degree, betweenness, community, name, country, interactions
    by_type: pa.Table  # org_type, accounts, interactions (edges received, all kinds)
    positions: pa.Table  # account, x, y: spring layout of the drawn nodes
    component_size: int  # accounts in the largest connected group (the drawing comes from it)
    communities: int
    modularity: float | None
    betweenness_sample: int | None  # None = exact
    gexf: str
    registry_source: str
    params: Params = field(default_factory=Params)

    def to_frame(self, part: str = "edges"):
        return getattr(self, part).to_pandas()


def _edges(tables: SocialTables, params: Params) -> ibis.Table:
    it = tables.interactions
    e = it.select("post_id", "platform", "kind", source=it.source_account.lower(), target=it.target_account.lower())
    e = e.filter(e.source.notnull() & e.target.notnull() & (e.source != "") & (e.target != ""))
    if not params.include_self:
        e = e.filter(e.source != e.target)
    return e


def run(tables: SocialTables, params: Params = Params()) -> InteractionsResult:
    registry = load_organisations(params.organisations)
    e = _edges(tables, params)
    edges = e.group_by(["source", "target", "kind"]).aggregate(count=e.count()).order_by(
        [ibis.desc("count"), "source", "target", "kind"]).to_pyarrow()
    # co-mentions: accounts only mentioned in a post (not its reply, retweet or quote target),
    # paired within each post's list of them (one grouping on the post keys; an anti-join and a
    # self-join on them cost several times more)
    per_post = e.group_by(["post_id", "platform"]).aggregate(
        mentioned=e.target.collect(where=e.kind == "mention"), addressed=e.target.collect(where=e.kind != "mention"))
    # a pair needs two mentions: the other posts are dropped before their lists are filtered
    per_post = per_post.filter(per_post.mentioned.length() >= 2)
    only = per_post.mentioned.filter(lambda t: ~per_post.addressed.contains(t).fill_null(False)).unique()
    lists = per_post.select(targets=only)
    lists = lists.filter(lists.targets.length() >= 2)
    one = lists.select("targets", source=lists.targets.unnest())
    pairs = one.select("source", target=one.targets.unnest())
    pairs = pairs.filter(pairs.source < pairs.target)
    co = pairs.group_by(["source", "target"]).aggregate(posts=pairs.count())
    co = co.order_by([ibis.desc("posts"), "source", "target"]).to_pyarrow()

    graph = _graph(edges, co if params.co_mentions else None)
    return _measure(graph, edges, co, registry, params)


@dataclass(frozen=True)
class Network:
    """The account network: ``names[i]`` is node i of ``graph``, numbered and linked in the order
    networkx would hold them after adding the interaction edges, then the co-mentions, each
    sorted by (source, target, weight); repeated pairs add up their weights."""

    names: list[str]
    graph: Graph


def _graph(edges: pa.Table, co: pa.Table | None) -> Network:
    parts = [edges.select(["source", "target", "count"]).rename_columns(["s", "t", "w"])]
    if co is not None:
        parts.append(co.select(["source", "target", "posts"]).rename_columns(["s", "t", "w"]))
    parts = [p.cast(pa.schema([("s", pa.string()), ("t", pa.string()), ("w", pa.int64())]))
             .sort_by([("s", "ascending"), ("t", "ascending"), ("w", "ascending")]) for p in parts]
    rows = pa.concat_tables(parts)
    n = rows.num_rows
    # a node is numbered when first seen: source before target, row by row
    both = pa.concat_arrays([rows.column("s").combine_chunks(), rows.column("t").combine_chunks()])
    interleave = np.arange(2 * n).reshape(2, n).T.ravel()
    coded = pc.dictionary_encode(both.take(pa.array(interleave, pa.int64())))
    ids = coded.indices.to_numpy(zero_copy_only=False).astype(np.int64).reshape(n, 2)
    names = coded.dictionary.to_pylist()
    g = Graph.from_edges(len(names), ids[:, 0], ids[:, 1], rows.column("w").to_numpy())
    return Network(names, g)


def betweenness_sample(nodes: int, edges: int) -> int | None:
    """Sources to sample for betweenness, or None for the exact computation."""
    if nodes * edges <= EXACT_BETWEENNESS_WORK:
        return None
    low, high = BETWEENNESS_SAMPLE
    k = max(low, min(high, EXACT_BETWEENNESS_WORK // max(edges, 1)))
    return None if k >= nodes else k


def betweenness(g: nx.Graph, k: int | None = None, seed: int | None = None) -> dict[str, float]:
    """Normalised betweenness of an undirected graph (hops, not weights), as networkx's
    ``betweenness_centrality(g, k=k, seed=seed)`` computes it - the same sampled sources for
    the same seed, the same scaling - but with Brandes' breadth-first searches run for many
    sources at once as sparse matrix products instead of node by node in Python."""
    nodes = list(g.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    ends = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    return dict(zip(nodes, _betweenness(len(nodes), ends[:, 0], ends[:, 1], k, seed).tolist(), strict=True))


def _betweenness(n: int, a: np.ndarray, b: np.ndarray, k: int | None, seed: int | None) -> np.ndarray:
    """``betweenness`` for nodes 0..n-1 and the edges (a[i], b[i]) (no self-loops), in the
    order networkx's ``G.edges()`` yields them."""
    if n < 3:
        return np.zeros(n)
    rows = np.concatenate([a, b])
    cols = np.concatenate([b, a])
    adj = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    if k is not None and k >= n:
        k = None
    # the same sources networkx samples: random.sample depends only on the population's length
    sources = list(range(n)) if k is None else random.Random(seed).sample(range(n), k)
    total = np.zeros(n)
    width = max(1, min(len(sources), 1_000_000 // n))  # sources per pass: bounds memory at n x width
    for start in range(0, len(sources), width):
        src = np.asarray(sources[start:start + width])
        cols_ = np.arange(len(src))
        sigma = np.zeros((n, len(src)))  # shortest paths from each source (column) to each node
        dist = np.full((n, len(src)), -1, dtype=np.int32)
        sigma[src, cols_] = 1.0
        dist[src, cols_] = 0
        frontier, depth = sigma.copy(), 0
        while True:
            reached = adj @ frontier
            reached[dist >= 0] = 0.0
            new = reached > 0
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            sigma += reached
            frontier = reached
        coef = np.zeros_like(sigma)  # (1 + delta(w)) / sigma(w) on the level below
        for d in range(depth, 0, -1):
            on = dist == d
            delta = np.where(on, sigma * (adj @ coef), 0.0)
            total += delta.sum(axis=1)
            coef = np.where(on, (1.0 + delta) / np.where(on, sigma, 1.0), 0.0)
    # networkx's scaling: ordered pairs of other nodes, and for a sample the sources' own count
    m = n - 1
    if k is None:
        scale = np.full(n, 1.0 / (m * (m - 1)))
    else:
        scale = np.full(n, 1.0 / (k * (m - 1)))
        scale[sources] = 1.0 / ((k - 1) * (m - 1)) if k > 1 else math.nan
    return total * scale


def _measure(net: Network, edges: pa.Table, co: pa.Table, registry: OrganisationRegistry,
             params: Params) -> InteractionsResult:
    g, names = net.graph, net.names
    n = g.n
    ea, eb, _ = g.edges()
    loops = ea == eb
    sample = betweenness_sample(n, len(ea))
    between = _betweenness(n, ea[~loops], eb[~loops], sample, params.seed).tolist()
    # Louvain communities, numbered by size (ties: the smallest handle first)
    label = louvain(g, params.seed)
    members: dict[int, list[int]] = {}
    for i, c in enumerate(label.tolist()):
        members.setdefault(c, []).append(i)
    comms = sorted(members.values(), key=lambda c: (-len(c), min(names[i] for i in c)))
    community = np.zeros(n, dtype=np.int64)
    for i, c in enumerate(comms):
        community[c] = i
    modularity = float(network.modularity(g, community)) if len(ea) else None
    received: dict[str, int] = {}
    for t, cnt in zip(edges.column("target").to_pylist(), edges.column("count").to_pylist(), strict=True):
        received[t] = received.get(t, 0) + cnt
    wdeg = g.degrees().tolist()
    rows = g.rows()
    degree = (np.diff(g.indptr) + np.bincount(rows[rows == g.indices], minlength=n)).tolist()  # a self-loop counts twice
    order = sorted(range(n), key=lambda i: (-wdeg[i], names[i]))
    nodes = [names[i] for i in order]
    orgs = [registry.get(a) for a in nodes]
    accounts = pa.table({
        "account": nodes,
        "org_type": [registry.type_of(a) for a in nodes],
        "degree": pa.array([degree[i] for i in order], pa.int64()),
        "betweenness": pa.array([between[i] for i in order], pa.float64()),
        "community": pa.array([int(community[i]) + 1 for i in order], pa.int64()),
        "name": [o.name if o else None for o in orgs],
        "country": [o.country if o else None for o in orgs],
        "interactions": pa.array([received.get(a, 0) for a in nodes], pa.int64()),
    })
    by_type: dict[str, list[int]] = {}
    for a, cnt in received.items():
        row = by_type.setdefault(registry.type_of(a), [0, 0])
        row[0] += 1
        row[1] += cnt
    types = sorted(by_type, key=lambda k: (-by_type[k][1], k))
    by_type_tbl = pa.table({"org_type": types, "accounts": [by_type[k][0] for k in types],
                            "interactions": [by_type[k][1] for k in types]})
    # the drawing: the most connected accounts of the largest connected group (other groups would
    # only float around it); ties between groups: the one holding the better-ranked account
    main: set[int] = set()
    if n:
        adj = sparse.csr_matrix((np.ones(len(g.indices)), g.indices, g.indptr), shape=(n, n))
        _, part = csgraph.connected_components(adj, directed=False)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        size = np.bincount(part)
        best_rank = np.full(len(size), n, dtype=np.int64)
        np.minimum.at(best_rank, part, rank)
        top = max(range(len(size)), key=lambda c: (size[c], -best_rank[c]))
        main = set(np.flatnonzero(part == top).tolist())
    drawn_ids = [i for i in order if i in main][: params.draw_nodes]
    drawn = [names[i] for i in drawn_ids]
    # built in drawing order, each node's links in the network's own order (as a networkx
    # subgraph of the full network would hold them)
    sub = nx.Graph()
    sub.add_nodes_from(drawn)
    keep = set(drawn_ids)
    sub.add_edges_from((names[a], names[int(b)], {"weight": int(w)}) for a in drawn_ids
                       for b, w in zip(g.indices[g.indptr[a]:g.indptr[a + 1]], g.weights[g.indptr[a]:g.indptr[a + 1]],
                                       strict=True) if int(b) in keep)
    pos = nx.spring_layout(sub, seed=params.seed, weight="weight") if drawn else {}
    positions = pa.table({"account": drawn, "x": [float(pos[a][0]) for a in drawn],
                          "y": [float(pos[a][1]) for a in drawn]})
    gexf = _gexf(accounts, edges, co if params.co_mentions else None)
    return InteractionsResult(edges, co, accounts, by_type_tbl, positions, len(main), len(comms), modularity, sample,
                              gexf, registry.source, params)


_NODE_ATTRS = (("org_type", "string"), ("name", "string"), ("country", "string"), ("degree", "long"),
               ("betweenness", "double"), ("community", "long"), ("interactions", "long"))
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _attr(value: object) -> str:
    """An XML attribute value: escaped, without the characters XML 1.0 cannot hold."""
    text = repr(value) if isinstance(value, float) else str(value)
    return quoteattr(_XML_BAD.sub("", text))


def _joined(strings: pa.Array | pa.ChunkedArray) -> str:
    """The strings of an array without nulls, concatenated: the array's own character buffer."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if not len(strings):
        return ""
    if not (pa.types.is_string(strings.type) or pa.types.is_large_string(strings.type)):
        strings = strings.cast(pa.large_string())
    width = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = np.frombuffer(strings.buffers()[1], dtype=width)[strings.offset:strings.offset + len(strings) + 1]
    # decoded straight from the buffer: no copy into bytes first
    return str(memoryview(strings.buffers()[2])[int(offsets[0]):int(offsets[-1])], "utf-8")


def _escaped(values: pa.ChunkedArray, q) -> pa.Array:
    """``q(value)`` for each value, calling it once per distinct value."""
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    uniq = pc.unique(values)
    return pa.array([q(v) for v in uniq.to_pylist()], pa.string()).take(pc.index_in(values, value_set=uniq))


def _gexf(accounts: pa.Table, edges: pa.Table, co: pa.Table | None) -> str:
    """GEXF 1.2 of a directed multigraph: one edge per (source, target, kind) with its count as
    weight; co-mentions, when used, are edges of kind 'co-mention'. Node attributes carry the
    labels and measures so Gephi can colour and size by them. Written as text in one pass
    (networkx's writer builds an element tree first and took half the section's time)."""
    out = ["<?xml version='1.0' encoding='utf-8'?>\n"
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           '  <meta>\n    <creator>tiplens</creator>\n  </meta>\n'
           '  <graph defaultedgetype="directed" mode="static" name="">\n'
           '    <attributes mode="static" class="edge">\n'
           f'      <attribute id="{len(_NODE_ATTRS)}" title="kind" type="string" />\n'
           '    </attributes>\n    <attributes mode="static" class="node">\n']
    out += [f'      <attribute id="{i}" title="{t}" type="{ty}" />\n' for i, (t, ty) in enumerate(_NODE_ATTRS)]
    out.append("    </attributes>\n    <nodes>\n")
    cols = {c: accounts.column(c).to_pylist() for c in ("account", *(t for t, _ in _NODE_ATTRS))}
    defaults = {"name": "", "country": "", "community": 0}
    for i, acc in enumerate(cols["account"]):
        a = _attr(acc)
        out.append(f"      <node id={a} label={a}>\n        <attvalues>\n")
        for j, (title, _) in enumerate(_NODE_ATTRS):
            v = cols[title][i]
            v = defaults.get(title) if v is None else v
            out.append(f'          <attvalue for="{j}" value={_attr(v)} />\n')
        out.append("        </attvalues>\n      </node>\n")
    out.append("    </nodes>\n    <edges>\n")
    kind_id = len(_NODE_ATTRS)
    parts = [(edges.column("source"), edges.column("target"), edges.column("kind"), edges.column("count"))]
    if co is not None:
        parts.append((co.column("source"), co.column("target"), pa.chunked_array([pa.repeat("co-mention", co.num_rows)]),
                      co.column("posts")))
    eid = 0
    q = functools.cache(_attr)  # handles recur on many edges: escape each once
    for sources, targets, kinds, weights in parts:
        n = len(weights)
        if not n:
            continue
        # one string per edge, put together column-wise; a count's weight is written as the float
        # it is (repr(float(3)) == "3.0": counts are far below 2**53)
        out.append(_joined(pc.binary_join_element_wise(
            "      <edge source=", _escaped(sources, q), " target=", _escaped(targets, q),
            ' id="', pc.cast(pa.array(np.arange(eid, eid + n)), pa.string()),
            '" weight="', pc.cast(pc.cast(weights, pa.int64()), pa.string()),
            f'.0">\n        <attvalues>\n          <attvalue for="{kind_id}" value=', _escaped(kinds, q),
            " />\n        </attvalues>\n      </edge>\n", "")))
        eid += n
    out.append("    </edges>\n  </graph>\n</gexf>\n")
    return "".join(out)

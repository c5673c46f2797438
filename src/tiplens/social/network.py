"""An undirected weighted graph held as arrays, with networkx's node and neighbour order, and
the two measures of the interactions analysis that are slow in networkx on a dense account
network (2,000 accounts, 300,000 links at a million posts): Louvain communities and
modularity.

Both give networkx's results exactly (``louvain_communities(g, weight="weight", seed=s)`` and
``modularity``): the same visiting order from the same seeded shuffle, the same neighbour and
community order, the same floating-point expressions, so the same ties are broken the same
way. The only difference is that a node's gains towards all neighbouring communities are
computed at once with numpy instead of one neighbour at a time in Python. The tests compare
both with networkx on random graphs."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Graph:
    """Nodes 0..n-1; ``indices[indptr[u]:indptr[u+1]]`` are u's neighbours (u itself for a
    self-loop) in the order networkx's ``Graph`` would hold them, ``weights`` the summed edge
    weights (integers)."""

    n: int
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_edges(cls, n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> Graph:
        """The graph networkx builds by adding the edges (a[i], b[i]) in this order, summing
        the weights of repeated pairs; the nodes must already be numbered in the order
        networkx would first see them."""
        a, b, w = (np.asarray(x, dtype=np.int64) for x in (a, b, w))
        order = np.arange(len(a), dtype=np.int64)
        loop = a == b
        x = np.concatenate([a, b[~loop]])  # an edge enters both adjacency dicts, a self-loop one
        y = np.concatenate([b, a[~loop]])
        first = np.concatenate([order, order[~loop]])
        ww = np.concatenate([w, w[~loop]])
        key = x * max(n, 1) + y
        srt = np.lexsort((first, key))  # by pair, then by when it was added
        key, first, ww = key[srt], first[srt], ww[srt]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
        ukey, ufirst = key[start], first[start]
        uw = np.add.reduceat(ww, start) if len(start) else np.zeros(0, np.int64)
        ux, uy = ukey // max(n, 1), ukey % max(n, 1)
        srt = np.lexsort((ufirst, ux))  # per node, neighbours in the order first linked
        ux, uy, uw = ux[srt], uy[srt], uw[srt]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(ux, minlength=n), out=indptr[1:])
        return cls(n, indptr, uy, uw)

    def rows(self) -> np.ndarray:
        return np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each edge once, in the order networkx's ``G.edges()`` yields them."""
        rows = self.rows()
        keep = self.indices >= rows
        return rows[keep], self.indices[keep], self.weights[keep]

    def degrees(self) -> np.ndarray:
        """Weighted degrees; a self-loop counts twice, as in networkx."""
        rows = self.rows()
        deg = np.bincount(rows, weights=self.weights, minlength=self.n).astype(np.int64)
        loops = rows == self.indices
        np.add.at(deg, rows[loops], self.weights[loops])
        return deg

    def edge_count(self) -> int:
        return int((self.indices >= self.rows()).sum())


def modularity(g: Graph, community: np.ndarray, resolution: float = 1) -> float:
    """networkx's ``modularity`` for the partition ``community[node]`` (labels 0..k-1, the
    communities taken in label order), term by term as it computes it."""
    deg = g.degrees()
    deg_sum = int(deg.sum())
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    a, b, w = g.edges()
    k = int(community.max()) + 1 if len(community) else 0
    inside = community[a] == community[b]
    l_c = np.bincount(community[a[inside]], weights=w[inside], minlength=k).astype(np.int64)
    d_c = np.bincount(community, weights=deg, minlength=k).astype(np.int64)
    return sum(int(lc) / m - resolution * int(dc) * int(dc) * norm for lc, dc in zip(l_c, d_c, strict=True))


# Each move below costs work proportional to the number of nodes (vectorised over all of them):
# faster than networkx's dictionaries on the dense account networks of campaign studies
# (2,000 accounts, 300,000 links: 3.2 s against networkx's 12.7 s), slower on large sparse ones
# (30,000 accounts, 120,000 links: 56 s against 18 s), which go to networkx itself.
ARRAY_LIMIT = 5_000


def _networkx_louvain(g: Graph, seed: int, resolution: float, threshold: float) -> np.ndarray:
    """networkx's own Louvain on the same graph (it rebuilds its input from ``G.edges()``, as
    below, so the communities are those the array version finds)."""
    import networkx as nx

    ref = nx.Graph()
    ref.add_nodes_from(range(g.n))
    a, b, w = g.edges()
    ref.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist(), strict=True))
    label = np.empty(g.n, dtype=np.int64)
    for k, members in enumerate(nx.community.louvain_communities(ref, weight="weight", seed=seed,
                                                                resolution=resolution, threshold=threshold)):
        label[list(members)] = k
    return label


def louvain(g: Graph, seed: int, resolution: float = 1, threshold: float = 0.0000001) -> np.ndarray:
    """networkx's ``louvain_communities(G, weight="weight", seed=seed)`` for the graph ``g``:
    returns each node's community (labels in no particular meaning)."""
    if g.n == 0 or len(g.indices) == 0:
        return np.arange(g.n, dtype=np.int64)
    if g.n > ARRAY_LIMIT:
        return _networkx_louvain(g, seed, resolution, threshold)
    rnd = random.Random(seed)
    mod = modularity(g, np.arange(g.n, dtype=np.int64), resolution)
    graph = Graph.from_edges(g.n, *g.edges())  # networkx rebuilds the graph from G.edges()
    m = int(graph.degrees().sum()) / 2
    level, improvement = _one_level(graph, m, resolution, rnd)
    member = level
    while True:
        result = member
        new_mod = modularity(graph, level, resolution)
        if new_mod - mod <= threshold:
            break
        mod = new_mod
        graph = _aggregate(graph, level)
        level, improvement = _one_level(graph, m, resolution, rnd)
        member = level[member]
        if not improvement:
            break
    return result


def _one_level(g: Graph, m: float, resolution: float, rnd: random.Random) -> tuple[np.ndarray, bool]:
    """One pass of moves (networkx's ``_one_level``); returns the communities relabelled
    0..k-1 in the order of their first node, and whether any node moved."""
    n = g.n
    node2com = np.arange(n, dtype=np.int64)
    degrees = g.degrees()
    stot = degrees.copy()
    rows = g.rows()
    not_self = g.indices != rows
    nbr_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[not_self], minlength=n), out=nbr_ptr[1:])
    nbrs, wts = g.indices[not_self], g.weights[not_self].astype(np.float64)
    order = list(range(n))
    rnd.shuffle(order)
    two_m2 = 2 * m**2
    improvement = False
    moves = 1
    while moves > 0:
        moves = 0
        for u in order:
            own = int(node2com[u])
            degree = int(degrees[u])
            c = node2com[nbrs[nbr_ptr[u]:nbr_ptr[u + 1]]]
            w = wts[nbr_ptr[u]:nbr_ptr[u + 1]]
            stot[own] -= degree
            sums = np.bincount(c, weights=w, minlength=n)
            remove_cost = -sums[own] / m + resolution * (int(stot[own]) * degree) / two_m2
            gains = remove_cost + sums / m - resolution * (stot * degree) / two_m2
            cand = np.zeros(n, dtype=bool)
            cand[c] = True
            cand[own] = True
            best_gain = gains[cand].max()
            best = own
            if best_gain > 0:
                tied = cand & (gains == best_gain)
                hit = np.flatnonzero(tied[c])
                best = int(c[hit[0]]) if len(hit) else own  # the first in neighbour order wins a tie
            stot[best] += degree
            if best != own:
                node2com[u] = best
                moves += 1
                improvement = True
    used = np.unique(node2com)
    return np.searchsorted(used, node2com), improvement


def _aggregate(g: Graph, community: np.ndarray) -> Graph:
    """networkx's ``_gen_graph``: one node per community, edges summed in the order of g's edges."""
    a, b, w = g.edges()
    return Graph.from_edges(int(community.max()) + 1, community[a], community[b], w)

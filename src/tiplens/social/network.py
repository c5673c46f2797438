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
        srt = _order_by(key, first, max(n, 1) ** 2)  # by pair, then by when it was added
        key, first, ww = key[srt], first[srt], ww[srt]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
        ukey, ufirst = key[start], first[start]
        uw = np.add.reduceat(ww, start) if len(start) else np.zeros(0, np.int64)
        ux, uy = ukey // max(n, 1), ukey % max(n, 1)
        srt = _order_by(ux, ufirst, max(n, 1))  # per node, neighbours in the order first linked
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


def _order_by(major: np.ndarray, minor: np.ndarray, major_end: int) -> np.ndarray:
    """The stable order by ``major`` (values 0..major_end-1), then ``minor`` (values from 0):
    one sort of a combined key where it fits in 63 bits, else two."""
    size = int(minor.max()) + 1 if len(minor) else 1
    if major_end * size < 2**62:
        return np.argsort(major * size + minor, kind="stable")
    return np.lexsort((minor, major))


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
# nodes weighed at once x communities of the pass: bounds the arrays of a run of _one_level
_RUN_CELLS = 200_000


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
    0..k-1 in the order of their first node, and whether any node moved.

    A node that stays leaves everything as it was, and most visits after the first pass are
    of nodes that stay. So the nodes are weighed a run at a time, each as if the ones before it
    in the run had stayed (which holds up to the first that moves); the first mover's move is
    made and the next run starts after it. Runs grow while no node moves and shrink when one
    does. Each node's choice is the one networkx makes: the same gains, computed the same way,
    compared in the same neighbour order."""
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
    visit = np.array(order, dtype=np.int64)
    two_m2 = 2 * m**2
    improvement = False
    moves = 1
    run = 1
    while moves > 0:
        moves = 0
        # a pass moves nodes only into communities that exist when it starts: number those
        # 0..k-1 (the arrays below are k wide per node weighed, not n), and an emptied one
        # keeps its number with a Stot of zero
        labels = np.unique(node2com)
        width = len(labels)
        com = np.searchsorted(labels, node2com)
        tot = stot[labels]
        most = max(1, _RUN_CELLS // width)
        i = 0
        while i < n:
            us = visit[i:i + run]
            k = len(us)
            own, degree = com[us], degrees[us]
            start, count = nbr_ptr[us], nbr_ptr[us + 1] - nbr_ptr[us]
            row = np.repeat(np.arange(k, dtype=np.int64), count)
            at = np.arange(len(row), dtype=np.int64) + np.repeat(start - (np.cumsum(count) - count), count)
            c, w = com[nbrs[at]], wts[at]
            key = row * width + c  # (node of the run, community) as one number
            # the weights towards each community, summed in neighbour order
            sums = np.bincount(key, weights=w, minlength=k * width)
            mark = np.zeros(k * width, dtype=bool)
            mark[key] = True
            flat_own = np.arange(k, dtype=np.int64) * width + own
            mark[flat_own] = True
            cand = np.flatnonzero(mark)  # by node, then community
            cr = cand // width
            cc = cand - cr * width
            cd = degree[cr]
            # Stot without the node itself, for its own community
            st = tot[cc] - np.where(cc == own[cr], cd, 0)
            st_own = tot[own] - degree
            remove_cost = -sums[flat_own] / m + resolution * (st_own * degree) / two_m2
            gains = remove_cost[cr] + sums[cand] / m - resolution * (st * cd) / two_m2
            first = np.searchsorted(cr, np.arange(k))  # every node has a candidate: its own community
            best_gain = np.maximum.reduceat(gains, first)
            best = own.copy()
            up = best_gain > 0
            if up.any():
                # among the tied best, the first in neighbour order wins
                mark[:] = False
                mark[cand[gains == best_gain[cr]]] = True
                hit = np.flatnonzero(mark[key] & up[row])
                if len(hit):
                    hr = row[hit]
                    lead = np.flatnonzero(np.diff(hr, prepend=-1))
                    best[hr[lead]] = c[hit[lead]]
            moved = np.flatnonzero(best != own)
            if len(moved) == 0:
                i += k
                run = min(2 * run, most)
                continue
            j = int(moved[0])
            u, b, o, d = int(us[j]), int(best[j]), int(own[j]), int(degree[j])
            tot[o] -= d
            tot[b] += d
            com[u] = b
            moves += 1
            improvement = True
            i += j + 1
            run = max(1, j)
        node2com = labels[com]
        stot[:] = 0
        stot[labels] = tot
    used = np.unique(node2com)
    return np.searchsorted(used, node2com), improvement


def _aggregate(g: Graph, community: np.ndarray) -> Graph:
    """networkx's ``_gen_graph``: one node per community, edges summed in the order of g's edges."""
    a, b, w = g.edges()
    return Graph.from_edges(int(community.max()) + 1, community[a], community[b], w)

"""An undirected weighted graph held as arrays, with networkx's node and neighbour order, and
the two measures of the interactions analysis that are slow in networkx on a dense account
network (2,000 accounts, 300,000 links at a million posts): Louvain communities and
modularity.

Both give networkx's results exactly (``louvain_communities(g, weight="weight", seed=s)`` and
``modularity``): the same visiting order from the same seeded shuffle, the same neighbour and
community order, the same floating-point expressions, so the same ties are broken the same
way. The differences are in how: a node's gains towards all neighbouring communities are
computed at once with numpy instead of one neighbour at a time in Python, runs of nodes are
weighed together up to the first that moves, and once the communities are few each node's
weights towards them are kept in a table (see ``_one_level``). The tests compare both with
networkx on random graphs, on every one of these paths."""

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


# Weighing a node costs work proportional to the number of communities (vectorised over all of
# them): faster than networkx's dictionaries on the dense account networks of campaign studies
# (2,000 accounts, 300,000 links: 3.2 s against networkx's 12.7 s when each node was weighed alone
# over all nodes; 0.7-0.8 CPU-s with runs and the table, against 1.8-2.1 before them, timed on the
# 1M-post study's network), slower on large sparse ones (30,000 accounts, 120,000 links: 56 s
# against 18 s, before the runs and the table; not re-measured), which go to networkx itself.
ARRAY_LIMIT = 5_000
# nodes weighed at once x communities of the pass: bounds the arrays of a run of _one_level
_RUN_CELLS = 200_000
# nodes x communities of a pass: at most this many, each node's weights towards each community are kept
# in a table (and a count of its neighbours in each), 16 bytes a cell; the first pass, with as many
# communities as nodes, reads the neighbour lists
_MATRIX_CELLS = 500_000


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
    compared in the same neighbour order.

    Once the nodes x communities table fits in _MATRIX_CELLS, each node's summed weights
    towards each community (and how many of its neighbours are in it) are kept in it and
    updated by each move, so that weighing a node no longer reads its neighbours. The weights
    are integers, so their sums are exact in any order."""
    n = g.n
    node2com = np.arange(n, dtype=np.int64)
    degrees = g.degrees()
    stot = degrees.copy()
    rows = g.rows()
    not_self = g.indices != rows
    nbr_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[not_self], minlength=n), out=nbr_ptr[1:])
    nbrs, wts = g.indices[not_self], g.weights[not_self].astype(np.float64)
    nbr_rows = rows[not_self]
    order = list(range(n))
    rnd.shuffle(order)
    visit = np.array(order, dtype=np.int64)
    lv = _Level(m, resolution, 2 * m**2, nbr_ptr, nbrs, wts)
    improvement = False
    moves = 1
    run = 1
    table: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # sums, counts, their labels
    while moves > 0:
        moves = 0
        # a pass moves nodes only into communities that exist when it starts: number those
        # 0..k-1 (the arrays below are k wide per node weighed, not n), and an emptied one
        # keeps its number with a Stot of zero
        labels = np.unique(node2com)
        width = len(labels)
        com = np.searchsorted(labels, node2com)
        tot = stot[labels]
        if table is not None:  # the communities of this pass are among those of the last
            keep = np.searchsorted(table[2], labels)
            table = (table[0][:, keep], table[1][:, keep], labels)
        elif n * width <= _MATRIX_CELLS:
            key = nbr_rows * width + com[nbrs]
            table = (np.bincount(key, weights=wts, minlength=n * width).reshape(n, width),
                     np.bincount(key, minlength=n * width).reshape(n, width), labels)
        most = max(1, _RUN_CELLS // width)
        i = 0
        while i < n:
            us = visit[i:i + run]
            own, degree = com[us], degrees[us]
            if table is None and len(us) == 1:
                best = lv.single(int(us[0]), int(own[0]), int(degree[0]), com, tot)
            elif table is None:
                best = lv.listed(us, own, degree, com, tot)
            else:
                best = lv.tabled(us, own, degree, com, tot, table[0], table[1])
            moved = np.flatnonzero(best != own)
            if len(moved) == 0:
                i += len(us)
                run = min(2 * run, most)
                continue
            j = int(moved[0])
            u, b, o, d = int(us[j]), int(best[j]), int(own[j]), int(degree[j])
            tot[o] -= d
            tot[b] += d
            com[u] = b
            if table is not None:
                at = slice(nbr_ptr[u], nbr_ptr[u + 1])
                v, w = nbrs[at], wts[at]  # each neighbour once
                table[0][v, o] -= w
                table[0][v, b] += w
                table[1][v, o] -= 1
                table[1][v, b] += 1
            moves += 1
            improvement = True
            i += j + 1
            run = max(1, j)
        node2com = labels[com]
        stot[:] = 0
        stot[labels] = tot
    used = np.unique(node2com)
    return np.searchsorted(used, node2com), improvement


@dataclass(frozen=True)
class _Level:
    """What weighing a run of nodes needs besides the communities: m, the resolution, 2m^2 and
    the neighbour lists without self-loops."""

    m: float
    resolution: float
    two_m2: float
    nbr_ptr: np.ndarray
    nbrs: np.ndarray
    wts: np.ndarray

    def single(self, u: int, own: int, degree: int, com: np.ndarray, tot: np.ndarray) -> np.ndarray:
        """``listed`` for one node (the first pass weighs most nodes alone): fewer, wider steps."""
        m, resolution, two_m2 = self.m, self.resolution, self.two_m2
        c = com[self.nbrs[self.nbr_ptr[u]:self.nbr_ptr[u + 1]]]
        sums = np.bincount(c, weights=self.wts[self.nbr_ptr[u]:self.nbr_ptr[u + 1]], minlength=len(tot))
        tot[own] -= degree  # put back below
        remove_cost = -sums[own] / m + resolution * (int(tot[own]) * degree) / two_m2
        gains = remove_cost + sums / m - resolution * (tot * degree) / two_m2
        tot[own] += degree
        cand = np.zeros(len(tot), dtype=bool)
        cand[c] = True
        cand[own] = True
        best_gain = gains[cand].max()
        best = own
        if best_gain > 0:
            hit = np.flatnonzero((cand & (gains == best_gain))[c])
            best = int(c[hit[0]]) if len(hit) else own  # the first in neighbour order wins a tie
        return np.array([best])

    def listed(self, us: np.ndarray, own: np.ndarray, degree: np.ndarray, com: np.ndarray,
               tot: np.ndarray) -> np.ndarray:
        """The community each node of ``us`` would join, read from its neighbour list."""
        m, resolution, two_m2 = self.m, self.resolution, self.two_m2
        k, width = len(us), len(tot)
        start, count = self.nbr_ptr[us], self.nbr_ptr[us + 1] - self.nbr_ptr[us]
        row = np.repeat(np.arange(k, dtype=np.int64), count)
        at = np.arange(len(row), dtype=np.int64) + np.repeat(start - (np.cumsum(count) - count), count)
        c, w = com[self.nbrs[at]], self.wts[at]
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
        return best

    def tabled(self, us: np.ndarray, own: np.ndarray, degree: np.ndarray, com: np.ndarray, tot: np.ndarray,
               sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """``listed``'s answer from the table of each node's weights towards each community."""
        m, resolution, two_m2 = self.m, self.resolution, self.two_m2
        k = len(us)
        ar = np.arange(k)
        s = sums[us]
        cand = counts[us] > 0
        cand[ar, own] = True
        st = np.broadcast_to(tot, s.shape).copy()
        st[ar, own] -= degree  # Stot without the node itself, for its own community
        st_own = tot[own] - degree
        remove_cost = -s[ar, own] / m + resolution * (st_own * degree) / two_m2
        gains = np.where(cand, remove_cost[:, None] + s / m - resolution * (st * degree[:, None]) / two_m2, -np.inf)
        best_gain = gains.max(axis=1)
        best = own.copy()
        up = np.flatnonzero(best_gain > 0)
        if len(up):
            tied = gains[up] == best_gain[up, None]
            ties = tied.sum(axis=1)
            alone = ties == 1  # one community gains most: it is the first in any order
            best[up[alone]] = tied[alone].argmax(axis=1)
            for r, row in zip(up[~alone].tolist(), tied[~alone], strict=True):
                # the first in neighbour order wins (own alone, when no neighbour's is tied)
                u = us[r]
                c = com[self.nbrs[self.nbr_ptr[u]:self.nbr_ptr[u + 1]]]
                hit = np.flatnonzero(row[c])
                best[r] = c[hit[0]] if len(hit) else own[r]
        return best


def _aggregate(g: Graph, community: np.ndarray) -> Graph:
    """networkx's ``_gen_graph``: one node per community, edges summed in the order of g's edges."""
    a, b, w = g.edges()
    return Graph.from_edges(int(community.max()) + 1, community[a], community[b], w)

"""The array graph and its Louvain communities and modularity give networkx's results exactly
(networkx is the independent reference): same nodes and neighbour order, same communities for
the same seed, the same modularity to the last bit."""

import random

import networkx as nx
import numpy as np
import pytest

from tiplens.social.network import Graph, louvain, modularity


def _events(seed: int) -> list[tuple[str, str, int]]:
    r = random.Random(seed)
    n, e = r.randint(2, 120), r.randint(1, 600)
    events = [(f"a{r.randrange(n)}", f"a{r.randrange(n)}", r.choice([1, 1, 1, 2, 3, 7])) for _ in range(e)]
    if seed % 3 == 0:  # without self-loops, as the interactions network is by default
        events = [(s, t, w) for s, t, w in events if s != t] or events
    return events


def _both(events):
    ref = nx.Graph()
    for s, t, w in events:
        if ref.has_edge(s, t):
            ref[s][t]["weight"] += w
        else:
            ref.add_edge(s, t, weight=w)
    ids: dict[str, int] = {}
    for s, t, _ in events:
        ids.setdefault(s, len(ids))
        ids.setdefault(t, len(ids))
    g = Graph.from_edges(len(ids), np.array([ids[s] for s, _, _ in events]), np.array([ids[t] for _, t, _ in events]),
                         np.array([w for *_, w in events]))
    return ref, list(ids), g


# the array Louvain's ways of weighing nodes: a table of each node's weights towards each
# community from the first pass (small graphs), neighbour lists throughout, neighbour lists until
# the communities are few enough for the table, and short runs of nodes; or networkx itself
PATHS = {"arrays-table": {}, "arrays-lists": {"_MATRIX_CELLS": 0}, "arrays-lists-then-table": {"_MATRIX_CELLS": None},
         "arrays-short-runs": {"_MATRIX_CELLS": 0, "_RUN_CELLS": 1}, "networkx": {"ARRAY_LIMIT": 0}}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("seed", range(60))
def test_graph_louvain_and_modularity_equal_networkx(seed, path, monkeypatch):
    from tiplens.social import network

    ref, names, g = _both(_events(seed))
    for name, value in PATHS[path].items():
        monkeypatch.setattr(network, name, g.n * max(2, g.n // 4) if value is None else value)
    assert names == list(ref.nodes)
    for i, u in enumerate(names):
        span = slice(g.indptr[i], g.indptr[i + 1])
        assert [(names[j], int(w)) for j, w in zip(g.indices[span], g.weights[span], strict=True)] == \
            [(v, d["weight"]) for v, d in ref[u].items()]
    a, b, w = g.edges()
    assert [(names[x], names[y], int(z)) for x, y, z in zip(a, b, w, strict=True)] == \
        list(ref.edges(data="weight"))
    assert g.degrees().tolist() == [d for _, d in ref.degree(weight="weight")]

    want = nx.community.louvain_communities(ref, weight="weight", seed=seed + 11)
    label = louvain(g, seed + 11)
    got: dict[int, set[str]] = {}
    for i, c in enumerate(label.tolist()):
        got.setdefault(c, set()).add(names[i])
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, want))

    com = np.zeros(len(names), dtype=np.int64)
    for k, c in enumerate(want):
        for v in c:
            com[names.index(v)] = k
    assert modularity(g, com) == nx.community.modularity(ref, want, weight="weight")


def test_an_empty_graph_has_no_communities():
    g = Graph.from_edges(0, np.array([]), np.array([]), np.array([]))
    assert g.n == 0 and len(louvain(g, 1)) == 0


@pytest.mark.parametrize("major_end", [50, 2**61])  # one combined key; two sorts when it would not fit
def test_order_by_major_then_minor_is_numpys_lexsort(major_end):
    from tiplens.social.network import _order_by

    rng = np.random.default_rng(7)
    major = rng.integers(0, 50, 400)
    minor = rng.integers(0, 30, 400)  # ties on both keys keep their input order
    assert (_order_by(major, minor, major_end) == np.lexsort((minor, major))).all()
    assert len(_order_by(major[:0], minor[:0], major_end)) == 0

"""The interactions analysis computes betweenness exactly on small graphs and estimates
it from sampled sources when nodes x edges passes the budget (found while benchmarking:
exact networkx betweenness on 2,000 accounts took minutes)."""

import math

import networkx as nx
import pytest

from tiplens.social.analyses import interactions as it


def test_small_graphs_are_exact():
    assert it.betweenness_sample(0, 0) is None
    assert it.betweenness_sample(100, 300) is None  # 30,000 steps
    assert it.betweenness_sample(1000, it.EXACT_BETWEENNESS_WORK // 1000) is None


def test_large_graphs_sample_within_bounds():
    low, high = it.BETWEENNESS_SAMPLE
    assert it.betweenness_sample(2000, 3000) == high  # the budget would allow 666 sources
    assert it.betweenness_sample(2000, 250_000) == low  # budget allows 8 sources: the floor
    k = it.betweenness_sample(2000, 10_000)
    assert k == it.EXACT_BETWEENNESS_WORK // 10_000



@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matrix_betweenness_equals_networkx_exact_and_sampled(seed):
    """The batched breadth-first searches give networkx's figures, exact and for the same
    sampled sources (disconnected parts, a self-loop and an isolated node included)."""
    g = nx.gnm_random_graph(70 + 30 * seed, 120 + 90 * seed, seed=seed)
    g = nx.relabel_nodes(g, {v: f"acc{v}" for v in g})
    g.add_edge("acc0", "acc0")
    g.add_node("lonely")
    for k in (None, 2, 9, 50):
        want = nx.betweenness_centrality(g, k=k, seed=seed + 5)
        got = it.betweenness(g, k, seed + 5)
        assert got.keys() == want.keys()
        assert all(math.isclose(got[v], want[v], rel_tol=1e-9, abs_tol=1e-12) for v in want), k


def test_matrix_betweenness_on_tiny_graphs():
    assert it.betweenness(nx.Graph()) == {}
    assert it.betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
    assert it.betweenness(nx.path_graph(3)) == {0: 0.0, 1: 1.0, 2: 0.0}

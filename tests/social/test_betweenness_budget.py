"""The interactions analysis computes betweenness exactly on small graphs and estimates
it from sampled sources when nodes x edges passes the budget (found while benchmarking:
exact networkx betweenness on 2,000 accounts took minutes)."""

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


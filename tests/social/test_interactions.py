"""Interactions network on hand-written edges; degree and betweenness worked out by hand."""

from __future__ import annotations

import collections
import io
import itertools
import math
import random

import networkx as nx
import pyarrow as pa
import pytest

from tests.social.rows import insert, post
from tiplens.errors import BadInput
from tiplens.knowledge.organisations import ORG_TYPES, load_organisations
from tiplens.social.analyses import interactions

EDGES = [
    ("p1", "iomindonesia", "unmigration", "mention"), ("p1", "iomindonesia", "stateprm", "mention"),
    ("p2", "iomindonesia", "warga", "reply"), ("p2", "iomindonesia", "unmigration", "mention"),
    ("p3", "iomindonesia", "unmigration", "retweet"),
    ("p4", "iomindonesia", "unmigration", "mention"), ("p4", "iomindonesia", "stateprm", "mention"),
    ("p5", "iomindonesia", "iomindonesia", "reply"),  # a thread: not an interaction
    ("p6", "unmigration", "iomindonesia", "quote"), ("p6", "unmigration", "kemlu_ri", "mention"),
]


def _tables(study):
    posts = [post(f"p{i}", f"2021-0{i}-01 00:00:00") for i in range(1, 6)]
    posts.append(post("p6", "2021-06-01 00:00:00", account="unmigration"))
    return insert(study, posts, interactions=EDGES)


def test_edges_are_aggregated_by_kind_and_self_replies_dropped(study):
    res = interactions.run(_tables(study))
    got = {(r["source"], r["target"], r["kind"]): r["count"] for r in res.edges.to_pylist()}
    assert got == {
        ("iomindonesia", "unmigration", "mention"): 3, ("iomindonesia", "stateprm", "mention"): 2,
        ("iomindonesia", "warga", "reply"): 1, ("iomindonesia", "unmigration", "retweet"): 1,
        ("unmigration", "iomindonesia", "quote"): 1, ("unmigration", "kemlu_ri", "mention"): 1,
    }
    with_self = interactions.run(_tables_again(study), interactions.Params(include_self=True))
    assert ("iomindonesia", "iomindonesia", "reply") in {(r["source"], r["target"], r["kind"]) for r in with_self.edges.to_pylist()}


def _tables_again(study):
    from tiplens.social.tables import social_tables

    return social_tables(study.tables())


def test_co_mentions_count_only_accounts_mentioned_together(study):
    res = interactions.run(_tables(study))
    # p1 and p4 mention stateprm and unmigration together; p2's reply target is addressed, not co-mentioned
    assert res.co_mentions.to_pylist() == [{"source": "stateprm", "target": "unmigration", "posts": 2}]


def test_co_mentions_on_random_posts_match_a_plain_python_count(study):
    rng = random.Random(7)
    accounts = ["a", "B", "c", "d", "e", ""]
    kinds = ["mention", "mention", "mention", "reply", "quote", "retweet", None]
    rows = [(f"p{i}", "a", rng.choice(accounts), rng.choice(kinds)) for i in range(40) for _ in range(rng.randint(0, 6))]
    posts = [post(f"p{i}", "2021-01-01 00:00:00") for i in range(40)]
    res = interactions.run(insert(study, posts, interactions=rows))
    # per post: the lower-cased, non-empty, non-self targets that are only ever mentioned (a null
    # kind is neither a mention nor an address), each pair once per post
    want: collections.Counter = collections.Counter()
    for i in range(40):
        mine = [(t.lower(), k) for pid, s, t, k in rows if pid == f"p{i}" and t and t.lower() != s]
        only = {t for t, k in mine if k == "mention"} - {t for t, k in mine if k is not None and k != "mention"}
        want.update(itertools.combinations(sorted(only), 2))
    got = {(r["source"], r["target"]): r["posts"] for r in res.co_mentions.to_pylist()}
    assert got == dict(want) and want
    assert [r["posts"] for r in res.co_mentions.to_pylist()] == sorted(want.values(), reverse=True)


def test_degree_betweenness_and_labels(study):
    res = interactions.run(_tables(study))
    acc = {r["account"]: r for r in res.accounts.to_pylist()}
    # undirected graph: iom-unm, iom-stp, iom-warga, unm-kemlu, stp-unm (co-mention)
    assert {a: r["degree"] for a, r in acc.items()} == {
        "iomindonesia": 3, "unmigration": 3, "stateprm": 2, "warga": 1, "kemlu_ri": 1}
    # shortest paths through iom: unm-warga, stp-warga, warga-kemlu; through unm: iom-kemlu, stp-kemlu,
    # warga-kemlu -> 3 pairs each, normalised by (n-1)(n-2)/2 = 6 pairs
    assert math.isclose(acc["iomindonesia"]["betweenness"], 0.5)
    assert math.isclose(acc["unmigration"]["betweenness"], 0.5)
    assert acc["stateprm"]["betweenness"] == 0.0
    assert {a: r["org_type"] for a, r in acc.items()} == {
        "iomindonesia": "iom_office", "unmigration": "un_agency", "stateprm": "government",
        "kemlu_ri": "government", "warga": "unlisted"}
    assert acc["unmigration"]["interactions"] == 4  # 3 mentions + 1 retweet received
    by_type = {r["org_type"]: (r["accounts"], r["interactions"]) for r in res.by_type.to_pylist()}
    assert by_type == {"un_agency": (1, 4), "government": (2, 3), "unlisted": (1, 1), "iom_office": (1, 1)}
    assert res.accounts.column_names[:5] == ["account", "org_type", "degree", "betweenness", "community"]


def test_without_co_mentions_stateprm_hangs_off_iom_only(study):
    res = interactions.run(_tables(study), interactions.Params(co_mentions=False))
    acc = {r["account"]: r for r in res.accounts.to_pylist()}
    assert acc["stateprm"]["degree"] == 1 and acc["unmigration"]["degree"] == 2


def test_communities_separate_two_groups_and_are_seeded(study):
    posts, edges = [], []
    for i, (a, b) in enumerate([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")] * 5 + [("c", "d")]):
        posts.append(post(f"x{i}", "2022-01-01 00:00:00", account=a))
        edges.append((f"x{i}", a, b, "mention"))
    tables = insert(study, posts, interactions=edges)
    res = interactions.run(tables, interactions.Params(co_mentions=False))
    comm = {r["account"]: r["community"] for r in res.accounts.to_pylist()}
    assert res.communities == 2
    assert comm["a"] == comm["b"] == comm["c"] != comm["d"] == comm["e"] == comm["f"]
    again = interactions.run(tables, interactions.Params(co_mentions=False))
    assert again.accounts.equals(res.accounts) and again.positions.equals(res.positions)


def test_gexf_reads_back_with_labels(study):
    res = interactions.run(_tables(study))
    g = nx.read_gexf(io.BytesIO(res.gexf.encode("utf-8")))
    assert set(g.nodes) == {"iomindonesia", "unmigration", "stateprm", "warga", "kemlu_ri"}
    assert g.nodes["stateprm"]["org_type"] == "government"
    kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
    assert kinds == ["co-mention", "mention", "mention", "mention", "quote", "reply", "retweet"]


def test_a_user_registry_relabels_nodes(study, tmp_path):
    reg = tmp_path / "orgs.yaml"
    reg.write_text("organisations:\n  - {handle: '@Warga', name: Warga Peduli, type: ngo, country: id}\n")
    res = interactions.run(_tables(study), interactions.Params(organisations=str(reg)))
    acc = {r["account"]: r for r in res.accounts.to_pylist()}
    assert (acc["warga"]["org_type"], acc["warga"]["country"]) == ("ngo", "ID")
    assert acc["unmigration"]["org_type"] == "unlisted"


@pytest.mark.parametrize("text, message", [
    ("organisations: [{handle: x, type: charity}]", "type 'charity'"),
    ("organisations: [{handle: x, type: ngo, country: XX}]", "country 'XX'"),
    ("organisations: [{handle: x, type: ngo}, {handle: X, type: ngo}]", "listed twice"),
    ("organisations: [{type: ngo}]", "no handle"),
    ("orgs: []", "'organisations:' list"),
    ("organisations: [", "not valid YAML"),
])
def test_bad_registries_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(BadInput, match=message):
        load_organisations(path)


def test_bundled_registry_is_valid_and_holds_the_studys_accounts():
    reg = load_organisations()
    for handle in ("unmigration", "iomasiapacific", "iomindonesia", "stateprm", "unodc", "kemlu_ri"):
        assert reg.get(handle) is not None, handle
    assert {o.type for o in reg.organisations} <= set(ORG_TYPES)
    assert reg.get("@IOMAsiaPacific").type == "iom_office"


def _as_read(text: str):
    g = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    nodes = {n: {k: v for k, v in d.items() if k != "label"} | {"label": d.get("label")} for n, d in g.nodes(data=True)}
    edges = sorted((s, t, d["kind"], float(d["weight"])) for s, t, d in g.edges(data=True))
    return nodes, edges


def test_gexf_matches_networkx_writer_on_awkward_names():
    """The hand-written GEXF reads back as what networkx's own writer produces for the same
    multigraph, with markup characters, quotes and control characters in the values."""
    import pyarrow as pa

    names = ["a&b", 'say "hi"', "it's <x>", "tab\there", "bell\x07", "ünï"]
    accounts = pa.table({
        "account": names, "org_type": ["ngo", "other", "other", "un_agency", "other", "other"],
        "degree": pa.array([2, 1, 1, 1, 1, 0], pa.int64()),
        "betweenness": pa.array([0.5, 0.0, 1 / 3, 0.25, 0.0, 0.0], pa.float64()),
        "community": pa.array([1, 1, 2, None, 2, 3], pa.int64()), "name": ["A & B", None, "<It>", None, None, None],
        "country": ["ID", None, None, "CH", None, None], "interactions": pa.array([3, 0, 1, 2, 0, 0], pa.int64())})
    edges = pa.table({"source": ["a&b", "a&b", 'say "hi"'], "target": ['say "hi"', 'say "hi"', "it's <x>"],
                      "kind": ["mention", "reply", "quote"], "count": pa.array([2, 1, 5], pa.int64())})
    co = pa.table({"source": ["bell\x07"], "target": ["tab\there"], "posts": pa.array([4], pa.int64())})
    ours = _as_read(interactions._gexf(accounts, edges, co))
    ref = nx.MultiDiGraph()
    for row in accounts.to_pylist():
        ref.add_node(row["account"].replace("\x07", ""), label=row["account"].replace("\x07", ""),
                     org_type=row["org_type"], name=row["name"] or "", country=row["country"] or "",
                     degree=row["degree"], betweenness=row["betweenness"], community=row["community"] or 0,
                     interactions=row["interactions"])
    for row in edges.to_pylist():
        ref.add_edge(row["source"], row["target"], kind=row["kind"], weight=float(row["count"]))
    ref.add_edge("bell", "tab\there", kind="co-mention", weight=4.0)
    buf = io.BytesIO()
    nx.write_gexf(ref, buf)
    theirs = _as_read(buf.getvalue().decode("utf-8"))
    assert ours[1] == theirs[1]
    assert {n: {k: v for k, v in d.items() if k != "networkx_key"} for n, d in ours[0].items()} == \
        {n: {k: v for k, v in d.items() if k != "networkx_key"} for n, d in theirs[0].items()}



_LAYOUT = """
import json
import pyarrow as pa
from tiplens.knowledge.organisations import load_organisations
from tiplens.social.analyses import interactions as it
rows = [(f"acc{i % 200}", t, 1 + i % 3) for i in range(600) for t in (f"acc{(i * 7 + 1) % 200}", f"org{i % 5}")]
edges = pa.table({"source": [r[0] for r in rows], "target": [r[1] for r in rows], "kind": ["mention"] * len(rows),
                  "count": [r[2] for r in rows]})
co = pa.table({"source": pa.array([], pa.string()), "target": pa.array([], pa.string()),
               "posts": pa.array([], pa.int64())})
res = it._measure(it._graph(edges, None), edges, co, load_organisations(None), it.Params())
print(json.dumps(res.positions.to_pylist()))
"""


def test_drawing_is_the_same_in_every_process():
    """String hashing differs between processes; the layout must not depend on it (a subgraph
    view iterates a set of nodes, which once changed the drawing from run to run). More than twice
    as many accounts as are drawn: then networkx iterates the set."""
    import os
    import subprocess
    import sys

    runs = []
    for hashseed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        out = subprocess.run([sys.executable, "-c", _LAYOUT], env=env, capture_output=True, text=True, check=True)
        runs.append(out.stdout)
    assert len(runs[0]) > 10 and runs[0] == runs[1]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_joined_is_the_concatenation_of_the_strings(kind):
    from tiplens.social.analyses.interactions import _joined

    values = ["<a>", "", "ünï", "@x\n", "ü" * 40, "z"]
    arr = pa.array(values, kind)
    assert _joined(arr) == "".join(values)
    assert _joined(arr.slice(2, 3)) == "".join(values[2:5])  # an offset into the buffers
    assert _joined(pa.chunked_array([arr.slice(0, 2), arr.slice(2)])) == "".join(values)
    assert _joined(arr.slice(0, 0)) == ""

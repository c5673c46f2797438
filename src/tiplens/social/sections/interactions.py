"""Report section: interactions network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tiplens.report import Chart, Note, Section, Table, charts
from tiplens.social.analyses import interactions
from tiplens.social.tables import SocialTables

if TYPE_CHECKING:
    from tiplens.social.report import SocialReportParams

# accounts the @IOMIndonesia study named among those it interacted with (seed 004)
STUDY_ACCOUNTS = ("unmigration", "iomasiapacific", "stateprm")
LABELLED = 15  # labels drawn in a crowded network (the most connected accounts)
LABEL_ALL_UP_TO = 30


def section(tables: SocialTables, params: SocialReportParams, files: dict[str, str]) -> Section | None:
    res = interactions.run(tables, interactions.Params(organisations=params.organisations, seed=params.seed))
    edges = res.edges.to_pandas()
    blocks: list = [Note(reading(res), "finding")]
    if len(edges):
        files["network.gexf"] = res.gexf
        blocks.append(Chart(_network_chart(res), title="Who the account interacts with",
                            caption=f"Spring layout (seed {res.params.seed}) of the {res.positions.num_rows} most "
                                    f"connected accounts{_of_component(res)}; size = degree, colour = organisation "
                                    "type, line width = interactions and co-mentions. The full network is in "
                                    "network.gexf (open it in Gephi)."))
        types = dict(zip(res.accounts.column("account").to_pylist(), res.accounts.column("org_type").to_pylist(),
                         strict=True))
        by_kind = edges.assign(org_type=[types.get(t, "unlisted") for t in edges["target"]])
        by_kind = by_kind.groupby(["org_type", "kind"], as_index=False)["count"].sum()
        blocks.append(Chart(charts.bars(by_kind, "org_type", "count", color="kind", horizontal=True,
                                        x_title="organisation type of the target", y_title="interactions",
                                        title="Interactions by type of account and kind"),
                            title="Interactions by type of account"))
    blocks.append(Table("interactions", edges[["source", "target", "kind", "count"]], title="Interactions",
                        max_rows=20, caption="Lower-case handles without '@'; count = posts with that edge."))
    accounts = res.accounts.to_pandas()
    blocks.append(Table("accounts", accounts, title="Accounts in the network", max_rows=25,
                        caption="org_type from the organisation registry ('unlisted' = not in it); degree = number "
                                "of accounts linked; betweenness normalised (as networkx defines it"
                                + (f", estimated from {res.betweenness_sample} sampled sources" if res.betweenness_sample
                                   else ", exact") + f"); community from Louvain (seed {res.params.seed}); "
                                "interactions = edges received."))
    if res.co_mentions.num_rows:
        blocks.append(Table("co_mentions", res.co_mentions.to_pandas(), title="Accounts mentioned together",
                            max_rows=10))
    return Section("interactions", interactions.TITLE, blocks, intro=(
        "Edges come from mentions, replies, retweets and quotes. The network also links two accounts mentioned in "
        "the same post (co-mention), so that partners addressed together form communities. Accounts are labelled "
        f"with the organisation registry ({'bundled' if res.registry_source == 'bundled' else res.registry_source}; "
        "edit it with --organisations)."))


def _of_component(res: interactions.InteractionsResult) -> str:
    total = res.accounts.num_rows
    if res.component_size == total:
        return ""
    return f" of the largest connected group ({res.component_size:,} of {total:,} accounts)"


def _network_chart(res: interactions.InteractionsResult) -> dict:
    pos = res.positions.to_pandas()
    acc = res.accounts.to_pandas()
    nodes = pos.merge(acc, on="account", how="left")
    nodes["show_label"] = nodes.index < (len(nodes) if len(nodes) <= LABEL_ALL_UP_TO else LABELLED)
    xy = {a: (x, y) for a, x, y in zip(*(res.positions.column(c).to_pylist() for c in ("account", "x", "y")), strict=True)}
    links: dict[tuple[str, str], int] = {}
    drawn = pa.array(list(xy), pa.string())
    for tbl, weight in ((res.edges, "count"), (res.co_mentions if res.params.co_mentions else None, "posts")):
        if tbl is None:
            continue
        # only the links between drawn accounts, in table order (the whole network can be large)
        tbl = tbl.filter(pc.and_(pc.is_in(tbl.column("source"), value_set=drawn),
                                 pc.is_in(tbl.column("target"), value_set=drawn)))
        for s, t, w in zip(*(tbl.column(c).to_pylist() for c in ("source", "target", weight)), strict=True):
            a, b = sorted((s, t))
            links[(a, b)] = links.get((a, b), 0) + w
    edges = pd.DataFrame([(*xy[a], *xy[b], w) for (a, b), w in links.items()], columns=["x", "y", "x2", "y2", "weight"])
    return charts.network(nodes, edges, size="degree", color="org_type", label="account")


def reading(res: interactions.InteractionsResult) -> str:
    if res.edges.num_rows == 0:
        return "No mention, reply, retweet or quote of another account in the window."
    total = sum(res.edges.column("count").to_pylist())
    by_type = {r["org_type"]: r for r in res.by_type.to_pylist()}
    listed = sum(r["interactions"] for k, r in by_type.items() if k != "unlisted")
    targets = sorted(((r["interactions"], r["account"]) for r in res.accounts.to_pylist() if r["interactions"]),
                     key=lambda x: (-x[0], x[1]))
    rank = {a: i for i, (_, a) in enumerate(targets, start=1)}
    top = ", ".join(f"@{a} ({n:,})" for n, a in targets[:5])
    types = ", ".join(f"{k.replace('_', ' ')} {r['interactions'] / total:.0%}" for k, r in by_type.items())
    text = (f"{total:,} interactions with {len(targets):,} accounts; {listed / total:.0%} of them with organisations "
            f"in the registry ({types}). Most addressed: {top}.")
    named = [f"@{a} {_nth(rank[a])}" for a in STUDY_ACCOUNTS if a in rank]
    text += (" The study named @unmigration, @IOMAsiapacific and @stateprm among the accounts @IOMIndonesia "
             "interacted with; here " + (", ".join(named) if named else "none of them appears") + ".")
    if res.modularity is not None:
        text += (f" Louvain finds {res.communities} communities (modularity {res.modularity:.2f}; above about 0.3 "
                 "usually means clearly separated groups).")
    return text


def _nth(n: int) -> str:
    return f"is {n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"

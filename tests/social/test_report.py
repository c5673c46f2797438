"""The social report writes every file the issue names, with the named columns."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import networkx as nx
import pytest

from tests.social.helpers import twarc2_page, write_lines
from tiplens.social.importing import import_files
from tiplens.social.report import SocialReportParams, write
from tiplens.store import Study

USERS = [{"id": "1", "username": "IOMIndonesia", "name": "IOM Indonesia"},
         {"id": "2", "username": "warga_peduli", "name": "Warga"}]
TEXTS = [
    ("Know the signs of trafficking with @UNmigration #Indonesia #StopTrafficking", ["Indonesia", "StopTrafficking"], ["UNmigration"]),
    ("Penyintas mendapat rumah aman bersama @KemenPPPA #TPPO", ["TPPO"], ["KemenPPPA"]),
    ("COVID-19 hits migrant workers #COVID19 #migration", ["COVID19", "migration"], []),
    ("Earthquake response: tents and clean water #Indonesia", ["Indonesia"], []),
]


def _tweet(i: int) -> dict:
    text, tags, mentions = TEXTS[i % len(TEXTS)]
    t = {"id": str(1000 + i), "author_id": "1", "created_at": f"{2019 + i % 3}-{1 + i % 12:02d}-10T08:00:00Z",
         "text": text, "lang": "id" if "Penyintas" in text else "en",
         # no quote_count: the source "has none", so quotes stay empty, not 0
         "public_metrics": {"like_count": 3 + (i % 7) + (6 if mentions else 0), "retweet_count": i % 3, "reply_count": 1},
         "entities": {"hashtags": [{"tag": h} for h in tags], "mentions": [{"username": m} for m in mentions]}}
    if i % 9 == 0:
        t["referenced_tweets"] = [{"type": "replied_to", "id": "5"}]
        t["in_reply_to_user_id"] = "2"
    return t


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("report")
    data = write_lines(tmp_path / "f.jsonl", [twarc2_page([_tweet(i) for i in range(40)], USERS)])
    with Study(tmp_path / "s.duckdb") as study:
        import_files(study, [data])
        write(study, tmp_path / "out", SocialReportParams(account="iomindonesia"))
    return tmp_path / "out"


def _header(path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_report_writes_the_named_files_with_their_columns(report_dir):
    t = report_dir / "tables"
    assert _header(t / "volume_yearly.csv") == ["year", "posts", "original", "reply", "retweet", "quote"]
    assert _header(t / "volume_monthly.csv")[:2] == ["month", "posts"]
    assert _header(t / "engagement_yearly.csv") == ["year", "posts", "likes", "reposts", "replies", "quotes"]
    assert _header(t / "hashtags.csv") == ["hashtag", "posts", "share"]
    assert _header(t / "interactions.csv") == ["source", "target", "kind", "count"]
    assert _header(t / "accounts.csv")[:5] == ["account", "org_type", "degree", "betweenness", "community"]
    assert _header(t / "themes.csv")[:5] == ["theme", "label", "group", "posts", "share"]
    assert (report_dir / "report.html").is_file()
    test = json.loads((report_dir / "engagement_test.json").read_text())
    for key in ("n_interacting", "n_other", "n_missing", "median_interacting", "median_other", "u_statistic",
                "p_value", "rank_biserial", "ratio_of_medians", "ratio_ci", "regression", "verdict", "claim"):
        assert key in test, key
    g = nx.read_gexf(io.BytesIO((report_dir / "network.gexf").read_bytes()))
    assert "unmigration" in g.nodes and g.nodes["unmigration"]["org_type"] == "un_agency"


def test_table_contents_follow_the_conventions(report_dir):
    t = report_dir / "tables"
    tags = _rows(t / "hashtags.csv")
    assert all(r["hashtag"] == r["hashtag"].lower() and not r["hashtag"].startswith("#") for r in tags)
    # by hand: 40 posts cycle through 4 texts; #indonesia is in texts 0 and 3 -> 20 posts
    assert {r["hashtag"]: int(r["posts"]) for r in tags}["indonesia"] == 20
    edges = _rows(t / "interactions.csv")
    assert all(r[c] == r[c].lower() and "@" not in r[c] for r in edges for c in ("source", "target"))
    assert {(r["target"], r["kind"]) for r in edges} >= {("unmigration", "mention"), ("warga_peduli", "reply")}
    years = _rows(t / "engagement_yearly.csv")
    assert [r["year"] for r in years] == ["2019", "2020", "2021"]
    assert all(r["quotes"] == "" and r["likes"] != "" for r in years)
    assert sum(int(r["posts"]) for r in years) == 40


def test_a_bad_codebook_is_one_line_and_exit_2(report_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes: [{key: a, patterns: {en: ['re:(?=x)']}}]")
    store = report_dir.parent / "s.duckdb"
    r = subprocess.run([sys.executable, "-m", "tiplens", "social", "report", "--store", str(store), "--out",
                        str(tmp_path / "o2"), "--codebook", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "look-around" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_engagement_verdicts_in_plain_language(study):
    from dataclasses import replace

    from tests.social.test_engagement import _tables
    from tiplens.social.analyses import engagement
    from tiplens.social.analyses.engagement import Regression
    from tiplens.social.sections.engagement import reading, verdict

    res = engagement.run(_tables(study), engagement.Params(resamples=100))
    assert verdict(res)[0] == "not testable"  # 4 interacting posts: fewer than 5
    res = replace(res, n_interacting=6, n_other=6)  # as if the groups were big enough
    reg = Regression(irr=1.8, ci_low=1.3, ci_high=2.4, p_value=0.001, alpha=0.5, n=9, covariates=(), reference="-")
    assert verdict(replace(res, regression=reg))[0] == "supported"
    assert verdict(replace(res, regression=replace(reg, ci_low=0.9)))[0] == "partly supported"
    assert verdict(replace(res, p_value=0.3))[0] == "not supported"
    assert verdict(replace(res, rank_biserial=-0.5, regression=reg))[0] == "contradicted"
    assert verdict(replace(res, n_interacting=3))[0] == "not testable"
    text = reading(replace(res, regression=reg))
    assert "median of 10 likes" in text and "rank-biserial r = 0.85" in text and "SUPPORTED" in text
    assert "interacting post beats a non-interacting one 92% of the time" in text  # (1 + 0.85) / 2


def test_sections_built_two_at_a_time_write_what_one_at_a_time_writes(report_dir, tmp_path, monkeypatch):
    from tiplens.social import report

    monkeypatch.setattr(report, "PARALLEL_SECTIONS", 1)
    data = write_lines(tmp_path / "f.jsonl", [twarc2_page([_tweet(i) for i in range(40)], USERS)])
    with Study(tmp_path / "s.duckdb") as study:
        import_files(study, [data])
        write(study, tmp_path / "out", SocialReportParams(account="iomindonesia"))
    made = sorted(p.relative_to(report_dir) for p in report_dir.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file())
    for rel in made:
        if rel.name not in ("report.html", "provenance.json"):  # these carry the time of the run
            assert (report_dir / rel).read_bytes() == (tmp_path / "out" / rel).read_bytes(), rel
    html = [(d / "report.html").read_text(encoding="utf-8").split("\n") for d in (report_dir, tmp_path / "out")]
    # the provenance differs: the time of the run and the input file's folder
    diff = [(a, b) for a, b in zip(*html, strict=True) if a != b and "generated_at" not in a and "f.jsonl" not in a]
    assert len(html[0]) == len(html[1]) and not diff


def test_the_pool_starts_the_longest_sections_first_and_others_in_report_order():
    from tiplens.social import report

    def builder(module):
        def section(tables, params, files):
            return None
        section.__module__ = module
        return section

    builders = [builder(m) for m in ("tiplens.social.report", "x.hashtags", "x.themes", "x.extra", "x.interactions",
                                     "x.other")]
    assert report._start_order(builders) == [4, 2, 1, 0, 3, 5]
    names = [report.SECTIONS[i].__module__.rsplit(".", 1)[-1] for i in report._start_order(report.SECTIONS)]
    assert names == ["interactions", "themes", "words", "hashtags", "engagement", "report"]

"""GET endpoints: the social, cases and supply reports' tables for the open study, and the
knowledge base; values checked against counts made here from the input files."""

from __future__ import annotations

import csv
import json
from collections import Counter

import yaml

THRESHOLD = 10  # the cases report's default k


def test_social_volume_adds_up_to_the_posts_in_the_files(client, web_study):
    posts = 0
    for name in ("SYNTHETIC_social_sample.jsonl", "hand_posts.jsonl"):
        for line in (web_study.parent / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                posts += len(json.loads(line)["data"])
    assert posts > 2000
    listing = client.get("/api/v1/social").json()
    assert listing["synthetic"] is True and {"volume_yearly", "hashtags", "themes"} <= {t["name"] for t in listing["tables"]}
    rows = client.get("/api/v1/social/volume_yearly").json()["rows"]
    assert sum(r["posts"] for r in rows) == posts


def test_cases_trend_equals_a_count_of_the_csv_with_small_cells_withheld(client, cases_csv):
    with cases_csv.open(newline="", encoding="utf-8") as fh:
        per_year = Counter(row["yearOfRegistration"] for row in csv.DictReader(fh))
    rows = client.get("/api/v1/cases/trend_yearly").json()["rows"]
    assert rows
    for r in rows:
        n = per_year[str(r["year"])]
        assert r["victims"] == (str(n) if n >= THRESHOLD else f"<{THRESHOLD}"), r


def test_every_published_cases_count_is_at_the_threshold_or_withheld(client):
    names = [t["name"] for t in client.get("/api/v1/cases").json()["tables"]]
    assert {"trend_yearly", "routes", "coverage_yearly", "risk_corridors"} <= set(names)
    checked = 0
    for name in names:
        for row in client.get(f"/api/v1/cases/{name}").json()["rows"]:
            assert not {"case_id", "caseId"} & set(row), name
            for col, v in row.items():
                if col in ("victims", "victims_first", "victims_last") and v is not None:
                    checked += 1
                    assert str(v) in (f"<{THRESHOLD}", "c") or int(v) >= THRESHOLD, (name, col, v)
    assert checked > 200


def test_supply_tables_cover_every_supplier_line(client, web_study):
    with (web_study.parent / "supply" / "SYNTHETIC_suppliers.csv").open(newline="", encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    rows = client.get("/api/v1/supply/suppliers").json()["rows"]
    imported = client.app.state.tiplens.study.query("SELECT count(*) FROM suppliers")[0][0]
    assert len(rows) == imported and 0 < imported <= len(lines)
    assert {r["level"] for r in rows} <= {"high", "medium", "low", "unassessed", "unknown"}
    assert "priorities" in {t["name"] for t in client.get("/api/v1/supply").json()["tables"]}


def test_unknown_tables_are_404_json(client):
    for url in ("/api/v1/cases/no_such", "/api/v1/social/no_such", "/api/v1/supply/no_such", "/api/v1/knowledge/no_such"):
        r = client.get(url)
        assert r.status_code == 404 and "no_such" in r.json()["error"], url


def test_knowledge_hotlines_by_country_come_from_the_yaml(client):
    from tiplens.knowledge.hotlines import PATH

    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    want = sorted(str(h["number"]) for h in raw["hotlines"]
                  if h["country"] == "MY" and h["region"] == "MY" and h.get("verified", True))
    rows = client.get("/api/v1/knowledge/hotlines", params={"country": "Malaysia"}).json()["rows"]
    assert sorted(r["number"] for r in rows) == want != []
    every = client.get("/api/v1/knowledge/hotlines").json()["rows"]
    assert len(every) == sum(1 for h in raw["hotlines"] if h.get("verified", True))
    assert client.get("/api/v1/knowledge/hotlines", params={"country": "Atlantis"}).status_code == 422


def test_knowledge_indicators_and_cooperation(client):
    from tiplens.knowledge.cooperation import PATH as COOP
    from tiplens.knowledge.indicators import DEFAULT_PATH

    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    rows = client.get("/api/v1/knowledge/indicators").json()["rows"]
    assert [r["indicator"] for r in rows] == [i["id"] for i in raw["indicators"]]
    coop = client.get("/api/v1/knowledge/cooperation").json()["rows"]
    # seed 001's table: three ASEAN rows, two global, one European, one North American
    assert Counter(r["region"] for r in coop) == {"ASEAN": 3, "Global": 2, "Europe": 1, "North America": 1}
    assert any("GRETA" in r["cooperating_entities"] for r in coop)
    assert "Fitria" in yaml.safe_load(COOP.read_text(encoding="utf-8"))["source"]["cite"]
    names = {t["name"] for t in client.get("/api/v1/knowledge").json()["tables"]}
    assert {"indicators", "forms", "actors", "hotlines", "cooperation", "ilo_mapping", "palermo_mapping"} <= names


"""Mastodon outbox importer: the real archive (expectations counted from the raw JSON) and
hand-made activities."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tiplens.social.importing import import_files

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _is_public(a):
    return PUBLIC in a.get("to", []) + a.get("cc", []) + (
        a["object"].get("to", []) + a["object"].get("cc", []) if isinstance(a["object"], dict) else [])


@pytest.mark.real
def test_real_outbox_accounted_public_only_no_counts(study):
    path = shared("social-samples", "mastodon-outbox-dealingwith", "outbox.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    acts = doc["orderedItems"]
    public = [a for a in acts if _is_public(a)]
    report = import_files(study, [path])
    assert report.read == len(acts) != doc["totalItems"]
    assert (report.imported, report.rejected) == (len(public), len(acts) - len(public))
    assert "totalItems" in report.files[0].note
    kinds = dict(study.query("SELECT kind, count(*) FROM posts GROUP BY kind"))
    assert kinds["retweet"] == sum(1 for a in public if a["type"] == "Announce")
    assert kinds["reply"] == sum(1 for a in public if a["type"] == "Create" and a["object"].get("inReplyTo"))
    # no engagement counts in an outbox: missing, never zero
    assert study.query("SELECT count(*) FROM posts WHERE likes IS NOT NULL OR reposts IS NOT NULL "
                       "OR replies IS NOT NULL OR quotes IS NOT NULL")[0][0] == 0
    assert study.query("SELECT DISTINCT account FROM posts") == [("dealingwith@indieweb.social",)]
    tags = {}
    for a in public:
        if a["type"] == "Create":
            for t in {t["name"].lstrip("#").casefold() for t in a["object"]["tag"] if t["type"] == "Hashtag"}:
                tags[t] = tags.get(t, 0) + 1
    got = dict(study.query("SELECT value, count(*) FROM post_entities WHERE kind = 'hashtag' GROUP BY value"))
    assert got == tags
    reasons = study.query("SELECT reason FROM rejects")
    assert all("not public" in r[0] for r in reasons)
    html_left = study.query("SELECT count(*) FROM posts WHERE text LIKE '%<p>%' OR text LIKE '%</a>%'")[0][0]
    assert html_left == 0


def note(i: int, content: str, **extra) -> dict:
    return {"id": f"https://ngo.example/users/org/statuses/{i}/activity", "type": "Create",
            "actor": "https://ngo.example/users/Org", "published": "2023-01-02T03:04:05Z", "to": [PUBLIC],
            "object": {"id": f"https://ngo.example/users/org/statuses/{i}", "type": "Note",
                       "published": "2023-01-02T03:04:05Z", "content": content, "tag": [], **extra}}


def test_html_tags_replies_boosts_and_other_types(study, tmp_path):
    acts = [
        note(1, '<p>Stop <a href="https://ngo.example/tags/trafficking" class="mention hashtag" rel="tag">'
                '#<span>trafficking</span></a> &amp; help<br>now</p><p>More: <a href="https://ngo.example/report">'
                '<span class="invisible">https://</span>ngo.example/report</a></p>',
             tag=[{"type": "Hashtag", "name": "#Trafficking"},
                  {"type": "Mention", "name": "@ilo", "href": "https://mastodon.example/users/ilo"}]),
        note(2, "<p>@ilo yes</p>", inReplyTo="https://mastodon.example/users/ilo/statuses/5"),
        {"id": "https://ngo.example/users/org/statuses/3/activity", "type": "Announce",
         "actor": "https://ngo.example/users/org", "published": "2023-01-03T00:00:00Z", "to": [PUBLIC],
         "object": "https://un.example/@unhcr/123"},
        {"id": "x", "type": "Like", "actor": "https://ngo.example/users/org", "object": "y"},
        note(4, "<p>private</p>") | {"to": ["https://ngo.example/users/org/followers"]},
        note(5, "<p>bad date</p>") | {"published": "soon"},
    ]
    acts[5]["object"]["published"] = "soon"
    f = tmp_path / "outbox.json"
    f.write_text(json.dumps({"type": "OrderedCollection", "totalItems": 6, "orderedItems": acts}, indent=1),
                 encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (6, 3, 3)
    rows = {r[0].rsplit("/", 2)[-2] if "activity" in r[0] else r[0].rsplit("/", 1)[-1]: r[1:] for r in
            study.query("SELECT post_id, account, text, kind, parent_account, urls FROM "
                        "(SELECT p.*, (SELECT list(value) FROM post_entities e WHERE e.post_id = p.post_id "
                        "AND e.kind = 'url') AS urls FROM posts p)")}
    assert rows["1"][:3] == ("org@ngo.example", "Stop #trafficking & help\nnow\n\nMore: https://ngo.example/report", "original")
    assert rows["1"][4] == ["https://ngo.example/report"]
    assert rows["2"][2:4] == ("reply", "ilo@mastodon.example")
    assert rows["3"][2:4] == ("retweet", "unhcr@un.example")
    edges = set(study.query("SELECT target_account, kind FROM interactions"))
    assert ("ilo@mastodon.example", "mention") in edges and ("unhcr@un.example", "retweet") in edges
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects")]
    assert any("'Like'" in r for r in reasons) and any("followers-only" in r for r in reasons)
    assert any("not a date" in r for r in reasons)


def test_account_from_actor_json_beside_a_bare_list(study, tmp_path):
    act = note(1, "<p>hi</p>")
    act.pop("actor")
    (tmp_path / "actor.json").write_text(json.dumps({"id": "https://social.example/users/NGO",
                                                     "preferredUsername": "NGO"}), encoding="utf-8")
    f = tmp_path / "outbox.json"
    f.write_text(json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "orderedItems": [act]}),
                 encoding="utf-8")
    assert import_files(study, [f]).imported == 1
    assert study.query("SELECT account FROM posts") == [("ngo@social.example",)]

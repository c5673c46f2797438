"""The HTML pages, in-process: every page renders, user and post text is escaped everywhere it
is shown, the post browser codes themes like the codebook, the screening page highlights the
exact evidence, and an uploaded file of ads comes back as a results table."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from tests.web.conftest import CODED, CODED_THEMES, HOSTILE
from tests.web.test_api_screen import AD

PAGES = ["/", "/social", "/social/posts", "/cases", "/supply", "/screen", "/knowledge"]
RAW = ("<script>window.__pwned", '<img src=x onerror="window.__pwned')


def no_raw_markup(text: str) -> bool:
    return not any(r in text for r in RAW)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_the_security_headers(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert no_raw_markup(r.text)
    assert "SYNTHETIC" in r.text or url in ("/screen", "/knowledge")


def test_analysis_pages_show_their_reports_sections(client):
    cases = client.get("/cases").text
    for sid in ("trends", "coverage", "routes", "risk", "privacy"):
        assert f'<section id="{sid}">' in cases, sid
    supply = client.get("/supply").text
    for sid in ("priorities", "portfolio", "suppliers"):
        assert f'<section id="{sid}">' in supply, sid
    social = client.get("/social").text
    for sid in ("volume", "hashtags", "themes", "interactions", "engagement"):
        assert f'<section id="{sid}">' in social, sid
    assert social.count('<div class="chart"') >= 3


def test_hostile_post_text_is_escaped_in_the_browser_and_the_report(client):
    r = client.get("/social/posts", params={"q": "window.__pwned"})
    assert no_raw_markup(r.text)
    assert html.escape(HOSTILE, quote=False) in r.text.replace("&#34;", '"').replace("&#39;", "'")
    assert "<b>bold</b>" not in r.text  # the account's display name is markup too


def test_post_browser_codes_themes_like_the_codebook(client, web_study):
    from tiplens.knowledge.codebook import load_codebook

    r = client.get("/social/posts", params={"q": "Stop forced labour"})
    rows = re.findall(r'<td class="themes">(.*?)</td>', r.text)
    assert len(rows) == 1
    assert set(re.findall(r'<span class="chip">(.*?)</span>', rows[0])) == CODED_THEMES
    # the theme filter counts what the codebook's expression finds in the input files
    theme = load_codebook().theme("forced_labour")
    texts = [t["text"] for name in ("SYNTHETIC_social_sample.jsonl", "hand_posts.jsonl")
             for line in (web_study.parent / name).read_text(encoding="utf-8").splitlines() if line.strip()
             for t in json.loads(line)["data"]]
    want = sum(1 for t in texts if re.search(theme.regex, t))
    page = client.get("/social/posts", params={"theme": "forced_labour"}).text
    assert f"{want:,} matching posts" in page and want > 50
    assert client.get("/social/posts", params={"theme": "nope"}).status_code == 404
    assert CODED in client.get("/social/posts", params={"theme": "awareness", "q": "know the signs"}).text.replace(
        "&lt;", "<").replace("&gt;", ">")


def test_pasted_ad_shows_each_piece_of_evidence_in_a_mark(client):
    record = client.post("/api/v1/screen", json={"text": AD, "country": "ID"}).json()
    r = client.post("/screen", data={"text": AD, "country": "ID"})
    assert r.status_code == 200
    block = re.search(r'<blockquote class="evidence" id="evidence">(.*?)</blockquote>', r.text, re.S).group(1)
    marked = [html.unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", block, re.S)]
    assert marked == [i["text"] for i in record["indicators"]]
    assert html.unescape(re.sub(r"<[^>]+>", "", block)) == AD
    for section in ("mapping", "contacts", "hotlines"):
        assert f'<section id="{section}">' in r.text
    assert "retention_of_identity_documents" in r.text and "SAPA 129" in r.text


def test_pasted_hostile_text_is_shown_as_text(client):
    r = client.post("/screen", data={"text": HOSTILE + " Pay a registration fee first.", "country": ""})
    assert r.status_code == 200 and no_raw_markup(r.text)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in r.text


def _ads_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "text"])
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def test_uploaded_ads_come_back_as_a_sortable_filterable_table(client):
    body = _ads_csv([{"id": "ad-1", "text": AD}, {"id": "<img src=x onerror=\"window.__pwned=3\">", "text": HOSTILE},
                     {"id": "ad-3", "text": "Hiring cooks in Bandung. Written contract."}])
    r = client.post("/screen/upload", files={"file": ('<b>ads</b>.csv', body)}, data={"country": "ID"})
    assert r.status_code == 200, r.text[:500]
    table = re.search(r'<table class="sortable" data-filter id="results-table">(.*?)</table>', r.text, re.S).group(1)
    rows = re.findall(r"<tr><td>(.*?)</td>", table)
    assert rows == ["ad-1", "&lt;img src=x onerror=&#34;window.__pwned=3&#34;&gt;", "ad-3"]
    assert no_raw_markup(r.text) and "<b>ads</b>" not in r.text
    for sid in ("overview", "evidence", "indicators", "mapping", "referral"):
        assert f'<section id="{sid}">' in r.text, sid
    uploads = client.app.state.tiplens.upload_dir
    assert not any(uploads.rglob("*.csv"))  # screened ads are not kept


def test_screening_and_knowledge_work_without_a_study():
    from fastapi.testclient import TestClient

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    with TestClient(create_app(Settings())) as c:
        for url in ("/", "/screen", "/knowledge"):
            assert c.get(url).status_code == 200, url
        social = c.get("/social")
        assert social.status_code == 200 and "no study is open" in social.text
        body = _ads_csv([{"id": "x", "text": AD}])
        assert c.post("/screen/upload", files={"file": ("a.csv", body)}).status_code == 200
        assert c.post("/api/v1/screen", json={"text": AD}).status_code == 200
        assert c.get("/api/v1/cases").status_code == 404


def test_knowledge_page_shows_the_cooperation_table_and_hotlines(client):
    text = client.get("/knowledge").text
    for s in ("GRETA", "Blue Campaign", "ECPAT International", "ASEAN-ACT", "Fitria", "SAPA 129", "Palermo"):
        assert s in text, s


def test_supply_page_offers_statements_only_when_installed(client):
    from tiplens.web.supply_pages import statements_available

    text = client.get("/supply").text
    assert ('id="statements-upload"' in text) == statements_available()


def test_statements_are_checked_and_escaped_when_installed(client):
    pytest.importorskip("tiplens.supply.statements")
    text = ("This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015. " + HOSTILE +
            " It was approved by the board of directors and signed by the chief executive. We audit our suppliers.")
    r = client.post("/supply/statements", files=[("files", ("statement.txt", text.encode()))], data={"act": "uk"})
    assert r.status_code == 200, r.text[:300]
    assert 'id="statements-overview"' in r.text and no_raw_markup(r.text)
    assert client.post("/supply/statements", files=[("files", ("s.txt", b"x"))], data={"act": "xx"}).status_code == 400

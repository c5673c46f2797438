"""In-process tests of the workbench's HTTP contract."""

from __future__ import annotations

from tests.web.conftest import HOSTILE


def test_pages_load_and_escape_post_text(client):
    for url in ("/", "/social", "/social/posts"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "default-src 'none'" in r.headers["content-security-policy"]
    r = client.get("/social/posts", params={"q": "window.__pwned"})
    assert "<script>window.__pwned" not in r.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in r.text


def test_openapi_and_social_tables(client):
    from tiplens.web.queries import search_posts

    spec = client.get("/openapi.json").json()
    assert "/api/v1/social/{table}" in spec["paths"]
    rows = client.get("/api/v1/social/volume_yearly").json()["rows"]
    posts_in_study = search_posts(client.app.state.tiplens.study)[1]
    assert posts_in_study > 2000
    assert sum(r["posts"] for r in rows) == posts_in_study
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_upload_limit_and_bad_json(client):
    big = b"x" * (2 * 1024 * 1024 + 10)
    r = client.post("/import", files={"file": ("big.jsonl", big)}, data={"pillar": "social"})
    assert r.status_code == 413
    r = client.post("/api/v1/social/volume_yearly", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code in (400, 405, 422)


def test_upload_imports_and_stays_in_the_study_folder(client, tmp_path):
    from tests.social.helpers import twarc2_page, tweet

    body = (twarc2_page([tweet(777, "2021-01-01T00:00:00.000Z", "uploaded #safeMigration")]) + "\nnot json\n").encode()
    r = client.post("/import", files={"file": ("../../evil name.jsonl", body)}, data={"pillar": "social"})
    assert r.status_code == 200
    assert "imported 1" in r.text.lower() and "rejected 1" in r.text.lower()
    study = client.app.state.tiplens.study
    uploads = study.path.parent / f"{study.path.stem}-uploads"
    assert [p.name for p in uploads.iterdir()] == ["evil_name.jsonl"]


def test_token_is_required_when_set(web_study):
    from fastapi.testclient import TestClient

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    with TestClient(create_app(Settings(store=web_study, token="s3cret"))) as c:
        assert c.get("/api/v1/health").status_code == 401
        assert c.get("/api/v1/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/v1/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_serve_refuses_a_public_address_without_token():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "tiplens", "serve", "--host", "0.0.0.0"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 2 and "without a token" in r.stderr


def test_hostile_fixture_is_really_hostile():
    assert "<script>" in HOSTILE and "onerror" in HOSTILE

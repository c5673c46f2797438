"""The workbench's guards: bearer token, body caps, security headers on every response,
cross-site posts and rebound host names refused, uploads confined to the study folder, and
`tiplens serve` refusing a public address without a token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.social.helpers import twarc2_page, tweet
from tiplens.web.app import create_app
from tiplens.web.state import Settings

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def guarded(tmp_path):
    with TestClient(create_app(Settings(store=tmp_path / "s.duckdb", token=TOKEN)), raise_server_exceptions=False) as c:
        yield c


def test_token_is_required_on_every_request(guarded):
    for url in ("/", "/screen", "/api/v1/health", "/openapi.json", "/static/web.js"):
        r = guarded.get(url)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", url
        assert "default-src 'none'" in r.headers["content-security-policy"]
    assert guarded.get("/api/v1/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/api/v1/health", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.post("/api/v1/screen", json={"text": "x"}).status_code == 401


def test_a_token_link_sets_a_same_site_cookie(guarded):
    assert guarded.get("/screen", params={"token": "wrong"}, follow_redirects=False).status_code == 401
    r = guarded.get("/screen", params={"token": TOKEN, "x": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/screen?x=1"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert guarded.get("/screen").status_code == 200  # the client kept the cookie


def test_cross_site_posts_and_foreign_host_names_are_refused(tmp_path):
    app = create_app(Settings(store=tmp_path / "s.duckdb", allowed_hosts=("127.0.0.1", "localhost", "::1")))
    with TestClient(app, base_url="http://127.0.0.1:8750") as c:
        assert c.post("/screen", data={"text": "x"}, headers={"Origin": "http://evil.example"}).status_code == 403
        assert c.post("/screen", data={"text": "x"}, headers={"Origin": "null"}).status_code == 403
        assert c.post("/screen", data={"text": "x"}, headers={"Origin": "http://127.0.0.1:8750"}).status_code == 200
        assert c.get("/", headers={"Host": "rebound.evil.example:8750"}).status_code == 403
        assert c.get("/", headers={"Host": "localhost:8750"}).status_code == 200


def test_uploads_over_the_limit_are_413(fresh_client):
    big = b"x" * (2 * 1024 * 1024 + 10)
    r = fresh_client.post("/import", files={"file": ("big.jsonl", big)}, data={"pillar": "social"})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = fresh_client.post("/screen/upload", files={"file": ("big.csv", big)})
    assert r.status_code == 413
    uploads = fresh_client.app.state.tiplens.upload_dir
    assert not any(p.is_file() for p in uploads.rglob("*"))


@pytest.mark.parametrize("name", ["../../evil name.jsonl", "..\\..\\evil.jsonl", "/etc/cron.d/evil.jsonl",
                                  "....//....//evil.jsonl", ".hidden.jsonl", "<script>x</script>.jsonl", ""])
def test_uploads_never_write_outside_the_study_folder(fresh_client, tmp_path, name):
    before = {p for p in tmp_path.parent.rglob("*") if p.is_file()}
    body = (twarc2_page([tweet(777, "2021-01-01T00:00:00.000Z", "uploaded #safeMigration")]) + "\nnot json\n").encode()
    r = fresh_client.post("/import", files={"file": (name, body)}, data={"pillar": "social"})
    assert r.status_code in (200, 422), r.text[:300]
    study_dir = fresh_client.app.state.tiplens.study.path.parent
    new = {p for p in tmp_path.parent.rglob("*") if p.is_file()} - before
    assert all(p.resolve().is_relative_to(study_dir.resolve()) for p in new), new
    if r.status_code == 200:
        assert "imported 1" in r.text.lower() and "rejected 1" in r.text.lower()
        stored = [p for p in fresh_client.app.state.tiplens.upload_dir.iterdir()]
        assert len(stored) == 1 and ".." not in stored[0].name and "/" not in stored[0].name
        assert "<script>x</script>" not in r.text


def test_error_pages_and_unknown_paths_carry_the_headers(client):
    for r in (client.get("/no/such/page"), client.get("/api/v1/no-such"), client.post("/import", data={})):
        assert r.status_code in (400, 404, 422)
        assert "default-src 'none'" in r.headers["content-security-policy"]


def _serve(capsys, *args):
    from tiplens.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", *args])
    return exc.value.code, " ".join(capsys.readouterr().err.split())


def test_serve_refuses_a_public_address_without_a_token(capsys, monkeypatch):
    monkeypatch.delenv("TIPLENS_TOKEN", raising=False)
    code, err = _serve(capsys, "--host", "0.0.0.0")
    assert code == 2 and "without a token" in err
    code, err = _serve(capsys, "--host", "0.0.0.0", "--token", "short")
    assert code == 2 and "--token" in err


def test_an_unusable_upload_is_not_kept(fresh_client):
    r = fresh_client.post("/import", files={"file": ("noise.bin", b"\x00\x01binary\x02" * 100)}, data={"pillar": "social"})
    assert r.status_code == 400 and "default-src" in r.headers["content-security-policy"]
    assert list(fresh_client.app.state.tiplens.upload_dir.iterdir()) == []


def test_an_upload_with_nothing_usable_says_why(fresh_client):
    r = fresh_client.post("/import", files={"file": ("sizes.csv", b"colour,size\nred,1\n")}, data={"pillar": "social"})
    assert r.status_code == 400 and "no post id column" in r.text and "sizes.csv" in r.text
    assert list(fresh_client.app.state.tiplens.upload_dir.iterdir()) == []

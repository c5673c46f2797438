"""Fixtures for the workbench: an in-process client and a real server on loopback."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.social.helpers import twarc2_page, tweet, write_lines

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> #StopTrafficking'


@pytest.fixture(scope="session")
def web_study(tmp_path_factory) -> Path:
    """A study with the synthetic social sample plus one hostile post."""
    from tiplens.samples import social as sample
    from tiplens.social.importing import import_files
    from tiplens.store import Study

    tmp = tmp_path_factory.mktemp("web")
    data = sample.generate(tmp / "sample.jsonl")
    hostile = write_lines(tmp / "hostile.jsonl", [twarc2_page(
        [tweet(42, "2022-05-01T00:00:00.000Z", HOSTILE, author="900000000000000001")],
        users=[{"id": "900000000000000001", "username": "demo_migration_org", "name": "<b>bold</b>"}])])
    path = tmp / "study.duckdb"
    with Study(path) as study:
        import_files(study, [data, hostile])
    return path


@pytest.fixture
def client(web_study, tmp_path):
    """In-process client over a private copy of the study (uploads change it)."""
    from fastapi.testclient import TestClient

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    study = tmp_path / "study.duckdb"
    shutil.copy(web_study, study)
    with TestClient(create_app(Settings(store=study, upload_limit=2 * 1024 * 1024))) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(web_study, tmp_path_factory):
    """uvicorn on a free loopback port, in a thread; yields the base URL."""
    import uvicorn

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    study = tmp_path_factory.mktemp("srv") / "study.duckdb"
    shutil.copy(web_study, study)
    port = _free_port()
    config = uvicorn.Config(create_app(Settings(store=study)), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield b
        b.close()


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and page errors."""
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = ctx.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def shoot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path

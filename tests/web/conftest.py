"""Fixtures for the workbench: a study built once from the pillars' synthetic samples, one app
served by uvicorn on loopback for the browser and reached in-process by the API tests (so each
page is built once per session), and small private apps for tests that change a study."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.social.helpers import twarc2_page, tweet, write_lines

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> #StopTrafficking'
# a hand-coded post: 'forced labour' (theme forced_labour) and 'know the signs' (theme awareness)
CODED = "Stop forced labour: know the signs <b>now</b>"
CODED_THEMES = {"Forced labour", "Awareness campaigns"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def web_study(tmp_path_factory) -> Path:
    """One study with every pillar's synthetic sample (social + two hand-made posts, cases, supply)."""
    from tiplens.cases.importing import import_files as import_cases
    from tiplens.samples import cases as cases_sample
    from tiplens.samples import social as social_sample
    from tiplens.samples import supply as supply_sample
    from tiplens.social.importing import import_files as import_social
    from tiplens.store import Study
    from tiplens.supply.reference import load_files
    from tiplens.supply.suppliers import import_file as import_suppliers

    tmp = tmp_path_factory.mktemp("web")
    social = social_sample.generate(tmp / "SYNTHETIC_social_sample.jsonl")
    hand = write_lines(tmp / "hand_posts.jsonl", [twarc2_page(
        [tweet(42, "2022-05-01T00:00:00.000Z", HOSTILE, author="900000000000000001"),
         tweet(43, "2022-05-02T00:00:00.000Z", CODED, author="900000000000000001")],
        users=[{"id": "900000000000000001", "username": "demo_migration_org", "name": "<b>bold</b>"}])])
    cases = cases_sample.generate(tmp / "cases")
    path = tmp / "study.duckdb"
    with Study(path) as study:
        import_social(study, [social, hand])
        import_cases(study, [cases["cases"], cases["glotip"], cases["gsi"]])
        load_files(study, supply_sample.reference(tmp / "supply"), edition=supply_sample.EDITION, synthetic=True)
        import_suppliers(study, supply_sample.suppliers(tmp / "supply" / "SYNTHETIC_suppliers.csv"))
    return path


@pytest.fixture(scope="session")
def cases_csv(web_study) -> Path:
    return web_study.parent / "cases" / "cases_synthetic_ctdc.csv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(web_study, tmp_path_factory):
    """uvicorn on a free loopback port, in a thread; yields (base URL, app)."""
    import uvicorn

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    study = tmp_path_factory.mktemp("srv") / "study.duckdb"
    shutil.copy(web_study, study)
    app = create_app(Settings(store=study, upload_limit=2 * 1024 * 1024))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def client(server):
    """In-process client of the same app the server runs (its study is open; pages are built
    once for both). Read-only tests only: tests that import use ``fresh_client``."""
    from fastapi.testclient import TestClient

    return TestClient(server[1], raise_server_exceptions=False)


@pytest.fixture
def fresh_client(tmp_path):
    """A private app over an empty study in tmp_path (for uploads and imports)."""
    from fastapi.testclient import TestClient

    from tiplens.web.app import create_app
    from tiplens.web.state import Settings

    with TestClient(create_app(Settings(store=tmp_path / "study" / "study.duckdb", upload_limit=2 * 1024 * 1024)),
                    raise_server_exceptions=False) as c:
        yield c


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


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and requests that left loopback."""
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = ctx.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.external = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "data:", "blob:")) or  # type: ignore[attr-defined]
          pg.external.append(r.url))
    yield pg
    ctx.close()


def shoot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path

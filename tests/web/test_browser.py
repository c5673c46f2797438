"""End-to-end: Debian chromium driven by Playwright against a real server on loopback.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv

import pytest

from tests.web.conftest import HOSTILE, shoot
from tests.web.test_api_screen import AD

pytestmark = pytest.mark.browser

PAGES = ["/", "/social", "/social/posts", "/cases", "/supply", "/screen", "/knowledge"]
CHARTED = ["/social", "/cases", "/supply"]


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle", timeout=60_000)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors(server, page, path):
    _open(page, server[0] + path)
    if path in CHARTED:
        page.wait_for_selector("div.chart svg", timeout=30_000)
    assert page.errors == []
    assert page.external == []  # nothing loads from the network
    assert page.evaluate("window.__pwned === undefined")
    shoot(page, "page" + (path.replace("/", "_") if path != "/" else "_home"))


@pytest.mark.parametrize("path", CHARTED)
def test_charts_render(server, page, path):
    _open(page, server[0] + path)
    page.wait_for_function("document.querySelectorAll('div.chart').length > 0 && "
                           "[...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg') || "
                           "d.textContent.includes('could not'))", timeout=60_000)
    charts = page.locator("div.chart").count()
    drawn = page.evaluate("[...document.querySelectorAll('div.chart')].filter(d => d.querySelector('svg.marks')).length")
    assert charts >= 1 and drawn == charts, (charts, drawn)
    assert page.locator("div.chart svg .mark-rect, div.chart svg .mark-line, div.chart svg .mark-symbol, "
                        "div.chart svg .mark-area, div.chart svg .mark-rule, div.chart svg .mark-text").count() > 0
    assert page.errors == []


def test_pasting_an_ad_shows_highlighted_evidence(server, page):
    _open(page, server[0] + "/screen")
    page.fill("#ad-text", AD)
    page.select_option("#paste-country", "ID")
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#evidence mark")
    marks = page.locator("#evidence mark").all_inner_texts()
    assert "keep your passport" in " ".join(marks) and "registration fee" in " ".join(marks)
    assert page.locator("#evidence").inner_text() == AD
    assert page.locator("#hotlines").inner_text().count("SAPA 129") == 1
    assert page.errors == []
    shoot(page, "screen_paste")


def test_pasting_hostile_text_does_not_run_it(server, page):
    _open(page, server[0] + "/screen")
    page.fill("#ad-text", HOSTILE)
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#evidence")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#evidence").inner_text() == HOSTILE


def test_uploading_a_file_shows_its_results(server, page, tmp_path):
    ads = tmp_path / "ads.csv"
    with ads.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerow(["ad-1", AD])
        w.writerow(["ad-2", "Hiring cooks in Bandung. Written contract, paid leave."])
        w.writerow(["ad-3", HOSTILE + " Employer will keep your passport."])
    _open(page, server[0] + "/screen")
    page.set_input_files("#batch-file", str(ads))
    page.select_option("#batch-country", "ID")
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 3
    assert page.evaluate("window.__pwned === undefined")
    page.fill("input.table-filter", "ad-2")
    assert page.locator("#results-table tbody tr:not([hidden])").count() == 1
    page.fill("input.table-filter", "")
    page.click("#results-table th:has-text('score')")
    page.click("#results-table th:has-text('score')")  # descending
    assert page.locator("#results-table tbody tr").first.locator("td").first.inner_text() == "ad-1"
    page.wait_for_selector("div.chart svg", timeout=30_000)
    assert page.errors == []
    shoot(page, "screen_upload")


def test_hostile_post_text_renders_as_text(server, page):
    _open(page, server[0] + "/social/posts?q=__pwned")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("td.post-text").first.inner_text() == HOSTILE
    shoot(page, "posts_hostile")


def test_theme_filter_in_the_post_browser(server, page):
    _open(page, server[0] + "/social/posts")
    page.select_option("#theme-filter", "forced_labour")
    page.click("#post-search button[type=submit]")
    page.wait_for_url("**theme=forced_labour**")
    chips = page.locator("td.themes").all_inner_texts()
    assert chips and all("Forced labour" in c for c in chips)
    shoot(page, "posts_theme")

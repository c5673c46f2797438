"""End-to-end: Debian chromium driven by Playwright against a real server on loopback."""

from __future__ import annotations

import pytest

from tests.web.conftest import shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/social"])
def test_page_loads_without_console_errors(server, page, path):
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert page.errors == []
    shoot(page, "page" + path.replace("/", "_"))


def test_social_charts_render(server, page):
    page.goto(server + "/social")
    page.wait_for_selector("div.chart svg", timeout=20000)
    charts = page.locator("div.chart").count()
    drawn = page.locator("div.chart svg").count()
    assert charts >= 1 and drawn >= charts
    assert page.errors == []


def test_hostile_post_text_renders_as_text(server, page):
    page.goto(server + "/social/posts?q=__pwned")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned = 1</script>" in page.locator("td.post-text").first.inner_text()
    shoot(page, "posts_hostile")

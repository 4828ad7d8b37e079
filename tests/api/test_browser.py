"""End to end in Debian's Chromium, driven by Playwright, against the app served on 127.0.0.1.

Search, open a result at its paragraph, open an entity page, build a comparison and download its CSV.
Skipped (with the reason) where /usr/bin/chromium is not installed: `make test` installs it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.api.browser import ARGS, BROWSER, CHROMIUM, open_cited

pytestmark = BROWSER


@pytest.fixture(scope="module")
def browser_page(seed_settings: Settings):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    from api.serving import background_server

    with background_server(seed_settings) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        blocked: list[str] = []  # what the Content-Security-Policy stopped: nothing, or a page broke
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        yield base, page
        assert blocked == []
        context.close()
        browser.close()


def test_search_open_paragraph_entity_and_compare(browser_page, tmp_path: Path) -> None:  # noqa: ANN001
    base, page = browser_page
    page.goto(base + "/")
    page.get_by_label("Search", exact=True).fill("county lines")
    page.keyboard.press("Enter")
    first = page.locator("ol.results li.result").first
    first.wait_for()
    snippet = first.locator(".snippet mark").first.inner_text()
    assert snippet.lower() in ("county", "lines", "county lines")

    # the result opens the paper at its paragraph, which is the target and on screen
    target = open_cited(page, first.locator("h2 a"), "**/app/papers/**")
    assert "county lines" in target.inner_text().lower()

    # an entity named in the paper: its page lists where else it appears, by council
    entity = page.locator("aside.entities a.ent").first
    name = entity.inner_text()
    entity.click()
    page.wait_for_url("**/app/entities/**")
    assert page.locator("h1").inner_text().startswith(name)
    assert page.get_by_role("heading", name="Where it appears, by council").is_visible()
    assert page.locator("section.council h3").count() >= 1

    # compare two councils by partnership kind, open a citation, download the CSV
    page.get_by_role("link", name="Compare councils").click()
    page.get_by_label("Hampshire County Council").check()
    page.get_by_label("Test Valley Borough Council").check()
    page.get_by_label("kinds of partnership").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/app/compare?**cols=partnership-kind**")
    rows = page.locator("table.compare tbody th[scope=row]")
    assert rows.count() == 2
    cite = page.locator("details.cite summary").first
    cite.click()
    popover = page.locator("details.cite[open] .popover").first
    assert popover.is_visible() and popover.locator("q").first.inner_text()
    page.keyboard.press("Escape")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "compare.csv"
    info.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    councils = {row[0] for row in table[1:] if row}
    assert {"Hampshire County Council", "Test Valley Borough Council"} <= councils


def test_keyboard_only_search(browser_page) -> None:  # noqa: ANN001
    base, page = browser_page
    page.goto(base + "/app/entities")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.goto(base + "/app/search")
    assert page.evaluate("document.activeElement.id") == "q"  # the box has the focus on arrival
    for label in ("Council", "Committee", "Meetings from", "Theme", "Partnership or operation"):
        assert page.get_by_label(label, exact=True).count() == 1
    page.keyboard.type("purple elephant quantum banjo")
    page.keyboard.press("Enter")
    assert "No results for" in page.locator("p.none").inner_text()


def test_api_docs_render_offline(browser_page) -> None:  # noqa: ANN001
    """Swagger UI from the installed package, under the docs pages' CSP: it lists the operations."""
    base, page = browser_page
    page.route(
        "**/*", lambda route: route.abort() if not route.request.url.startswith(base) else route.continue_()
    )  # no other origin reachable, as on a locked-down network
    page.goto(base + "/docs")
    page.locator(".opblock-summary-path", has_text="/search").first.wait_for()
    assert page.locator(".opblock").count() >= 12
    page.unroute("**/*")

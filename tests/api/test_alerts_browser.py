"""Follow a search in Debian's Chromium (Playwright), ingest a new paper, see it on the saved search's page
and read the page's Atom feed (parsed by feedparser). Skipped where /usr/bin/chromium is not installed."""
from __future__ import annotations

from pathlib import Path

from ingest.settings import Settings
from tests.api.browser import ARGS, BROWSER, CHROMIUM

SEEDS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("0*.txt"))
KEY = "browser-alerts-key"

pytestmark = BROWSER


def test_follow_a_search_then_read_its_new_match_and_feed(tmp_path: Path) -> None:
    import feedparser
    from playwright.sync_api import sync_playwright

    from api.serving import background_server
    from index.pipeline import ingest_paths

    settings = Settings(store=tmp_path / "store", workers=1, api_key=KEY)
    assert not ingest_paths(SEEDS[:2], settings, progress=False).failures
    with background_server(settings) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(base + "/app/search?q=domestic+homicide+reviews&council=Herefordshire+Council")
            page.locator("details.follow summary").click()
            page.get_by_label("API key").fill(KEY)
            page.get_by_role("button", name="Follow").click()
            page.wait_for_url("**/app/alerts/*")
            assert "No paper has matched yet" in page.locator("p.none").inner_text()

            # the next ingest brings a Herefordshire paper about domestic homicide reviews
            summary = ingest_paths(SEEDS[:4], settings, progress=False)
            assert len(summary.alerts) == 1
            page.reload()
            assert page.locator("ol.matches li.result").count() == 1
            assert "Herefordshire Council" in page.locator("ol.matches .meta").inner_text()

            feed_link = page.get_by_role("link", name="Atom feed")
            href = feed_link.get_attribute("href") or ""
            response = page.goto(base + href)
            assert response is not None and response.ok
            assert response.headers["content-type"].startswith("application/atom+xml")
            feed = feedparser.parse(response.body())
            assert not feed.bozo and len(feed.entries) == 1
            entry = feed.entries[0]
            assert "Herefordshire Council" in entry.title and "/app/papers/" in entry.link
            page.goto(entry.link)  # the entry opens the paper at the passage that matched
            anchor = entry.link.split("#", 1)[1]
            assert "homicide" in page.locator(f"#{anchor}").inner_text().lower()
        finally:
            browser.close()

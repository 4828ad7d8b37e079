"""Follow a search in Debian's Chromium (Playwright): with the API key, ingest a new paper, see it on the saved
search's page and read the page's Atom feed (parsed by feedparser); by e-mail with no key, through a real SMTP
server on loopback: confirm, get the digest, open its links. Skipped where /usr/bin/chromium is not installed."""

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
            page.get_by_role("button", name="Save for everyone").click()
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


def test_follow_by_email_confirm_then_open_the_digest_s_links(tmp_path: Path) -> None:
    import re

    from playwright.sync_api import sync_playwright

    from api.serving import background_server
    from index.pipeline import ingest_paths
    from index.store import Store
    from index.subscriptions import send_mail
    from tests.smtp import smtp_server, text_of

    public = "https://papers.example.org"  # the links in e-mails; the test server answers them here
    with smtp_server() as inbox:
        settings = Settings(
            store=tmp_path / "store",
            workers=1,
            smtp_url=inbox.url,
            public_url=public,
            mail_from="alerts@papers.example.org",
        )
        assert not ingest_paths(SEEDS[:2], settings, progress=False).failures
        with background_server(settings) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page()
            page.set_default_timeout(20_000)
            try:
                page.goto(base + "/app/search?q=domestic+homicide+reviews&council=Herefordshire+Council")
                page.locator("details.follow summary").click()
                assert page.get_by_label("API key").count() == 0  # no key on this server
                page.get_by_label("E-mail address").fill("reader@example.org")
                page.get_by_label("How often").select_option("weekly")
                page.get_by_role("button", name="Follow by e-mail").click()
                assert "Check your inbox" in page.locator("h1").inner_text()

                [confirmation] = inbox.take()
                confirm = re.search(rf"{public}(/subscriptions/\S+/confirm)", text_of(confirmation))
                assert confirm is not None
                page.goto(base + confirm[1])
                assert "Alert confirmed" in page.locator("h1").inner_text()
                assert "at most once a week" in page.locator("main").inner_text()

                ingest_paths(SEEDS[:4], settings, progress=False)  # brings the Herefordshire paper
                with Store.open(settings) as store:
                    send_mail(store, settings)
                [digest] = inbox.take()
                text = text_of(digest)
                assert "Herefordshire Council" in text
                paper = re.search(rf"{public}(/app/papers/\w+#(p\d+))", text)
                assert paper is not None
                page.goto(base + paper[1])  # the digest's link opens the paper at the passage cited
                assert "homicide" in page.locator(f"#{paper[2]}").inner_text().lower()
                stop = re.search(rf"{public}(/subscriptions/\S+/unsubscribe)\s", text)
                assert stop is not None
                page.goto(base + stop[1])
                assert "Unsubscribed" in page.locator("h1").inner_text()
            finally:
                browser.close()

"""Each user group's flow in headless Chromium, on a desktop (1280 px) and a phone (390 px) screen.

Researcher: search with filters -> open a result -> the paper at the cited paragraph, and the original PDF at
its page. Officer: precedents -> the cited passage. Scrutiny: compare -> download CSV and XLSX, opened and
checked. On every page: no horizontal scroll of the page itself (wide tables scroll inside their box).
Skipped (with the reason) where /usr/bin/chromium is not installed: `make test` installs it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.api.browser import ARGS, BROWSER, CHROMIUM, ON_SCREEN, open_cited
from tests.api.flow_papers import COUNCIL, URL

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"

pytestmark = BROWSER


@pytest.fixture(scope="module")
def served(flow_settings: Settings):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    from api.serving import background_server

    with background_server(flow_settings) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield base, browser
        browser.close()


@pytest.fixture(params=list(SCREENS))
def page(served, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201
    base, browser = served
    phone = request.param == "phone"
    context = browser.new_context(
        accept_downloads=True,
        viewport=SCREENS[request.param],
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=1,
    )
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.base = base  # type: ignore[attr-defined]
    tab.phone = phone  # type: ignore[attr-defined]
    yield tab
    context.close()


def no_page_scroll(page) -> None:  # noqa: ANN001
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NO_PAGE_SCROLL), (
        f"{page.url}: the page is {width[0]} px wide in a {width[1]} px window"
    )


def test_researcher_searches_with_filters_and_reads_the_cited_paragraph(page) -> None:  # noqa: ANN001
    page.goto(page.base + "/app/search")
    no_page_scroll(page)
    filters = page.locator("details.filters-box")
    assert filters.evaluate("d => d.open") is not page.phone  # folded away on a phone
    page.get_by_label("Search", exact=True).fill("burglary fell")
    if page.phone:
        filters.locator("summary").click()
    page.get_by_label("Council", exact=True).select_option(COUNCIL)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**council=Rushmoor**")
    first = page.locator("ol.results li.result").first
    first.wait_for()
    no_page_scroll(page)
    assert page.evaluate(
        "el => el.getBoundingClientRect().top < window.innerHeight", first.element_handle()
    ), "the first result is below the first screen"
    assert "1 set" in filters.locator("summary").inner_text()
    assert COUNCIL in first.locator(".meta").inner_text()

    target = open_cited(page, first.locator("h2 a"))
    assert "burglary" in target.inner_text().lower()
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the cited paragraph is highlighted
    cited_page = target.get_attribute("data-page")
    original = page.locator("a.original")
    assert original.get_attribute("href") == f"{URL}#page={cited_page}"
    assert original.inner_text().startswith(f"Open the original at page {cited_page}")
    no_page_scroll(page)


def test_officer_finds_precedents_and_opens_the_cited_passage(page) -> None:  # noqa: ANN001
    page.goto(page.base + "/app/precedents")
    no_page_scroll(page)
    page.get_by_label("Describe the problem").fill(
        "young people exploited to sell drugs by county lines gangs"
    )
    page.get_by_role("button", name="Find approaches").click()
    cited = page.locator("ul.mentions li").first
    cited.wait_for()
    no_page_scroll(page)
    quote = cited.locator("blockquote").inner_text().strip()
    link = cited.locator("a").first
    anchor = (link.get_attribute("href") or "").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**#{anchor}")
    target = page.locator(f"#{anchor}")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert page.evaluate(ON_SCREEN, target.element_handle())
    words = " ".join(target.locator("p").inner_text().split())
    assert " ".join(quote.split())[:60] in words  # the quote is words of the cited passage
    no_page_scroll(page)


def test_scrutiny_compares_and_downloads_csv_and_xlsx(page, tmp_path: Path) -> None:  # noqa: ANN001
    page.goto(page.base + "/app/compare")
    no_page_scroll(page)
    page.get_by_label("Hampshire County Council").check()
    page.get_by_label(COUNCIL).check()
    page.get_by_label("figures reported").check()
    button = page.get_by_role("button", name="Compare")
    button.scroll_into_view_if_needed()
    assert page.evaluate(ON_SCREEN, button.element_handle()), "the Compare button is cut off"
    button.click()
    page.wait_for_url("**/app/compare?**cols=metric**")
    table = page.locator("table.compare")
    table.wait_for()
    no_page_scroll(page)

    # the table scrolls inside its box; its header row and council column stay where they are
    box = page.locator("div.scroll")
    council = page.locator("table.compare tbody th[scope=row]").first
    header = page.locator("table.compare thead th").nth(1)
    before = (council.bounding_box(), header.bounding_box())
    box.evaluate("b => { b.scrollLeft = 400; b.scrollTop = 200; }")
    assert box.evaluate("b => b.scrollLeft") > 0 or box.evaluate("b => b.scrollWidth <= b.clientWidth")
    after = (council.bounding_box(), header.bounding_box())
    assert abs(after[0]["x"] - before[0]["x"]) < 1  # the council column did not move sideways
    assert abs(after[1]["y"] - before[1]["y"]) < 1  # the header row did not move up

    rushmoor = page.locator("table.compare tbody tr", has=page.locator(f"th:has-text('{COUNCIL}')"))
    assert "12% fall" in rushmoor.inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    saved = tmp_path / "compare.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    burglary = [r for r in rows if r["Council"] == COUNCIL and r["Measure"].startswith("Burglaries")]
    assert burglary and "12%" in burglary[0]["Figures"]
    assert "Burglary fell by 12%" in burglary[0]["Quote"] and burglary[0]["Link"] == f"{URL}#page=1"

    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX").click()
    saved = tmp_path / "compare.xlsx"
    info.value.save_as(saved)
    from openpyxl import load_workbook

    book = load_workbook(saved)
    sheet = book["table"]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h and str(h).startswith("Burglaries"))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == COUNCIL)
    assert "12%" in str(row[column].value)
    assert row[column].hyperlink is not None and row[column].hyperlink.target.startswith(URL)
    cites = [
        r
        for r in book["citations"].iter_rows(min_row=2, values_only=True)
        if r[0] == COUNCIL and str(r[1]).startswith("Burglaries")
    ]
    assert cites and "Burglary fell by 12%" in cites[0][3]

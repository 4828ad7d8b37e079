"""The compare page printed as a browser prints it (headless Chromium's print to PDF, the page's own print
stylesheet and @page size) and read back from the PDF: the whole table, every council and every column label,
on A4 (or A3) landscape, the council column repeated on each page's part, citations as footnotes."""

from __future__ import annotations

import re

import pytest

from ingest.settings import Settings
from tests.api.browser import ARGS, BROWSER, CHROMIUM

pytestmark = BROWSER
PUBLIC = "https://papers.example.org"
SIZES = {"a4": (842, 595), "a3": (1191, 842)}  # landscape, in points


@pytest.fixture(scope="module")
def printer(flow_settings: Settings):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    from api.serving import background_server

    settings = flow_settings.model_copy(update={"public_url": PUBLIC})
    with background_server(settings) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield base, browser
        browser.close()


def squash(text: str) -> str:
    """Text without white space or soft hyphens: a label wrapped over lines of a cell reads the same."""
    return re.sub(r"[\s\u00ad\u2010]+", "", text)


def printed(printer, query: str) -> tuple[list[str], list[tuple[float, float]], dict]:  # noqa: ANN001
    """The compare page printed to PDF: each page's text and size, and the table as JSON."""
    import pypdfium2 as pdfium

    base, browser = printer
    page = browser.new_page()
    try:
        table = page.request.get(f"{base}/compare?{query}").json()
        page.goto(f"{base}/app/compare?{query}")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    doc = pdfium.PdfDocument(pdf)
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    sizes = [doc[i].get_size() for i in range(len(doc))]
    return texts, sizes, table


@pytest.mark.parametrize(("paper", "per_page"), [("a4", 7), ("a3", 11)])
def test_the_printed_compare_page_holds_the_whole_table(printer, paper: str, per_page: int) -> None:  # noqa: ANN001
    texts, sizes, table = printed(printer, f"cols=theme&paper={paper}")
    width, height = SIZES[paper]
    assert all(abs(w - width) < 2 and abs(h - height) < 2 for w, h in sizes), (
        sizes
    )  # landscape, the paper asked for
    whole = squash(" ".join(texts))
    assert len(table["columns"]) > per_page  # more columns than one page holds: the test means something
    for council in table["rows"]:
        # every council, on every part of the table (the council column is repeated)
        assert whole.count(squash(council)) >= -(-len(table["columns"]) // per_page), council
    for column in table["columns"]:
        assert squash(table["labels"][column]) in whole, table["labels"][column]
    starts = [n for n, t in enumerate(texts) if re.search(r"Theme columns \d+\s*[-\u2013]\s*\d+ of", t)]
    assert len(starts) == -(-len(table["columns"]) // per_page)
    for n in starts:
        assert squash("Council") in squash(texts[n])
    # citations as footnotes: the first quote of a filled cell, and a link a member can open
    first = table["cells"][0]["citations"][0]
    assert squash(first["quote_shown"])[:60] in whole
    assert squash(f"{PUBLIC}/app/papers/") in whole or squash(first["link"] or "") in whole


def test_the_printed_page_leaves_out_the_form_and_the_screen_table(printer) -> None:  # noqa: ANN001
    texts, _, table = printed(printer, "cols=partnership-kind")
    whole = " ".join(texts)
    assert "Meetings from" not in whole and "Download this table" not in whole
    assert "Compare councils" not in whole  # the site header and the page's form are screen only
    assert all(squash(c) in squash(whole) for c in table["rows"])

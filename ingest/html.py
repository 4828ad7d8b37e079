"""HTML papers: ModernGov pages (agenda item `mgAi.aspx`, issue `mgIssueHistoryHome.aspx`, decision
`ieDecisionDetails.aspx`) and plain web pages. Main content only: navigation, headers, footers,
scripts, styles, cookie banners and breadcrumbs are dropped; h1-h6 become headings, p/li/div text
paragraphs and items, tables rows of cells.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.detect import decode_text
from ingest.docx import _roman
from ingest.errors import IngestError
from ingest.model import Block, Reading, table_block
from ingest.settings import Settings
from ingest.text import NUMBERED, clean_inline

# Where the content lives, most specific first: ModernGov wraps it in div#modgov / .mgContent.
MAIN_SELECTORS = (
    "#modgov",
    ".mgContent",
    "main",
    "[role=main]",
    "article",
    "#content",
    "#main-content",
    "#maincontent",
    ".main-content",
    ".content",
    "body",
)
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "input",
    "select",
    "link",
    "meta",
    "img",
    "object",
    "canvas",
)
# id/class words of boilerplate blocks, ModernGov's own (mgBreadCrumbs, mgSideBar, mgLinks...) included
BOILERPLATE = re.compile(
    r"breadcrumb|cookie|consent|skip|sidebar|side-bar|mgSide|mgLinks|mgFooter"
    r"|navbar|\bnav\b|menu|banner|share|social|print|feedback|back-to-top|pagination",
    re.I,
)
# ModernGov titles its sections with classes, not h tags ("mgSubTitleTxt", "mgSectionTitle")
MG_TITLE = re.compile(r"^mg\w*(?:Title|Heading)\w*$", re.I)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "ul",
        "ol",
        "li",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "pre",
        "address",
        "figure",
        "figcaption",
        "hr",
        "fieldset",
        "details",
        "summary",
        "center",
    }
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes) -> str:
    """Bytes -> text, honouring a declared charset; 'iso-8859-1' is read as cp1252, as browsers do."""
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252"):
            name = "cp1252"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _classes(el: Any) -> str:
    cls = el.get("class") or []
    return (
        " ".join(cls) + " " + (el.get("id") or "") if isinstance(cls, list) else f"{cls} {el.get('id') or ''}"
    )


def _strip_boilerplate(root: Any) -> None:
    for tag in root.find_all(DROP_TAGS):
        tag.decompose()
    for el in root.find_all(True):
        if getattr(el, "decomposed", False):
            continue
        if el.attrs is not None and BOILERPLATE.search(_classes(el)) and el.name not in ("body", "html"):
            el.decompose()
    for el in root.find_all(attrs={"role": re.compile("navigation|banner|contentinfo|search", re.I)}):
        el.decompose()
    for el in root.find_all(attrs={"aria-hidden": "true"}):
        el.decompose()


def _text(el: Any) -> str:
    return clean_inline(re.sub(r"\s+", " ", el.get_text(" ")))


def _table(el: Any) -> Block | None:
    rows: list[tuple[str, ...]] = []
    for tr in el.find_all("tr"):
        if tr.find_parent("table") is not el:
            continue  # a nested table's rows are part of its cell's text
        cells: list[str] = []
        for td in tr.find_all(["td", "th"], recursive=False):
            cells.append(_text(td))
            span = td.get("colspan", "1")
            cells.extend([""] * (int(span) - 1 if str(span).isdigit() and 1 < int(span) < 50 else 0))
        if any(cells):
            rows.append(tuple(cells))
    return table_block(rows)


def _ol_number(li: Any, index: int) -> str:
    parent = li.parent
    kind = (parent.get("type") or "1") if parent is not None else "1"
    start = (
        int(parent.get("start", "1")) if parent is not None and str(parent.get("start", "1")).isdigit() else 1
    )
    n = start + index
    if kind in ("a", "A"):
        s = chr(ord("a") + (n - 1) % 26)
        return (s.upper() if kind == "A" else s) + ")"
    if kind in ("i", "I"):
        return (_roman(n).upper() if kind == "I" else _roman(n)) + ")"
    return f"{n}."


def _paragraph(text: str) -> Block:
    m = NUMBERED.match(text)
    if m:  # "2.1 The council ..." typed into the page
        return Block("paragraph", m["rest"], number=m["num"])
    return Block("paragraph", text)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.inline: list[str] = []
        self.h_level = 1  # a class-titled section sits one level below the last h1-h6

    def flush(self) -> None:
        text = clean_inline(re.sub(r"\s+", " ", " ".join(self.inline)))
        self.inline = []
        if text:
            self.blocks.append(_paragraph(text))

    def walk(self, el: Any) -> None:
        for child in el.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ == "NavigableString":
                    self.inline.append(str(child))
                continue
            if name not in BLOCK_TAGS and not MG_TITLE.match(_classes(child).split(" ")[0] or "x"):
                self.inline.append(child.get_text(" "))
                continue
            self.flush()
            self.element(child, name)
        self.flush()

    def element(self, el: Any, name: str) -> None:
        if re.fullmatch(r"h[1-6]", name) or (
            name not in ("table", "ul", "ol") and MG_TITLE.match(_classes(el).split(" ")[0] or "x")
        ):
            text = _text(el).rstrip(":").strip() if name[0] != "h" else _text(el)
            level = int(name[1]) if name[0] == "h" else self.h_level + 1
            if name[0] == "h":
                self.h_level = level
            if text:
                self.blocks.append(Block("heading", text, level=level))
        elif name == "table":
            block = _table(el)
            if block:
                self.blocks.append(block)
        elif name in ("ul", "ol"):
            items = el.find_all("li", recursive=False)
            for i, li in enumerate(items):
                self.item(li, _ol_number(li, i) if name == "ol" else None)
        elif name == "li":
            self.item(el, None)
        elif name in ("p", "dt", "dd", "figcaption", "pre", "address", "summary"):
            text = _text(el)
            if text:
                self.blocks.append(_paragraph(text))
        elif name != "hr":
            self.walk(el)

    def item(self, li: Any, number: str | None) -> None:
        nested = li.find_all(["ul", "ol", "table"], recursive=False)
        for n in nested:
            n.extract()
        text = _text(li)
        if text:
            self.blocks.append(Block("item", text, number=number))
        for n in nested:
            self.element(n, n.name)


def check_html(data: bytes, source: str, settings: Settings) -> None:
    """Refuse HTML past `max_html_bytes`, or nested deeper than `max_html_depth` elements, before the tree
    is built: BeautifulSoup's tree costs some 40 times the page in memory, and a page of nested <div>s a
    few tens of KB long takes it minutes and ends in a RecursionError. The depth is measured by lxml's
    pull parser (C, the tree cleared as it goes), which stops at the first chunk past the limit."""
    from lxml import etree

    if len(data) > settings.max_html_bytes:
        raise IngestError(
            source,
            f"HTML page is {len(data) / 1e6:.1f} MB, over the limit of "
            f"{settings.max_html_bytes / 1e6:.1f} MB (COUNCILPAPERS_MAX_HTML_BYTES)",
        )
    parser = etree.HTMLPullParser(events=("start", "end"))
    depth = 0
    for i in range(0, len(data), 1 << 16):
        parser.feed(data[i : i + (1 << 16)])
        for event, el in parser.read_events():
            if event == "start":
                depth += 1
                if depth > settings.max_html_depth:
                    raise IngestError(
                        source,
                        f"HTML nests elements more than {settings.max_html_depth} deep"
                        " (COUNCILPAPERS_MAX_HTML_DEPTH)",
                    )
            else:
                depth -= 1
                el.clear()  # the scan keeps no tree
                while el.getprevious() is not None:
                    del el.getparent()[0]


def read_html(data: bytes, source: str, settings: Settings) -> Reading:
    from bs4 import BeautifulSoup

    check_html(data, source, settings)
    soup = BeautifulSoup(decode_html(data), "lxml")
    page_title = _text(soup.title) if soup.title else ""
    root = next((el for sel in MAIN_SELECTORS if (el := soup.select_one(sel)) is not None), soup)
    _strip_boilerplate(root)
    walker = _Walker()
    walker.walk(root)
    h1 = next((b.text for b in walker.blocks if b.kind == "heading" and b.level == 1), None)
    return Reading(tuple(walker.blocks), 0, h1 or page_title or None)

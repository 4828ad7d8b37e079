"""PDF papers -> blocks in reading order, with pages, paragraph numbers, headings and tables.

Text, positions and fonts come from pypdfium2 (fast, keeps the spaces between words that
pdfplumber's word grouping sometimes loses). Ruled tables are found by pdfplumber's table
finder, fed with the ruling lines pdfium reads (so pdfminer never re-parses the page), and
only on pages with drawn paths; cell text is read from the same pdfium characters, so
nothing in a table is also emitted as a paragraph.

Page furniture (running headers and footers, page numbers, security markings) is found
generally: a line in the top or bottom margin whose text (digits ignored) recurs at the
same height on many pages, a page-number pattern in a margin, or a protective marking
from the national Government Security Classifications (data/pdf_markings.txt).
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from ingest import ocr
from ingest.assemble import merge_tables
from ingest.datafiles import word_set
from ingest.errors import IngestError
from ingest.model import Block, Line, Reading
from ingest.pdftables import cell_at, inside, may_have_table, table_block, table_bounds, table_grids
from ingest.pdftables import clean_text as _clean
from ingest.settings import Settings

MIN_LETTERS_FOR_TEXT = 30  # a page with fewer letters than this (a stamped page number) may be a scan
MARGIN = 0.14  # top/bottom fraction of a page where running headers and footers live
_MARKINGS_FILE = Path(__file__).with_name("data") / "pdf_markings.txt"
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,3}){0,3})(?:\.(?=\s)|(?=\s))\s*(?P<rest>\S.*)$")
_LETTERED = re.compile(
    r"^(?P<num>\([a-z]{1,2}\)|[a-z][).]|\(?\d{1,2}\)|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|"
    r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+(?P<rest>\S.*)$"
)
# bullets as they come out of Word and Symbol/Wingdings fonts (private-use code points)
_BULLET = re.compile(r"^(?:[•●▪■◦○◆❖➢►▶✓✔\u2013\u2014\-*·o]|[\uf000-\uf0ff])\s*(?P<rest>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]?$")


@dataclass(frozen=True)
class _Page:
    number: int
    height: float
    items: tuple[Line | Block, ...]  # lines and table blocks in reading order


def read_pdf(data: bytes, source: str, settings: Settings) -> Reading:
    """A PDF's bytes -> Reading; IngestError with a one-line reason for unreadable files."""
    import pypdfium2 as pdfium

    doc = _open(data, source)
    try:
        n = len(doc)
        if n > settings.max_pages:
            raise IngestError(
                source, f"PDF has {n} pages, over the limit of {settings.max_pages} (COUNCILPAPERS_MAX_PAGES)"
            )
        pages = [_read_page(doc[i], i + 1) for i in range(n)]
        pages, ocr_pages, given_up, why = _read_scans(doc, pages, settings)
        meta_title = (doc.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError as e:
        raise IngestError(source, f"corrupt or truncated PDF ({e})") from None
    finally:
        doc.close()
    if not any(p.items for p in pages):
        raise IngestError(
            source,
            "no text layer: scanned? (no page has extractable text"
            + (f"; {why or _ocr_reason(settings) + f', page {given_up[0]}'}" if given_up else "")
            + ")",
        )
    pages = _strip_furniture(pages)
    lines = [it for p in pages for it in p.items if isinstance(it, Line)]
    body = _body_size(lines)
    blocks = merge_tables(_blocks(pages, body, _vocabulary(lines)))
    return Reading(tuple(blocks), n, _title(pages, body, meta_title), ocr_pages=tuple(ocr_pages))


def _read_scans(
    doc,
    pages: list[_Page],
    settings: Settings,  # noqa: ANN001
) -> tuple[list[_Page], list[int], list[int], str]:
    """Pages with (almost) no text but an image are read by OCR (ingest.ocr), within the file's budget.

    Returns the pages, the numbers of those read by OCR and of those that could not be, and why the first
    of those could not be when it was for a reason of its own (too large to render), else ""."""
    scans = [p for p in pages if _letters(p) < MIN_LETTERS_FOR_TEXT]
    if not scans or settings.ocr_max_pages <= 0:
        return pages, [], [], ""
    budget = ocr.Budget(settings)
    out, done = list(pages), []
    for p in scans:
        page = doc[p.number - 1]
        if not ocr.has_image(page):
            continue  # a blank or divider page
        lines = ocr.ocr_page(page, p.number, budget)
        if lines:
            out[p.number - 1] = _Page(p.number, p.height, tuple(lines))
            done.append(p.number)
    first = budget.given_up[0] if budget.given_up else 0
    return out, done, budget.given_up, budget.why.get(first, "")


def _letters(page: _Page) -> int:
    return sum(
        c.isalpha()
        for it in page.items
        for c in (it.text if isinstance(it, Line) else " ".join(" ".join(r) for r in it.rows))
    )


def _ocr_reason(settings: Settings) -> str:
    if ocr.tesseract() is None:
        return "OCR needs tesseract, which is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"
    return (
        f"OCR gave up (limits: {settings.ocr_max_pages} pages, {settings.ocr_seconds:g} s a file:"
        " COUNCILPAPERS_OCR_MAX_PAGES, COUNCILPAPERS_OCR_SECONDS)"
    )


def _open(data: bytes, source: str):  # noqa: ANN202 - a pypdfium2.PdfDocument
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise IngestError(source, "encrypted PDF: a password is needed to open it") from None
        if getattr(e, "err_code", None) == raw.FPDF_ERR_SECURITY:
            raise IngestError(source, "encrypted PDF: unsupported security handler") from None
        raise IngestError(source, "corrupt or truncated PDF (cannot be opened)") from None
    # pdfium repairs damaged files silently; a file cut short has lost its end-of-file marker
    if b"%%EOF" not in data[-4096:] or len(doc) == 0:
        doc.close()
        raise IngestError(source, "corrupt or truncated PDF (no end-of-file marker or no pages)")
    return doc


def _font_is_bold(tp, i: int, cache: dict) -> bool:  # noqa: ANN001 - a raw FPDF_TEXTPAGE
    import pypdfium2.raw as raw

    obj = raw.FPDFText_GetTextObject(tp, i)
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in cache:
        font = raw.FPDFTextObj_GetFont(obj)
        buf = ctypes.create_string_buffer(128)
        raw.FPDFFont_GetBaseFontName(font, buf, 128)
        name = buf.value.decode("latin-1").lower()
        weight = raw.FPDFFont_GetWeight(font)
        cache[key] = weight >= 600 or any(w in name for w in ("bold", "black", "heavy", "semibold"))
    return cache[key]


def _read_page(page, number: int) -> _Page:  # noqa: ANN001 - a pypdfium2.PdfPage
    """Characters -> lines (pdfium's own line breaks), cut out and replaced by any tables."""
    import pypdfium2.raw as raw

    # pdfplumber measures from the media box top; pdfium reports no box when it is inherited
    box = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    y0, y1 = box[1], box[3]
    top_of_page = y1
    tables = table_grids(page, top_of_page) if may_have_table(page) else []
    tp = page.get_textpage()
    n = tp.count_chars()
    text = tp.get_text_range(0, n) if n else ""
    if len(text) != n:  # characters outside the BMP: fall back to one code point per index
        text = "".join(chr(raw.FPDFText_GetUnicode(tp.raw, i) or 32) for i in range(n))
    rect = raw.FS_RECTF()
    bold_cache: dict = {}
    cells = [
        (ti, ri, ci, cell)
        for ti, t in enumerate(tables)
        for ri, row in enumerate(t)
        for ci, cell in enumerate(row)
        if cell
    ]
    bounds = [table_bounds(t) for t in tables]
    cell_text: dict[tuple[int, int, int], list[str]] = {}
    items: list[Line | Block | int] = []  # an int marks where table number k starts
    cur: list[tuple[str, float, float, float, float, float, bool]] = []
    last_cell: tuple[int, int, int] | None = None

    def flush() -> None:
        if cur:
            line = _make_line(number, cur)
            if line is not None:
                items.append(line)
            cur.clear()

    for i in range(n):
        ch = text[i]
        if ch in "\r\n":
            flush()
            if last_cell is not None:  # a line break inside a cell is a space
                cell_text[last_cell].append(" ")
                last_cell = None
            continue
        raw.FPDFText_GetLooseCharBox(tp.raw, i, rect)
        left, right = rect.left, rect.right
        top, bottom = top_of_page - rect.top, top_of_page - rect.bottom
        cx, cy = (left + right) / 2, (top + bottom) / 2
        k = inside(bounds, cx, cy) if bounds else -1
        if k >= 0:
            if k not in items:
                flush()
                items.append(k)
            cell = cell_at(cells, k, cx, cy)
            if cell is not None:
                cell_text.setdefault(cell, []).append(ch)
                last_cell = cell
            continue
        if ch.isspace() and not cur:
            continue
        size = raw.FPDFText_GetFontSize(tp.raw, i)
        bold = False if ch.isspace() else _font_is_bold(tp.raw, i, bold_cache)
        cur.append((ch, left, top, right, bottom, size, bold))
    flush()
    tp.close()
    out: list[Line | Block] = []
    for it in items:
        if isinstance(it, int):
            block = table_block(tables[it], it, cell_text, number)
            if block is not None:
                out.append(block)
        else:
            out.append(it)
    return _Page(number, y1 - y0, tuple(out))


def _make_line(page: int, chars: list[tuple[str, float, float, float, float, float, bool]]) -> Line | None:
    text = "".join(c[0] for c in chars).replace("\u00a0", " ").rstrip()
    ink = [c for c in chars if not c[0].isspace()]
    if not ink:
        return None
    sizes = Counter(round(c[5] * 2) / 2 for c in ink)
    bold = sum(c[6] for c in ink) >= 0.6 * len(ink)
    return Line(
        page,
        text,
        min(c[1] for c in ink),
        min(c[2] for c in ink),
        max(c[3] for c in ink),
        max(c[4] for c in ink),
        sizes.most_common(1)[0][0],
        bold,
    )


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.strip().lower())


def _load_markings() -> frozenset[str]:
    return word_set(_MARKINGS_FILE)


def _strip_furniture(pages: list[_Page]) -> list[_Page]:
    """Drop running headers/footers, page numbers and protective markings."""
    markings = _load_markings()
    seen: Counter[tuple[str, int]] = Counter()
    for p in pages:
        keys = {
            (_furniture_key(x), round(x.top / 6))
            for x in p.items
            if isinstance(x, Line) and _in_margin(x, p.height)
        }
        seen.update(keys)
    need = max(2, int(0.4 * len(pages) + 0.5))

    def is_furniture(x: Line, height: float) -> bool:
        t = x.text.strip()
        if t.lower().strip(" :-–") in markings:
            return True
        if not _in_margin(x, height):
            return False
        if _PAGE_NUMBER.match(t):
            return True
        key = _furniture_key(x)
        band = round(x.top / 6)
        return len(pages) > 1 and max(seen[(key, band - 1)], seen[(key, band)], seen[(key, band + 1)]) >= need

    return [
        replace(p, items=tuple(x for x in p.items if not (isinstance(x, Line) and is_furniture(x, p.height))))
        for p in pages
    ]


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom <= MARGIN * height or line.top >= (1 - MARGIN) * height


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for x in lines:
        sizes[x.size] += len(x.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _vocabulary(lines: list[Line]) -> frozenset[str]:
    return frozenset(w.lower() for x in lines for w in re.findall(r"[A-Za-z][A-Za-z-]+", x.text))


def _join(prev: str, nxt: str, vocab: frozenset[str]) -> str:
    """Join two lines of one paragraph, mending words hyphenated across the break."""
    if prev.endswith(("\x02", "\u00ad")):
        return prev[:-1] + nxt
    m = re.search(r"([A-Za-z]+)-$", prev)
    n = re.match(r"([a-z]+)", nxt)
    if m and n:
        hyphenated = f"{m[1]}-{n[1]}".lower()
        # keep a real compound ("cross-boundary") when the paper prints it whole elsewhere
        if hyphenated in vocab and f"{m[1]}{n[1]}".lower() not in vocab:
            return prev + nxt
        return prev[:-1] + nxt
    return prev + " " + nxt


def _heading_levels(lines: list[Line], body: float) -> dict[float, int]:
    big = sorted({x.size for x in lines if x.size > body * 1.12}, reverse=True)
    return {s: min(i + 1, 3) for i, s in enumerate(big)}


def _is_heading(x: Line, body: float) -> bool:
    t = x.text.strip()
    words = t.split()
    if not words or len(words) > 16 or len(t) > 120 or t.endswith((",", ";")):
        return False
    if t.endswith(".") and not re.match(r"^\d+\.$", words[0]):
        return False
    return (x.size > body * 1.12 or x.bold) and any(c.isalpha() for c in t)


def _classify(text: str) -> tuple[str, str, str | None]:
    """(kind, text, number) for the first line of a block."""
    m = _NUMBERED.match(text)
    if m and not re.match(r"^\d{1,2}(?:\.\d+)?\s*(?:%|per|million|bn|m\b|am|pm|hours?|years?|days?)", text):
        return "paragraph", m["rest"], m["num"]
    m = _LETTERED.match(text)
    if m:
        return "item", m["rest"], m["num"]
    m = _BULLET.match(text)
    if m and (text[0] not in "-–—o" or text[1:2] == " "):
        return "item", m["rest"], None
    return "paragraph", text, None


def _starts_block(prev: Line | None, x: Line, body: float) -> bool:
    if prev is None or prev.page != x.page:
        return True
    if x.top < prev.top - 2 or x.top - prev.bottom > 0.55 * max(x.size, body):
        return True  # a new column, or a paragraph gap
    if (prev.bold, prev.size) != (x.bold, x.size) and (prev.bold or x.bold or abs(prev.size - x.size) > 1):
        return True
    t = x.text.lstrip()
    return _classify(t)[2] is not None or _BULLET.match(t) is not None and _classify(t)[0] == "item"


def _blocks(pages: list[_Page], body: float, vocab: frozenset[str]) -> list[Block]:
    lines = [it for p in pages for it in p.items if isinstance(it, Line)]
    levels = _heading_levels(lines, body)
    out: list[Block] = []
    group: list[Line] = []

    def flush() -> None:
        if group:
            out.append(_block(group, body, levels, vocab))
            group.clear()

    for p in pages:
        for it in p.items:
            if isinstance(it, Block):
                flush()
                out.append(it)
                continue
            if it.size < 0.9 * body and it.text.strip().isdigit():
                continue  # a footnote mark on a line of its own
            if _starts_block(group[-1] if group else None, it, body):
                flush()
            group.append(it)
        flush()
    return [b for b in out if b.text or b.rows]


def _block(group: list[Line], body: float, levels: dict[float, int], vocab: frozenset[str]) -> Block:
    text = group[0].text.strip()
    for x in group[1:]:
        text = _join(text, x.text.strip(), vocab)
    text = _clean(text)
    first = group[0]
    kind, rest, number = _classify(text)
    heading_like = all(_is_heading(x, body) for x in group) and len(text.split()) <= 20
    closed = _SENTENCE_END.search(rest) and not (rest.endswith(":") and len(rest.split()) <= 8)
    # "2.5.3 The committee is asked..." in bold is a paragraph; "3.0 Background" is a heading
    numbered_sentence = number and "." in number and len(rest.split()) > 12
    if heading_like and not numbered_sentence and kind != "item" and not closed:
        level = levels.get(first.size, len(levels) + 1)
        if number and re.fullmatch(r"\d+(?:\.\d+)*", number):  # "5.1.2" is level 3, "3.0" level 1
            level = len(number.rstrip("0").rstrip(".").split("."))
        return Block("heading", text, page=first.page, level=max(1, min(level, 3)))
    return Block(kind, rest, page=first.page, number=number)  # type: ignore[arg-type]


_BAD_TITLES = re.compile(
    r"template|untitled|^microsoft|\.docx?$|\.pdf$|^slide \d|^document\d*$|^title$", re.I
)


def _title(pages: list[_Page], body: float, meta: str) -> str | None:
    """Largest text on page 1 (joined over adjacent lines), else the PDF's metadata title."""
    first = [x for x in pages[0].items if isinstance(x, Line)] if pages else []
    if first:
        top = max(x.size for x in first)
        if top > body * 1.12:
            parts = [x.text.strip() for x in first if x.size == top][:4]
            title = _clean(" ".join(parts))
            if 3 <= len(title) <= 200:
                return title
    if meta and not _BAD_TITLES.search(meta) and len(meta.split()) >= 2:
        return _clean(meta)
    # report templates print the title as a labelled field: "TITLE: Workplace Parking Levy"
    labelled = (re.match(r"^(?:report\s+)?title\s*:\s*(\S.{2,200})$", x.text.strip(), re.I) for x in first)
    return next((_clean(m[1]) for m in labelled if m), None)

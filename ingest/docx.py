"""Word (.docx) papers with python-docx: headings by style, numbered lists with their printed numbers,
tables as rows (merged cells once), paragraphs and tables in body order.

Numbers are computed the way Word prints them: each `w:numId` keeps a counter per level,
a level's counter resets its deeper levels, and the level's `lvlText` ("%1.%2", "%2)") is
filled in with the counters formatted as the level says (decimal, letter, roman).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO

from ingest.errors import IngestError
from ingest.model import Block, Reading, table_block
from ingest.settings import Settings
from ingest.text import NUMBERED, clean_inline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_LIST_STYLE = re.compile(r"^list\b|bullet|number", re.I)
# a decimal-numbered paragraph this long is a numbered paragraph of the report, not a list item
PARAGRAPH_MIN_WORDS = 20


@dataclass(frozen=True)
class _Level:
    fmt: str  # decimal | lowerLetter | upperLetter | lowerRoman | upperRoman | bullet | none ...
    text: str  # lvlText, e.g. "%1.%2"
    start: int


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


def _numbering(document) -> dict[str, dict[int, _Level]]:  # noqa: ANN001 - a python-docx Document
    """numId -> {ilvl: level definition}, with a num's lvlOverride/startOverride applied."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[str, dict[int, _Level]] = {}
    for an in root.iter(f"{W}abstractNum"):
        abstract[an.get(f"{W}abstractNumId")] = {
            int(lvl.get(f"{W}ilvl")): _level(lvl) for lvl in an.iter(f"{W}lvl")
        }
    out: dict[str, dict[int, _Level]] = {}
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        levels = dict(abstract.get(ref.get(f"{W}val"), {})) if ref is not None else {}
        for ov in num.iter(f"{W}lvlOverride"):
            ilvl = int(ov.get(f"{W}ilvl"))
            lvl, start = ov.find(f"{W}lvl"), ov.find(f"{W}startOverride")
            if lvl is not None:
                levels[ilvl] = _level(lvl)
            elif start is not None and ilvl in levels:
                old = levels[ilvl]
                levels[ilvl] = _Level(old.fmt, old.text, int(start.get(f"{W}val")))
        out[num.get(f"{W}numId")] = levels
    return out


def _level(lvl) -> _Level:  # noqa: ANN001 - an lxml element
    def val(tag: str, default: str) -> str:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val", default) if el is not None else default

    return _Level(val("numFmt", "decimal"), val("lvlText", ""), int(val("start", "1")))


class _Counters:
    """Word's list counters: one list of per-level counts a numId."""

    def __init__(self, numbering: dict[str, dict[int, _Level]]) -> None:
        self.numbering = numbering
        self.counts: dict[str, dict[int, int]] = {}

    def next(self, num_id: str, ilvl: int) -> tuple[str | None, str]:
        """-> (printed number or None for a bullet, the level's format)."""
        levels = self.numbering.get(num_id, {})
        lvl = levels.get(ilvl, _Level("decimal", f"%{ilvl + 1}.", 1))
        counts = self.counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, lvl.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if lvl.fmt in ("bullet", "none") or not lvl.text:
            return None, lvl.fmt

        def fill(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            level = levels.get(i, lvl)
            return _format(counts.get(i, level.start), level.fmt)

        return re.sub(r"%(\d)", fill, lvl.text).strip() or None, lvl.fmt


def _num_pr(paragraph) -> tuple[str, int] | None:  # noqa: ANN001 - a python-docx Paragraph
    """(numId, ilvl) from the paragraph, else from its style chain; numId 0 switches numbering off."""
    p_pr = paragraph._p.pPr
    candidates = [p_pr] if p_pr is not None else []
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    num_id, ilvl = None, None
    for pr in candidates:
        if pr is None or pr.numPr is None:
            continue
        if num_id is None and pr.numPr.numId is not None:
            num_id = str(pr.numPr.numId.val)
        if ilvl is None and pr.numPr.ilvl is not None:
            ilvl = int(pr.numPr.ilvl.val)
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl or 0


def _heading_level(paragraph) -> int:  # noqa: ANN001
    name = paragraph.style.name if paragraph.style is not None else ""
    m = _HEADING_STYLE.match(name)
    if m:
        return max(1, int(m.group(1)))
    if name.lower() == "title":
        return 1
    p_pr = paragraph._p.pPr
    outline = p_pr.find(f"{W}outlineLvl") if p_pr is not None else None
    if outline is not None and int(outline.get(f"{W}val", "9")) < 9:
        return int(outline.get(f"{W}val")) + 1
    return 0


def _paragraph_block(paragraph, counters: _Counters) -> Block | None:  # noqa: ANN001
    text = clean_inline(paragraph.text.replace("\t", " "))
    if not text:
        return None
    level = _heading_level(paragraph)
    num_pr = _num_pr(paragraph)
    number, fmt = counters.next(*num_pr) if num_pr else (None, "")
    if level:
        return Block("heading", f"{number.rstrip('.')} {text}" if number else text, level=level)
    if num_pr:
        # "2.1" or a long "12." numbers a paragraph of the report; short "1." items are a list
        if (
            fmt == "decimal"
            and number
            and ("." in number.rstrip(".") or len(text.split()) >= PARAGRAPH_MIN_WORDS)
        ):
            return Block("paragraph", text, number=number.rstrip("."))
        return Block("item", text, number=number)
    style = paragraph.style.name if paragraph.style is not None else ""
    m = NUMBERED.match(text)
    if m:  # a number typed by hand: "2.1 The council ..."
        return Block("paragraph", m["rest"], number=m["num"])
    if _LIST_STYLE.search(style):
        return Block("item", text)
    return Block("paragraph", text)


def _cell_text(tc) -> str:  # noqa: ANN001 - a w:tc element
    paras = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")]
    return clean_inline(" ".join(p for p in paras if p.strip()))


def _table_block(tbl) -> Block | None:  # noqa: ANN001 - a w:tbl element
    """Rows of cell text; a merged cell's text appears once, the cells it covers are empty."""
    rows: list[tuple[str, ...]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span, vmerge = 1, None
            if pr is not None:
                gs, vm = pr.find(f"{W}gridSpan"), pr.find(f"{W}vMerge")
                span = int(gs.get(f"{W}val", "1")) if gs is not None else 1
                vmerge = vm.get(f"{W}val", "continue") if vm is not None else None
            cells.append("" if vmerge == "continue" else _cell_text(tc))
            cells.extend([""] * (span - 1))
        if any(cells):
            rows.append(tuple(cells))
    return table_block(rows)


def check_zip(data: bytes, source: str, settings: Settings) -> None:
    """Refuse a zip past the member count or unpacked size caps, before anything unpacks it.

    The sizes come from the zip's directory: a zip can understate them, so `unpacked` counts again
    what it really inflates.
    """
    try:
        infos = zipfile.ZipFile(BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise IngestError(source, f"corrupt DOCX (damaged zip archive: {str(e)[:80]})") from None
    if len(infos) > settings.max_zip_members:
        raise IngestError(
            source,
            f"DOCX holds {len(infos)} files, over the limit of {settings.max_zip_members}"
            " (COUNCILPAPERS_MAX_ZIP_MEMBERS)",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > settings.max_unzipped_bytes:
        raise IngestError(
            source,
            f"DOCX unpacks to {unpacked / 1e6:.0f} MB, over the limit of "
            f"{settings.max_unzipped_bytes / 1e6:.0f} MB (COUNCILPAPERS_MAX_UNZIPPED_BYTES);"
            " a decompression bomb?",
        )


UNZIP_CHUNK = 1 << 16  # bytes inflated by one call: what one member can cost in memory at a time


def unpacked(data: bytes, source: str, settings: Settings) -> bytes:
    """The DOCX re-packed without compression, each member inflated `UNZIP_CHUNK` bytes at a time and counted
    against `max_unzipped_bytes`, whatever its zip directory says.

    python-docx reads a member with zipfile's `read()`, which inflates all of it in one call and only
    then cuts it to the size the directory declares: a member declared as 1 KB that inflates to 2 GB takes
    2 GB. Read in chunks, zipfile stops at the declared size (and a member that lies then fails its CRC
    check), so memory stays bounded; python-docx then reads the stored copy, where nothing inflates.
    """
    check_zip(data, source, settings)
    out = BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                if info.is_dir():
                    continue
                parts = []
                with zin.open(info) as member:
                    while chunk := member.read(UNZIP_CHUNK):
                        total += len(chunk)
                        if total > settings.max_unzipped_bytes:
                            raise IngestError(
                                source,
                                f"DOCX unpacks past {settings.max_unzipped_bytes / 1e6:.0f} MB"
                                " (COUNCILPAPERS_MAX_UNZIPPED_BYTES); a decompression bomb?",
                            )
                        parts.append(chunk)
                zout.writestr(info.filename, b"".join(parts))
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, EOFError) as e:
        raise IngestError(source, f"corrupt DOCX (damaged zip archive: {str(e)[:80]})") from None
    return out.getvalue()


def read_docx(data: bytes, source: str, settings: Settings) -> Reading:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    stored = unpacked(data, source, settings)
    try:
        document = docx.Document(BytesIO(stored))
    except Exception as e:  # python-docx raises KeyError, BadZipFile, lxml errors ... on damaged files
        raise IngestError(source, f"corrupt DOCX: {type(e).__name__}: {str(e)[:120]}") from None
    counters = _Counters(_numbering(document))
    blocks: list[Block] = []
    title: str | None = None
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            para = Paragraph(child, document)
            block = _paragraph_block(para, counters)
            if block and title is None and para.style is not None and para.style.name.lower() == "title":
                title = block.text
        elif child.tag == f"{W}tbl":
            block = _table_block(Table(child, document)._tbl)
        else:
            continue
        if block:
            blocks.append(block)
    title = (
        title
        or (document.core_properties.title or "").strip()
        or next((b.text for b in blocks if b.kind == "heading"), None)
    )
    return Reading(tuple(blocks), 0, title)

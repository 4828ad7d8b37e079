"""The document model every later stage reads: a `Document` with its `Passage`s and `Table`s.

Readers produce `Block`s (a heading, a paragraph, a list item or a table, with its page);
`ingest.assemble.assemble` turns blocks into passages with heading paths, paragraph
numbers and offsets into the document's full text. One mechanism for every format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "table"]


@dataclass(frozen=True)
class Block:
    """One unit of a paper as a reader sees it, before passages are built.

    `level` orders headings (1 is the top); `number` is the paragraph or list number as
    printed ("2.5.3", "16", "a)"), already removed from `text`; `rows` holds a table's cells.
    """

    kind: BlockKind
    text: str
    page: int | None = None
    level: int = 0
    number: str | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    pages: tuple[int, ...] = ()  # set for blocks spanning pages (tables); else derived from `page`

    def page_span(self) -> tuple[int, ...]:
        if self.pages:
            return self.pages
        return (self.page,) if self.page is not None else ()


def table_block(rows: list[tuple[str, ...]], page: int | None = None) -> Block | None:
    """A table from rows of cells, padded to one width (readers pad merged cells); None if no rows."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    return Block("table", "", page=page, rows=tuple(r + ("",) * (width - len(r)) for r in rows))


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized piece of a paper: what search returns and what findings cite."""

    index: int  # position in the document, from 0
    text: str
    pages: tuple[int, ...]  # 1-based page numbers; empty for formats without pages
    heading_path: tuple[str, ...]
    paragraph: str | None  # the number as printed, when there is one
    start: int  # offsets of `text` in Document.text
    end: int
    kind: Literal["paragraph", "list", "table"] = "paragraph"

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    pages: tuple[int, ...]
    heading_path: tuple[str, ...]
    passage_index: int  # the passage that renders this table as text


@dataclass(frozen=True)
class Document:
    id: str  # content hash of the original bytes
    source: str  # path or URL it was read from
    format: Literal["pdf", "docx", "html", "text"]
    title: str | None
    page_count: int
    text: str  # the full text; passages carry offsets into it
    passages: tuple[Passage, ...]
    tables: tuple[Table, ...] = ()
    # metadata given with the file (manifest, harvester, --council); wins over extracted values
    given: tuple[tuple[str, str], ...] = field(default=())

    @property
    def stem(self) -> str:
        name = self.source.rstrip("/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name

    def given_dict(self) -> dict[str, str]:
        return dict(self.given)

    @property
    def paper_kind(self) -> str | None:
        """The kind of paper given with it (report, minutes, item minute...; ingest.kinds), if any."""
        return self.given_dict().get("paper_kind")


def content_id(data: bytes) -> str:
    """Stable document id: the first 16 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Reading:
    """What a format reader returns: blocks in reading order, the page count and a title if found."""

    blocks: tuple[Block, ...]
    page_count: int = 0
    title: str | None = None
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (they had no text layer)


@dataclass(frozen=True)
class Line:
    """One printed line: its text and where and how it is set on its page (top-down points)."""

    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool

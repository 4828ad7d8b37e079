"""Blocks to passages: the one place where every reader's output becomes a `Document`.

Rules (all formats):
- headings set the heading path of what follows (a heading of level n replaces those
  of level >= n); they are written into the full text but are not passages;
- a paragraph cut by a page or column break (no closing punctuation, the next one
  starting in lower case) is joined back together;
- list items stay with their lead-in sentence in one passage (a list item cut by a page break is joined
  back too); numbered paragraphs stay paragraphs, each with its printed number for citing;
- a short caption right before a table ("37. Breakdown of referrals") goes with the table;
- passages over `MAX_WORDS` are split at sentence boundaries;
- whatever is still over `MAX_CHARS` (a "sentence" with no full stop, a run with no spaces: what a
  hostile or broken file gives) is cut at a line, sentence or word boundary (`cap_length`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ingest.model import Block, Passage, Table

MAX_WORDS = 250
# Past this length a passage is cut, so that no later stage (extraction, the embedder's tokenizer, FTS)
# meets one 30-million-character passage. No passage of the bundled corpus or the shared PDFs and
# papers comes near it: the longest of 3,579 is 2,014 characters.
MAX_CHARS = 3000
CAPTION_MAX_WORDS = 20
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9£])")
_CLOSED = re.compile(r"[.!?:;)\"'\u201d]\s*$")
# a list line as `render_item` writes it: "- text", "1. text", "a) text", "(iv) text"
ITEM_LINE = re.compile(
    r"^(?P<marker>-|\(?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[a-z]|[ivx]{1,4}|[A-Z])[.)])\s+(?P<text>\S.*)$"
)


@dataclass
class _Draft:
    kind: str  # paragraph | list | table
    texts: list[str]
    pages: list[int]
    heading_path: tuple[str, ...]
    paragraph: str | None
    rows: tuple[tuple[str, ...], ...] = ()
    words: int = 0

    def add_pages(self, pages: Iterable[int]) -> None:
        for p in pages:
            if p not in self.pages:
                self.pages.append(p)


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0

    def write(self, text: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def render_rows(rows: Iterable[Iterable[str]]) -> str:
    """A table as searchable text: one line a row, cells joined by ' | '."""
    return "\n".join(" | ".join(c.strip() for c in row) for row in rows)


def render_item(block: Block) -> str:
    marker = block.number if block.number else "-"
    if marker.isdigit():
        marker += "."
    return f"{marker} {block.text}"


def list_items(text: str) -> list[tuple[str, int]]:
    """The items of a list passage as (item text without its marker, offset in `text`); the lead-in is not one."""
    out: list[tuple[str, int]] = []
    offset = 0
    for k, line in enumerate(text.split("\n")):
        m = ITEM_LINE.match(line)
        if m and (k or not re.fullmatch(r"[A-Z][.)]", m["marker"])):  # "A. Smith said:" leads, it is no item
            out.append((m["text"], offset + m.start("text")))
        offset += len(line) + 1
    return out


def _joins(prev: _Draft | None, block: Block) -> bool:
    """A paragraph broken by a page or column break: continue it."""
    if prev is None or prev.kind not in ("paragraph", "list") or block.kind != "paragraph" or block.number:
        return False
    last, text = prev.texts[-1], block.text
    return bool(text) and text[0].islower() and not _CLOSED.search(last)


def _drafts(blocks: Iterable[Block]) -> Iterable[tuple[str | None, _Draft | None]]:
    """Yield (heading text, None) for headings and (None, draft) for finished passages."""
    path: list[tuple[int, str]] = []
    cur: _Draft | None = None
    for b in blocks:
        if b.kind == "heading":
            if cur:
                yield None, cur
                cur = None
            path = [(lvl, t) for lvl, t in path if lvl < max(b.level, 1)] + [(max(b.level, 1), b.text)]
            yield b.text, None
            continue
        hp = tuple(t for _, t in path)
        if (
            b.kind == "item"
            and cur is not None
            and cur.kind in ("paragraph", "list")
            and cur.heading_path == hp
        ):
            cur.kind = "list"
            cur.texts.append(render_item(b))
            cur.add_pages(b.page_span())
            continue
        if _joins(cur, b):
            assert cur is not None
            cur.texts[-1] = cur.texts[-1] + " " + b.text
            cur.add_pages(b.page_span())
            continue
        if b.kind == "table":
            caption = None
            if cur and cur.kind == "paragraph" and len(cur.texts) == 1 and cur.heading_path == hp:
                t = cur.texts[0]
                if len(t.split()) <= CAPTION_MAX_WORDS and not t.rstrip().endswith("."):
                    caption = cur
            if cur and caption is None:
                yield None, cur
            texts = caption.texts if caption else []
            cur = _Draft(
                "table",
                texts + [render_rows(b.rows)],
                list(caption.pages) if caption else [],
                hp,
                caption.paragraph if caption else b.number,
                rows=b.rows,
            )
            cur.add_pages(b.page_span())
            yield None, cur
            cur = None
            continue
        if cur:
            yield None, cur
        text = render_item(b) if b.kind == "item" else b.text
        cur = _Draft("list" if b.kind == "item" else "paragraph", [text], list(b.page_span()), hp, b.number)
    if cur:
        yield None, cur


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def cap_length(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, each cut at the last line break, else sentence end,
    else space in its second half (a run with none of them is cut at the limit). Linear in the text: each
    cut looks at one window, never at the rest."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    start, end = 0, len(text)
    while end - start > limit:
        window = text[start : start + limit + 1]
        cut = window.rfind("\n", limit // 2)
        if cut < 0:
            ends = [m.start() for m in _SENTENCE_END.finditer(window, limit // 2)]
            cut = ends[-1] if ends else window.rfind(" ", limit // 2)
        cut = cut if cut > 0 else limit
        if piece := window[:cut].rstrip():
            out.append(piece)
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append(text[start:end])
    return out


def _pieces(draft: _Draft) -> list[str]:
    """The passage texts of one draft: whole, or cut at sentence (or item) boundaries."""
    sep = "\n" if draft.kind in ("list", "table") else " "
    text = sep.join(draft.texts)
    if len(text.split()) <= MAX_WORDS:
        return [text]
    units: list[str] = []
    for t in draft.texts:
        if draft.kind == "table":
            units.extend(t.split("\n"))
        else:
            units.extend(split_sentences(t) if len(t.split()) > MAX_WORDS // 2 else [t])
    out: list[str] = []
    buf: list[str] = []
    n = 0
    for u in units:
        w = len(u.split())
        if buf and n + w > MAX_WORDS:
            out.append(sep.join(buf))
            buf, n = [], 0
        buf.append(u)
        n += w
    if buf:
        out.append(sep.join(buf))
    return out


def assemble(blocks: Iterable[Block]) -> tuple[str, tuple[Passage, ...], tuple[Table, ...]]:
    """Blocks in reading order -> (full text, passages, tables)."""
    out = _Builder()
    passages: list[Passage] = []
    tables: list[Table] = []
    for heading, draft in _drafts(blocks):
        if heading is not None:
            out.write(heading)
            continue
        assert draft is not None
        pieces = [cut for piece in _pieces(draft) for cut in cap_length(piece)]
        first_index = len(passages)
        for piece in pieces:
            start, end = out.write(piece)
            kind = draft.kind if draft.kind in ("paragraph", "list", "table") else "paragraph"
            passages.append(
                Passage(
                    len(passages),
                    piece,
                    tuple(draft.pages),
                    draft.heading_path,
                    draft.paragraph,
                    start,
                    end,
                    kind,
                )
            )  # type: ignore[arg-type]
        if draft.kind == "table":
            tables.append(Table(draft.rows, tuple(draft.pages), draft.heading_path, first_index))
    return out.text(), tuple(passages), tuple(tables)


def merge_tables(blocks: list[Block]) -> list[Block]:
    """Join a table continued over a page break (same column count, nothing between) into one."""
    merged: list[Block] = []
    for b in blocks:
        prev = merged[-1] if merged else None
        if (
            b.kind == "table"
            and prev is not None
            and prev.kind == "table"
            and prev.rows
            and b.rows
            and len(prev.rows[0]) == len(b.rows[0])
            and b.page_span()
            and prev.page_span()
            and b.page_span()[0] == prev.page_span()[-1] + 1
        ):
            rows = b.rows[1:] if b.rows[0] == prev.rows[0] else b.rows  # repeated header row
            merged[-1] = replace(prev, rows=prev.rows + rows, pages=prev.page_span() + b.page_span())
        else:
            merged.append(b)
    return merged

"""Plain text and Markdown papers, as councils' converters leave them.

Handles blank-line paragraphs, hard-wrapped lines, `- 1.1**`-style numbering artefacts,
`**bold**` and `<u>` markup, Markdown headings and pipe tables, tab-separated tables,
bullets and lettered items.
"""
from __future__ import annotations

import re

from ingest.detect import decode_text
from ingest.model import Block, Reading
from ingest.settings import Settings

# "1.1", "2.5.3", "16", "16." and converter artefacts "- 1.1**", "1.1**": a printed paragraph number
_NUMBERED = re.compile(r"^(?:[-*•]\s+)?(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:\*\*)?\s+(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?:[-*•]\s+)?(?P<num>\(?[a-z]{1,3}\)|[a-z]\.|\(?[ivx]{1,4}\))\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^\s*[-*•●▪◦·o]\s+(?P<rest>\S.*)$")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<rest>.+?)\s*#*\s*$")
_PRIORITY_HEADING = re.compile(r"^(?:Priority|Theme|Objective|Outcome|Section|Part)\s+\d+\b", re.I)
_MARKUP = re.compile(r"\*\*|__|</?(?:u|b|i|strong|em)>", re.I)
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_TERMINAL = re.compile(r"[.!?;,]\s*$")


def clean_inline(text: str) -> str:
    text = _MARKUP.sub("", text)
    text = text.replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def _is_heading_text(text: str, next_text: str | None) -> bool:
    """A short line with no closing punctuation that titles what follows."""
    words = text.split()
    if not words or len(words) > 14 or _TERMINAL.search(text) or len(text) > 110:
        return False
    if _PRIORITY_HEADING.match(text):
        return True
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "'\"‘“("):
        return False
    if next_text is None:
        return False
    # a heading is followed by a paragraph or a list, not by a sentence continuing in lower case
    return not next_text[:1].islower()


def _table_block(lines: list[str]) -> Block:
    if lines[0].lstrip().startswith("|"):
        rows = [tuple(clean_inline(c) for c in ln.strip().strip("|").split("|"))
                for ln in lines if not _MD_RULE.match(ln)]
    else:
        rows = [tuple(clean_inline(c) for c in ln.split("\t")) for ln in lines]
    width = max(len(r) for r in rows)
    # drop columns empty in every row (converters pad rows with tabs)
    keep = [i for i in range(width) if any(i < len(r) and r[i] for r in rows)]
    norm = tuple(tuple(r[i] if i < len(r) else "" for i in keep) for r in rows)
    return Block("table", "", rows=norm)


def _is_table_line(line: str) -> bool:
    return "\t" in line.strip("\t ") or (line.lstrip().startswith("|") and line.rstrip().endswith("|"))


def _chunks(text: str) -> list[list[str]]:
    """Blank-line separated chunks; a run of table lines is its own chunk."""
    chunks: list[list[str]] = []
    cur: list[str] = []
    cur_table = False
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if not line.strip():
            if cur:
                chunks.append(cur)
            cur, cur_table = [], False
            continue
        is_table = _is_table_line(line)
        if cur and is_table != cur_table:
            chunks.append(cur)
            cur = []
        cur.append(line)
        cur_table = is_table
    if cur:
        chunks.append(cur)
    return chunks


def _line_blocks(lines: list[str]) -> list[tuple[str, str, str | None]]:
    """Split one chunk into (kind, text, number) units: items and numbered lines start new units."""
    units: list[tuple[str, str, str | None]] = []
    for raw in lines:
        line = raw.strip()
        m_num, m_let, m_bul = _NUMBERED.match(line), _LETTERED.match(line), _BULLET.match(line)
        if m_num:
            units.append(("numbered", m_num["rest"], m_num["num"]))
        elif m_let:
            units.append(("item", m_let["rest"], m_let["num"]))
        elif m_bul:
            units.append(("item", m_bul["rest"], None))
        elif units:
            kind, text, num = units[-1]
            units[-1] = (kind, text + " " + line, num)  # a wrapped line of the same unit
        else:
            units.append(("plain", line, None))
    return units


def read_text(data: bytes, source: str, settings: Settings) -> Reading:
    return Reading(tuple(text_blocks(decode_text(data))), 0, None)


def text_blocks(text: str) -> list[Block]:
    units: list[tuple[str, str, str | None] | Block] = []
    for chunk in _chunks(text):
        if _is_table_line(chunk[0]) and len(chunk) >= 1 and all(_is_table_line(x) for x in chunk):
            units.append(_table_block(chunk))
            continue
        md = _MD_HEADING.match(chunk[0].strip())
        if md:
            units.append(Block("heading", clean_inline(md["rest"]), level=len(md["hashes"])))
            chunk = chunk[1:]
        units.extend(_line_blocks(chunk))
    blocks: list[Block] = []
    for i, u in enumerate(units):
        if isinstance(u, Block):
            blocks.append(u)
            continue
        kind, raw, num = u
        text_ = clean_inline(raw)
        if not text_:
            continue
        nxt = next((x for x in units[i + 1:] if not isinstance(x, Block)), None)
        next_text = clean_inline(nxt[1]) if nxt else None
        if kind == "item":
            blocks.append(Block("item", text_, number=num))
        elif kind == "numbered" and num and "." not in num and _is_heading_text(text_, next_text):
            blocks.append(Block("heading", f"{num} {text_}", level=1))
        elif kind == "plain" and _is_heading_text(text_, next_text) and (nxt is None or nxt[0] != "item"
                                                                           or not text_.endswith(":")):
            level = 2 if _PRIORITY_HEADING.match(text_) else 1
            blocks.append(Block("heading", text_, level=level))
        else:
            blocks.append(Block("paragraph", text_, number=num))
    return blocks

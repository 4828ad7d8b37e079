"""Section roles on excerpts: papers cut as a reader meets them on another council's site, for bench_sections.py.

An excerpt of a report often starts mid-document (no heading above its first paragraphs); a paragraph's role
must then come from its own words and vector. This module cuts every development paper into windows of about
WINDOW characters of its text as extracted (the text files as they are; a PDF's text as pdfplumber reads it,
pages joined by a blank line, as corpus/more was made), each starting at a paragraph, and parses each window
as a paper of its own (with its paper's title, as a manifest gives it). Two presentations: `natural` (the
window as cut: headings inside it stay) and `headless` (every heading line removed).

What a paragraph's role is (`truth`): the hand-judged role where tests/nlp/eval/section_roles_gold.jsonl has
one; else, by distant supervision, the role the rules give it in the whole paper when a heading or label of
the whole paper names it, or the body role when it stands under a heading that names no role (a report's
topical heading). Paragraphs with neither are not scored. A paragraph is scored on the passage of the window's
parse that holds its opening words (as a reader's gold paragraph is looked up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.sections import BODY_ROLE, RoleFound, layout, passage_roles

WINDOW = 2000  # characters of an excerpt, as the sealed set's papers are cut (about 2,000)
MAX_WINDOWS = 10  # a long paper gives at most this many, spread over it, so that no paper outweighs a council
_ANCHOR_WORDS = 7
# an appendix's body is judged by what it says, not where it stands: a heading's `appendix` role is taken
# as a passage's role only for the short entries of a list of appendices or background papers
APPENDIX_ENTRY = 400


@dataclass(frozen=True)
class Paper:
    stem: str
    council: str
    doc: Document  # the whole paper as ingest reads its original
    raw: str  # its text as extracted (hard-wrapped lines, page furniture)
    truth: dict[int, str]  # passage index -> role (judged, else distant)
    judged: frozenset[int]


@dataclass(frozen=True)
class Excerpt:
    paper: str
    council: str
    variant: str  # natural | headless
    doc: Document  # the window parsed as a paper of its own
    found: tuple[RoleFound, ...]  # the rules' roles of its passages
    scored: tuple[tuple[int, str, bool], ...]  # (passage of the window, role it should have, hand-judged)


def raw_text(path: Path) -> str:
    """A paper's text as extracted: a text file's body after its header block; a PDF's pages by pdfplumber."""
    if path.suffix.lower() != ".pdf":
        return path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n\n".join(page.extract_text() or "" for page in pdf.pages)


def truth_of(doc: Document, judged: dict[int, str]) -> dict[int, str]:
    """Passage index -> role: judged, else a heading's or label's role in the whole paper, else the body
    role under a topical heading (an appendix's own body is not scored: APPENDIX_ENTRY)."""
    kind = layout(doc)
    out = {}
    for p, found in zip(doc.passages, passage_roles(doc), strict=True):
        if p.index in judged:
            out[p.index] = judged[p.index]
        elif found.source in ("heading", "label") and (
            found.role != "appendix" or len(p.text) <= APPENDIX_ENTRY
        ):
            out[p.index] = found.role
        elif found.source == "layout" and p.heading_path:
            out[p.index] = BODY_ROLE[kind]
    return out


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _anchor(raw: str, text: str, start: int) -> int | None:
    """Where a passage's opening words stand in the raw text (at or after `start`), at the start of its line."""
    words = re.findall(r"\w+", text)[:_ANCHOR_WORDS]
    if len(words) < 3:
        return None
    m = re.compile(r"\W+".join(map(re.escape, words))).search(raw, start)
    return None if m is None else raw.rfind("\n", 0, m.start()) + 1


def windows(paper: Paper) -> list[tuple[int, int]]:
    """(start, end) of the excerpts of the raw text: each starts at a scored paragraph's line and runs to
    the first paragraph opening past WINDOW characters (or WINDOW * 1.5 at a line end)."""
    anchors, at = [], 0
    for p in paper.doc.passages:
        pos = _anchor(paper.raw, p.text, at)
        if pos is not None:
            anchors.append((pos, p.index))
            at = pos + 1
    starts = [pos for pos, _ in anchors]
    out, begin = [], 0
    for pos, index in anchors:
        if pos < begin or index not in paper.truth:
            continue
        end = next((s for s in starts if s > pos + WINDOW), len(paper.raw))
        if end > pos + WINDOW * 1.5:
            end = paper.raw.rfind("\n", pos, int(pos + WINDOW * 1.5)) + 1 or end
        out.append((pos, end))
        begin = end
    step = max(1, -(-len(out) // MAX_WINDOWS))
    return out[::step]


def _headings(doc: Document) -> set[str]:
    return {_key(h) for p in doc.passages for h in p.heading_path if len(h) < 150}


def strip_headings(text: str, headings: set[str]) -> str:
    """The text without the lines that are the paper's headings."""
    return "\n".join(
        ln for ln in text.split("\n") if not (ln.strip() and len(ln) < 150 and _key(ln) in headings)
    )


def excerpts_of(paper: Paper, tmp: Path, settings: Settings) -> list[Excerpt]:
    out = []
    headings = _headings(paper.doc)
    title = paper.doc.title or ""
    for n, (start, end) in enumerate(windows(paper)):
        cut = paper.raw[start:end]
        for variant, text in (("natural", cut), ("headless", strip_headings(cut, headings))):
            path = tmp / f"{paper.stem}.{n}.{variant}.txt"
            path.write_text(text, encoding="utf-8")
            doc = parse_file(path, settings, (("title", title), ("council", paper.council)))
            out.append(
                Excerpt(
                    paper.stem,
                    paper.council,
                    variant,
                    doc,
                    passage_roles(doc),
                    tuple(_scored(paper, doc, text)),
                )
            )
    return out


def _scored(paper: Paper, doc: Document, text: str) -> list[tuple[int, str, bool]]:
    """The paragraphs of the whole paper that this window holds, each with the window passage holding it."""
    keys = [_key(p.text) for p in doc.passages]
    window = _key(text)
    out = []
    for index, role in paper.truth.items():
        opening = _key(paper.doc.passages[index].text)[:40]
        if len(opening) < 12 or opening not in window:
            continue
        held = next((i for i, k in enumerate(keys) if opening in k), None)
        if held is not None:
            out.append((held, role, index in paper.judged))
    return out

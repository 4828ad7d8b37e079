"""Names printed as headings: the heading a passage sits under is read by the name rules too ("Sanctuary
Scheme", "Safer Nights Out Project"), and a heading the passage under it calls "the scheme", "this project"
or "the campaign" is that scheme's name ("Safer Nights Out" / "The scheme provides trained volunteers ...").
Headings are not in any passage's text: their mentions are placed before the first passage under them
(negative offsets from its start, which nlp/evidence.py reads from the document text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from ingest.model import Document
from nlp.names_free import _proper
from nlp.rules import fired

if TYPE_CHECKING:
    from spacy.language import Language

# the first words of a passage that refer back to a scheme named in its heading
_ANAPHOR = re.compile(
    r"^(?:The|This)\s+(?:[a-z-]+\s+){0,2}?(?:scheme|project|programme|program|initiative|"
    r"campaign|service|pilot|operation|intervention|partnership\s+project)\b"
)
MAX_HEADING_WORDS = 8
_CONTENTS = re.compile(r"\.{4,}|…|\s\d{1,3}$")  # a table of contents' line: "WPL Project Team ......... 33"
# a section heading's generic head: "Regulatory Framework", "Delivery Model" title a section, not a scheme
_SECTION_HEADS = frozenset({"framework", "model", "levy"})


@dataclass(frozen=True)
class Heading:
    passage: int  # the first passage under the heading
    offset: int  # where the heading starts, from that passage's start (negative)
    doc: Doc  # the heading as the pipeline reads it
    refers_back: bool  # the passage calls it "the scheme", "this project"


def headings(document: Document, nlp: Language) -> list[Heading]:
    """Each heading printed in the paper, once, with the first passage under it."""
    found: list[tuple[int, int, str, bool]] = []
    seen: set[int] = set()
    prev_end = 0
    for p in document.passages:
        if p.heading_path:
            h = p.heading_path[-1]
            at = document.text.rfind(h, prev_end, p.start)
            if at >= 0 and at not in seen and len(h.split()) <= MAX_HEADING_WORDS and not _CONTENTS.search(h):
                seen.add(at)
                found.append((p.index, at - p.start, h, bool(_ANAPHOR.match(p.text))))
        prev_end = max(prev_end, p.end)
    docs = list(nlp.pipe(h for _, _, h, _ in found))
    return [Heading(pi, off, doc, back) for (pi, off, _, back), doc in zip(found, docs, strict=True)]


def heading_names(h: Heading) -> list[Span]:
    """The names the rules found in a heading (not a section's generic "X Framework" or a name run on through
    "of the"), or the whole heading when the passage under it calls it "the scheme"."""
    spans = [
        s
        for s in h.doc.spans.get("names", [])
        if h.refers_back
        or not (s.label_ == "operation" and (s[-1].lower_ in _SECTION_HEADS or " of the " in s.text.lower()))
    ]
    if not spans and named_heading(h):
        text = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", h.doc.text).strip()
        start = h.doc.text.index(text)
        span = h.doc.char_span(start, start + len(text), label="operation", alignment_mode="contract")
        spans = [Span(h.doc, span.start, span.end, label="operation")] if span is not None else []
    return spans


def named_heading(h: Heading) -> bool:
    """A heading that is a scheme's name because the passage under it refers back to it."""
    text = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", h.doc.text).strip()
    if not h.refers_back or not text or len(text.split()) > 6:
        return False
    start = h.doc.text.index(text)
    span = h.doc.char_span(start, start + len(text), alignment_mode="contract")
    return (
        isinstance(span, Span)
        and len(span) > 0
        and _proper(span)
        and all(t.text[:1].isupper() or t.lower_ in ("and", "of", "for", "in", "&", "the", "a") for t in span)
        and fired("operations: a heading the passage calls the scheme")
    )

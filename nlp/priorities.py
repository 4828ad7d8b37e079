"""The strategic priorities a paper states, each with its themes (nlp/themes.py).

Three shapes, as councils write them:
- a list after a lead-in naming priorities ("The priorities are:", "The priority areas for 2020/21 are:",
  "the following areas as key priorities:"), or under a heading "Our priorities";
- "Priority N - text" headings (or a paragraph opening with one);
- an inline list after a colon ("It has three priorities: a, b and c.") or cross-cutting themes
  ("cross cutting themes of a, b and c").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingest.model import Document, Passage
from nlp.evidence import evidence_for
from nlp.model import Evidence, Priority
from nlp.themes import themes_for

if TYPE_CHECKING:
    from spacy.tokens import Doc

_LEAD_IN = re.compile(r"\bpriorit(?:y|ies)\b[^:]{0,160}:\s*$", re.I)
_HEADING = re.compile(r"\b(?:our|key|strategic|partnership|the|agreed|community safety)\s+priorit(?:y|ies)\b|"
                      r"^priorit(?:y|ies)(?:\s+areas)?\s*(?:for\s+\S+)?$", re.I)
# lead-ins about progress against priorities, not stating them
_NOT_LEAD_IN = re.compile(r"\b(?:against|each priority|progress|update on|summary of|delivery of|achieve)\b", re.I)
_NUMBERED = re.compile(r"^\s*(?:strategic\s+)?priority\s*(?:\d{1,2}|one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|[a-h])\s*[-–—:.)]\s*(?P<text>\S.{2,300}?)\s*$", re.I)
_INLINE = re.compile(r"\b(?:priorit(?:y|ies)(?!\s*\d)(?:\s+areas?)?\b[^.:;\n]{0,120}:|"
                     r"cross[- ]cutting (?:themes?|priorities)\s*(?:of|are|include|:)\s*:?)"
                     r"[ \t]*(?P<items>[^.\n:]{3,400})", re.I)
_ITEM_PREFIX = re.compile(r"^(?:[-*•]\s*)?(?:\(?\d{1,2}[.)]|\(?[a-h]\)|[ivx]{1,4}\))?\s*(?:priority\s*\d{1,2}\s*[-–:.]\s*)?",
                          re.I)
_MAX_ITEM_WORDS = 45
# "Priority" in a proper name ("the Devolution Priority Programme") states no priorities
_PROPER = re.compile(r"\bPriority\s+[A-Z][a-z]+")


def _clean(item: str) -> str:
    text = _ITEM_PREFIX.sub("", item.strip())
    text = re.sub(r"\*\*|__", "", text)
    return re.sub(r"(?:[;,]|\s+and|\s+or)\s*$", "", text).strip()


def _list_items(p: Passage) -> Iterator[tuple[str, int]]:
    """The list items of a "list" passage as (text, offset in the passage), if its lead-in names priorities."""
    lead, _, _ = ("\n" + p.text).partition("\n- ")
    lead_in = _PROPER.sub("", re.split(r"(?<=[.!?])\s+", lead.strip())[-1])
    if not lead_in and p.heading_path:  # the lead-in is the heading: "Our priorities", "The priorities are:"
        lead_in = _PROPER.sub("", p.heading_path[-1])
    stated = bool(_LEAD_IN.search(lead_in) or _HEADING.search(lead_in)) and not _NOT_LEAD_IN.search(lead_in)
    if not stated:
        return
    offset = 0
    for line in p.text.split("\n"):
        if line.startswith("- "):
            text = _clean(line[2:])
            if text and len(text.split()) <= _MAX_ITEM_WORDS:
                yield text, offset + line.index(text[:10])
        offset += len(line) + 1


def _inline_items(p: Passage) -> Iterator[tuple[str, int]]:
    """ "It has three priorities: a, b and c." -> a, b, c (at least two short items)."""
    for m in _INLINE.finditer(p.text):
        items_text = m.group("items")
        parts = [x for x in re.split(r"\s*;\s*|,\s+(?:and\s+)?", items_text) if x.strip()]
        if parts and " and " in parts[-1]:
            parts[-1:] = parts[-1].rsplit(" and ", 1)
        parts = [_clean(x) for x in parts]
        if len(parts) < 2 or any(not x or len(x.split()) > 12 for x in parts):
            continue
        for x in parts:
            yield x, m.start("items") + items_text.find(x)


def _heading_evidence(document: Document, p: Passage, heading: str) -> tuple[Evidence, ...]:
    start = document.text.rfind(heading, 0, p.start + 1)
    if start < 0:
        return ()
    return (Evidence(passage=p.index, page=p.page, paragraph=None, start=start, end=start + len(heading),
                     text=heading),)


def _numbered(document: Document) -> Iterator[tuple[str, tuple[Evidence, ...]]]:
    """ "Priority 1 – The threat of radical extremism" as a heading or at the start of a paragraph."""
    seen: set[str] = set()
    for p in document.passages:
        for heading in p.heading_path:
            if heading not in seen and (m := _NUMBERED.match(heading)):
                seen.add(heading)
                yield _clean(m.group("text")), _heading_evidence(document, p, heading)
        first = re.split(r"(?<=[.!?])\s+|\n", p.text, maxsplit=1)[0]
        if p.kind != "table" and (m := _NUMBERED.match(first)):
            yield _clean(m.group("text")), (evidence_for(document, p.index, m.start("text"), m.end("text")),)


def collect_priorities(document: Document, docs: list[Doc] | None = None) -> tuple[Priority, ...]:
    """Every priority the paper states, once each, in reading order. `docs` are unused: rules read passages."""
    found: list[tuple[str, tuple[Evidence, ...]]] = list(_numbered(document))
    for p in document.passages:
        if p.kind == "table":
            continue
        items = list(_list_items(p)) if p.kind == "list" else []
        items += list(_inline_items(p))
        found += [(text, (evidence_for(document, p.index, off, off + len(text)),)) for text, off in items]
    out: dict[str, Priority] = {}
    for text, evidence in found:
        key = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
        if key and key not in out:
            out[key] = Priority(text=text, themes=themes_for(text), evidence=evidence)
    return tuple(sorted(out.values(), key=lambda pr: pr.evidence[0].start if pr.evidence else 0))

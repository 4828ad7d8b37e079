"""The strategic priorities a paper states, each with its themes (nlp/themes.py).

The shapes councils write them in (from ../shared/eval/GUIDELINES.md and the layouts of English, Welsh,
Scottish and Northern Irish committee papers):
- a list after a lead-in naming priorities, aims, objectives, key themes, strategic or priority areas,
  priority groups ("The priorities are:", "The partnership's strategic objectives for 2024-27 are:"), or
  under a heading of that kind ("Our priorities");
- the same lead-in followed by short paragraphs, one priority each ("priorities spread over paragraphs");
- "Priority N - text" headings (or a paragraph opening with one; "Objective 2:", "Strategic Priority 3");
- tables with a priorities column, or rows headed "Priority N";
- an inline list ("It has three priorities: a, b and c.", "priorities including a") or cross-cutting themes.
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

# words that introduce priorities: "priorities", "priority areas/groups", "(key|strategic|our...) aims/objectives/
# themes/ambitions/outcomes/areas of focus"
_NAMES = (r"(?:priorit(?:y|ies)(?:\s+(?:areas?|groups?|themes?|outcomes?|actions?))?|"
          r"(?:strategic|key|overarching|core|shared|partnership|partnership's|our|"
          r"(?:two|three|four|five|six|seven|eight|nine|ten))\s+(?:strategic\s+)?"
          r"(?:aims?|objectives?|themes?|ambitions?|outcomes?|goals?|areas?(?:\s+of\s+(?:focus|work))?|"
          r"focus(?:\s+areas)?|strands?|commitments?|pillars?)|areas?\s+of\s+focus|focus\s+areas?)")
_STATED = re.compile(rf"\b{_NAMES}\b", re.I)
# lead-ins about progress against priorities, or lists that are not the body's priorities
_NOT_LEAD_IN = re.compile(r"\b(?:against|each priority|progress|update on|summary of|delivery of|achieve|"
                          r"of (?:this|the) report|purpose|recommendations?|questions?|consultation|risks?|"
                          r"options?|criteria|asked to)\b", re.I)
_HEADING = re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:our|key|strategic|partnership|the|agreed|"
                      rf"community safety|current|shared|local)\s+)*{_NAMES}(?:\s+(?:for|of|in)\s+.{{0,40}})?$",
                      re.I)
# a lead-in that runs into its list without a colon: "The partnership's priorities for 2024/25 are"
_OPEN_END = re.compile(r"\b(?:are|were|will\s+be|include|includes|as\s+follows|the\s+following)\s*[.:;,-]?\s*$", re.I)
_NUMBERED = re.compile(r"^\s*(?:strategic\s+|key\s+)?(?:priority|objective|aim|ambition|theme)(?:\s+area)?\s*"
                       r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|[a-h])\b\s*"
                       r"(?:[-–—:.)]\s*(?P<text>\S.{2,300}?))?\s*$", re.I)
_INLINE = re.compile(r"\b(?:priorit(?:y|ies)(?!\s*\d)(?:\s+areas?)?\b(?:[^.:;\n]{0,80}?:|"
                     r"(?<=ies|eas)(?:\s+(?:for|of|going)\s+(?:(?!\bto\b)[^.:;\n]){0,40}?)?\s+(?:are|include|including|namely)\s+"
                     r"(?!(?:set|listed|shown|detailed|outlined|regarded|being|as|to|not|also|in|at|on|that|"
                     r"reflected|aligned|identified|agreed|based)\b))|"
                     r"cross[- ]cutting (?:themes?|priorities)\s*(?:of|are|include|:)\s*:?)"
                     r"[ \t]*(?P<items>[^.\n:]{3,400})", re.I)
_ITEM_PREFIX = re.compile(r"^(?:[-*•]\s*)?(?:\(?\d{1,2}[.)]|\(?[a-h]\)|[ivx]{1,4}\))?\s*(?:priority\s*\d{1,2}\s*[-–:.]\s*)?",
                          re.I)
_MAX_ITEM_WORDS = 45
_MAX_PARAGRAPH_ITEMS = 10
# "Priority" in a proper name ("the Devolution Priority Programme") states no priorities
_PROPER = re.compile(r"\bPriority\s+[A-Z][a-z]+")
# an item that is a sentence about the paper, not a priority
_NOT_ITEM = re.compile(r"^(?:members|the committee|cabinet|it is recommended|this report|see |note\b|appendix)",
                       re.I)


def _clean(item: str) -> str:
    text = _ITEM_PREFIX.sub("", item.strip())
    text = re.sub(r"\*\*|__", "", text)
    return re.sub(r"(?:[;,]|\s+and|\s+or)\s*$", "", text).strip()


def _last_sentence(text: str) -> str:
    return _PROPER.sub("", re.split(r"(?<=[.!?])\s+", text.strip())[-1]) if text.strip() else ""


def names_priorities(lead_in: str) -> bool:
    """True when a lead-in sentence or heading introduces the body's priorities."""
    return bool(_STATED.search(lead_in)) and not _NOT_LEAD_IN.search(lead_in)


def _introduces(lead_in: str, heading: str) -> bool:
    """A list's lead-in ends with a colon (or is a heading) and names priorities."""
    if not lead_in:
        heading = _PROPER.sub("", heading).strip()
        return (heading.endswith(":") or bool(_OPEN_END.search(heading) or _HEADING.match(heading.strip(" :")))
                ) and names_priorities(heading)
    ends = lead_in.rstrip().endswith(":") or bool(_OPEN_END.search(lead_in))
    return ends and names_priorities(lead_in)


def _list_items(p: Passage) -> Iterator[tuple[str, int]]:
    """The list items of a "list" passage as (text, offset in the passage), if its lead-in names priorities."""
    lead, _, _ = ("\n" + p.text).partition("\n- ")
    if not _introduces(_last_sentence(lead), p.heading_path[-1] if p.heading_path else ""):
        return
    offset = 0
    for line in p.text.split("\n"):
        if line.startswith("- "):
            text = _clean(line[2:])
            if text and len(text.split()) <= _MAX_ITEM_WORDS and not _NOT_ITEM.match(text):
                yield text, offset + line.index(text[:10])
        offset += len(line) + 1


def _short_form(text: str) -> str:
    """A paragraph's priority: its title before a colon or dash ("Preparing for adulthood: Working ..."),
    else its first sentence."""
    m = re.match(r"^(.{3,120}?)(?::|\s[-–—]\s)\s*\S", text)
    if m and 1 <= len(m.group(1).split()) <= 14:
        return m.group(1).strip()
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def _paragraph_items(document: Document, i: int) -> Iterator[tuple[int, str]]:
    """Priorities spread over the short paragraphs after a lead-in ending with a colon."""
    p = document.passages[i]
    if p.kind != "paragraph" or not p.text.rstrip().endswith(":") or not names_priorities(_last_sentence(p.text)):
        return
    for q in document.passages[i + 1:i + 1 + _MAX_PARAGRAPH_ITEMS]:
        if q.kind != "paragraph" or q.heading_path != p.heading_path:
            return
        text = _short_form(q.text)
        if len(text.split()) > _MAX_ITEM_WORDS or _NOT_ITEM.match(text):
            return
        yield q.index, _clean(text)


def _inline_items(p: Passage) -> Iterator[tuple[str, int]]:
    """ "It has three priorities: a, b and c." -> a, b, c; "priorities including a" -> a."""
    for m in _INLINE.finditer(_PROPER.sub(lambda x: "#" * len(x.group(0)), p.text)):
        items_text = p.text[m.start("items"):m.end("items")]
        if _NOT_LEAD_IN.search(p.text[m.start():m.start("items")]):
            continue
        parts = [x for x in re.split(r"\s*;\s*|,\s+(?:and\s+)?", items_text) if x.strip()]
        if parts and " and " in parts[-1] and len(parts) > 1:
            parts[-1:] = parts[-1].rsplit(" and ", 1)
        parts = [_clean(x) for x in parts]
        intro = p.text[m.start():m.start("items")].rstrip()
        single = len(parts) == 1 and (intro.endswith(":") or intro.endswith("including"))
        if not (len(parts) >= 2 or (single and 3 <= len(parts[0].split()) <= 25)):
            continue
        if len(parts) >= 2 and any(not x or len(x.split()) > 12 for x in parts):
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
    """ "Priority 1 – The threat of radical extremism" as a heading or at the start of a paragraph;
    a bare "Priority 1" heading takes the first sentence under it."""
    seen: set[str] = set()
    for p in document.passages:
        for heading in p.heading_path:
            if heading in seen or not (m := _NUMBERED.match(heading)):
                continue
            seen.add(heading)
            if m.group("text"):
                yield _clean(m.group("text")), _heading_evidence(document, p, heading)
            elif p.kind == "paragraph" and heading == p.heading_path[-1]:
                text = _short_form(p.text)
                if len(text.split()) <= _MAX_ITEM_WORDS:
                    yield _clean(text), (evidence_for(document, p.index, 0, len(text)),)
        first = re.split(r"(?<=[.!?])\s+|\n", p.text, maxsplit=1)[0]
        if p.kind != "table" and (m := _NUMBERED.match(first)) and m.group("text"):
            yield _clean(m.group("text")), (evidence_for(document, p.index, m.start("text"), m.end("text")),)


_COLUMN = re.compile(rf"^(?:{_NAMES}|priority|priorities|objectives?|aims?|themes?)$", re.I)


def _table_items(document: Document) -> Iterator[tuple[str, tuple[Evidence, ...]]]:
    """Cells of a table's priorities column, or the cell after a "Priority N" cell."""
    for t in document.tables:
        p = document.passages[t.passage_index]
        cells: list[str] = []
        if t.rows:
            cols = [k for k, c in enumerate(t.rows[0]) if _COLUMN.match(c.strip(" :*"))]
            if cols:
                cells += [r[cols[0]] for r in t.rows[1:] if cols[0] < len(r)]
        for r in t.rows:
            for k, c in enumerate(r[:-1]):
                if (m := _NUMBERED.match(c.strip())) and not m.group("text") and r[k + 1].strip():
                    cells.append(r[k + 1])
        for c in cells:
            text = _clean(c)
            if not re.search(r"[A-Za-z]{3}", text) or len(text.split()) > _MAX_ITEM_WORDS:
                continue
            off = p.text.find(text)
            yield text, ((evidence_for(document, p.index, off, off + len(text)),) if off >= 0 else ())


def _same(a: str, b: str) -> bool:
    """One priority written twice ("promoting the council's status ..." in the summary and in the body)."""
    wa, wb = set(a.split()), set(b.split())
    return a == b or (min(len(wa), len(wb)) >= 4 and len(wa & wb) >= 0.8 * min(len(wa), len(wb)))


def collect_priorities(document: Document, docs: list[Doc] | None = None) -> tuple[Priority, ...]:
    """Every priority the paper states, once each, in reading order. `docs` are unused: rules read passages."""
    found: list[tuple[str, tuple[Evidence, ...]]] = list(_numbered(document))
    found += list(_table_items(document))
    for p in document.passages:
        if p.kind == "table":
            continue
        items = list(_list_items(p)) if p.kind == "list" else []
        items += list(_inline_items(p))
        found += [(text, (evidence_for(document, p.index, off, off + len(text)),)) for text, off in items]
        for q, text in _paragraph_items(document, p.index):
            off = max(document.passages[q].text.find(text), 0)
            found.append((text, (evidence_for(document, q, off, off + len(text)),)))
    out: dict[str, Priority] = {}
    for text, evidence in found:
        key = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
        if key and not any(_same(key, k) for k in out):
            out[key] = Priority(text=text, themes=themes_for(text), evidence=evidence)
    return tuple(sorted(out.values(), key=lambda pr: pr.evidence[0].start if pr.evidence else 0))

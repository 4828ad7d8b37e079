"""Decisions: what a meeting resolved on each item, from minutes, decision notices and decision pages.

The passages that `nlp.sections` gives the role `resolution` are grouped by the item they decide
(the agenda-item heading of minutes, the "Subject:" of a decision-notice block, the page itself for
a ModernGov decision page); the record of each item is read by `nlp.resolutions` into one decision
per resolution, each with its own outcome (nlp/data/decision_outcomes.jsonl), the words recording
it, the item's title, its decision number where the paper prints one ("Decision 24/00093") and the
passages that record it. A report records no decision of its own: what it proposes is a
recommendation, and what it says of earlier decisions is background.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.dates import MONTH_PREFIX_PATTERN
from ingest.model import Document, Passage
from nlp.model import Decision
from nlp.resolutions import _VERB_FIRST, OUTCOMES, outcome_of, resolutions
from nlp.sections import heading_role, layout

__all__ = ("OUTCOMES", "REFERENCE", "collect_decisions", "document_reference", "outcome_of")

# "Decision no: 24/00093", "Decision Number: 24/00115", "Key decision 2024/123", "Decision Ref. ED 12/2024"
REFERENCE = re.compile(
    r"\bdecision\s*(?:no\.?|number|ref(?:erence)?\.?)?\s*:?\s*((?:[A-Z]{1,4}\s?)?\d{2,4}/\d{2,5})\b", re.I
)
_REFERENCE_FIELD = re.compile(
    r"\bdecision\s*(?:no\.?|number|ref(?:erence)?\.?)\s*:\s*((?:[A-Z]{1,4}\s?)?\d{2,4}/\d{2,5})\b", re.I
)
_SUBJECT = re.compile(
    r"\bsubject:\s*\|?\s*([^|\n]{4,160}?)\s*(?:\(agenda item (\d+[a-z]?)\))?\s*(?:\||\n|$)", re.I
)
# "8 Supported Bus Services", "Item 6 Roads Capital Programme", "Minute 23/24 Budget Monitoring" (minute 23 of
# the 2024 series), "Agenda Item 5: Petitions", "Min. No. 41 Fees and Charges"
_ITEM_NUMBER = re.compile(
    r"^\s*(?:(?:agenda\s+)?item|minute|min\.?)?\s*(?:no\.?\s*)?(\d+[a-z]?(?:/\d{2,4})?)[.):]?\s+(?=\S)", re.I
)
_ITEM_GAP = 5  # agenda items go up one at a time; a larger jump is a statement or question number
# a date or time printed as a heading ("15 May 2025 at 4.30 pm"), not an item
_DATE_HEADING = re.compile(
    rf"^\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PREFIX_PATTERN}\b|^\d{{1,2}}[.:]\d\d\b", re.I
)
# "(Agenda item 4)" or "Agenda Item 4" alone on a line, above the item's title
_AGENDA_MARK = re.compile(r"\(?\s*agenda\s+item\s*(?:no\.?\s*)?(\d+[a-z]?)\s*\)?", re.I)
_DECISION_TAKEN = re.compile(r"\bdecisions? (?:taken|made)\b\s*:?\s*\|?", re.I)
_STATUS = re.compile(r"\bdecision status\s*:?\s*([^\n|]{3,80})", re.I)
_FORM_FIELD = re.compile(r"\(\s*[e-h]\s*\)\s*\|?\s*(?:exempt|decision made|additional|reason)", re.I)
# an unnumbered heading that can title an item: words, not a mark, a label or a question number
_TITLE_LIKE = re.compile(r"^[A-Z][\w'’&,/()–-]*(?: [\w'’&,/()–-]+){1,15}$")

Item = tuple[str | None, str | None]  # (title, number as printed)
# an item, the span of Document.text it takes, and the spans in it that record what was decided
_Group = tuple[Item, tuple[int, int], list[tuple[int, int]]]


def document_reference(document: Document) -> str | None:
    """The decision number a paper's cover prints as a field (Kent's "Decision no: 24/00109")."""
    m = _REFERENCE_FIELD.search(document.text[:3000])
    return m.group(1) if m else None


def collect_decisions(document: Document, roles: Sequence[str | None]) -> tuple[Decision, ...]:
    """One decision for each resolution the paper records, in the paper's order (none for a report)."""
    if layout(document) == "report":
        return ()
    blocks = _notice_blocks(document)
    groups = (
        _by_block(document, blocks) if blocks else _by_item(document, roles, layout(document) == "minutes")
    )
    fallback = document_reference(document)
    title = document.title or document.given_dict().get("title")
    out = []
    for (item, number), (lo, hi), spans in groups:
        ref = REFERENCE.search("\n".join(document.text[a:b] for a, b in spans))
        for r in resolutions(document.text[lo:hi], [(a - lo, b - lo) for a, b in spans]):
            out.append(
                _decision(
                    document,
                    (item or title, number),
                    lo + r.start,
                    lo + r.end,
                    r.text,
                    r.outcome,
                    ref.group(1) if ref else fallback,
                )
            )
    if not out and layout(document) == "decision":  # a page whose status line a reader took for a heading
        status = _STATUS.search(document.text)
        outcome = outcome_of(status.group(1)) if status else None
        if status and outcome:
            out.append(
                _decision(
                    document,
                    (title, None),
                    status.start(),
                    status.end(),
                    status.group(0).strip(),
                    outcome,
                    fallback,
                )
            )
    return tuple(out)


def _decision(
    document: Document, item: Item, start: int, end: int, words: str, outcome: str, reference: str | None
) -> Decision:
    passages = _citing(document, start, end)
    return Decision(
        item[0],
        item[1],
        outcome,
        words,
        reference,
        tuple(p.index for p in passages),
        passages[0].page if passages else None,
    )


def _citing(document: Document, start: int, end: int) -> list[Passage]:
    """The passages holding the words [start, end); words a reader made a heading are cited at the passage after."""
    found = [p for p in document.passages if p.start < end and p.end > start]
    return found or [p for p in document.passages if p.start >= end][:1]


def _notice_blocks(document: Document) -> list[tuple[int, int, str, str | None]]:
    """A decision notice's forms: (start, end, subject, item number), cut at each "Subject:"."""
    found = list(_SUBJECT.finditer(document.text))
    if len(found) < 1 or not _DECISION_TAKEN.search(document.text):
        return []
    ends = [m.start() for m in found[1:]] + [len(document.text)]
    return [(m.end(), end, m.group(1).strip(), m.group(2)) for m, end in zip(found, ends, strict=True)]


def _by_block(document: Document, blocks: list[tuple[int, int, str, str | None]]) -> list[_Group]:
    groups: list[_Group] = []
    for start, end, subject, number in blocks:
        block = document.text[start:end]
        taken = _DECISION_TAKEN.search(block)
        if not taken:
            continue
        stop = _FORM_FIELD.search(block, taken.end())
        lo, hi = start + taken.end(), start + (stop.start() if stop else len(block))
        groups.append(((subject, number), (lo, hi), [(lo, hi)]))
    return groups


def _by_item(document: Document, roles: Sequence[str | None], minutes: bool) -> list[_Group]:
    """Minutes and decision pages: runs of resolution passages, grouped by the item they sit under
    (a decision page is one item, titled by the paper's title)."""
    groups: list[_Group] = []
    item: Item = (None, None)
    tops = [_tops(document, p) for p in document.passages]
    numbered = not minutes or any(_ITEM_NUMBER.match(t) for ts in tops for t in ts)
    items: list[tuple[Item, list[Passage], list[bool]]] = []
    for p, role, lines in zip(document.passages, roles, tops, strict=True):
        for top in lines:
            item = _item_of(top, item, numbered)
        if not items or items[-1][0] != item:
            items.append((item, [], []))
        items[-1][1].append(p)
        items[-1][2].append(role == "resolution")
    for item, passages, deciding in items:
        if not any(deciding):
            continue
        spans: list[tuple[int, int]] = []
        for n, p in enumerate(passages):
            if deciding[n] and n and deciding[n - 1]:
                spans[-1] = (spans[-1][0], p.end)  # the passage after: one span, headings between included
            elif deciding[n]:
                spans.append((p.start, p.end))
        groups.append((item, (passages[0].start, passages[-1].end), spans))
    return groups


def _tops(document: Document, p: Passage) -> list[str]:
    """The lines that may open an item before a passage: the lines a reader kept out of the passages since the
    one before (item headings that a later heading replaced on the path: "Item 7: Local Transport Plan" then
    "Decision:"; "(Agenda item 4)" above its title), then the top of its heading path."""
    before = max((q.end for q in document.passages if q.end <= p.start), default=0)
    lines = [ln.strip() for ln in document.text[before : p.start].split("\n") if ln.strip()]
    out, number = [], None
    for line in lines:
        m = _AGENDA_MARK.fullmatch(line)
        if m:
            number = m.group(1)
        elif number and _TITLE_LIKE.match(line):
            out.append(f"{number} {line}")
            number = None
        else:
            out.append(line)
    return out + list(p.heading_path[:1])


def _item_of(top: str, current: Item, numbered: bool) -> Item:
    """The agenda item a heading line opens, else the current one.

    A heading that starts with the next item number or two ("8 Supported Bus Services") opens an item;
    other bold lines ("It was APPROVED", "67 Councillor Smith", a public-forum statement's number) stay
    inside the current one. In records whose items are not numbered, a heading worded as a title opens
    one, unless it names a section ("Decision:").
    """
    top = top.strip()
    m = None if _DATE_HEADING.match(top) else _ITEM_NUMBER.match(top)
    if not m:
        if not numbered and _TITLE_LIKE.match(top) and heading_role(top) is None:
            return (top, None)
        return current
    number = int(re.match(r"\d+", m.group(1)).group(0))  # type: ignore[union-attr]
    now = int(re.match(r"\d+", current[1]).group(0)) if current[1] else 0  # type: ignore[union-attr]
    title = top[m.end() :].strip(" :-–")
    restart = number == 1 < now and not _VERB_FIRST.match(title)  # minutes after an agenda's list
    if (
        (not now and current == (None, None))
        or now < number <= now + _ITEM_GAP
        or restart
        or (now == number and current[0] == title)
    ):
        return title, m.group(1)
    return current

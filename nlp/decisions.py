"""Decisions: what a meeting resolved on each item, from minutes, decision notices and decision pages.

The passages that `nlp.sections` gives the role `resolution` are grouped by the item they decide
(the agenda-item heading of minutes, the "Subject:" of a decision-notice block); each group is one
`Decision` with its outcome (nlp/data/decision_outcomes.jsonl), its decision number where the paper
prints one ("Decision 24/00093") and the passages that record it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ingest.model import Document, Passage
from nlp.datafiles import rule_rows
from nlp.model import Decision

DATA = Path(__file__).parent / "data"
Outcome = Literal["approved", "approved_as_amended", "deferred", "rejected", "noted", "referred", "called_in"]
OUTCOMES: tuple[str, ...] = ("approved", "approved_as_amended", "deferred", "rejected", "noted", "referred",
                             "called_in")

# "Decision no: 24/00093", "Decision Number: 24/00115", "Key decision 2024/123", "Decision Ref. ED 12/2024"
REFERENCE = re.compile(r"\bdecision\s*(?:no\.?|number|ref(?:erence)?\.?)?\s*:?\s*((?:[A-Z]{1,4}\s?)?\d{2,4}/\d{2,5})\b", re.I)
_REFERENCE_FIELD = re.compile(r"\bdecision\s*(?:no\.?|number|ref(?:erence)?\.?)\s*:\s*((?:[A-Z]{1,4}\s?)?\d{2,4}/\d{2,5})\b",
                             re.I)
_SUBJECT = re.compile(r"\bsubject:\s*\|?\s*([^|\n]{4,160}?)\s*(?:\(agenda item (\d+[a-z]?)\))?\s*(?:\||\n|$)", re.I)
_ITEM_NUMBER = re.compile(r"^\s*(?:item\s*)?(\d+[a-z]?)[.)]?\s+(?=\S)", re.I)
_ITEM_GAP = 5  # agenda items go up one at a time; a larger jump is a statement or question number
_DECISION_TAKEN = re.compile(r"\bdecisions? (?:taken|made)\b\s*:?\s*\|?", re.I)
_FORM_FIELD = re.compile(r"\(\s*[e-h]\s*\)\s*\|?\s*(?:exempt|decision made|additional|reason)", re.I)


@dataclass(frozen=True)
class OutcomeRule:
    outcome: str
    pattern: re.Pattern[str]
    strip: re.Pattern[str] | None = None  # phrases removed before this rule looks ("the amendment FELL")


@lru_cache(maxsize=1)
def outcome_rules() -> tuple[OutcomeRule, ...]:
    rules = []
    for n, row in rule_rows(DATA / "decision_outcomes.jsonl", "outcome"):
        if row["outcome"] not in OUTCOMES:
            raise ValueError(f"decision_outcomes.jsonl line {n}: unknown outcome {row['outcome']!r}")
        flags = re.I if row.get("ignore_case") else 0
        strip = re.compile(row["strip"], flags) if row.get("strip") else None
        rules.append(OutcomeRule(row["outcome"], re.compile(row["pattern"], flags), strip))
    return tuple(rules)


def outcome_of(text: str) -> str | None:
    """The outcome a resolution's words record, or None when they record none."""
    for rule in outcome_rules():
        seen = rule.strip.sub(" ", text) if rule.strip else text
        if rule.pattern.search(seen):
            return rule.outcome
    return None


def document_reference(document: Document) -> str | None:
    """The decision number a paper's cover prints as a field (Kent's "Decision no: 24/00109")."""
    m = _REFERENCE_FIELD.search(document.text[:3000])
    return m.group(1) if m else None


def collect_decisions(document: Document, roles: Sequence[str | None]) -> tuple[Decision, ...]:
    """One decision for each item whose resolution the paper records, in the paper's order."""
    blocks = _notice_blocks(document)
    groups = _by_block(document, roles, blocks) if blocks else _by_item(document, roles)
    fallback = document_reference(document)
    out = []
    for (item, number), passages, text in groups:
        outcome = outcome_of(text)
        if outcome is None:
            continue  # a form's boilerplate ("Decision made in exempt session? No"), not a decision
        ref = REFERENCE.search(text)
        out.append(Decision(item, number, outcome, text, ref.group(1) if ref else fallback,
                            tuple(p.index for p in passages), passages[0].page if passages else None))
    return tuple(out)


_Group = tuple[tuple[str | None, str | None], list[Passage], str]


def _notice_blocks(document: Document) -> list[tuple[int, int, str, str | None]]:
    """A decision notice's forms: (start, end, subject, item number), cut at each "Subject:"."""
    found = list(_SUBJECT.finditer(document.text))
    if len(found) < 1 or not _DECISION_TAKEN.search(document.text):
        return []
    ends = [m.start() for m in found[1:]] + [len(document.text)]
    return [(m.end(), end, m.group(1).strip(), m.group(2)) for m, end in zip(found, ends, strict=True)]


def _by_block(document: Document, roles: Sequence[str | None],
              blocks: list[tuple[int, int, str, str | None]]) -> list[_Group]:
    groups: list[_Group] = []
    for start, end, subject, number in blocks:
        block = document.text[start:end]
        taken = _DECISION_TAKEN.search(block)
        if not taken:
            continue
        stop = _FORM_FIELD.search(block, taken.end())
        text = block[taken.end():stop.start() if stop else len(block)].strip(" |\n")
        lo, hi = start + taken.end(), start + (stop.start() if stop else len(block))
        passages = [p for p in document.passages if p.start < hi and p.end > lo]
        groups.append(((subject, number), passages, text))
    return groups


def _by_item(document: Document, roles: Sequence[str | None]) -> list[_Group]:
    """Minutes: resolution passages grouped by the agenda item they sit under."""
    groups: list[_Group] = []
    item: tuple[str | None, str | None] = (None, None)
    for p, role in zip(document.passages, roles, strict=True):
        item = _item_of(p, item)
        if role != "resolution":
            continue
        if groups and groups[-1][0] == item:
            groups[-1][1].append(p)
        else:
            groups.append((item, [p], ""))
    return [(key, ps, "\n".join(p.text for p in ps)) for key, ps, _ in groups]


def _item_of(p: Passage, current: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    """The agenda item a minutes passage sits under.

    A top heading that starts with the next item number or two ("8 Supported Bus Services")
    opens an item; other bold lines ("It was APPROVED", "67 Councillor Smith", a public-forum
    statement's number) stay inside the current one.
    """
    if not p.heading_path:
        return current
    top = p.heading_path[0].strip()
    m = _ITEM_NUMBER.match(top)
    if not m:
        return current if current != (None, None) else (top, None)
    number = int(re.match(r"\d+", m.group(1)).group(0))
    now = int(re.match(r"\d+", current[1]).group(0)) if current[1] else 0
    if now < number <= now + _ITEM_GAP or (now == number and current[0] == top[m.end():].strip()):
        return top[m.end():].strip(), m.group(1)
    return current

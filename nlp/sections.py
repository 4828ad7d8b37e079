"""Section roles: which part of a committee paper a passage belongs to.

A report has a shape every officer knows (purpose, recommendations, background, options, the
implications sections, appendices); minutes and decision notices record declarations, discussion
and what was resolved. `section_roles(document)` gives each passage one role of the fixed
vocabulary in nlp/data/section_roles.jsonl, or None for the body of a report that no role names.

How a role is found, in order (the first that applies wins):
1. a label at the start of the passage ("Decision: ...", "Summary: ...", "Legal advice: ...");
   a label passes its role on to the passages after it under the same heading, until the next
   label (bold one-liners that the reader kept inside a section);
2. the deepest heading of the passage's heading path that a role pattern matches, so a numbered
   child ("6.2") inherits "6 Financial Implications";
3. in minutes and decision notices: a passage that records a decision ("RESOLVED", "It was
   APPROVED", "The Committee agreed") is `resolution`; a recommendation heading there is what
   the meeting decided on, so its passages are `resolution` when they decide and `discussion`
   otherwise; the rest of an item is `discussion` (minutes) or `resolution` (decision notices).
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

DATA = Path(__file__).parent / "data"
Layout = Literal["report", "minutes", "decision"]

# Numbering printed before a heading ("6", "6.2", "2.", "(a)", "Part 3", "Item 5") and the marks
# converters leave ("- 1.1**"): removed before the role patterns run.
_NUMBER = re.compile(r"^(?:[-*•\s]*(?:item|part|section|step)?\s*(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|[ivx]+\.)\s*[-–:.)*]*\s*)+", re.I)
# Upper-case verbs are how minutes print a decision; the rest in any case. A body "noted the
# report" (an outcome) but only "noted that" a public forum was received (not a decision).
_BODY = r"(?:committee|cabinet|board|panel|council|sub-committee)(?: for [\w&,' ]{3,60}?)?"
_DECIDES = re.compile(
    r"\b(?:RESOLVED|AGREED|APPROVED|DECIDED|NOTED|CARRIED|LOST|FELL|DEFERRED|REFUSED|REJECTED)\b"
    r"|(?i:\bit was (?:resolved|agreed|approved|decided)\b"
    rf"|\b{_BODY} (?:resolved|agreed|approved|decided|noted (?:the|this|its|their))\b"
    r"|\b(?:was|were) (?:not )?(?:approved|agreed|carried|rejected|deferred|refused)\b"
    r"|\bresolved (?:that|to)\b)")
# A resolution's own items begin with its verb ("Authorised the Executive Director to ...").
_DECISION_ITEM = re.compile(
    r"^(?:[a-z0-9]{1,3}[.)]\s+)?(?:Noted|Approved|Agreed|Authori[sz]ed|Delegated|Endorsed|Resolved|Deferred|Refused"
    r"|Rejected|Accepted|Adopted|Confirmed|Recommended to)\b")
# Running headers and footers that a reader took for headings: they carry no role of their own.
_ARTEFACT = re.compile(r"^(?:version\b|page \d|official\b|\d+$|(?:january|february|march|april|may|june|july"
                       r"|august|september|october|november|december) \d{4}$)", re.I)
# "That the Transport and Connectivity Committee:" introduces what a meeting decided.
_DECIDING_HEAD = re.compile(
    r"^that (?:the )?(?:[\w&,'-]+ ){0,6}?(?:committee|cabinet|council|board|panel|sub-committee)\b", re.I)
_MINUTES = re.compile(r"\bminutes\b|\bmembers present\b|\bpresent:|\bapologies for absence\b", re.I)
_DECISION_NOTICE = re.compile(r"\b(?:decision (?:recording form|notice|sheet)|record of (?:the )?(?:executive )?decisions?"
                              r"|notice of (?:key )?decisions?|decision determined at)\b", re.I)
_LABEL_ONLY_CHARS = 80
# Labels that in minutes introduce what the meeting discussed or decided, not a section of their own
_MEETING_WORDS = ("recommendations", "purpose", "background")
_APPENDIX_LABEL = re.compile(r"(?:appendix|annex)\s+[A-Z0-9]{1,3}\b\s*[-–:]", re.I)
_RUN_IN = re.compile(r"([A-Z][A-Za-z ,&/'-]{2,45}?)\s+(?=\d+(?:\.\d+)*\.?\s|Appendix\b)")


@dataclass(frozen=True)
class RoleRule:
    role: str
    pattern: re.Pattern[str]
    label: bool  # also matches a label at the start of a passage


@lru_cache(maxsize=1)
def role_rules() -> tuple[RoleRule, ...]:
    rules = []
    for n, row in rule_rows(DATA / "section_roles.jsonl", "role"):
        try:
            pattern = re.compile(row["pattern"], re.I)
        except re.error as e:
            raise ValueError(f"section_roles.jsonl line {n}: bad pattern: {e}") from None
        rules.append(RoleRule(row["role"], pattern, bool(row.get("label"))))
    return tuple(rules)


def roles() -> tuple[str, ...]:
    """The vocabulary: the roles of the labels row of nlp/data/section_roles.jsonl, in its order."""
    return tuple(role_labels())


@lru_cache(maxsize=1)
def role_labels() -> dict[str, str]:
    """Role -> its display label ("financial" -> "Financial implications")."""
    for _, row in rule_rows(DATA / "section_roles.jsonl", "labels"):
        return dict(row["labels"])
    raise ValueError("section_roles.jsonl: no labels row")


def _clean(heading: str) -> str:
    text = heading.replace("’", "'").strip()
    text = _NUMBER.sub("", text).strip(" *:-–")
    return re.sub(r"\s+", " ", text)


def heading_role(heading: str) -> str | None:
    """The role a heading names ("6 Financial Implications" -> financial), or None."""
    text = _clean(heading)
    if not text:
        return None
    for rule in role_rules():
        if rule.pattern.search(text):
            return rule.role
    return None


def label_role(text: str) -> tuple[str | None, bool]:
    """The role a label at the start of a passage names, and whether the passage is only that label.

    A label ends in a colon ("Reasons for the decision:"), is the whole passage, or is a run-in
    heading followed by the first paragraph number or appendix ("Introduction 1. Decision ...").
    """
    head = _clean(text[:120])
    if _APPENDIX_LABEL.match(head):
        return "appendix", len(text.strip()) <= _LABEL_ONLY_CHARS
    run_in = _RUN_IN.match(head)
    m = None if run_in else re.match(r"([^:.\n]{2,45})(:|\.|$)", head)
    if run_in:
        label = run_in.group(1)
    elif m and (m.group(2) == ":" or len(head) <= _LABEL_ONLY_CHARS):
        label = m.group(1)
    else:
        return None, False
    for rule in role_rules():
        if rule.label and rule.pattern.search(label):
            return rule.role, len(text.strip()) <= _LABEL_ONLY_CHARS
    return None, False


def layout(document: Document) -> Layout:
    """Report, minutes or decision notice: the kind a harvester gave, else the title and opening."""
    given = document.given_dict().get("paper_kind", "")
    if given:
        return "decision" if "decision" in given else "minutes" if "minute" in given else "report"
    opening = " ".join(filter(None, [document.title or "", document.text[:1500]]))
    if _DECISION_NOTICE.search(opening):
        return "decision"
    if _MINUTES.search(opening) and not re.search(r"\breport (?:to|of|title)\b", opening, re.I):
        return "minutes"
    return "report"


def paper_kind(document: Document) -> str:
    """The kind of paper in the vocabulary of ingest/data/paper_kinds.json (given, else from the layout)."""
    given = document.given_dict().get("paper_kind")
    return given or {"decision": "decision notice", "minutes": "minutes", "report": "report"}[layout(document)]


def section_roles(document: Document) -> tuple[str | None, ...]:
    """One role (or None) for each passage of the paper, in order."""
    kind = layout(document)
    out: list[str | None] = []
    sticky: tuple[tuple[str, ...], str] | None = None  # (heading path, role) of the last label
    for p in document.passages:
        if sticky and sticky[0] != p.heading_path:
            sticky = None
        if out and p.heading_path and _ARTEFACT.match(_clean(p.heading_path[-1])) and not sticky:
            sticky = (p.heading_path, out[-1]) if out[-1] else None  # the section goes on past a footer
        role = _passage_role(p, kind, sticky)
        label, _ = label_role(p.text)
        if label:
            sticky = (p.heading_path, label)
        out.append(role)
    return tuple(out)


def _passage_role(p: Passage, kind: Layout, sticky: tuple[tuple[str, ...], str] | None) -> str | None:
    label, _ = label_role(p.text)
    role = label or (sticky[1] if sticky else None) or _path_role(p.heading_path, kind)
    if kind == "report":
        return None if role == "procedural" else role  # "Membership" of a body a report describes
    if label and label not in _MEETING_WORDS:
        return label  # "Alternative options considered: ..." in a decision notice
    return _meeting_role(p.text, role, kind)


def _path_role(path: Sequence[str], kind: Layout) -> str | None:
    for heading in reversed(path):
        if kind != "report" and _DECIDING_HEAD.match(_clean(heading)):
            return "resolution"
        role = heading_role(heading)
        if role:
            return role
    return None


def _meeting_role(text: str, role: str | None, kind: Layout) -> str | None:
    """Minutes and decision notices: what was decided, what was said, who declared what."""
    if role in ("declarations", "resolution"):
        return role
    if _DECIDES.search(text) or _DECIDING_HEAD.match(text) or _DECISION_ITEM.match(text.strip()):
        return "resolution"
    if role in (None, "recommendations", "background", "purpose", "options"):
        return "resolution" if kind == "decision" else "discussion"
    return role

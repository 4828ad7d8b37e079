"""Section roles: which part of a committee paper a passage belongs to.

A report has a shape every officer knows (purpose, recommendations, background, options, the
implications sections, appendices); minutes and decision notices record declarations, discussion
and what was resolved. `section_roles(document)` gives every passage one role of the fixed
vocabulary in nlp/data/section_roles.jsonl ("other" for what belongs to no section: cover-sheet
fields, contact details); `passage_roles` also says what decided it.

How a role is found, in order (the first that applies wins):
1. a label at the start of the passage ("Decision: ...", "Summary: ...", "Legal advice: ...");
   a label passes its role on to the passages after it under the same heading, until the next
   label (bold one-liners that the reader kept inside a section);
2. the deepest heading of the passage's heading path that a role pattern matches, so a numbered
   child ("6.2") inherits "6 Financial Implications";
3. the passage's own words (`cue` rows): "The Committee is asked to note" is a recommendation and
   "an Equality Impact Assessment has been completed" equalities wherever they stand, unless a
   heading named another section;
4. in minutes and decision notices: a passage that records a decision ("RESOLVED", "It was
   APPROVED", "The Committee agreed") is `resolution`; a recommendation heading there is what
   the meeting decided on, so its passages are `resolution` when they decide and `discussion`
   otherwise;
5. what is left takes the layout's body role: `background` in a report (its body under topical
   headings), `discussion` in minutes, `resolution` in a decision notice. These are the passages
   whose role a classifier over their vectors may change at ingest (`nlp.section_model`), where
   the vectors exist; `extract` keeps the body role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from ingest.datafiles import rule_rows
from ingest.dates import MONTH_NAME_PATTERN
from ingest.model import Document, Passage

DATA = Path(__file__).parent / "data"
ROLES_FILE = DATA / "section_roles.jsonl"
Layout = Literal["report", "minutes", "decision"]
Source = Literal["label", "heading", "cue", "layout"]
LAYOUTS: tuple[Layout, ...] = ("report", "minutes", "decision")
# the role of the passages nothing else names, by layout (source "layout": a classifier may refine them)
BODY_ROLE: MappingProxyType[str, str] = MappingProxyType(
    {"report": "background", "minutes": "discussion", "decision": "resolution"}
)

# Numbering printed before a heading ("6", "6.2", "2.", "(a)", "Part 3", "Item 5") and the marks
# converters leave ("- 1.1**"): removed before the role patterns run.
_NUMBER = re.compile(
    r"^(?:[-*•\s]*(?:item|part|section|step)?\s*(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|[ivx]+\.)\s*[-–:.)*|]*\s*)+",
    re.I,
)
# Upper-case verbs are how minutes print a decision; the rest in any case. A body "noted the
# report" (an outcome) but only "noted that" a public forum was received (not a decision).
# An executive member deciding alone ("The Cabinet Member for Transport approved ...") decides as a body does.
_BODY = (
    r"(?:(?:cabinet|executive|lead) member|portfolio holder|leader(?: of the council)?"
    r"|committee|cabinet|board|panel|council|sub-committee|executive)(?: for [\w&,' ]{3,60}?)?"
)
_DECIDES = re.compile(
    r"\b(?:RESOLVED|AGREED|APPROVED|DECIDED|NOTED|CARRIED|LOST|FELL|DEFERRED|REFUSED|REJECTED)\b"
    r"|(?i:\bit was (?:resolved|agreed|approved|decided)\b"
    rf"|\b{_BODY} (?:(?:unanimously|formally) )?(?:resolved|agreed|approved|adopted|endorsed|decided|noted (?:the|this|its|their)"
    r"|recommended (?:to|that) (?:the )?(?:full |county |city |borough |district )?council)\b"
    r"|\b(?:was|were) (?:not )?(?:approved|agreed|carried|rejected|deferred|refused)\b"
    r"|\b(?:recommendations?|report|motion|petition|minutes)\b[^.]{0,30}\b(?:was|were) (?:duly |otherwise |formally )?noted\b"
    r"|^(?:the )?members (?:noted|agreed|approved|endorsed) the (?:report|update|contents|recommendations?)\b"
    r"|\bresolved (?:that|to)\b|^decision status\b"
    # the passive resolution of minutes: "That the refreshed Transparency Statement be approved for publication."
    r"|(?m:^)(?:[-•*]\s*|\(?[a-z0-9]{1,3}[.)]\s*)?that (?:the )?[^.;:\n]{3,120}? be (?:approved|agreed|noted|adopted|endorsed|deferred|refused|rejected|received)\b)"
)
# A resolution's own items begin with its verb ("Authorised the Executive Director to ...").
_DECISION_ITEM = re.compile(
    r"^(?:[a-z0-9]{1,3}[.)]\s+)?(?:Noted|Approved|Agreed|Authori[sz]ed|Delegated|Endorsed|Resolved|Deferred|Refused"
    r"|Rejected|Accepted|Adopted|Confirmed|Recommended to)\b"
)
# Running headers and footers that a reader took for headings: they carry no role of their own.
_ARTEFACT = re.compile(rf"^(?:version\b|page \d|official\b|\d+$|{MONTH_NAME_PATTERN} \d{{4}}$)", re.I)
# "That the Transport and Connectivity Committee:" introduces what a meeting decided.
_DECIDING_HEAD = re.compile(
    r"^that (?:the )?(?:[\w&,'-]+ ){0,6}?(?:committee|cabinet|council|board|panel|sub-committee)\b", re.I
)
_LABEL_ONLY_CHARS = 80
_LABEL_ONLY_WORDS = 6  # a label with no colon is the whole passage and reads as a heading: a few words
# "Implications - Financial", "Implications: Legal": the implications section named after its kind
_IMPLICATIONS_OF = re.compile(r"^implications?\s*(?:[-–:|]|of|for)\s*(?:the\s+)?(\w.*)$", re.I)
# a cover-sheet field printed as its own line ("Report Author: Head of HR"): a value, not a section heading
_FIELD = re.compile(r"^[^:]{2,45}:\s*\S")
# a decision a page says is still to be taken: the field is about the paper, not a record of a decision
_PENDING = re.compile(
    r"\bdecision status:?\s*(?:for determination|pending|not (?:yet )?(?:taken|made)|deferred)\b", re.I
)
# Hard-wrapped text (a PDF's lines, no blank line between a heading and its paragraph) joins a heading to the
# paragraph it heads: "Financial and Resource Implications Income of ..." The heading is the words before the
# paragraph's first word, which begins a sentence: a function word or a paragraph number.
_SENTENCE_START = re.compile(
    r"(?:The|This|These|That|It|Its|A|An|There|In|As|At|For|On|Following|We|Our|To|No|None|Any|All"
    r"|Members|Officers|Councillors?|Cabinet|Council|Each|If|Where|Subject|Under|Since|From|\d+(?:\.\d+)*\.?)$"
)
_RUN_IN_WORDS = 7
_VOICE_MIN = 2  # passages in a layout's voice (`each` layout rows) before they count as its evidence
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*$")
# Labels that in minutes introduce what the meeting discussed or decided, not a section of their own
_MEETING_WORDS = ("recommendations", "purpose", "background", "options")
_APPENDIX_LABEL = re.compile(r"(?:appendix|annex)\s+[A-Z0-9]{1,3}\b\s*[-–:]", re.I)
_RUN_IN = re.compile(
    r"([A-Z][A-Za-z ,&/'-]{2,45}?)\s+(?=\d+(?:\.\d+)*\.?\s(?!(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b)"
    r"|Appendix\b)"
)
# roles a heading names that the words of a passage may overrule (a report's "Background" saying
# "Cabinet is asked to note" is a recommendation)
_WEAK_HEADING = ("background",)
TITLE_WORDS = 25  # a title is a line, not a paragraph
CUE_CHARS = 300  # how much of a passage the cue rows read: its opening, where a section states itself


@dataclass(frozen=True)
class RoleRule:
    role: str
    pattern: re.Pattern[str]
    label: bool  # also matches a label at the start of a passage


@dataclass(frozen=True)
class CueRule:
    role: str
    pattern: re.Pattern[str]
    layouts: tuple[str, ...]


@dataclass(frozen=True)
class LayoutRule:
    layout: str
    pattern: re.Pattern[str]
    weight: int
    each: int = (
        0  # counted once per passage whose own words match, up to this many passages (0: once in the opening)
    )


@dataclass(frozen=True)
class RoleFound:
    role: str
    source: Source  # what decided it; "layout" is the body role nothing else named


def _compile(row: dict, n: int, name: str) -> re.Pattern[str]:
    try:
        return re.compile(row["pattern"], re.I | re.M)
    except re.error as e:
        raise ValueError(f"section_roles.jsonl line {n}: bad {name} pattern: {e}") from None


@lru_cache(maxsize=2)
def role_rules(path: Path = ROLES_FILE) -> tuple[RoleRule, ...]:
    return tuple(
        RoleRule(row["role"], _compile(row, n, "role"), bool(row.get("label")))
        for n, row in rule_rows(path, "role")
    )


@lru_cache(maxsize=2)
def cue_rules(path: Path = ROLES_FILE) -> tuple[CueRule, ...]:
    known = set(roles())
    out = []
    for n, row in rule_rows(path, "cue"):
        if row["cue"] not in known or not set(row["layouts"]) <= set(LAYOUTS):
            raise ValueError(
                f"section_roles.jsonl line {n}: unknown role or layout in {row['cue']!r}, {row['layouts']}"
            )
        out.append(CueRule(row["cue"], _compile(row, n, "cue"), tuple(row["layouts"])))
    return tuple(out)


@lru_cache(maxsize=2)
def layout_rules(path: Path = ROLES_FILE) -> tuple[LayoutRule, ...]:
    out = []
    for n, row in rule_rows(path, "layout"):
        if row["layout"] not in LAYOUTS:
            raise ValueError(f"section_roles.jsonl line {n}: unknown layout {row['layout']!r}")
        out.append(
            LayoutRule(row["layout"], _compile(row, n, "layout"), int(row["weight"]), int(row.get("each", 0)))
        )
    return tuple(out)


def roles() -> tuple[str, ...]:
    """The vocabulary: the roles of the labels row of nlp/data/section_roles.jsonl, in its order."""
    return tuple(role_labels())


@lru_cache(maxsize=2)
def role_labels(path: Path = ROLES_FILE) -> MappingProxyType[str, str]:
    """Role -> its display label ("financial" -> "Financial implications")."""
    for _, row in rule_rows(path, "labels"):
        return MappingProxyType(dict(row["labels"]))
    raise ValueError("section_roles.jsonl: no labels row")


def _clean(heading: str) -> str:
    text = heading.replace("’", "'").strip()
    text = _NUMBER.sub("", text).strip(" *:-–|")
    return re.sub(r"\s+", " ", text)


def heading_role(heading: str) -> str | None:
    """The role a heading names ("6 Financial Implications" -> financial), or None."""
    text = _clean(heading) or " ".join(heading.split())  # "Section 75" is a heading of its own, not a number
    if not text:
        return None
    named = _IMPLICATIONS_OF.match(text)
    if named and not re.match(r"implications?\b", named.group(1), re.I):
        return heading_role(named.group(1)) or "implications"
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
    m = None if run_in else re.match(r"([^:.\n|]{2,45})(:|\.|\||\?|$)", head)
    if run_in:
        label = run_in.group(1)
    elif m and (
        m.group(2) in ":|?" or (len(head) <= _LABEL_ONLY_CHARS and len(head.split()) <= _LABEL_ONLY_WORDS)
    ):
        label = m.group(1).strip()
    else:
        return None, False
    if _PENDING.match(head):
        return "other", len(text.strip()) <= _LABEL_ONLY_CHARS
    named = heading_role(label) if _IMPLICATIONS_OF.match(label) else None
    if named:
        return named, len(text.strip()) <= _LABEL_ONLY_CHARS
    for rule in role_rules():
        if rule.label and rule.pattern.search(label):
            return rule.role, len(text.strip()) <= _LABEL_ONLY_CHARS
    return None, False


def run_in_role(text: str) -> str | None:
    """The role of a heading run into its paragraph by hard wrapping ("Background The car park was ..."), or None.
    The heading is a few words in title case or capitals, and the word after it begins a sentence."""
    words = text[:200].split()
    for n in range(min(_RUN_IN_WORDS, len(words) - 3), 0, -1):
        head, nxt = words[:n], words[n]
        if not _SENTENCE_START.match(nxt) or any(re.search(r"[.;,:!?]$", w) for w in head):
            continue
        if all(
            w[:1].isupper() or w.lower() in ("and", "of", "or", "for", "the", "to", "&", "-", "–")
            for w in head
        ):
            role = heading_role(" ".join(head))
            if role:
                return role
    return None


def cue_role(text: str, kind: Layout) -> str | None:
    """The role a passage's own words give it in a paper of this layout (`cue` rows), or None."""
    opening = " ".join(text[:CUE_CHARS].split())
    for rule in cue_rules():
        if kind in rule.layouts and rule.pattern.search(opening):
            return rule.role
    return None


def layout_scores(document: Document) -> dict[str, int]:
    """Each layout's weight of the `layout` rows found in the title and opening of the paper."""
    opening = "\n".join(
        filter(None, [document.title or "", document.given_dict().get("title", ""), document.text[:3000]])
    )
    scores = dict.fromkeys(LAYOUTS, 0)
    for rule in layout_rules():
        if rule.each:  # the passages' own voice: minutes narrate in the past, a report addresses its readers
            found = sum(bool(rule.pattern.search(p.text[:CUE_CHARS])) for p in document.passages[:40])
            if found >= _VOICE_MIN:  # one passage in that voice is a quotation; the paper speaks in it
                scores[rule.layout] += rule.weight * min(found, rule.each)
        elif rule.pattern.search(opening):
            scores[rule.layout] += rule.weight
    return scores


def layout(document: Document) -> Layout:
    """Report, minutes or decision notice: the kind a harvester gave, else the layout rows' scores."""
    given = document.given_dict().get("paper_kind", "")
    if given:
        return "decision" if "decision" in given else "minutes" if "minute" in given else "report"
    scores = layout_scores(document)
    best = max(LAYOUTS, key=lambda k: (scores[k], k == "report"))
    return best if scores[best] > scores["report"] else "report"


def paper_kind(document: Document) -> str:
    """The kind of paper in the vocabulary of ingest/data/paper_kinds.json (given, else from the layout)."""
    given = document.given_dict().get("paper_kind")
    return (
        given or {"decision": "decision notice", "minutes": "minutes", "report": "report"}[layout(document)]
    )


def section_roles(document: Document) -> tuple[str, ...]:
    """One role for each passage of the paper, in order."""
    return tuple(r.role for r in passage_roles(document))


def passage_roles(document: Document) -> tuple[RoleFound, ...]:
    """One role for each passage of the paper, with what decided it, in order."""
    kind = layout(document)
    out: list[RoleFound] = []
    sticky: tuple[tuple[str, ...], str] | None = None  # (heading path, role) of the last label
    sticky_number: str | None = None  # the paragraph number the label was printed with
    titles = {_clean(t).lower() for t in (document.title, document.given_dict().get("title")) if t}
    for p in document.passages:
        if sticky and (sticky[0] != p.heading_path or _next_number(sticky_number, p.paragraph)):
            sticky = None
        if out and p.heading_path and _ARTEFACT.match(_clean(p.heading_path[-1])) and not sticky:
            sticky = (p.heading_path, out[-1].role)  # the section goes on past a page footer
        label, _ = label_role(p.text)
        run_in = None if label else run_in_role(p.text)
        if sticky and not label and _FIELD.match(p.text[:60]):
            sticky = (
                None  # "People: None." under "Financial: ...": a label of its own ends the last one's section
            )
        if _is_title(p.text, titles):
            found = RoleFound("other", "cue")  # the paper's title repeated as a passage
        else:
            found = _passage_role(p, kind, label or run_in, sticky)
        if label:  # a field ("Wards affected: All") is one line; a section label goes on
            sticky = (p.heading_path, label) if label != "other" else None
            sticky_number = p.paragraph
        out.append(found)
    return tuple(out)


def _next_number(label_number: str | None, number: str | None) -> bool:
    """Whether a paragraph numbered `number` starts a new paragraph at the level of the label's ("2" -> "3"):
    a label's section ends there, as a numbered report goes on to its next part."""
    if not (label_number and number and _NUMBERED.match(label_number) and _NUMBERED.match(number)):
        return False
    return number != label_number and number.count(".") <= label_number.count(".")


def _is_title(text: str, titles: set[str]) -> bool:
    """The paper's title repeated as a passage. A reader takes the first line of a paper for its title; in an
    excerpt starting mid-document that line is a sentence of the body, not a title."""
    return (
        _clean(text).lower() in titles
        and len(text) < 200
        and len(text.split()) <= TITLE_WORDS
        and not re.search(r"[.;:,]\s*$", text)
    )


def _passage_role(
    p: Passage, kind: Layout, label: str | None, sticky: tuple[tuple[str, ...], str] | None
) -> RoleFound:
    if label:
        found = RoleFound(label, "label")
    elif sticky:
        found = RoleFound(sticky[1], "label")
    else:
        path = _path_role(p.heading_path, kind)
        found = RoleFound(path, "heading") if path else RoleFound(BODY_ROLE[kind], "layout")
    if kind == "report":
        return _report_role(p.text, found)
    if label and (label not in _MEETING_WORDS or (kind == "decision" and label != "recommendations")):
        return found  # "Alternative options considered: ..." or "Purpose: ..." in a decision notice
    return _meeting_role(p.text, found, kind)


def _report_role(text: str, found: RoleFound) -> RoleFound:
    if found.role == "procedural":
        found = RoleFound(BODY_ROLE["report"], "layout")  # "Membership" of a body a report describes
    if found.source == "layout" or (found.source == "heading" and found.role in _WEAK_HEADING):
        cue = cue_role(text, "report")
        if cue and (found.source == "layout" or cue == "recommendations"):
            return RoleFound(cue, "cue")
    return found


def _path_role(path: Sequence[str], kind: Layout) -> str | None:
    for heading in reversed(path):
        if kind != "report" and _DECIDING_HEAD.match(_clean(heading)):
            return "resolution"
        if kind == "report" and _DECIDING_HEAD.match(_clean(heading)):
            return "recommendations"  # "That the Committee:" over a report's proposals
        role = heading_role(heading)
        if role == "other" and _FIELD.match(_clean(heading)):
            continue  # "Report Author: Head of HR" printed as a line of its own names no section below it
        if role:
            return role
    return None


def decides(text: str) -> bool:
    """Whether a minutes passage records a decision ("RESOLVED", "It was APPROVED", "Cabinet agreed")."""
    return bool(_DECIDES.search(text) or _DECIDING_HEAD.match(text) or _DECISION_ITEM.match(text.strip()))


def _meeting_role(text: str, found: RoleFound, kind: Layout) -> RoleFound:
    """Minutes and decision notices: what was decided, what was said, who declared what."""
    if found.role in ("declarations", "resolution", "other"):
        return found
    if (
        kind == "decision"
        and found.source != "layout"
        and found.role in _MEETING_WORDS
        and found.role != "recommendations"
    ):
        return found  # a decision page's "Purpose:" or "Alternative options considered:"
    if decides(text):
        return RoleFound("resolution", "cue")
    if found.role == "procedural":
        return found
    cue = cue_role(text, kind)
    if cue:
        return RoleFound(cue, "cue")
    if found.role in ("recommendations", "background", "purpose", "options") or found.source == "layout":
        return RoleFound(BODY_ROLE[kind], "layout" if found.source == "layout" else found.source)
    return found

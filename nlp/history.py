"""Decision history: which papers concern the same matter across meetings.

`paper_references` reads what one paper says about others (its decision numbers, the
decisions it records, the meetings it cites); `link_papers` links papers by

- a shared decision number ("Decision no: 24/00093" and "review of Decision 24/00093");
- the meeting that decided a report: minutes or a decision notice of the same council,
  committee and date with an item whose title matches the report's;
- an explicit reference ("the report to Cabinet on 30 January 2025");
- a later report of the same council and committee on the same subject (an update);
- the same matter decided at another meeting: minutes or a decision notice of the same committee
  with an item whose title matches the report's ("Workplace Parking Levy Update", noted in May 2025,
  for the report of September 2024).

One council writes one committee's name several ways ("Transport and Connectivity Committee",
"... Policy Committee"): names are compared by `nlp.committees.same_committee`.

Each link says why, so a timeline can cite it. Thresholds are strict on purpose: a false link
misleads more than a missing one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from ingest.dates import iso_date
from ingest.model import Document
from nlp.committees import same_committee
from nlp.decisions import REFERENCE, document_reference
from nlp.model import Decision

Relation = Literal["same_decision", "decided_by", "cites", "update_of", "same_matter"]

# Titles that match at this token-set ratio name the same subject. Chosen on the linked Bristol
# WPL papers (report, decision notice, minutes, updates) and the unrelated Bristol items of the
# same meetings (parking charges, bus services, cycle hubs), which score at most 62 against them.
SAME_SUBJECT = 80
_GENERIC = re.compile(
    r"\b(?:update|updates|report|reports|committee|cabinet|council|the|a|an|of|on|for|and|final|"
    r"decision|draft|annual|progress|paper|item|appendix|[a-z]?\d+[a-z]?)\b",
    re.I,
)
_BODY = r"(?P<body>(?:[A-Z][\w&'-]*\s+){0,6}?(?:Cabinet|Committee|Council|Board|Panel|Executive|Partnership)(?:\s+Member)?)"
_DAY = r"(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})"
_CITES = (
    re.compile(
        rf"\b(?:report|decision|paper|recommendations?|minutes)\s+(?:to|of|considered by|taken by|made by|at)\s+"
        rf"(?:the\s+)?{_BODY}\s+(?:meeting\s+)?(?:on|of|held on|dated)\s+(?:\w+day,?\s+)?{_DAY}"
    ),
    re.compile(rf"\b{_BODY}\s+(?:met|meeting held|meeting)\s+(?:on|of)\s+(?:\w+day,?\s+)?{_DAY}"),
)


@dataclass(frozen=True)
class PaperFacts:
    id: str
    council: str | None
    committee: str | None
    meeting_date: str | None  # ISO
    title: str | None
    kind: str  # report | minutes | decision (nlp.sections.layout), or a harvested paper kind
    references: tuple[str, ...] = ()  # decision numbers the paper prints
    decisions: tuple[Decision, ...] = ()  # what it records as decided
    cites: tuple[tuple[str, str, str], ...] = ()  # (body, ISO date, the words) of meetings it refers to


@dataclass(frozen=True)
class Link:
    source: str  # the earlier paper, or the report a meeting decided
    target: str
    relation: Relation
    reason: str  # why, in words a reader can check


def paper_references(
    document: Document, meeting_date: str | None
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """The decision numbers a paper prints (its own first) and the other meetings it refers to."""
    refs = dict.fromkeys(m.group(1) for m in REFERENCE.finditer(document.text))
    own = document_reference(document)
    if own:
        refs = {own: None, **refs}
    cites = []
    for pattern in _CITES:
        for m in pattern.finditer(document.text):
            day = iso_date(m.group("date"))
            if day and day != meeting_date:
                cites.append((m.group("body").strip(), day, m.group(0)))
    return tuple(refs), tuple(dict.fromkeys(cites))


def subject_similarity(a: str | None, b: str | None) -> float:
    """0-100: how far two titles name the same subject, generic words ("update", "report") aside."""
    ka, kb = _subject(a), _subject(b)
    if not ka or not kb:
        return 0.0
    return float(fuzz.token_set_ratio(ka, kb))


def link_papers(papers: Sequence[PaperFacts]) -> list[Link]:
    """Every link among the papers, each once, earlier paper first.

    Only pairs that could link are compared (`_candidate_pairs`), so a council's ten years of
    papers cost far less than every pair; the links are the same as comparing every pair."""
    links: dict[tuple[str, str, str], Link] = {}

    def add(a: PaperFacts, b: PaperFacts, relation: Relation, reason: str) -> None:
        first, second = sorted((a, b), key=lambda p: (p.meeting_date or "", p.id))
        if relation == "decided_by":
            first, second = a, b
        links.setdefault((first.id, second.id, relation), Link(first.id, second.id, relation, reason))

    for i, j in sorted(_candidate_pairs(papers)):
        a, b = papers[i], papers[j]
        if not _same_council(a, b):
            continue
        shared = [r for r in a.references if r in b.references]
        if shared:
            add(a, b, "same_decision", f"both concern decision {shared[0]}")
        for report, record in ((a, b), (b, a)):
            decision = _deciding(report, record)
            if decision:
                add(
                    report,
                    record,
                    "decided_by",
                    f"item {decision.item_number or ''} {decision.item!r}: {decision.outcome.replace('_', ' ')}",
                )
        for citing, cited in ((a, b), (b, a)):
            words = _cited(citing, cited)
            if words:
                add(citing, cited, "cites", f"refers to it: {words!r}")
        if _is_update(a, b):
            add(a, b, "update_of", "a later report of the same committee on the same subject")
        for report, record in ((a, b), (b, a)):
            decision = _decided_elsewhere(report, record)
            if decision:
                add(
                    report,
                    record,
                    "same_matter",
                    f"item {decision.item_number or ''} {decision.item!r} at the meeting"
                    f" of {record.meeting_date}: {decision.outcome.replace('_', ' ')}",
                )
    return sorted(links.values(), key=lambda k: (k.source, k.target, k.relation))


def _candidate_pairs(papers: Sequence[PaperFacts]) -> set[tuple[int, int]]:
    """(i, j), i < j, of the papers that share what a link needs: a decision number; a meeting date (a
    report and the minutes or notice of its meeting); a cited meeting's date; or, for an update,
    two reports or a report and a record of one committee (`nlp.committees.same_committee`, compared once per pair of names)."""
    pairs: set[tuple[int, int]] = set()

    def among(group: list[int]) -> None:
        pairs.update((a, b) if a < b else (b, a) for n, a in enumerate(group) for b in group[n + 1 :])

    by_ref: dict[str, list[int]] = defaultdict(list)
    by_day: dict[str, list[int]] = defaultdict(list)
    by_body: dict[str, list[int]] = defaultdict(list)
    records: dict[str, list[int]] = defaultdict(list)  # committee -> its minutes and notices with decisions
    for i, p in enumerate(papers):
        for ref in dict.fromkeys(p.references):
            by_ref[ref].append(i)
        if p.meeting_date:
            by_day[p.meeting_date].append(i)
        if p.kind == "report" and p.meeting_date and p.committee:
            by_body[p.committee.lower()].append(i)
        elif p.kind in ("minutes", "decision") and p.committee and p.decisions:
            records[p.committee.lower()].append(i)
    for group in (*by_ref.values(), *by_day.values()):
        among(group)
    for i, p in enumerate(papers):
        for _, day, _ in p.cites:
            pairs.update((min(i, j), max(i, j)) for j in by_day.get(day, ()) if j != i)
    names = sorted(by_body)
    for n, a in enumerate(names):
        among(by_body[a])
        for b in names[n + 1 :]:
            if same_committee(a, b):
                pairs.update((min(i, j), max(i, j)) for i in by_body[a] for j in by_body[b])
    pairs |= _matter_pairs(papers, by_body, records)
    return pairs


def _matter_pairs(
    papers: Sequence[PaperFacts], reports: dict[str, list[int]], records: dict[str, list[int]]
) -> set[tuple[int, int]]:
    """(report, record) pairs of one committee where a decided item shares a word of the report's subject."""
    pairs: set[tuple[int, int]] = set()
    for body, held in records.items():
        by_word: dict[str, set[int]] = defaultdict(set)
        for j in held:
            for d in papers[j].decisions:
                for word in _subject(d.item).split():
                    by_word[word].add(j)
        for name, filed in reports.items():
            if not same_committee(name, body):
                continue
            for i in filed:
                for j in set().union(*(by_word.get(w, set()) for w in _subject(papers[i].title).split())):
                    pairs.add((min(i, j), max(i, j)))
    return pairs


@lru_cache(maxsize=65536)
def _subject(title: str | None) -> str:
    return re.sub(r"\s+", " ", _GENERIC.sub(" ", (title or "").replace("&", " "))).strip().lower()


def _same_council(a: PaperFacts, b: PaperFacts) -> bool:
    return bool(a.council and b.council and a.council.lower() == b.council.lower())


def _deciding(report: PaperFacts, record: PaperFacts) -> Decision | None:
    """The decision of `record` (minutes, notice) on `report`, if it was taken at the report's meeting."""
    if report.kind != "report" or record.kind not in ("minutes", "decision"):
        return None
    if not report.meeting_date or report.meeting_date != record.meeting_date:
        return None
    if not same_committee(report.committee, record.committee):
        return None
    return _on_subject(report, record)


def _on_subject(report: PaperFacts, record: PaperFacts) -> Decision | None:
    """The decision of `record` whose item best names the report's subject, if one does."""
    scored = [(subject_similarity(report.title, d.item), d) for d in record.decisions]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best[1] if best[0] >= SAME_SUBJECT else None


def _decided_elsewhere(report: PaperFacts, record: PaperFacts) -> Decision | None:
    """A decision of `record` (minutes, notice) on the report's subject, taken by the report's committee at
    another meeting: an earlier decision the report follows, or a later one on what it proposed."""
    if report.kind != "report" or record.kind not in ("minutes", "decision"):
        return None
    if not report.meeting_date or not record.meeting_date or report.meeting_date == record.meeting_date:
        return None
    if not same_committee(report.committee, record.committee):
        return None
    return _on_subject(report, record)


def _cited(citing: PaperFacts, cited: PaperFacts) -> str | None:
    """The words by which `citing` refers to the meeting that considered `cited`, if they do."""
    for body, day, words in citing.cites:
        if day == cited.meeting_date and same_committee(body, cited.committee):
            return words
    return None


def _is_update(a: PaperFacts, b: PaperFacts) -> bool:
    if a.kind != "report" or b.kind != "report" or not a.meeting_date or not b.meeting_date:
        return False
    if a.meeting_date == b.meeting_date or not same_committee(a.committee, b.committee):
        return False
    return subject_similarity(a.title, b.title) >= SAME_SUBJECT

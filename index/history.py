"""Decision history in the store: links among a council's papers, and one paper's timeline.

`refresh_links` rebuilds the links of the councils an ingest touched (nlp.history.link_papers over
each council's papers, from the decisions and references stored at ingest), after resolving the
council's committee names to its committees (nlp.committees; the names and the committee each names
are kept in the store); `paper_history` is what `councilpapers history` and
`GET /documents/{id}/history` show: every paper linked to this one, directly or through others, in
meeting-date order, each with the decisions it records on the matter (the paper itself with all of
its own) and why it is linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from index.reads import DecisionRow, LinkRow
from index.store import Store
from nlp.committees import resolve_committees
from nlp.history import SAME_SUBJECT, Link, PaperFacts, link_papers, subject_similarity
from nlp.model import Decision


@dataclass(frozen=True)
class TimelineEntry:
    document: str
    title: str | None
    kind: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    decisions: tuple[DecisionRow, ...]  # those on the matter (a minutes' other items are left out)
    links: tuple[LinkRow, ...]  # the links that bring this paper into the timeline
    current: bool  # the paper the history was asked for
    # what a report proposed (passage index, page, words): the decisions of the papers linked to it answer them
    recommendations: tuple[tuple[int, int | None, str], ...] = ()


@dataclass(frozen=True)
class History:
    document: str
    entries: tuple[TimelineEntry, ...]  # by meeting date


def refresh_links(store: Store, councils: set[str]) -> int:
    """Rebuild the links among each council's papers; returns how many links there now are."""
    total = 0
    for council in sorted(councils):
        ids, facts = _council_facts(store, council)
        links = link_papers(facts)
        store.put_links(ids, [(k.source, k.target, k.relation, k.reason) for k in links])
        total += len(links)
    return total


def council_links(store: Store, council: str) -> tuple[list[str], list[Link]]:
    """A council's paper ids and the links among them, as `refresh_links` stores them, writing nothing
    (`check` compares them with the stored ones)."""
    ids, facts = _council_facts(store, council, keep=False)
    return ids, list(link_papers(facts))


def _council_facts(store: Store, council: str, keep: bool = True) -> tuple[list[str], list[PaperFacts]]:
    """A council's paper ids and what links them, its committee names resolved (and kept in the store unless
    not `keep`)."""
    rows = store.council_papers(council)
    ids = [r.id for r in rows]
    decisions: dict[str, list[Decision]] = {}
    for d in store.decisions_of(ids):
        decisions.setdefault(d.document_id, []).append(
            Decision(d.item, d.item_number, d.outcome, d.text, d.reference, d.passages, d.page)
        )
    refs: dict[str, list[str]] = {}
    cites: dict[str, list[tuple[str, str, str]]] = {}
    for doc, kind, value, day, words in store.paper_refs(ids):
        if kind == "decision_number":
            refs.setdefault(doc, []).append(value)
        elif day:
            cites.setdefault(doc, []).append((value, day, words or ""))
    committees = resolve_committees(r.committee for r in rows)
    if keep:
        store.put_committee_names(council, {name: c.name for name, c in committees.items()})
    named = {r.id: committees[r.committee.strip()].name for r in rows if (r.committee or "").strip()}
    return ids, [
        PaperFacts(
            r.id,
            r.council,
            named.get(r.id),
            r.meeting_date,
            r.title,
            _layout(r.kind),
            tuple(refs.get(r.id, ())),
            tuple(decisions.get(r.id, ())),
            tuple(cites.get(r.id, ())),
        )
        for r in rows
    ]


def paper_history(store: Store, doc_id: str) -> History | None:
    """The timeline of the matter a paper belongs to, or None when there is no such paper."""
    if not store.has_document(doc_id):
        return None
    rows = {r.id: r for r in store.list_documents_by_id([doc_id])}
    seen, frontier, links = {doc_id}, [doc_id], {}
    while frontier:  # papers on the same matter, however linked; but minutes record many matters, so the
        found = store.links_of(frontier)  # walk does not go on through a record other than the first paper
        frontier = []
        for k in found:
            links[(k.source, k.target, k.relation)] = k
            for other in (k.source, k.target):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
        rows.update({r.id: r for r in store.list_documents_by_id(frontier)})
        frontier = [f for f in frontier if f in rows and _layout(rows[f].paper_kind) == "report"]
    links = {key: k for key, k in links.items() if k.source in seen and k.target in seen}
    decisions: dict[str, list[DecisionRow]] = {}
    for d in store.decisions_of(sorted(seen)):
        decisions.setdefault(d.document_id, []).append(d)
    reports = [r.title for r in rows.values() if _layout(r.paper_kind) == "report"]
    proposed: dict[str, list[tuple[int, int | None, str]]] = {}
    for p in store.section_passages(
        [d for d in seen if d in rows and _layout(rows[d].paper_kind) == "report"], ("recommendations",)
    ):
        proposed.setdefault(p.document_id, []).append((p.idx, p.page, p.text))
    entries = []
    for pid in seen:
        r = rows.get(pid)
        if r is None:
            continue
        mine = tuple(k for k in links.values() if pid in (k.source, k.target))
        on_matter = tuple(
            d
            for d in decisions.get(pid, ())
            if pid == doc_id or any(subject_similarity(t, d.item) >= SAME_SUBJECT for t in reports)
        )
        entries.append(
            TimelineEntry(
                pid,
                r.title,
                r.paper_kind,
                r.council,
                r.committee,
                r.meeting_date,
                on_matter,
                mine,
                pid == doc_id,
                tuple(proposed.get(pid, ())),
            )
        )
    entries.sort(key=lambda e: (e.meeting_date or "9999", _KIND_ORDER.get(e.kind or "", 1), e.document))
    return History(doc_id, tuple(entries))


# at one meeting the report comes before the record of what was decided on it
_KIND_ORDER = MappingProxyType(
    {"report": 0, "appendix": 0, "minutes": 2, "decision notice": 2, "item minute": 2}
)


def _layout(kind: str | None) -> str:
    """A stored paper kind as the layouts nlp.history links on (report, minutes, decision)."""
    if not kind:
        return "report"
    if "decision" in kind:
        return "decision"
    return "minutes" if "minute" in kind else ("report" if kind in ("report", "appendix") else kind)

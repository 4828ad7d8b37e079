"""The read models: what reads over the store return, as small frozen dataclasses (the web app, the API's
JSON and the comparison tables share them), and the pure helpers that shape them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from nlp.model import DateSpan, Evidence, Metric, Priority
from nlp.namekey import name_key as key

_SPACE = re.compile(r"\s+")


def norm_name(name: str) -> str:
    """How an entity name is looked up: case, spacing, punctuation and a leading 'the' ignored, spelling
    variants joined ('Op Mazi' = 'Operation Mazi', '&' = 'and', 'Well-being' = 'Wellbeing'; nlp.normalise.key)."""
    n = _SPACE.sub(" ", name.strip().lower().replace("\u2019", "'"))
    return key(name) or (n[4:] if n.startswith("the ") else n)


@dataclass(frozen=True)
class DocumentRow:
    id: str
    source: str
    title: str | None
    format: str
    page_count: int
    council: str | None
    committee: str | None
    meeting_date: str | None
    passages: int
    sources: tuple[str, ...] = ()
    paper_kind: str | None = None  # report, minutes, item minute... as given with a source (the harvester's)


@dataclass(frozen=True)
class PassageRow:
    id: int  # store-wide passage id (the FAISS id)
    document_id: str
    index: int
    text: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    page: int | None
    paragraph: str | None
    start: int
    end: int
    kind: str
    boilerplate: bool
    windows: int = 0  # sentence vectors besides the passage's own
    section: str | None = None  # section role (nlp.sections)


@dataclass(frozen=True)
class Mention:
    document_id: str
    source: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int
    page: int | None
    paragraph: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityRow:
    """A canonical entity (resolved at ingest, tables canonical_entities and entity_members)."""

    type: str
    name: str
    acronym: str | None
    kind: str | None
    documents: int
    councils: tuple[str, ...]
    id: str = ""  # nlp.normalise.Canonical.id
    scope: str = "local"  # national | placed | local
    council: str | None = None  # a local entity's council
    aliases: tuple[str, ...] = ()
    document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityDetail:
    type: str
    name: str
    acronym: str | None
    kind: str | None
    forms: tuple[str, ...]  # every surface form seen in any paper
    mentions: tuple[Mention, ...]
    id: str = ""
    scope: str = "local"


@dataclass(frozen=True)
class DocumentDetail:
    document: DocumentRow
    given: dict[str, dict[str, str]]  # source -> metadata given with it
    passages: tuple[PassageRow, ...]
    entities: tuple[EntityDetail, ...]
    themes: tuple[str, ...]
    extraction: dict[str, Any] | None = field(default=None)  # nlp.export JSON, when extraction ran
    decisions: tuple[DecisionRow, ...] = ()  # what the paper records as resolved (minutes, decision notices)


@dataclass(frozen=True)
class ThemeHit:
    document_id: str
    passage: int  # Passage.index
    theme: str
    score: float


@dataclass(frozen=True)
class EntityFact:
    """A partnership or operation one paper names, with its canonical entity and its evidence."""

    document_id: str
    name: str
    kind: str | None
    canonical_id: str
    canonical_name: str
    scope: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class DecisionRow:
    document_id: str
    item: str | None
    item_number: str | None
    outcome: str
    reference: str | None
    text: str
    passages: tuple[int, ...]
    page: int | None


@dataclass(frozen=True)
class LinkRow:
    source: str
    target: str
    relation: str
    reason: str


def evidence_of(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    """Evidence as stored (nlp.export JSON or evidence rows) -> nlp.model.Evidence."""
    return tuple(
        Evidence(
            int(e.get("passage", e.get("passage_idx", 0))),
            e.get("page"),
            e.get("paragraph"),
            int(e["start"]),
            int(e["end"]),
            e["text"],
        )
        for e in items
    )


def stated(raw: str | None) -> tuple[tuple[Priority, ...], tuple[Metric, ...]]:
    """A paper's stated priorities and reported figures, typed (nlp.model), from its stored extraction."""
    if not raw:
        return (), ()
    data = json.loads(raw)
    priorities = tuple(
        Priority(p["text"], tuple(p.get("themes") or ()), evidence_of(p.get("evidence") or []))
        for p in data.get("priorities") or []
    )
    metrics = []
    for m in data.get("metrics") or []:
        period = m.get("period")
        span = (
            DateSpan(period.get("text", ""), period["start"], period["end"], period.get("kind", "date"))
            if period
            else None
        )
        metrics.append(
            Metric(
                m["value"],
                m["unit"],
                m["text"],
                m.get("value_max"),
                m.get("about"),
                m.get("direction"),
                span,
                evidence_of(m.get("evidence") or []),
            )
        )
    return priorities, tuple(metrics)


@dataclass(frozen=True)
class CouncilPaper:
    """A paper of one council, as decision history links them (index.history)."""

    id: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    title: str | None
    kind: str | None


@dataclass(frozen=True)
class SectionPassage:
    """A passage in a section role (nlp.sections), as compare's section columns cite it."""

    document_id: str
    idx: int
    section: str
    page: int | None
    paragraph: str | None
    start: int
    text: str
    heading: str | None


@dataclass(frozen=True)
class PaperRecord:
    """A paper compare reads: its columns, its stored extraction (nlp.export JSON) and published URL."""

    id: str
    source: str
    title: str | None
    council: str
    council_code: str | None
    council_type: str | None
    meeting_date: str | None
    extraction: str
    url: str | None

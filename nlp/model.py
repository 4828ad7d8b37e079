"""What extraction finds in one paper. Every item keeps its evidence (passage, page, paragraph, offsets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["partnership", "operation"]
Unit = Literal["GBP", "percent", "count", "rate", "kg", "other"]


@dataclass(frozen=True)
class Evidence:
    passage: int  # Passage.index
    page: int | None
    paragraph: str | None
    start: int  # offsets into Document.text
    end: int
    text: str  # the words as written at [start:end]


@dataclass(frozen=True)
class Named:
    """A partnership or an operation: one item per paper, its mentions merged."""

    type: EntityType
    name: str  # the fullest form, no leading "the"
    mentions: tuple[str, ...]  # every surface form seen, acronyms included
    acronym: str | None = None
    kind: str | None = None  # partnership kind id from kinds.json (partnerships only)
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Priority:
    text: str
    themes: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class DateSpan:
    text: str
    start: str  # ISO YYYY-MM-DD
    end: str
    kind: str = "date"  # date | month | year | financial_year | period | quarter | season
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Metric:
    value: float
    unit: Unit
    text: str  # the figure as written
    value_max: float | None = None
    about: str | None = None  # the noun phrase it counts
    direction: Literal["rise", "fall"] | None = None
    period: DateSpan | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Metadata:
    council: str | None = None
    council_code: str | None = None  # GSS code
    council_type: str | None = None  # county | district | unitary | metropolitan | london_borough
    committee: str | None = None
    meeting_date: str | None = None
    title: str | None = None
    author: str | None = None
    kind: str | None = (
        None  # report | minutes | decision notice ... (given by a harvester, else from the layout)
    )
    # the extracted value of any field that given metadata (manifest, harvester) overrode
    extracted: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Decision:
    """What a meeting resolved on one item (nlp.decisions)."""

    item: str | None  # what it decides: the agenda item's title or the notice's subject
    item_number: str | None  # the agenda item number as printed
    outcome: (
        str  # approved | agreed | noted | rejected | deferred | amended | referred | recommended | called_in
    )
    text: str  # the resolution as recorded
    reference: str | None  # decision number, where the paper prints one
    passages: tuple[int, ...]  # Passage.index of each passage that records it
    page: int | None


@dataclass(frozen=True)
class Extraction:
    document: str  # Document.id
    source: str
    metadata: Metadata
    partnerships: tuple[Named, ...] = ()
    operations: tuple[Named, ...] = ()
    priorities: tuple[Priority, ...] = ()
    metrics: tuple[Metric, ...] = ()
    dates: tuple[DateSpan, ...] = ()
    acronyms: tuple[tuple[str, str], ...] = field(default=())  # (short, long) defined in the paper
    sections: tuple[str | None, ...] = ()  # the section role of each passage (nlp.sections)
    # what decided each passage's role (nlp.sections.Source): "layout" roles may be refined from vectors at ingest
    section_sources: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    references: tuple[str, ...] = ()  # decision numbers the paper prints (nlp.history)
    cites: tuple[tuple[str, str, str], ...] = ()  # (body, ISO date, words) of meetings the paper refers to

"""Response models of the JSON API (they make the OpenAPI schema that /docs shows and tests fuzz)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.templating import entity_id as make
from index.history import History
from index.reads import (
    DecisionRow,
    DocumentDetail,
    DocumentRow,
    EntityDetail,
    EntityRow,
    LinkRow,
    Mention,
    PassageRow,
)


class ReadModel(BaseModel):
    """A response model read from a read model of index.reads (a frozen dataclass) by its attributes: the
    dataclass is the one declaration of its fields; tuples become JSON lists, extra attributes are left out."""

    model_config = ConfigDict(from_attributes=True)


def derived(source: type, name: str, *, exclude: tuple[str, ...] = (), **described: Any) -> type[ReadModel]:
    """The response model of a read model (a dataclass of index.reads): its fields, types and defaults, in
    its order, less `exclude`; `described` gives a field (type, Field(...)) with its OpenAPI description."""
    hints = get_type_hints(source)
    spec: dict[str, Any] = {}
    for f in fields(source):
        if f.name in exclude:
            continue
        default: Any = (
            ...
            if f.default is MISSING and f.default_factory is MISSING
            else f.default
            if f.default is not MISSING
            else Field(default_factory=f.default_factory)
        )
        spec[f.name] = described.pop(f.name, (hints[f.name], default))
    if described:
        raise TypeError(f"{name}: {sorted(described)} are not fields of {source.__name__}")
    return create_model(name, __base__=ReadModel, **spec)


class SearchHit(BaseModel):
    document: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int = Field(description="passage index within the document")
    page: int | None
    pages: list[int]
    paragraph: str | None
    heading_path: list[str]
    text: str
    snippet: str = Field(description="HTML-escaped text around the matches, matched words in <mark>")
    score: float = Field(description="0-1, higher is better")
    boilerplate: bool = False
    snippet_text: str = Field("", description="the snippet as plain text (no HTML)")
    matches: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) of each matched word or phrase in snippet_text"
    )
    more: int = Field(0, description="group=paper: other passages of this paper found")
    url: str = Field(description="the paper page at this passage")
    paper_kind: str | None = Field(
        default=None, description="report, minutes, item minute, agenda... when known"
    )
    section: str | None = Field(
        default=None,
        description="the passage's section role (recommendations, "
        "financial, legal, resolution ...) when known",
    )
    found: bool = Field(
        default=True,
        description="over the relevance floor (counted in `total`); found hits come "
        "first, then the 'more, less relevant' ones",
    )


class SearchResponse(BaseModel):
    query: str
    mode: str
    total: int = Field(
        description="results over the relevance floor (papers, with group=paper); a filter can only "
        "lower it; they are the first `total` results"
    )
    group: str = Field("passage", description="passage, or paper: the best passage of each paper")
    offset: int
    limit: int
    results: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(description="council/committee/theme -> value -> count")
    note: str | None = Field(None, description="set when the query was cut to its first 500 characters")


DocumentSummary = derived(
    DocumentRow,
    "DocumentSummary",
    paper_kind=(
        str | None,
        Field(default=None, description="report, minutes, item minute, agenda... when known"),
    ),
)


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


PassageOut = derived(
    PassageRow,
    "PassageOut",
    exclude=("id", "document_id", "windows"),
    section=(
        str | None,
        Field(
            default=None,
            description="section role: purpose, recommendations, financial, resolution ..."
            " (nlp/data/section_roles.jsonl)",
        ),
    ),
)


MentionOut = derived(Mention, "MentionOut")


class EntityOut(ReadModel):
    id: str
    type: str
    name: str
    acronym: str | None
    kind: str | None
    forms: list[str]
    councils: list[str]
    mentions: list[MentionOut]


class DocumentOut(ReadModel):
    document: DocumentSummary
    given: dict[str, dict[str, Any]] = Field(description="source -> metadata given with it")
    themes: list[str]
    passages: list[PassageOut]
    entities: list[EntityOut]
    extraction: dict[str, Any] | None = Field(description="the extraction JSON (extraction.schema.json)")
    decisions: list[DecisionOut] = Field(
        default_factory=list, description="what the paper records as resolved"
    )


class EntitySummary(ReadModel):
    id: str
    type: str
    name: str
    acronym: str | None
    kind: str | None
    documents: int
    councils: list[str]
    scope: str = "local"
    aliases: list[str] = []


class EntityList(BaseModel):
    total: int
    offset: int
    limit: int
    entities: list[EntitySummary]


class Health(BaseModel):
    status: str
    version: str
    documents: int
    passages: int
    entities: int
    writes_enabled: bool


class Deleted(BaseModel):
    deleted: str


class Uploaded(BaseModel):
    created: bool
    document: DocumentSummary


def entity_id(type: str, name: str) -> str:
    return make(type, name)


def document_summary(row: DocumentRow) -> DocumentSummary:
    return DocumentSummary.model_validate(row)


def passage_out(p: PassageRow) -> PassageOut:
    return PassageOut.model_validate(p)


def entity_out(e: EntityDetail) -> EntityOut:
    """An entity with the councils its mentions are in (and an id made from its name when it has none)."""
    councils = sorted({m.council for m in e.mentions if m.council})
    return EntityOut.model_validate(
        {**_attributes(e), "id": e.id or entity_id(e.type, e.name), "councils": councils}
    )


def entity_summary(e: EntityRow) -> EntitySummary:
    return EntitySummary.model_validate({**_attributes(e), "id": e.id or entity_id(e.type, e.name)})


def document_out(d: DocumentDetail) -> DocumentOut:
    return DocumentOut.model_validate({**_attributes(d), "entities": [entity_out(e) for e in d.entities]})


def _attributes(obj: object) -> dict[str, Any]:
    """A read model's fields, one level deep (nested read models stay objects, read by their attributes)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}  # type: ignore[arg-type]


DecisionOut = derived(
    DecisionRow,
    "DecisionOut",
    exclude=("document_id",),
    outcome=(
        str,
        Field(
            description="approved | agreed | noted | rejected | deferred | amended | referred | "
            "recommended (to Council) | called_in"
        ),
    ),
    reference=(str | None, Field(description="decision number, where the paper prints one")),
    passages=(list[int], Field(description="indexes of the passages that record it")),
)


LinkOut = derived(
    LinkRow,
    "LinkOut",
    relation=(str, Field(description="same_decision | decided_by | same_matter | cites | update_of")),
)


class RecommendationOut(ReadModel):
    passage: int = Field(description="index of the passage proposing it")
    page: int | None
    text: str


class TimelineEntryOut(ReadModel):
    document: str
    title: str | None
    kind: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    current: bool = Field(description="the paper whose history this is")
    decisions: list[DecisionOut]
    links: list[LinkOut]
    recommendations: list[RecommendationOut] = Field(
        default_factory=list,
        description="what a report proposed; the decisions of the papers linked to it answer it",
    )


class HistoryOut(ReadModel):
    document: str
    entries: list[TimelineEntryOut] = Field(description="papers on the same matter, by meeting date")


def decision_out(d: DecisionRow) -> DecisionOut:
    return DecisionOut.model_validate(d)


def history_out(h: History) -> HistoryOut:
    return HistoryOut.model_validate(
        {
            "document": h.document,
            "entries": [
                {
                    **_attributes(e),
                    "recommendations": [
                        RecommendationOut(passage=i, page=page, text=text)
                        for i, page, text in e.recommendations
                    ],
                }
                for e in h.entries
            ],
        }
    )

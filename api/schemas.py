"""Response models of the JSON API (they make the OpenAPI schema that /docs shows and tests fuzz)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, Field

from index.history import History
from index.reads import DecisionRow, DocumentDetail, DocumentRow, EntityDetail, EntityRow, Mention, PassageRow


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
        default_factory=list, description="[start, end) of each matched word or phrase in snippet_text")
    more: int = Field(0, description="group=paper: other passages of this paper found")
    url: str = Field(description="the paper page at this passage")
    paper_kind: str | None = Field(default=None, description="report, minutes, item minute, agenda... when known")
    section: str | None = Field(default=None, description="the passage's section role (recommendations, "
                                "financial, legal, resolution ...) when known")
    found: bool = Field(default=True, description="over the relevance floor (counted in `total`); found hits come "
                                                  "first, then the 'more, less relevant' ones")


class SearchResponse(BaseModel):
    query: str
    mode: str
    total: int = Field(description="results over the relevance floor (papers, with group=paper); a filter can only "
                                   "lower it; they are the first `total` results")
    group: str = Field("passage", description="passage, or paper: the best passage of each paper")
    offset: int
    limit: int
    results: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(description="council/committee/theme -> value -> count")
    note: str | None = Field(None, description="set when the query was cut to its first 500 characters")


class DocumentSummary(BaseModel):
    id: str
    source: str
    title: str | None
    format: str
    page_count: int
    council: str | None
    committee: str | None
    meeting_date: str | None
    passages: int
    sources: list[str]
    paper_kind: str | None = Field(default=None, description="report, minutes, item minute, agenda... when known")


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class PassageOut(BaseModel):
    index: int
    text: str
    heading_path: list[str]
    pages: list[int]
    page: int | None
    paragraph: str | None
    start: int
    end: int
    kind: str
    boilerplate: bool
    section: str | None = Field(default=None, description="section role: purpose, recommendations, financial, "
                                                           "resolution ... (nlp/data/section_roles.jsonl)")


class MentionOut(BaseModel):
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


class EntityOut(BaseModel):
    id: str
    type: str
    name: str
    acronym: str | None
    kind: str | None
    forms: list[str]
    councils: list[str]
    mentions: list[MentionOut]


class DocumentOut(BaseModel):
    document: DocumentSummary
    given: dict[str, dict[str, Any]] = Field(description="source -> metadata given with it")
    themes: list[str]
    passages: list[PassageOut]
    entities: list[EntityOut]
    extraction: dict[str, Any] | None = Field(description="the extraction JSON (extraction.schema.json)")
    decisions: list[DecisionOut] = Field(default_factory=list, description="what the paper records as resolved")


class EntitySummary(BaseModel):
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
    from api.templating import entity_id as make

    return make(type, name)


def document_summary(row: DocumentRow) -> DocumentSummary:
    d = asdict(row)
    d["sources"] = list(row.sources)
    return DocumentSummary(**d)


def passage_out(p: PassageRow) -> PassageOut:
    return PassageOut(index=p.index, text=p.text, heading_path=list(p.heading_path), pages=list(p.pages),
                      page=p.page, paragraph=p.paragraph, start=p.start, end=p.end, kind=p.kind,
                      boilerplate=p.boilerplate, section=p.section)


def mention_out(m: Mention) -> MentionOut:
    return MentionOut(**asdict(m))


def entity_out(e: EntityDetail) -> EntityOut:
    councils = sorted({m.council for m in e.mentions if m.council})
    return EntityOut(id=e.id or entity_id(e.type, e.name), type=e.type, name=e.name, acronym=e.acronym, kind=e.kind,
                     forms=list(e.forms), councils=councils, mentions=[mention_out(m) for m in e.mentions])


def entity_summary(e: EntityRow) -> EntitySummary:
    return EntitySummary(id=e.id or entity_id(e.type, e.name), type=e.type, name=e.name, acronym=e.acronym,
                         kind=e.kind, documents=e.documents, councils=list(e.councils), scope=e.scope,
                         aliases=list(e.aliases))


def document_out(d: DocumentDetail) -> DocumentOut:
    return DocumentOut(document=document_summary(d.document), given=d.given, themes=list(d.themes),
                       passages=[passage_out(p) for p in d.passages],
                       entities=[entity_out(e) for e in d.entities], extraction=d.extraction,
                       decisions=[decision_out(x) for x in d.decisions])


class DecisionOut(BaseModel):
    item: str | None
    item_number: str | None
    outcome: str = Field(description="approved | agreed | noted | rejected | deferred | amended | referred | "
                                     "recommended (to Council) | called_in")
    reference: str | None = Field(description="decision number, where the paper prints one")
    text: str
    passages: list[int] = Field(description="indexes of the passages that record it")
    page: int | None


class LinkOut(BaseModel):
    source: str
    target: str
    relation: str = Field(description="same_decision | decided_by | same_matter | cites | update_of")
    reason: str


class RecommendationOut(BaseModel):
    passage: int = Field(description="index of the passage proposing it")
    page: int | None
    text: str


class TimelineEntryOut(BaseModel):
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
        default_factory=list, description="what a report proposed; the decisions of the papers linked to it answer it")


class HistoryOut(BaseModel):
    document: str
    entries: list[TimelineEntryOut] = Field(description="papers on the same matter, by meeting date")


def decision_out(d: DecisionRow) -> DecisionOut:
    return DecisionOut(**{k: v for k, v in asdict(d).items() if k != "document_id"})


def history_out(h: History) -> HistoryOut:
    return HistoryOut(document=h.document, entries=[
        TimelineEntryOut(document=e.document, title=e.title, kind=e.kind, council=e.council, committee=e.committee,
                         meeting_date=e.meeting_date, current=e.current,
                         decisions=[decision_out(d) for d in e.decisions],
                         links=[LinkOut(**asdict(k)) for k in e.links],
                         recommendations=[RecommendationOut(passage=i, page=page, text=text)
                                          for i, page, text in e.recommendations]) for e in h.entries])

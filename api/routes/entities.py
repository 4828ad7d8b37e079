"""Partnerships and operations across papers: the list, and one entity with its mentions by council."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import StoreDep
from api.errors import ApiError, error_responses
from api.schemas import EntityList, EntityOut, entity_out, entity_summary
from index.compare import entities
from index.reads import EntityDetail
from index.store import Store

router = APIRouter(tags=["entities"])
EntityType = Literal["partnership", "operation"]
TYPES = ("partnership", "operation")


def find_entity(store: Store, entity_id: str) -> EntityDetail:
    """An entity by its canonical id, by "type:name" ("operation:operation venetic"), or by bare name,
    alias or acronym; ApiError 404."""
    type_, _, name = entity_id.partition(":")
    if type_ not in TYPES or not name:
        type_, name = "", entity_id
    detail = store.get_entity(name, type_ or None) if name.strip() else None
    if detail is None:
        raise ApiError(404, f"no partnership or operation {entity_id!r}", "entity_id")
    return detail


@router.get("/entities", response_model=EntityList, responses=error_responses(422))
def list_entities(
    store: StoreDep,
    type: Annotated[EntityType | None, Query(description="partnership or operation")] = None,
    council: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[str | None, Query(max_length=100, description="partnership kind id")] = None,
    q: Annotated[str | None, Query(max_length=200, description="name contains")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EntityList:
    """Canonical partnerships and operations (resolved at ingest, the same set as `councilpapers entities`),
    most widely named first, with the councils naming them."""
    rows = list(entities(store, type, kind or None, council or None))
    if q:
        needle = q.lower()
        rows = [r for r in rows if needle in r.name.lower() or needle == (r.acronym or "").lower()]
    return EntityList(
        total=len(rows),
        offset=offset,
        limit=limit,
        entities=[entity_summary(r) for r in rows[offset : offset + limit]],
    )


@router.get("/entities/{entity_id:path}", response_model=EntityOut, responses=error_responses(404))
def get_entity(
    store: StoreDep,
    entity_id: Annotated[str, Path(description='"type:name" as listed, or a name or acronym')],
) -> EntityOut:
    """One partnership or operation: its names and every mention, with council, paper, page, paragraph."""
    return entity_out(find_entity(store, entity_id))

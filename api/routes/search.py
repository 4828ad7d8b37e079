"""GET /search: the library's hybrid search (`index.search.search_page`), the same as `councilpapers search`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api.deps import IsoDate, RuntimeDep, SettingsDep, StoreDep
from api.errors import ApiError, error_responses
from api.querytext import ACCEPTED, MAX_QUERY, cut_query
from api.schemas import SearchHit, SearchResponse
from index.names import UnknownName, resolve_filters
from index.runtime import Runtime
from index.search import SearchFilters, SearchPage, SearchResult, search_page
from index.store import Store
from ingest.settings import Settings
from nlp.sections import roles

router = APIRouter(tags=["search"])
MAX_OFFSET = 1000
Mode = Literal["hybrid", "keyword", "dense"]
Group = Literal["passage", "paper"]


def search_filters(
    council: Annotated[str | None, Query(max_length=200, description="council name")] = None,
    committee: Annotated[str | None, Query(max_length=200, description="committee name")] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="meetings on or after (YYYY-MM-DD)")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="meetings on or before (YYYY-MM-DD)")
    ] = None,
    theme: Annotated[str | None, Query(max_length=100, description="theme id")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="partnership or operation name")] = None,
    document: Annotated[str | None, Query(max_length=64, description="document id")] = None,
    section: Annotated[
        str | None,
        Query(
            max_length=40,
            description="section role: recommendations, financial, "
            "legal, resolution ... (nlp/data/section_roles.jsonl)",
        ),
    ] = None,
) -> SearchFilters:
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, f"from ({date_from}) is after to ({date_to})", "from")
    if section and section not in roles():
        raise ApiError(
            422, f"section {section!r}: not a section role (one of {', '.join(roles())})", "section"
        )
    return SearchFilters(
        council=council or None,
        committee=committee or None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        theme=theme or None,
        entity=entity or None,
        document=document or None,
        section=section or None,
    )


FiltersDep = Annotated[SearchFilters, Depends(search_filters)]


def resolved_filters(store: Store, filters: SearchFilters) -> SearchFilters:
    """The filters with council and committee resolved to stored names (index.names); a name that matches
    none is a 422 whose message suggests the closest."""
    try:
        return resolve_filters(store, filters)
    except UnknownName as e:
        raise ApiError(422, str(e), e.field) from None


def paper_url(r: SearchResult) -> str:
    return f"/app/papers/{r.document}#p{r.passage}"


def run_search(
    store: Store,
    settings: Settings,
    q: str,
    mode: str,
    filters: SearchFilters,
    offset: int,
    limit: int,
    group: str = "passage",
    runtime: Runtime | None = None,
) -> SearchPage:
    """One call of the library for both the JSON route and the search page (`q` already cut, `cut_query`)."""
    query = q.strip()
    if not query:
        raise ApiError(422, "q: the query is empty", "q")
    try:
        return search_page(
            store,
            query,
            settings=settings,
            mode=mode,
            k=offset + limit,  # type: ignore[arg-type]
            filters=filters,
            facets=True,
            group=group,
            runtime=runtime,
        )  # type: ignore[arg-type]
    except ValueError as e:
        raise ApiError(400, str(e), "q") from None


@router.get("/search", response_model=SearchResponse, responses=error_responses(400, 422))
def search(
    store: StoreDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    filters: FiltersDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=ACCEPTED,
            description=f"what to look for; cut to its first {MAX_QUERY} characters "
            "(the response's `note` says so)",
        ),
    ],
    mode: Annotated[Mode, Query(description="hybrid, keyword or dense")] = "hybrid",
    group: Annotated[
        Group, Query(description="passage, or paper: the best passage of each paper and how many more it has")
    ] = "passage",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResponse:
    """Passages best first, each with its paper, council, committee, date, page and paragraph."""
    q, note = cut_query(q)
    page = run_search(
        store, settings, q, mode, resolved_filters(store, filters), offset, limit, group, runtime
    )
    shown = page.results[offset : offset + limit]
    kinds = store.paper_kinds(sorted({r.document for r in shown}))
    hits = [
        SearchHit(
            **{
                **asdict(r),
                "pages": list(r.pages),
                "heading_path": list(r.heading_path),
                "matches": list(r.matches),
            },
            url=paper_url(r),
            paper_kind=kinds.get(r.document),
        )
        for r in shown
    ]
    return SearchResponse(
        query=q,
        mode=mode,
        total=page.total,
        group=group,
        offset=offset,
        limit=limit,
        results=hits,
        facets=page.facets,
        note=note,
    )

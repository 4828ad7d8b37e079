"""GET /precedents: how other councils have tackled a problem (`index.precedents.precedents`)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import RuntimeDep, SettingsDep, StoreDep
from api.errors import ApiError, ErrorBody, error_responses
from api.querytext import ACCEPTED, cut_query
from index import precedents as lib
from index.names import UnknownName, resolve_name
from index.runtime import Runtime
from index.store import Store
from ingest.settings import Settings

router = APIRouter(tags=["precedents"])


def to_json(value: Any) -> Any:
    """Library results (frozen dataclasses, tuples) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    return value


def find_precedents(
    store: Store,
    settings: Settings,
    query: str | None,
    exclude_council: str | None,
    like: str | None = None,
    runtime: Runtime | None = None,
) -> Any:
    """The one library call behind the JSON route and the precedents page; an `exclude_council` that matches
    no stored council (index.names) is a 422 suggesting the closest."""
    if not like and (not query or not query.strip()):
        raise ApiError(422, "q: give a problem to look for (or like=DOC_ID)", "q")
    if exclude_council:
        try:
            exclude_council = resolve_name(store, "council", exclude_council)
        except UnknownName as e:
            raise ApiError(422, str(e), "exclude_council") from None
    try:
        return lib.precedents(
            store,
            (query or "").strip() or None,
            settings=settings,
            like=like,
            exclude_council=exclude_council,
            runtime=runtime,
        )
    except LookupError as e:  # no paper with the id given as `like`
        raise ApiError(404, str(e).removeprefix("--"), "like") from None
    except ValueError as e:
        raise ApiError(422, str(e), "like" if like else "q") from None


@router.get(
    "/precedents",
    response_model=dict[str, Any],
    responses={
        **error_responses(404),
        422: {
            "model": ErrorBody,
            "description": "neither q nor like given, q blank, or a "
            "parameter out of range (q and like are each optional, but one is needed)",
        },
    },
)
def precedents(
    store: StoreDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    q: Annotated[
        str | None,
        Query(
            max_length=ACCEPTED,
            description="a problem, in words (required unless `like` is given; cut to 500 characters)",
        ),
    ] = None,
    exclude_council: Annotated[
        str | None, Query(max_length=200, description="leave out this council")
    ] = None,
    like: Annotated[str | None, Query(max_length=64, description="papers like this document id")] = None,
) -> dict[str, Any]:
    """Named operations, projects and schemes other councils used, with the passages describing them,
    grouped by council, ranked, each cited."""
    found = find_precedents(
        store, settings, cut_query(q)[0] if q else q, exclude_council or None, like or None, runtime
    )
    as_json = getattr(lib, "precedents_json", None)
    out = as_json(found) if as_json else to_json(found)
    return out if isinstance(out, dict) else {"query": q, "like": like, "results": out}

"""Saved searches over HTTP (index.alerts): list and read them, their matches and Atom feeds; create and
delete them with the API key (like POST/DELETE /documents). The same library calls as `councilpapers alerts`.

Without the key nothing private shows: no webhook URL (it may hold credentials, and names where digests
go), and no saved search with an e-mail recipient (a subscription is its subscriber's business)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import PoolDep, SettingsDep, StoreDep, WriteAccess, api_key_problem
from api.errors import ApiError, error_responses
from index.alerts import AlertError, AlertSpec, alert_json, atom_feed, match_json
from index.alerts import add_alert as save_alert
from index.links import absolute
from index.names import UnknownName, resolve_or_keep
from index.store import Store
from index.store.alerts import Alert

router = APIRouter(tags=["alerts"])
AlertId = Annotated[int, Path(ge=1, le=2**62, description="saved search id")]


class AlertIn(BaseModel):
    query: str = Field(default="", max_length=500, description="words to look for (search's relevance floor)")
    councils: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    committees: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    theme: str | None = Field(default=None, max_length=100, description="theme id")
    entity: str | None = Field(default=None, max_length=200, description="partnership or operation")
    webhook: str | None = Field(
        default=None, max_length=2000, description="POSTed a JSON digest by `alerts run`"
    )
    name: str = Field(default="", max_length=200)


class AlertOut(BaseModel):
    id: int
    name: str
    query: str
    councils: list[str]
    committees: list[str]
    theme: str | None
    entity: str | None
    webhook: str | None = Field(description="shown only with the API key")
    created_at: str
    last_run_at: str | None
    feed: str = Field(description="the saved search's Atom feed")
    email: str | None = Field(default=None, description="its e-mail recipient (shown only with the API key)")
    every: str | None = Field(default=None, description="how often e-mail goes: now, daily, weekly")
    confirmed: bool = Field(default=False, description="whether its e-mail recipient has confirmed")


class MatchOut(BaseModel):
    alert_id: int
    document_id: str
    title: str | None
    source: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int | None
    page: int | None
    paragraph: str | None
    text: str = Field(description="the passage that matched")
    score: float | None
    found_at: str
    reported: bool
    url: str = Field(description="the paper page at that passage")
    link: str | None = Field(
        default=None, description="the same under COUNCILPAPERS_PUBLIC_URL (null when unset)"
    )


class AlertList(BaseModel):
    alerts: list[AlertOut]


class MatchList(BaseModel):
    alert: AlertOut
    matches: list[MatchOut]


def has_key(
    settings: SettingsDep,
    x_api_key: Annotated[
        str | None,
        Header(
            max_length=1000, description="the API key: with it, webhook URLs and e-mail subscriptions show"
        ),
    ] = None,
) -> bool:
    """Whether the request carries the right API key (reads work without one; they show less)."""
    return x_api_key is not None and api_key_problem(settings.api_key, x_api_key) is None


KeyGiven = Annotated[bool, Depends(has_key)]


def _out(a: Alert, private: bool = True) -> AlertOut:
    return AlertOut(**alert_json(a, private=private))


def _alert_or_404(store: Store, alert_id: int, private: bool = True) -> Alert:
    a = store.alerts().get(alert_id)
    if a is None or (a.email and not private):
        raise ApiError(404, f"no saved search with id {alert_id}", "alert_id")
    return a


@router.get("/alerts", response_model=AlertList)
def list_alerts(store: StoreDep, key: KeyGiven) -> AlertList:
    """Every saved search (with the API key: with webhook URLs, and the e-mail subscriptions too)."""
    return AlertList(alerts=[_out(a, key) for a in store.alerts().all(with_email=key)])


@router.post(
    "/alerts", response_model=AlertOut, status_code=201, responses=error_responses(400, 401, 403, 422)
)
def add_alert(_: WriteAccess, settings: SettingsDep, pool: PoolDep, body: AlertIn) -> AlertOut:
    """Save a search: words with filters, an entity or a theme, within councils and committees. A webhook
    must be a public address (not loopback, private or link-local, after DNS) unless
    COUNCILPAPERS_WEBHOOK_ALLOW_PRIVATE is set."""
    store = pool.get()
    councils, committees = alert_names(store, body.councils, body.committees)
    try:
        # saved searches are rows of SQLite only: its own write lock serialises them, even during an ingest
        a = save_alert(
            store,
            AlertSpec(
                query=body.query,
                councils=councils,
                committees=committees,
                theme=body.theme,
                entity=body.entity,
                webhook=body.webhook,
                name=body.name,
            ),
            settings,
        )
    except AlertError as e:
        raise ApiError(400, str(e), str(e).split(":")[0] if ":" in str(e) else "query") from None
    return _out(a)


def alert_names(
    store: Store, councils: list[str], committees: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Councils and committees as stored (index.names.resolve_or_keep: a council whose papers are not in yet is
    kept); a misspelt or ambiguous one is a 422 suggesting the closest."""
    try:
        return (
            tuple(resolve_or_keep(store, "council", councils)),
            tuple(resolve_or_keep(store, "committee", committees)),
        )
    except UnknownName as e:
        raise ApiError(422, str(e), e.field + "s") from None


@router.delete("/alerts/{alert_id}", response_model=AlertOut, responses=error_responses(401, 403, 404))
def delete_alert(_: WriteAccess, pool: PoolDep, alert_id: AlertId) -> AlertOut:
    """Delete a saved search and its matches."""
    store = pool.get()
    a = _alert_or_404(store, alert_id)
    store.alerts().remove(alert_id)
    return _out(a)


@router.get("/alerts/{alert_id}", response_model=MatchList, responses=error_responses(404))
def get_alert(store: StoreDep, settings: SettingsDep, key: KeyGiven, alert_id: AlertId) -> MatchList:
    """A saved search and the papers it matched, newest first, each with the passage that matched."""
    a = _alert_or_404(store, alert_id, key)
    return MatchList(
        alert=_out(a, key),
        matches=[MatchOut(**match_json(m, settings.public_url)) for m in store.alerts().matches(a.id)],
    )


@router.get(
    "/feeds/{alert_id}.atom",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {}}, "description": "the Atom feed"},
        **error_responses(404),
    },
)
def feed(
    store: StoreDep, settings: SettingsDep, request: Request, key: KeyGiven, alert_id: AlertId
) -> Response:
    """A saved search's Atom feed: one entry per matched paper, citing the passage that matched."""
    a = _alert_or_404(store, alert_id, key)
    base = absolute(settings.public_url, "") or str(request.base_url)
    body: Any = atom_feed(a, store.alerts().matches(a.id, limit=100), base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")

"""Web pages for saved searches (mounted at /app): the list, one saved search with its matches and feed,
and the two "Follow" forms of the search and entity pages: by e-mail, with no key (POST
/app/subscriptions, as POST /subscriptions), and for everyone, with the API key (as POST /alerts).
Saved searches with an e-mail recipient are private: not listed, not shown."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import PoolDep, SettingsDep, StoreDep, require_api_key
from api.errors import ApiError
from api.routes.alerts import alert_names
from api.routes.subscriptions import check_inbox, take_subscription
from api.templating import render
from index.alerts import AlertError, AlertSpec, add_alert, citation, describe, paper_link

router = APIRouter()
Text = Annotated[str, Form(max_length=500)]


@router.get("/alerts")
def alerts_page(request: Request, store: StoreDep) -> Response:
    return render(
        request, "alerts.html", {"alerts": store.alerts().all(with_email=False), "describe": describe}
    )


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, store: StoreDep, alert_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    a = store.alerts().get(alert_id)
    if a is None or a.email:
        raise ApiError(404, f"no saved search with id {alert_id}", "alert_id")
    return render(
        request,
        "alert.html",
        {
            "a": a,
            "matches": store.alerts().matches(a.id),
            "describe": describe(a),
            "citation": citation,
            "link": paper_link,
        },
    )


def _spec(query: str, council: str, committee: str, theme: str, entity: str, name: str, **more: str):  # noqa: ANN202

    return AlertSpec(
        query=query,
        councils=(council,) if council else (),
        committees=(committee,) if committee else (),
        theme=theme or None,
        entity=entity or None,
        name=name,
        **more,
    )


@router.post("/alerts")
def follow(
    settings: SettingsDep,
    pool: PoolDep,
    api_key: Text = "",
    query: Text = "",
    council: Text = "",
    committee: Text = "",
    theme: Text = "",
    entity: Text = "",
    name: Text = "",
) -> Response:
    """Save the search (or entity) the page shows for everyone; then show the saved search, with its feed."""
    require_api_key(settings, api_key or None)
    store = pool.get()
    spec = _spec(query, council, committee, theme, entity, name)
    councils, committees = alert_names(store, list(spec.councils), list(spec.committees))
    try:
        # SQLite rows only: no store write lock needed
        a = add_alert(store, replace(spec, councils=councils, committees=committees), settings)
    except AlertError as e:
        raise ApiError(400, str(e), "query") from None
    return RedirectResponse(f"/app/alerts/{a.id}", status_code=303)


@router.post("/subscriptions")
def follow_by_email(
    request: Request,
    settings: SettingsDep,
    pool: PoolDep,
    email: Text = "",
    every: Text = "now",
    query: Text = "",
    council: Text = "",
    committee: Text = "",
    theme: Text = "",
    entity: Text = "",
    name: Text = "",
) -> Response:
    """Follow the search (or entity) the page shows by e-mail: a confirmation link is e-mailed."""
    stored = take_subscription(
        request,
        settings,
        pool,
        _spec(query, council, committee, theme, entity, name, email=email, every=every),
    )
    return render(request, "alert_subscription.html", {"state": "check", "message": check_inbox(stored)})

"""Web pages for saved searches (mounted at /app): the list, one saved search with its matches and feed,
and the "follow" form of the search and entity pages (which needs the API key, as POST /alerts does)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import PoolDep, SettingsDep, StoreDep, require_api_key
from api.errors import ApiError
from api.templating import render

router = APIRouter()
Text = Annotated[str, Form(max_length=500)]


@router.get("/alerts")
def alerts_page(request: Request, store: StoreDep) -> Response:
    from index.alerts import describe

    return render(request, "alerts.html", {"alerts": store.alerts().all(), "describe": describe})


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, store: StoreDep,
               alert_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    from index.alerts import citation, describe, paper_link

    a = store.alerts().get(alert_id)
    if a is None:
        raise ApiError(404, f"no saved search with id {alert_id}", "alert_id")
    return render(request, "alert.html", {"a": a, "matches": store.alerts().matches(a.id), "describe": describe(a),
                                          "citation": citation, "link": paper_link})


@router.post("/alerts")
def follow(settings: SettingsDep, pool: PoolDep, api_key: Text = "", query: Text = "", council: Text = "",
           committee: Text = "", theme: Text = "", entity: Text = "", name: Text = "") -> Response:
    """Save the search (or entity) the page shows; then show the saved search, with its feed."""
    from api.routes.alerts import alert_names
    from index.alerts import AlertError, AlertSpec, add_alert

    require_api_key(settings, api_key or None)
    store = pool.get()
    councils, committees = alert_names(store, [council] if council else [], [committee] if committee else [])
    spec = AlertSpec(query=query, councils=councils, committees=committees, theme=theme or None,
                     entity=entity or None, name=name)
    try:
        a = add_alert(store, spec)  # SQLite rows only: no store write lock needed
    except AlertError as e:
        raise ApiError(400, str(e), "query") from None
    return RedirectResponse(f"/app/alerts/{a.id}", status_code=303)

"""GET /health: the store answers, with its counts; HEAD /health, the same check without a body."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.client import STORE_HEADER, store_tag
from api.deps import SettingsDep, StoreDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    counts = store.counts()
    return Health(
        status="ok",
        version="0.1.0",
        documents=counts["documents"],
        passages=counts["passages"],
        entities=counts["entities"],
        writes_enabled=bool(settings.api_key),
    )


@router.head("/health", response_class=Response, responses={200: {"description": "the store answers"}})
def health_head(store: StoreDep, settings: SettingsDep) -> Response:
    """For load balancers and uptime checks; its header tags the store served, for the command line."""
    store.counts()
    return Response(status_code=200, headers={STORE_HEADER: store_tag(settings.store)})

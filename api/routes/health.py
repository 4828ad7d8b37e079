"""GET /health: the store answers, with its counts."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    counts = store.counts()
    return Health(status="ok", version="0.1.0", documents=counts["documents"], passages=counts["passages"],
                  entities=counts["entities"], writes_enabled=bool(settings.api_key))

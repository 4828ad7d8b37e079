"""Request dependencies: the settings and store of the app, lookups that 404, the API-key check.

The app holds one `Store` per worker thread (SQLite connections are cheap but not free, and
a connection is best used by one thread at a time); tests override `get_settings`.
"""

from __future__ import annotations

import hmac
import threading
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BeforeValidator

from api.errors import ApiError
from index.reads import DocumentDetail
from index.runtime import Runtime
from index.store import Store
from ingest.dates import is_iso_day
from ingest.isolated import IsolatedParser
from ingest.settings import Settings


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would take `0` or `1700000000` as a Unix time."""
    if not isinstance(value, date) and not is_iso_day(str(value)):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


# a date parameter or form field: the schema says `format: date`, and only that is accepted
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class StorePool:
    """One open `Store` per thread, over one store folder; `close_all()` at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.settings)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close_all(self) -> None:
        with self._lock:
            for store in self._all:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - a connection of a finished thread
                    pass
            self._all.clear()
        self._local = threading.local()


def get_parser(request: Request) -> IsolatedParser:
    return request.app.state.parser


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.stores.get()


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_pool(request: Request) -> StorePool:
    return request.app.state.stores


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PoolDep = Annotated[StorePool, Depends(get_pool)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ParserDep = Annotated[IsolatedParser, Depends(get_parser)]


def get_document_or_404(
    doc_id: Annotated[str, Path(description="document id (content hash)")], store: StoreDep
) -> DocumentDetail:
    detail = store.get_document(doc_id)
    if detail is None:
        raise ApiError(404, f"no document with id {doc_id!r}", "doc_id")
    return detail


DocumentDep = Annotated[DocumentDetail, Depends(get_document_or_404)]


def api_key_problem(configured: str, given: str | None) -> tuple[int, str] | None:
    """(status, message) when a write must be refused; None when the key is right (constant-time)."""
    if not configured:
        return 403, "writes are disabled: no API key is configured on this server (set COUNCILPAPERS_API_KEY)"
    if not given:
        return 401, "missing X-API-Key header"
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), configured.encode("utf-8")):
        return 403, "wrong API key"
    return None


# the OpenAPI security scheme of writes (Swagger UI's "Authorize" asks for it once)
API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="the API key for writes (COUNCILPAPERS_API_KEY on the server)",
)


def require_api_key(
    settings: SettingsDep, x_api_key: Annotated[str | None, Security(API_KEY_HEADER)] = None
) -> None:
    """Writes need `X-API-Key` equal to Settings.api_key; no key configured: writes off. `api.limits.ApiKeyGate`
    has checked this before the body was read."""
    problem = api_key_problem(settings.api_key, x_api_key)
    if problem:
        raise ApiError(problem[0], problem[1], "x-api-key")


WriteAccess = Annotated[None, Depends(require_api_key)]

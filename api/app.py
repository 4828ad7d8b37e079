"""`create_app(settings)`: the HTTP API (JSON, OpenAPI at /docs) and the web app (under /app).

Nothing is built at import time: the store pool, the templates and the routers are made
here, so tests build an app per store. Every route is a thin layer over the library
functions the command line calls.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from api.deps import StorePool
from api.errors import error_responses, install_error_handlers
from api.limits import ApiKeyGate, BodyLimit, DropEmptyFormFields, SecurityHeaders
from api.ratelimit import SubscribeLimits
from api.routes import alerts, compare, documents, entities, health, history, pages, precedents, search
from api.routes import subscriptions as subscribe
from api.routes.alert_pages import router as alert_pages
from api.templating import HERE, build_templates
from index.pipeline import extract_paper
from index.runtime import Runtime
from ingest.isolated import IsolatedParser
from ingest.settings import Settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from fastapi import FastAPI

THREADS = 4
DESCRIPTION = (
    "Search, read, compare and export UK local-council committee papers. Every finding cites "
    "its paper, page and paragraph. Writes (POST/DELETE /documents) need the X-API-Key header."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    from fastapi.responses import RedirectResponse
    from fastapi.staticfiles import StaticFiles
    from fastapi_offline import FastAPIOffline

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        # a few worker threads, not anyio's 40: requests are CPU-bound (GIL, model, FAISS) on a
        # small machine, so more threads only add contention and tail latency
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        app.state.runtime.close()  # its search threads, waiting for running searches
        app.state.stores.close_all()
        app.state.parser.close()

    # the docs pages load Swagger UI and ReDoc from the fastapi-offline package, not a CDN
    app = FastAPIOffline(
        title="councilpapers",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url="/static-docs",
        favicon_url="/static-docs/favicon.png",
    )
    app.state.settings = settings
    app.state.stores = StorePool(settings)
    app.state.runtime = Runtime.start(settings)  # the model, vectors and search threads, made on first use
    app.state.parser = IsolatedParser(settings, then=extract_paper)  # uploads: parsed and extracted apart
    app.state.templates = build_templates()
    app.state.subscribe_limits = SubscribeLimits(
        settings.subscribe_per_client, settings.subscribe_per_address
    )
    install_error_handlers(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET"],
            allow_headers=["X-API-Key"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(DropEmptyFormFields)
    app.add_middleware(ApiKeyGate, api_key=settings.api_key)
    # outside Starlette's own error middleware too, so that a 500 carries the headers as well
    inner_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(inner_stack())  # type: ignore[method-assign]
    for module in (search, documents, history, entities, compare, precedents, health, alerts, subscribe):
        # every route may answer 422 (bad parameters) and 500, both in the one error shape
        app.include_router(module.router, responses=error_responses(422, 500))
    app.include_router(pages.router, prefix="/app", include_in_schema=False)
    app.include_router(alert_pages, prefix="/app", include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:  # browsers ask for it whatever the page says
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/app/search")

    return app

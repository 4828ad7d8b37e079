"""One error shape at the HTTP edge: `{"error": {"message": ..., "field": ...}}` for every 4xx and 5xx.

Routes raise `ApiError` (or FastAPI's `HTTPException`); validation errors name the field at
fault; anything unexpected is logged and answered with a plain 500, never a stack trace.
Web-app pages (paths under `/app`) get the same message as a small HTML page instead.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from fastapi.responses import Response

log = logging.getLogger("councilpapers.api")
PAGE_PREFIX = "/app"


class ErrorDetail(BaseModel):
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """A user-facing failure: status code, one-line message and the field at fault (if any)."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error codes a route can answer with."""
    return {code: {"model": ErrorBody, "description": "error"} for code in codes}


def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "field": field}}


def _respond(request: Request, status: int, message: str, field: str | None = None,
             headers: dict[str, str] | None = None) -> Response:
    from fastapi.responses import JSONResponse

    if request.url.path.startswith(PAGE_PREFIX) and status != 405:
        from api.templating import render_error

        return render_error(request, status, message)
    return JSONResponse(error_body(message, field), status_code=status, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "form", "cookie")]
    return ".".join(parts) or (str(loc[0]) if loc else None)


def install_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _respond(request, exc.status, exc.message, exc.field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        return _respond(request, exc.status_code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        field = _field(first.get("loc", ()))
        message = str(first.get("msg", "invalid request"))
        return _respond(request, 422, f"{field}: {message}" if field else message, field)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(request, 500, f"internal error ({type(exc).__name__}); see the server log")

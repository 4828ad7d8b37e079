"""One error shape at the HTTP edge: `{"error": {"message": ..., "field": ...}}` for every 4xx and 5xx.

Routes raise `ApiError` (or FastAPI's `HTTPException`); validation errors name the field at
fault; anything unexpected is logged and answered with a plain 500, never a stack trace.
Web-app pages (paths under `/app`) get the same message as a small HTML page instead.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from api.templating import render_error

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


def _respond(
    request: Request,
    status: int,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    from fastapi.responses import JSONResponse

    if request.url.path.startswith(PAGE_PREFIX) and status != 405:
        return render_error(request, status, message)
    return JSONResponse(error_body(message, field), status_code=status, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "form", "cookie")]
    return ".".join(parts) or (str(loc[0]) if loc else None)


def path_operations(app: Any, path: str) -> dict[str, dict[str, Any]]:
    """method (upper case) -> OpenAPI operation, for every operation of the schema whose path matches."""
    import re

    found: dict[str, dict[str, Any]] = {}
    for template, ops in app.openapi().get("paths", {}).items():
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}/]+\}", template))
        if re.fullmatch(pattern, path):
            found.update({m.upper(): op for m, op in ops.items() if isinstance(op, dict)})
    return found


def allowed_methods(request: Request) -> list[str]:
    """Every method the API answers at this path (Starlette lists only those of the first route matched)."""
    methods = set(path_operations(request.app, request.url.path))
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


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
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
            allowed = allowed_methods(request)  # pages outside the schema keep Starlette's list
            headers = {**(headers or {}), **({"Allow": ", ".join(allowed)} if allowed else {})}
        return _respond(request, exc.status_code, message, None, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        field = _field(first.get("loc", ()))
        message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        return _respond(request, 422, f"{field}: {message}" if field else message, field)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(request, 500, f"internal error ({type(exc).__name__}); see the server log")

"""Request hygiene before routing: a body limit enforced as the body streams in (before any multipart
parsing), and empty web-form fields dropped."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from api.deps import api_key_problem
from api.errors import path_operations

MULTIPART_OVERHEAD = 64 * 1024  # form boundaries and small fields around the file


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI middleware: a POST whose body passes `limit` bytes gets 413 in the one error shape."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit + MULTIPART_OVERHEAD

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0
        over = False  # once over the limit, whatever the app answers is replaced by one 413
        sent = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal sent
            if not over:
                await send(message)
            elif not sent:
                sent = True
                await _too_large(send, self.limit)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            pass
        if over and not sent:
            await _too_large(send, self.limit)


async def _too_large(send: Any, limit: int) -> None:
    body = json.dumps(
        {
            "error": {
                "message": f"upload is over the limit of {(limit - MULTIPART_OVERHEAD) / 1e6:.1f}"
                " MB (COUNCILPAPERS_MAX_UPLOAD_BYTES)",
                "field": "file",
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class DropEmptyFormFields:
    """Web-app pages: an HTML form sends every empty field (`from=&to=`); drop them so they mean "any"."""

    def __init__(self, app: Any, prefix: str = "/app") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix) and scope.get("query_string"):
            from urllib.parse import parse_qsl, urlencode

            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = urlencode([(k, v) for k, v in pairs if v.strip()])
            scope = {**scope, "query_string": kept.encode("latin-1")}
        await self.app(scope, receive, send)


# Content-Security-Policy of every answer: the web app loads only its own script and style files
# (no inline code, no other origins); nothing may frame it.
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# the API docs pages (Swagger UI, ReDoc, served from the fastapi-offline package) start with an inline script
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
SECURITY_HEADERS = MappingProxyType(
    {
        b"x-content-type-options": b"nosniff",
        b"x-frame-options": b"DENY",
        b"referrer-policy": b"same-origin",
        b"cross-origin-opener-policy": b"same-origin",
        b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
    }
)


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
    return [*SECURITY_HEADERS.items(), (b"content-security-policy", csp.encode())]


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every answer (a route's own value wins, as the
    original-file route's sandbox CSP does)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"])

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in have]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ApiKeyGate:
    """Pure ASGI middleware: a write operation (one the OpenAPI schema secures with the API key, through
    `api.deps.require_api_key`) is refused on its headers alone, before a byte of its body is read or
    parsed. The dependency checks again."""

    def __init__(self, app: Any, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in ("GET", "HEAD", "OPTIONS")
            and _takes_key(scope)
        ):
            given = dict(scope.get("headers") or []).get(b"x-api-key")
            problem = api_key_problem(self.api_key, given.decode("latin-1") if given is not None else None)
            if problem:
                await _json_error(send, problem[0], problem[1], "x-api-key")
                return
        await self.app(scope, receive, send)


def _takes_key(scope: dict[str, Any]) -> bool:
    op = path_operations(scope["app"], scope["path"]).get(scope["method"], {})
    return any("ApiKey" in requirement for requirement in op.get("security", ()))


async def _json_error(send: Any, status: int, message: str, field: str | None) -> None:
    body = json.dumps({"error": {"message": message, "field": field}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

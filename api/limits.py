"""Request hygiene before routing: a body limit enforced as the body streams in (before any multipart
parsing), and empty web-form fields dropped."""
from __future__ import annotations

import json
from typing import Any

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
    body = json.dumps({"error": {"message": f"upload is over the limit of {(limit - MULTIPART_OVERHEAD) / 1e6:.1f}"
                                            " MB (COUNCILPAPERS_MAX_UPLOAD_BYTES)", "field": "file"}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
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

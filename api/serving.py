"""Run the app with uvicorn: the HTTP protocol class, and a free loopback port in a background thread
(tests, screenshots)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api.app import create_app
from api.limits import security_headers
from ingest.settings import Settings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def http_protocol() -> type[Any]:
    """uvicorn's h11 protocol, but a request it cannot parse (`Content-Length: abc`, a broken request
    line) is answered in the API's one JSON error shape, with the security headers, not in plain text.

    Pinned to uvicorn's `H11Protocol.send_400_response(msg)` (uvicorn 0.29 to 0.54 at least)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class JsonErrorProtocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            body = json.dumps(
                {"error": {"message": f"malformed HTTP request: {msg}", "field": None}}
            ).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *security_headers("/"),
            ]
            for event in (
                h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event))
            self.transport.close()

    return JsonErrorProtocol


@contextmanager
def background_server(settings: Settings, timeout: float = 30.0, app: Any = None) -> Iterator[str]:
    """Serve `app` (default `create_app(settings)`) on 127.0.0.1 and a free port; yield the base URL; stop on
    exit."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        app if app is not None else create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        http=http_protocol(),
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="councilpapers-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

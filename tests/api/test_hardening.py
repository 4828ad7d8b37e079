"""HTTP hardening: security headers on every answer, API docs without a CDN, HEAD /health, and the one JSON
error shape even for requests uvicorn cannot parse."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from api.limits import CSP, DOCS_CSP
from ingest.settings import Settings

ANSWERS = [
    "/health",
    "/documents",
    "/search?q=antisocial%20behaviour",
    "/app/search",
    "/app/search?q=parking",
    "/no/such/route",
    "/documents?to=0",
    "/static/app.js",
    "/openapi.json",
]


@pytest.mark.parametrize("url", ANSWERS)
def test_security_headers_on_every_answer(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src" not in CSP  # own files only, no inline script
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


def test_original_file_keeps_its_sandbox(client: TestClient, seed_docs: dict[str, str]) -> None:
    doc = next(iter(seed_docs.values()))
    r = client.get(f"/documents/{doc}/file")
    assert r.headers["content-security-policy"] == "sandbox; default-src 'none'"


def test_unexpected_error_has_headers_too(seed_settings: Settings, monkeypatch) -> None:  # noqa: ANN001
    from api.app import create_app
    from index.store import Store

    def broken(self: Store) -> dict[str, int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "counts", broken)
    with TestClient(create_app(seed_settings), raise_server_exceptions=False) as c:
        r = c.get("/health")
    assert r.status_code == 500 and r.json()["error"]["message"].startswith("internal error (RuntimeError)")
    assert r.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_nothing_from_elsewhere(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200 and r.headers["content-security-policy"] == DOCS_CSP
    assets = [
        a
        for a in (
            "/static-docs/swagger-ui-bundle.js",
            "/static-docs/swagger-ui.css",
            "/static-docs/redoc.standalone.js",
        )
        if a in r.text
    ]
    assert assets and "https://" not in r.text.replace("https://fastapi.tiangolo.com", "")
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 10_000


def test_head_health(client: TestClient) -> None:
    r = client.head("/health")
    assert r.status_code == 200 and r.content == b""


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
    ],
)
def test_malformed_request_gets_the_json_error(seed_settings: Settings, request_bytes: bytes) -> None:
    import json

    from api.serving import background_server

    with background_server(seed_settings) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(request_bytes)
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert (
        b"content-type: application/json" in head.lower()
        and b"x-content-type-options: nosniff" in head.lower()
    )
    assert json.loads(body)["error"]["message"].startswith("malformed HTTP request")

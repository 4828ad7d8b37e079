"""One JSON error shape for every 4xx/5xx of every route; pages escape everything they show."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# (method, url, status): one failing request for each route
FAILING = [
    ("GET", "/search", 422),  # q missing
    ("GET", "/search?q=fraud&mode=psychic", 422),
    ("GET", "/search?q=fraud&limit=0", 422),
    ("GET", "/search?q=fraud&from=2024-13-01", 422),
    ("GET", "/search?q=fraud&from=2024-05-01&to=2024-01-01", 422),
    ("GET", "/search?q=%20%20", 422),
    ("GET", "/documents?limit=100000", 422),
    ("GET", "/documents?to=0", 422),  # not taken as a Unix time
    ("GET", "/documents?from=1700000000", 422),
    ("GET", "/documents/0000000000000000", 404),
    ("GET", "/documents/0000000000000000/file", 404),
    ("GET", "/entities?type=person", 422),
    ("GET", "/entities/operation:no%20such%20operation", 404),
    ("GET", "/compare?cols=weather", 422),
    ("GET", "/compare?format=pdf", 422),
    ("GET", "/compare?to=0", 422),
    ("GET", "/precedents", 422),
    ("GET", "/precedents?like=ffffffffffffffff", 404),
    ("POST", "/documents", 401),  # no key sent
    ("DELETE", "/documents/0000000000000000", 401),
    ("GET", "/no/such/route", 404),
    ("PUT", "/health", 405),
]


@pytest.mark.parametrize(("method", "url", "status"), FAILING)
def test_error_shape(client: TestClient, method: str, url: str, status: int) -> None:
    r = client.request(method, url)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "field"}
    message = body["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in message


def test_validation_error_names_the_field(client: TestClient) -> None:
    assert client.get("/search?q=fraud&mode=psychic").json()["error"]["field"] == "mode"
    assert client.get("/search").json()["error"]["field"] == "q"
    reversed_dates = client.get("/search?q=fraud&from=2024-05-01&to=2024-01-01").json()["error"]
    assert reversed_dates == {"message": "from (2024-05-01) is after to (2024-01-01)", "field": "from"}


def test_unexpected_error_is_a_plain_500(seed_settings) -> None:  # noqa: ANN001
    from api.app import create_app
    from api.deps import get_store

    app = create_app(seed_settings)

    def broken() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.dependency_overrides[get_store] = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/health")
    assert r.status_code == 500
    assert r.json() == {
        "error": {"message": "internal error (RuntimeError); see the server log", "field": None}
    }


def test_pages_show_errors_as_html(client: TestClient) -> None:
    r = client.get("/app/papers/0000000000000000")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no document with id &#39;0000000000000000&#39;" in r.text


def test_hostile_paper_is_shown_as_text(client: TestClient, seed_docs: dict[str, str]) -> None:
    doc_id = seed_docs["hostile.txt"]
    page = client.get(f"/app/papers/{doc_id}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Operation" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    found = client.get("/app/search", params={"q": "pwned alert script"}).text
    assert "<script>alert" not in found
    echoed = client.get("/app/search", params={"q": '"><script>alert(2)</script>'}).text
    assert "<script>alert(2)" not in echoed and "&lt;script&gt;alert(2)" in echoed


def test_file_of_html_paper_is_a_download(client: TestClient) -> None:
    # served originals can never run in our origin: nosniff, sandboxed, HTML as attachment
    from api.originals import MEDIA_TYPES

    assert MEDIA_TYPES["html"].startswith("text/html")
    r = client.get("/documents/" + client.get("/documents").json()["documents"][0]["id"] + "/file")
    assert r.headers["content-security-policy"].startswith("sandbox")


def test_no_cors_by_default(client: TestClient) -> None:
    r = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_when_configured(seed_settings) -> None:  # noqa: ANN001
    from api.app import create_app

    app = create_app(seed_settings.model_copy(update={"cors_origins": ["https://research.example"]}))
    with TestClient(app) as c:
        r = c.get("/health", headers={"Origin": "https://research.example"})
    assert r.headers["access-control-allow-origin"] == "https://research.example"

"""POST /documents and DELETE /documents/{id}: the API key, each bad input, and a real upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.limits import CSP as CSP_TEXT
from ingest.settings import Settings
from tests.badfiles import BAD_FILES

CSP = CSP_TEXT.encode()

KEY = {"X-API-Key": "test-key-5f2c9a"}
GOOD = (
    b"Licensing Committee\n\n1. Purpose\n\n1.1 Members are asked to note the Pubwatch scheme run with "
    b"Operation Lantern against street drinking in the town centre.\n\n2. Background\n\n2.1 The "
    b"Riverside Street Drinking Partnership has met monthly since April.\n"
)


STATUS = {
    "empty.txt": 400,
    "truncated.pdf": 422,
    "locked.pdf": 422,
    "scanned.pdf": 422,
    "picture.pdf": 415,
    "broken.docx": 422,
}
BAD = {
    name: (data, STATUS[name], phrase) for name, (data, phrase) in BAD_FILES.items()
}  # name -> (bytes, status, phrase)
BAD["big.txt"] = (GOOD * 200, 413, "over the limit")


def _state(settings: Settings) -> tuple[dict[str, int], list[str]]:
    from index.store import Store

    with Store.open(settings, create=False) as store:
        counts = store.counts()
    files = sorted(
        f"{p.relative_to(settings.store)}:{p.stat().st_size}"
        for p in Path(settings.store).rglob("*")
        if p.is_file() and not p.name.startswith("store.sqlite")
    )
    return counts, files


@pytest.fixture()
def writable(fresh_copy: Settings):  # noqa: ANN201
    from api.app import create_app

    settings = fresh_copy.model_copy(update={"max_upload_bytes": 20_000})
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c, settings


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_upload_is_4xx_and_store_unchanged(writable, name: str) -> None:  # noqa: ANN001
    client, settings = writable
    data, status, phrase = BAD[name]
    before = _state(settings)
    r = client.post("/documents", files={"file": (name, data)}, headers=KEY)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert phrase in error["message"] and error["field"] == "file" and "\n" not in error["message"]
    assert _state(settings) == before


def test_writes_need_the_key(writable) -> None:  # noqa: ANN001
    client, _ = writable
    assert client.post("/documents", files={"file": ("a.txt", GOOD)}).status_code == 401
    wrong = client.post("/documents", files={"file": ("a.txt", GOOD)}, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 403 and wrong.json()["error"] == {
        "message": "wrong API key",
        "field": "x-api-key",
    }


def test_writes_disabled_without_a_configured_key(seed_settings: Settings) -> None:
    from api.app import create_app

    app = create_app(seed_settings.model_copy(update={"api_key": ""}))
    with TestClient(app) as c:
        r = c.delete("/documents/0000000000000000", headers={"X-API-Key": ""})
    assert r.status_code == 403 and "writes are disabled" in r.json()["error"]["message"]


def test_upload_search_download_delete(writable) -> None:  # noqa: ANN001
    client, settings = writable
    r = client.post(
        "/documents",
        files={"file": ("../../etc/licensing report.txt", GOOD)},
        data={"council": "Riverside District Council", "meeting_date": "2025-03-04"},
        headers=KEY,
    )
    assert r.status_code == 201, r.text
    doc = r.json()["document"]
    assert doc["council"] == "Riverside District Council" and doc["meeting_date"] == "2025-03-04"
    assert doc["source"].endswith("/licensing_report.txt") and ".." not in doc["source"]
    kept = list((Path(settings.store) / "originals").iterdir())
    assert [p.name for p in kept] == [f"{doc['id']}.txt"]
    hits = client.get(
        "/search", params={"q": "street drinking Pubwatch", "council": "Riverside District Council"}
    )
    assert hits.json()["results"][0]["document"] == doc["id"]
    assert client.get(f"/documents/{doc['id']}/file").content == GOOD
    again = client.post("/documents", files={"file": ("copy.txt", GOOD)}, headers=KEY)
    assert again.status_code == 200 and again.json()["created"] is False
    gone = client.delete(f"/documents/{doc['id']}", headers=KEY)
    assert gone.json() == {"deleted": doc["id"]}
    assert client.get(f"/documents/{doc['id']}").status_code == 404
    assert not list((Path(settings.store) / "originals").iterdir())
    after = client.get("/search", params={"q": "Pubwatch", "council": "Riverside District Council"})
    assert after.status_code == 422  # no stored paper is of that council any more (index.names)
    assert doc["id"] not in {
        r["document"] for r in client.get("/search", params={"q": "Pubwatch"}).json()["results"]
    }


def test_huge_body_is_refused_before_parsing(writable) -> None:  # noqa: ANN001
    client, settings = writable
    before = _state(settings)
    r = client.post("/documents", files={"file": ("huge.txt", b"x" * 200_000)}, headers=KEY)
    assert r.status_code == 413 and r.json()["error"]["field"] == "file"
    assert "COUNCILPAPERS_MAX_UPLOAD_BYTES" in r.json()["error"]["message"]
    assert _state(settings) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("meeting_date", "0"), ("meeting_date", "2025-13-45"), ("title", "x" * 501), ("council", "c" * 201)],
)
def test_upload_form_limits(writable, field: str, value: str) -> None:  # noqa: ANN001
    client, _ = writable
    r = client.post(
        "/documents", files={"file": ("a.txt", b"1. The council met.\n")}, data={field: value}, headers=KEY
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == field


def test_key_checked_before_the_body_is_read(fresh_copy: Settings) -> None:
    import asyncio
    import json

    from api.app import create_app

    app = create_app(fresh_copy)
    reads, sent = [], []

    async def receive() -> dict:
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}  # an endless upload

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/documents",
        "raw_path": b"/documents",
        "query_string": b"",
        "headers": [(b"content-type", b"multipart/form-data; boundary=b"), (b"content-length", b"20000000")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("test", 80),
        "client": ("c", 1),
        "root_path": "",
    }
    asyncio.run(app(scope, receive, send))
    assert reads == []
    assert sent[0]["status"] == 401 and (b"content-security-policy", CSP) in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["error"]["field"] == "x-api-key"


def test_upload_and_removal_wait_for_another_writer_then_503(
    fresh_copy: Settings, seed_docs: dict[str, str]
) -> None:
    from api.app import create_app
    from index.lock import write_lock

    settings = fresh_copy.model_copy(update={"write_timeout": 0.2})
    before = _state(settings)
    with (
        TestClient(create_app(settings), raise_server_exceptions=False) as client,
        write_lock(settings.store),
    ):
        up = client.post("/documents", files={"file": ("a.txt", GOOD)}, headers=KEY)
        gone = client.delete(f"/documents/{next(iter(seed_docs.values()))}", headers=KEY)
    for r in (up, gone):
        assert r.status_code == 503, r.text
        assert "another writer (ingest, upload or remove) has held the store" in r.json()["error"]["message"]
    assert _state(settings) == before

"""One set of canonical entities (resolved at ingest) behind the CLI, the HTTP API and the web pages."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from ingest.settings import Settings
from nlp.normalise import key


def _cli(settings: Settings, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["--store", str(settings.store), "entities", "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_cli_and_http_list_the_same_entities_without_spelling_duplicates(
    seed_settings: Settings, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = _cli(seed_settings, capsys)
    http = client.get("/entities", params={"limit": 500}).json()
    assert http["total"] == len(cli) > 50
    assert {(e["id"], e["name"]) for e in http["entities"]} == {(e["id"], e["name"]) for e in cli}
    # no two entities of one type and scope (council) whose names differ only in spelling
    seen: dict[tuple[str, str, str | None, str], str] = {}
    for e in cli:
        k = (e["type"], e["scope"], e["council"], key(e["name"]))
        assert k not in seen, (e["name"], seen.get(k))
        seen[k] = e["name"]
    page = client.get("/app/entities").text
    assert all(f'/app/entities/{e["id"]}"' in page for e in cli)


def test_an_entity_is_found_by_any_of_its_forms(client: TestClient) -> None:
    by_op = client.get("/entities/Op Mazi").json()
    by_operation = client.get("/entities/Operation Mazi").json()
    assert by_op["id"] == by_operation["id"] and by_op["mentions"]
    assert client.get(f"/entities/{by_op['id']}").json()["name"] == by_op["name"]
    assert client.get(f"/app/entities/{by_op['id']}").status_code == 200


def test_entity_passages_are_the_passages_that_mention_it(seed_settings: Settings) -> None:
    from index.store import Store

    with Store.open(seed_settings, create=False) as store:
        op, operation = store.entity_passages("Op Mazi"), store.entity_passages("Operation Mazi")
        assert op and op == operation
        rows = store.passages_by_id(op)
        whole = store.get_document(rows[op[0]].document_id)
    assert all("Mazi" in r.text for r in rows.values())
    assert whole is not None and len(op) < len(whole.passages) / 4  # focused, not the whole paper


def test_a_paper_page_links_its_canonical_entities_and_discussed_themes(
    client: TestClient, seed_docs: dict[str, str]
) -> None:
    doc = seed_docs["001_ad86c27f65599044.txt"]
    page = client.get(f"/app/papers/{doc}").text
    body = client.get(f"/documents/{doc}").json()
    assert "Also discussed" in page and "Stated priorities" in page
    assert body["entities"] and all(f'/app/entities/{e["id"]}"' in page for e in body["entities"])


def test_entity_search_filter_reads_any_spelling_the_same(client: TestClient) -> None:
    op = client.get("/search", params={"q": "street attached behaviour", "entity": "Op Mazi"}).json()
    operation = client.get(
        "/search", params={"q": "street attached behaviour", "entity": "Operation Mazi"}
    ).json()
    assert op["results"] and op == operation

"""Every JSON route through TestClient against a store built from the bundled seed papers."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

SEED_HAMPSHIRE = "000_e79f2a3e769e1994.txt"


def test_health_counts_the_store(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == 6 and body["passages"] > 100
    assert body["writes_enabled"] is True


def test_search_finds_the_passage_with_its_citation(client: TestClient) -> None:
    r = client.get("/search", params={"q": "county lines", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 5 and len(body["results"]) == 5
    top = body["results"][0]
    assert "county lines" in top["text"].lower()
    assert "<mark>" in top["snippet"] and top["council"]
    assert top["url"] == f"/app/papers/{top['document']}#p{top['passage']}"
    assert body["facets"]["council"]  # counts for the filters


def test_search_paging_and_filters(client: TestClient) -> None:
    first = client.get("/search", params={"q": "domestic abuse", "limit": 3}).json()
    second = client.get("/search", params={"q": "domestic abuse", "limit": 3, "offset": 3}).json()
    ids = {(r["document"], r["passage"]) for r in first["results"]}
    assert ids and not ids & {(r["document"], r["passage"]) for r in second["results"]}
    council = first["results"][0]["council"]
    only = client.get("/search", params={"q": "domestic abuse", "council": council, "limit": 20}).json()
    assert only["results"] and {r["council"] for r in only["results"]} == {council}
    keyword = client.get("/search", params={"q": "domestic abuse", "mode": "keyword"}).json()
    assert keyword["mode"] == "keyword" and keyword["results"]


def test_search_nonsense_states_nothing(client: TestClient) -> None:
    body = client.get("/search", params={"q": "purple elephant quantum banjo"}).json()
    assert body["results"] == [] and body["total"] == 0


def test_documents_list_filters_by_council(client: TestClient, seed_docs: dict[str, str]) -> None:
    docs = client.get("/documents").json()
    assert docs["total"] == 6
    hampshire = next(d for d in docs["documents"] if d["id"] == seed_docs[SEED_HAMPSHIRE])
    assert hampshire["council"] == "Hampshire County Council"
    only = client.get("/documents", params={"council": "hampshire county council"}).json()
    assert [d["id"] for d in only["documents"]] == [hampshire["id"]]
    none = client.get("/documents", params={"from": "2099-01-01"}).json()
    assert none == {"total": 0, "offset": 0, "limit": 100, "documents": []}


def test_document_has_passages_and_entities_with_evidence(
    client: TestClient, seed_docs: dict[str, str]
) -> None:
    body = client.get(f"/documents/{seed_docs[SEED_HAMPSHIRE]}").json()
    assert body["document"]["committee"] == "Cabinet"
    assert any("Hampshire Community Safety Strategy Group" in p["text"] for p in body["passages"])
    venetic = next(e for e in body["entities"] if e["name"] == "Operation Venetic")
    assert venetic["mentions"]  # its id is the canonical entity's; "type:name" finds it too
    assert client.get("/entities/operation:operation venetic").json()["id"] == venetic["id"]
    m = venetic["mentions"][0]
    passage = body["passages"][m["passage"]]
    assert passage["start"] <= m["start"] < m["end"] <= passage["end"]


def test_document_file_is_the_original(client: TestClient, seed_docs: dict[str, str]) -> None:
    r = client.get(f"/documents/{seed_docs[SEED_HAMPSHIRE]}/file")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.content == (Path(__file__).resolve().parents[2] / "corpus" / SEED_HAMPSHIRE).read_bytes()
    assert r.headers["x-content-type-options"] == "nosniff"


def test_entities_list_and_one_entity_by_council(client: TestClient) -> None:
    body = client.get("/entities", params={"type": "operation"}).json()
    assert body["entities"] and {e["type"] for e in body["entities"]} == {"operation"}
    venetic = next(e for e in body["entities"] if e["name"] == "Operation Venetic")
    one = client.get("/entities/" + quote(venetic["id"])).json()
    assert one["name"] == "Operation Venetic" and one["councils"]
    assert {m["council"] for m in one["mentions"]} == set(one["councils"])
    by_name = client.get("/entities/Operation%20Venetic").json()
    assert by_name["id"] == venetic["id"]


def test_compare_json_cites_every_cell(client: TestClient) -> None:
    body = client.get("/compare", params={"cols": "theme"}).json()
    assert "Hampshire County Council" in body["rows"] and body["cells"]
    for cell in body["cells"]:
        assert cell["citations"] and all(c["quote"] for c in cell["citations"])


def test_compare_downloads(client: TestClient) -> None:
    r = client.get("/compare", params={"cols": "partnership-kind", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert any("Hampshire County Council" in row for row in rows)
    x = client.get("/compare", params={"cols": "theme", "format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(x.content)).worksheets[0]
    assert any(c.value == "Hampshire County Council" for row in sheet.iter_rows() for c in row)
    md = client.get(
        "/compare", params={"cols": "theme", "format": "md", "councils": ["Hampshire County Council"]}
    )
    assert md.text.startswith("|") and "Hampshire County Council" in md.text


def test_precedents_from_other_councils(client: TestClient) -> None:
    r = client.get(
        "/precedents",
        params={"q": "young people groomed into drug supply", "exclude_council": "Hampshire County Council"},
    )
    assert r.status_code == 200
    assert "Hampshire County Council" not in r.text.replace(
        '"exclude_council": "Hampshire County Council"', ""
    )


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/search",
        "/documents",
        "/documents/{doc_id}",
        "/documents/{doc_id}/file",
        "/entities",
        "/entities/{entity_id}",
        "/compare",
        "/precedents",
        "/health",
    ):
        assert path in paths, path
    assert not any(p.startswith("/app") for p in paths)
    assert client.get("/docs").status_code == 200

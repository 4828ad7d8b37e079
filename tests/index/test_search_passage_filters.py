"""Filters that select passages, not papers: a section role, and the passages naming an entity."""

from __future__ import annotations

import pytest

from ingest.settings import Settings


def test_section_filter_keeps_only_that_section(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from index.search import SearchFilters, search
    from index.store import Store

    settings, ids = linked_papers
    with Store.open(settings, create=False) as store:
        everywhere = search(store, "street drinking order", settings=settings, k=20)
        money = search(
            store,
            "street drinking order",
            settings=settings,
            k=20,
            filters=SearchFilters(section="financial"),
        )
        decided = search(
            store,
            "street drinking order",
            settings=settings,
            k=20,
            mode="keyword",
            filters=SearchFilters(section="resolution"),
        )
        sections = {
            r.passage: p.section
            for r in everywhere
            for p in [store.get_document(r.document).passages[r.passage]]
        }  # type: ignore[union-attr]
    assert len(set(sections.values())) > 1  # unfiltered, several sections answer
    assert [r.text for r in money] == ["Signage costs £4,000."]
    assert decided and all(r.document == ids["minutes.txt"] for r in decided)
    assert all("RESOLVED" in r.text for r in decided)


def test_unknown_section_is_one_line(
    linked_papers: tuple[Settings, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from api.cli import main

    settings, _ = linked_papers
    assert main(["search", "street drinking", "--section", "finance", "--store", str(settings.store)]) == 1
    assert capsys.readouterr().err.startswith("councilpapers search: --section 'finance': not a section role")
    assert (
        main(["search", "signage", "--section", "financial", "--json", "--store", str(settings.store)]) == 0
    )
    assert "Signage costs" in capsys.readouterr().out


def test_section_filter_on_the_search_page(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, _ = linked_papers
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        page = client.get("/app/search", params={"q": "street drinking order", "section": "financial"})
        every = client.get("/app/search", params={"q": "street drinking order"})
    assert page.status_code == 200 and '<option value="financial" selected>' in page.text
    assert "Signage costs" in page.text and "asks the Committee to make" not in page.text
    assert "asks the Committee to make" in every.text


def test_each_result_carries_its_section(
    linked_papers: tuple[Settings, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """`section` (the passage's role as stored) is on every result: the library, CLI --json and GET /search."""
    import json

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.cli import main
    from index.search import search
    from index.store import Store

    settings, _ = linked_papers
    with Store.open(settings, create=False) as store:
        found = search(store, "street drinking order", settings=settings, k=20)
        stored = {
            (r.document, r.passage): store.get_document(r.document).passages[r.passage].section  # type: ignore[union-attr]
            for r in found
        }
    assert found and all(r.section == stored[(r.document, r.passage)] for r in found)
    assert "financial" in {r.section for r in found}
    assert main(["search", "signage costs", "--json", "--server", "off", "--store", str(settings.store)]) == 0
    hits = json.loads(capsys.readouterr().out)["results"]
    assert hits[0]["text"] == "Signage costs £4,000." and hits[0]["section"] == "financial"
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        body = client.get("/search", params={"q": "signage costs"}).json()
    assert body["results"][0]["section"] == "financial"
    assert all("section" in h for h in body["results"])

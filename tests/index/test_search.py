"""Search over three seed papers with the real model: modes, floor, filters, syntax, JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from index.highlight import snippet
from index.keyword import build_query
from index.search import SearchFilters, search, search_page
from index.store import Store
from ingest.settings import Settings


@pytest.fixture(scope="module")
def store(seed_store: Settings):  # noqa: ANN201
    with Store.open(seed_store) as s:
        yield s


def test_hybrid_finds_the_passage_meant(store: Store, seed_store: Settings) -> None:
    results = search(
        store,
        "which hospital emergency department data shows where violence happens",
        settings=seed_store,
        k=5,
    )
    assert any("Cardiff model" in r.text for r in results[:3])
    top = results[0]
    assert top.council == "Hampshire County Council" and top.meeting_date == "2020-11-24"
    assert top.source.endswith("000_e79f2a3e769e1994.txt") and top.heading_path


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_nonsense_query_returns_nothing(store: Store, seed_store: Settings, mode: str) -> None:
    assert search(store, "purple elephant quantum banjo", settings=seed_store, mode=mode) == []  # type: ignore[arg-type]


def test_phrase_prefix_and_acronym(store: Store, seed_store: Settings) -> None:
    phrase = search(store, '"county lines"', settings=seed_store, mode="keyword")
    # a phrase or prefix may match the passage or its headings (searched too, weighted lower)
    assert phrase and all("county lines" in (r.text + " ".join(r.heading_path)).lower() for r in phrase)
    assert "county lines" in phrase[0].text.lower()
    prefix = search(store, "safeguard*", settings=seed_store, mode="keyword")
    assert prefix and all("safeguard" in (r.text + " ".join(r.heading_path)).lower() for r in prefix)
    q = build_query("ASB hotspots", store.conn)
    assert '"anti social behaviour"' in q.fts  # the general acronym list expands ASB
    assert build_query("HCSSG", store.conn).fts.count("hampshire community safety strategy group") == 1


def test_dense_candidates_keep_their_own_keyword_score(
    store: Store, seed_store: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A passage dense search found is scored by BM25 too, also past the keyword search's top
    CANDIDATES (left at 0 it lost to passages holding only common words); one holding no query
    word has no keyword score."""
    from index import search as search_module
    from index.keyword import keyword_search

    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    kq, c = search_module.candidates(
        store, "youth workers keeping teenagers out of trouble", settings=seed_store
    )
    assert c is not None
    every = dict(keyword_search(store.conn, kq, 100_000))
    top = dict(keyword_search(store.conn, kq, 5))
    beyond = [i for i, _ in c.dense if i in every and i not in top]
    assert beyond  # dense candidates the keyword top 5 missed, holding a query word
    bm25 = dict(c.keyword)
    assert [bm25.get(i) for i in beyond] == pytest.approx([every[i] for i in beyond])
    assert not [i for i, _ in c.dense if i not in every and i in bm25]
    assert [s for _, s in c.keyword] == sorted((s for _, s in c.keyword), reverse=True)


def test_filters(store: Store, seed_store: Settings) -> None:
    query = "partnership work to reduce serious violence"
    worcs = search(
        store, query, settings=seed_store, filters=SearchFilters(council="worcestershire county council")
    )
    assert worcs and {r.council for r in worcs} == {"Worcestershire County Council"}
    dated = search(
        store, query, settings=seed_store, filters=SearchFilters(date_from="2020-11-01", date_to="2020-11-30")
    )
    assert dated and {r.meeting_date for r in dated} <= {"2020-11-24", "2020-11-10"}
    doc_id = worcs[0].document
    one = search(store, query, settings=seed_store, filters=SearchFilters(document=doc_id[:8]))
    assert {r.document for r in one} == {doc_id}
    assert search(store, query, settings=seed_store, filters=SearchFilters(council="Nowhere Council")) == []
    entity = store.list_entities()[0]
    by_entity = search(store, entity.name, settings=seed_store, filters=SearchFilters(entity=entity.name))
    naming = {
        (p.document_id, p.index) for p in store.passages_by_id(store.entity_passages(entity.name)).values()
    }
    assert by_entity and all(
        (r.document, r.passage) in naming for r in by_entity
    )  # those passages, not whole papers
    theme = store.conn.execute("SELECT theme, document_id FROM themes LIMIT 1").fetchone()
    if theme:
        themed = search(store, query, settings=seed_store, filters=SearchFilters(theme=theme[0]))
        # papers stating the theme as a priority, or with a passage about it (index.reads.theme_filter_sql)
        with_theme = {
            r[0] for r in store.conn.execute("SELECT document_id FROM themes WHERE theme = ?", (theme[0],))
        }
        with_theme |= {
            h.document_id for h in store.passage_themes([d.id for d in store.list_documents()], [theme[0]])
        }
        assert themed and {r.document for r in themed} <= with_theme


@pytest.mark.parametrize("mode", ["keyword", "dense"])
def test_a_filter_keeps_exactly_the_unfiltered_results_it_allows(
    store: Store, seed_store: Settings, mode: str
) -> None:
    """Filters are applied inside the index (passage-id ranges); they must agree with filtering afterwards."""
    query = "referrals to the Channel panel"
    every = search(store, query, settings=seed_store, mode=mode, k=1000)  # type: ignore[arg-type]
    council = "Hampshire County Council"
    filtered = search(
        store,
        query,
        settings=seed_store,
        mode=mode,
        k=1000,  # type: ignore[arg-type]
        filters=SearchFilters(council=council),
    )
    expected = [(r.document, r.passage) for r in every if r.council == council]
    assert expected and [(r.document, r.passage) for r in filtered] == expected


def test_facets_count_the_results(store: Store, seed_store: Settings) -> None:
    page = search_page(store, "community safety partnership", settings=seed_store, k=3, facets=True)
    assert len(page.results) == 3 and page.total >= 1
    assert sum(page.facets["council"].values()) == page.total  # the facets count what was found


def test_snippet_marks_and_escapes() -> None:
    text = "Intro words. " * 30 + "The <b>Partnerships</b> met & agreed."
    at = text.index("Partnerships")
    s = snippet(text, ((at, at + len("Partnerships")),))
    assert (
        s.startswith("\u2026") and "<mark>Partnerships</mark>" in s and "&amp; agreed" in s and "<b>" not in s
    )


def test_cli_queries_json_contract(
    tmp_path: Path, seed_store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("hate crime reporting\npurple elephant quantum banjo\n", encoding="utf-8")
    assert main(["--store", str(seed_store.store), "search", "--queries", str(queries), "-k", "3"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["query"] for x in lines] == ["hate crime reporting", "purple elephant quantum banjo"]
    assert len(lines[0]["results"]) == 3 and lines[1]["results"] == []
    first = lines[0]["results"][0]
    for key in (
        "source",
        "text",
        "score",
        "document",
        "council",
        "committee",
        "meeting_date",
        "page",
        "paragraph",
        "heading_path",
        "snippet",
    ):
        assert key in first
    assert any("hate crime" in r["text"].lower() for r in lines[0]["results"])
    assert (
        isinstance(first["snippet_text"], str) and isinstance(first["matches"], list) and "total" in lines[0]
    )
    # found ones first (each over the absolute floor), then the rest; best first within each
    flags = [r["found"] for r in lines[0]["results"]]
    assert flags == sorted(flags, reverse=True)
    for flag in (True, False):
        scores = [r["score"] for r in lines[0]["results"] if r["found"] is flag]
        assert scores == sorted(scores, reverse=True)


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(tmp_path / "none"), "search", "anything"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no store here" in err
    assert main(["--store", str(tmp_path / "none"), "search", "x", "--from", "last week"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cli_rejects_an_impossible_date(
    tmp_path: Path, seed_store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(seed_store.store), "search", "x", "--from", "2024-13-45"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--from '2024-13-45'" in err and "Traceback" not in err


def test_cli_queries_skip_a_line_that_is_not_utf8(
    tmp_path: Path, seed_store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.txt"
    queries.write_bytes(b"hate crime\ncaf\xe9 culture\ncounty lines\n")
    assert main(["--store", str(seed_store.store), "search", "--queries", str(queries), "-k", "2"]) == 1
    captured = capsys.readouterr()
    assert [json.loads(x)["query"] for x in captured.out.splitlines()] == ["hate crime", "county lines"]
    assert captured.err.strip() == f"error: {queries} line 2: not UTF-8 text; skipped"

"""Search from many threads at once, with filters: each thread its own connection, the same answers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from index import search as search_module
from index.search import SearchFilters, search
from index.store import Store
from index.store import fts as keyword  # the keyword index's queries (moved from index.keyword)
from ingest.settings import Settings

QUERIES = [
    "partnership work to reduce serious violence",
    "referrals to the Channel panel",
    "county lines",
    "domestic abuse",
    "knife crime",
]


def _filters(store: Store) -> list[SearchFilters]:
    docs = store.list_documents()
    first = docs[0]
    return [
        SearchFilters(),
        SearchFilters(council=first.council),
        SearchFilters(date_from="2020-01-01", date_to="2020-12-31"),
        SearchFilters(document=docs[-1].id[:10]),
        SearchFilters(council=first.council, date_from="2000-01-01"),
    ]


def _key(results: list) -> list[tuple[str, int]]:  # noqa: ANN001 - SearchResult list
    return [(r.document, r.passage) for r in results]


def test_many_threads_searching_with_filters_agree_with_one(seed_store: Settings) -> None:
    with Store.open(seed_store) as store:
        filters = _filters(store)
    jobs = [(q, f, m) for q in QUERIES for f in filters for m in ("hybrid", "keyword", "dense")]
    with Store.open(seed_store) as store:
        expected = {j: _key(search(store, j[0], settings=seed_store, mode=j[2], filters=j[1])) for j in jobs}
    local = threading.local()
    opened: list[Store] = []

    def run(job: tuple) -> tuple[tuple, list[tuple[str, int]]]:  # noqa: ANN001
        if not hasattr(local, "store"):  # one store (connection) per thread, as the HTTP server keeps them
            local.store = Store.open(seed_store)
            opened.append(local.store)
        q, f, m = job
        return job, _key(search(local.store, q, settings=seed_store, mode=m, filters=f))

    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            got = dict(pool.map(run, jobs * 3))
    finally:
        for s in opened:
            s.close()
    assert got == expected
    assert any(expected[j] for j in jobs if j[1].active())  # the filters let something through


def test_http_search_with_filters_under_concurrent_clients(seed_store: Settings) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with Store.open(seed_store) as store:
        council = store.list_documents()[0].council
    params = [{"q": q, "council": council} for q in QUERIES] + [
        {"q": q, "from": "2020-01-01", "to": "2020-12-31", "mode": "keyword"} for q in QUERIES
    ]
    with TestClient(create_app(seed_store), raise_server_exceptions=False) as client:
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda p: client.get("/search", params=p), params * 4))
    assert [a.status_code for a in answers] == [200] * len(answers)
    assert all(r["council"] == council for a in answers[: len(QUERIES)] for r in a.json()["results"])


@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_a_filter_of_many_papers_joins_passages_with_the_same_result(
    seed_store: Settings, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_RANGES id ranges the filter is a join on passages; the answer must not change."""
    with Store.open(seed_store) as store:
        f = SearchFilters(council=store.list_documents()[0].council)
        as_ranges = _key(search(store, QUERIES[0], settings=seed_store, mode=mode, filters=f, k=50))  # type: ignore[arg-type]
        monkeypatch.setattr(keyword, "MAX_RANGES", 0)
        as_join = _key(search(store, QUERIES[0], settings=seed_store, mode=mode, filters=f, k=50))  # type: ignore[arg-type]
    assert as_ranges and as_join == as_ranges


@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_a_large_store_filter_of_many_ranges_gives_what_exact_ranges_give(
    seed_store: Settings, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a large store (matches looked at capped) a filter past MAX_RANGES is checked on coarser ranges
    in SQL, then exactly on the ids; the answer must be the one the exact ranges give."""
    monkeypatch.setattr(keyword, "LARGE_STORE", 0)
    with Store.open(seed_store) as store:
        section = store.conn.execute(
            "SELECT section FROM passages WHERE section IS NOT NULL GROUP BY section"
            " ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        f = SearchFilters(section=section)  # runs of passages all through the papers: many ranges
        runs = search_module.passage_ranges(store, "p.section = ?", [section])
        assert len(runs[0]) > 2
        exact = _key(search(store, QUERIES[0], settings=seed_store, mode=mode, filters=f, k=50))  # type: ignore[arg-type]
        monkeypatch.setattr(keyword, "MAX_RANGES", 2)
        coarse = _key(search(store, QUERIES[0], settings=seed_store, mode=mode, filters=f, k=50))  # type: ignore[arg-type]
    assert exact and coarse == exact


def test_coarser_ranges_cover_the_ranges_closing_the_narrowest_gaps() -> None:
    assert keyword._coarser(([1, 5, 20, 30, 100], [2, 8, 25, 31, 120]), 3) == ([1, 20, 100], [8, 31, 120])
    assert keyword._coarser(([1, 5, 20], [2, 8, 25]), 1) == ([1], [25])
    assert keyword._coarser(([1, 5], [2, 8]), 3) == ([1, 5], [2, 8])
    rows = [(3, -1.0), (6, -5.0), (9, -3.0), (21, -4.0)]
    assert keyword._top_in(rows, ([1, 5, 20], [2, 8, 25]), 2) == [(6, 5.0), (21, 4.0)]


def test_range_condition_merges_neighbours_and_selects_exactly() -> None:
    import sqlite3

    cond = keyword.range_condition("x", ([1, 4, 10, 20], [3, 6, 12, 20]))
    assert cond is not None and cond.count("BETWEEN") == 3  # 1-3 and 4-6 are one range
    conn = sqlite3.connect(":memory:")
    inside = [
        r[0]
        for r in conn.execute(
            f"WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n"
            f" WHERE x < 25) SELECT x FROM n WHERE {cond}"
        )
    ]
    assert inside == [1, 2, 3, 4, 5, 6, 10, 11, 12, 20]
    assert keyword.range_condition("x", ([], [])) == "0"

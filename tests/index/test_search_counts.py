"""One floor, one count: "N found" is judged passage by passage, so a filter can only take found passages away."""

from __future__ import annotations

import re

import pytest

from index.search import SearchFilters, search_page
from index.store import Store
from ingest.settings import Settings

QUERIES = [
    "knife crime",
    "county lines",
    "CCTV",
    "domestic abuse",
    "anti-social behaviour in the town centre",
    "referrals to the Channel panel",
    "funding from the police and crime commissioner",
    "Willow Team",
    "young people at risk of exploitation",
    "hate crime",
    "community safety partnership priorities",
    '"serious violence"',
    "MARAC",
    "reducing reoffending",
    "street drinking",
    "Covid-19 lockdown",
    "purple elephant quantum banjo",
]


@pytest.fixture(scope="module")
def store(seed_store: Settings):  # noqa: ANN201
    with Store.open(seed_store) as s:
        yield s


def _filters(store: Store) -> list[SearchFilters]:
    docs = store.list_documents()
    themes = [r[0] for r in store.conn.execute("SELECT DISTINCT theme FROM themes ORDER BY theme LIMIT 3")]
    sections = [
        r[0]
        for r in store.conn.execute(
            "SELECT section FROM passages WHERE section IS NOT NULL GROUP BY section ORDER BY count(*) DESC LIMIT 3"
        )
    ]
    return (
        [SearchFilters(council=d.council) for d in docs if d.council]
        + [SearchFilters(committee=d.committee) for d in docs[:1] if d.committee]
        + [SearchFilters(document=d.id) for d in docs[:2]]
        + [SearchFilters(date_from="2020-01-01", date_to="2021-12-31")]
        + [SearchFilters(theme=t) for t in themes]
        + [SearchFilters(section=s) for s in sections]
    )


def _found(page) -> set[tuple[str, int]]:  # noqa: ANN001
    return {(r.document, r.passage) for r in page.results if r.found}


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_no_filter_finds_more_than_the_search_unfiltered(
    store: Store, seed_store: Settings, mode: str
) -> None:
    filters = _filters(store)
    assert len(filters) >= 8
    checked = 0
    for query in QUERIES:
        every = search_page(store, query, settings=seed_store, mode=mode, k=1000)  # type: ignore[arg-type]
        assert every.total == len(_found(every))  # the count is the found results, and they come first
        assert all(r.found for r in every.results[: every.total])
        assert not any(r.found for r in every.results[every.total :])
        for f in filters:
            page = search_page(store, query, settings=seed_store, mode=mode, k=1000, filters=f)  # type: ignore[arg-type]
            assert page.total <= every.total, (query, f)
            assert _found(page) <= _found(every), (query, f)  # a filter only takes found passages away
            by_paper = search_page(
                store,
                query,
                settings=seed_store,
                mode=mode,
                k=1000,
                filters=f,  # type: ignore[arg-type]
                group="paper",
            )
            assert by_paper.total <= len({d for d, _ in _found(every)})
            checked += 1
    assert checked == len(QUERIES) * len(filters)


def test_a_word_no_paper_of_the_council_holds_finds_nothing_there(store: Store, seed_store: Settings) -> None:
    """CCTV filtered to a council whose papers never mention it: some passages are listed (less relevant),
    none found."""
    councils = {d.council: d.id for d in store.list_documents()}
    silent = [
        c
        for c, doc in councils.items()
        if not store.conn.execute(
            "SELECT 1 FROM passages WHERE document_id = ? AND text LIKE '%CCTV%'", (doc,)
        ).fetchone()
    ]
    assert silent
    page = search_page(store, "CCTV", settings=seed_store, filters=SearchFilters(council=silent[0]))
    assert page.total == 0 and not any(r.found for r in page.results)


def test_cli_and_page_show_the_count_then_a_divider(
    seed_store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.cli import main

    query = "domestic abuse"
    with Store.open(seed_store, create=False) as st:
        page = search_page(st, query, settings=seed_store, k=40)
    assert 0 < page.total < len(page.results)  # some found, then some less relevant
    assert main(["search", query, "-k", "40", "--server", "off", "--store", str(seed_store.store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{page.total} found"
    numbered = [n for n, x in enumerate(lines) if re.match(r"\s*\d+\. ", x)]
    divider = lines.index("-- more, less relevant --")
    assert len([n for n in numbered if n < divider]) == page.total  # the found ones, then the divider
    with TestClient(create_app(seed_store), raise_server_exceptions=False) as client:
        html = client.get("/app/search", params={"q": query}).text
        body = client.get("/search", params={"q": query, "limit": 40}).json()
    assert f"{page.total} passages found" in html
    shown = min(page.total, 10)
    if shown < 10:  # the first page holds the found ones, then the divider and the less relevant ones
        head, _, tail = html.partition("More, less relevant")
        assert head.count('<li class="result">') == shown and tail.count('<li class="result">') == 10 - shown
    assert body["total"] == page.total and [h["found"] for h in body["results"]] == [
        r.found for r in page.results
    ]

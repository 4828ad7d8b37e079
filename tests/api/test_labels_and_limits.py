"""Labels and counts that read the same everywhere; a pasted paragraph is searched, not refused; a favicon."""

from __future__ import annotations

import re

PASTED = (
    "The partnership is concerned about county lines exploitation of young people, with children "
    "groomed into drug supply and missing from home. "
) * 8


def test_long_query_is_cut_with_a_note_not_refused(client) -> None:  # noqa: ANN001
    assert len(PASTED) > 500
    body = client.get("/search", params={"q": PASTED, "mode": "keyword"}).json()
    assert len(body["query"]) <= 500 and PASTED.startswith(body["query"])
    assert body["note"].startswith("the query was cut to its first")
    assert client.get("/search", params={"q": "county lines"}).json()["note"] is None
    page = client.get("/app/search", params={"q": PASTED})
    assert page.status_code == 200 and "Your query was long: the query was cut" in page.text
    assert client.get("/app/precedents", params={"q": PASTED}).status_code == 200


def test_filter_lists_count_papers_whatever_the_query(client) -> None:  # noqa: ANN001
    def councils(html: str) -> list[str]:
        box = html[html.index('id="council"') : html.index("</select>", html.index('id="council"'))]
        return re.findall(r">([^<]+ \(\d+ papers?\))</option>", box)

    before = councils(client.get("/app/search").text)
    after = councils(client.get("/app/search", params={"q": "county lines"}).text)
    assert before and before == after
    assert any(c.startswith("Hampshire County Council (1 paper)") for c in before)


def test_favicon(client) -> None:  # noqa: ANN001
    r = client.get("/favicon.ico", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == "/static/favicon.svg"
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon"' in client.get("/app/search").text


def test_filter_lists_follow_the_store_after_a_change(fresh_copy) -> None:  # noqa: ANN001
    """The counts are kept between pages, and a paper removed meanwhile leaves the lists at once."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from index.pipeline import remove_document
    from index.store import Store

    with TestClient(create_app(fresh_copy)) as c:
        assert "Hampshire County Council (1 paper)" in c.get("/app/search").text
        assert "Hampshire County Council (1 paper)" in c.get("/app/search").text  # kept
        with Store.open(fresh_copy, create=False) as store:
            doc = next(d.id for d in store.list_documents() if d.council == "Hampshire County Council")
            assert remove_document(store, doc, fresh_copy)
        assert (
            "Hampshire County Council"
            not in c.get("/app/search").text.split('id="council"')[1].split("</select>")[0]
        )

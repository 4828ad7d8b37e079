"""The theme filter reads passage themes (stored at ingest), with `priority:` for stated priorities only."""

from __future__ import annotations

from index.search import SearchFilters, search
from index.store import Store
from index.store.filters import theme_filter_sql
from ingest.settings import Settings

WORCS = "Worcestershire County Council"


def test_domestic_abuse_filter_keeps_the_paper_that_discusses_it(seed_store: Settings) -> None:
    with Store.open(seed_store, create=False) as store:
        plain = search(store, "domestic abuse", settings=seed_store, k=10)
        themed = search(
            store, "domestic abuse", settings=seed_store, k=10, filters=SearchFilters(theme="domestic_abuse")
        )
        stated = search(
            store,
            "domestic abuse",
            settings=seed_store,
            k=50,
            filters=SearchFilters(theme="priority:domestic_abuse"),
        )
        stating = {
            r[0] for r in store.conn.execute("SELECT document_id FROM themes WHERE theme = 'domestic_abuse'")
        }
    assert WORCS in {r.council for r in plain[:3]}
    assert [r.passage for r in themed[:3]] == [
        r.passage for r in plain[:3]
    ]  # the filter drops none of the best
    assert {r.document for r in stated} <= stating
    assert {r.document for r in stated} <= {r.document for r in search_all(seed_store)}


def search_all(settings: Settings) -> list:
    with Store.open(settings, create=False) as store:
        return search(
            store, "domestic abuse", settings=settings, k=50, filters=SearchFilters(theme="domestic_abuse")
        )


def test_a_theme_in_words_is_read_as_its_ids() -> None:
    cond, args = theme_filter_sql("d", "serious violence")
    assert args == ["serious_violence", "serious_violence"] and "passage_themes" in cond
    cond, args = theme_filter_sql("d", "priority:serious_violence")
    assert args == ["serious_violence"] and "passage_themes" not in cond

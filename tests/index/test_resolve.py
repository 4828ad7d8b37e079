"""Entities resolved at ingest, one paper at a time, give the identities clustering all papers at once would;
removing a paper leaves the others' entities; passage themes are stored for every passage's own vector."""

from __future__ import annotations

from index.resolve import resolve_entities, resolve_unresolved
from index.store import Store
from ingest.settings import Settings
from nlp.normalise import normalise


def _partition(groups: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(g) for g in groups}


def test_incremental_resolution_equals_clustering_everything(seed_store: Settings) -> None:
    with Store.open(seed_store, create=False) as store:
        rows = store.entity_sightings(buckets=store.entity_buckets("%"))
        assert len(rows) == store.counts()["entities"] > 20
        ids = [i for i, _ in rows]
        batch = normalise([s for _, s in rows])
        stored = store.conn.execute("SELECT entity_id, canonical_id FROM entity_members").fetchall()
    by_object = {id(s): i for i, s in rows}
    want = _partition([[by_object[id(m)] for m in c.members] for c in batch])
    got: dict[str, list[int]] = {}
    for entity_id, canonical_id in stored:
        got.setdefault(canonical_id, []).append(entity_id)
    assert _partition(list(got.values())) == want and sorted(ids) == sorted(e for e, _ in stored)


def test_resolving_again_changes_nothing_and_unresolved_papers_are_caught_up(seed_store: Settings) -> None:
    with Store.open(seed_store, create=False) as store:
        before = store.conn.execute(
            "SELECT entity_id, canonical_id FROM entity_members ORDER BY 1"
        ).fetchall()
        doc = store.list_documents()[0].id
        resolve_entities(store, doc)
        assert (
            store.conn.execute("SELECT entity_id, canonical_id FROM entity_members ORDER BY 1").fetchall()
            == before
        )
        with store.transaction():
            store.conn.execute(
                "DELETE FROM entity_members WHERE entity_id IN"
                " (SELECT id FROM entities WHERE document_id = ?)",
                (doc,),
            )
        assert store.unresolved_documents() == [doc]
        assert resolve_unresolved(store) == 1
        after = store.conn.execute("SELECT entity_id, canonical_id FROM entity_members ORDER BY 1").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


def test_every_passage_has_its_themes_stored(seed_store: Settings) -> None:
    with Store.open(seed_store, create=False) as store:
        docs = [d.id for d in store.list_documents()]
        hits = store.passage_themes(docs)
        themed = {(h.document_id, h.passage) for h in hits}
        total = store.counts()["passages"]
    assert hits and 0.2 < len(themed) / total < 0.95  # many passages are about a theme, not all
    assert {h.theme for h in hits} >= {"domestic_abuse", "county_lines", "asb"}

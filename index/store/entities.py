"""The store's entities: what each paper names, the canonical entities resolved at ingest, passage themes."""

from __future__ import annotations

import json
from typing import Any

import index.store.queries as queries
from index import reads
from index.store.base import StoreBase
from nlp.normalise import Sighting


class EntitiesMixin(StoreBase):
    def list_entities(self, type: str | None = None, council: str | None = None) -> list[reads.EntityRow]:
        return queries.list_entities(self.conn, type, council)

    def get_entity(self, name: str, type: str | None = None) -> reads.EntityDetail | None:
        return queries.get_entity(self.conn, name, type)

    def put_passage_themes(self, passage_ids: list[int], rows: list[tuple[int, str, float]]) -> None:
        """The themes of these passages: (passage id, theme, score) rows, replacing what they had."""
        with self.transaction():
            self.conn.executemany(
                "DELETE FROM passage_themes WHERE passage_id = ?", [(i,) for i in passage_ids]
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO passage_themes (passage_id, theme, score) VALUES (?, ?, ?)", rows
            )

    def passage_themes(self, doc_ids: list[str], themes: list[str] | None = None) -> list[reads.ThemeHit]:
        """Passages of these papers about these themes (all themes when None), best first."""
        return queries.theme_hits(self.conn, doc_ids, themes)

    def passages_about(self, keys: list[tuple[str, int]], themes: list[str]) -> set[tuple[str, int]]:
        """Those (document id, passage index) keys whose passage is about one of the themes."""
        return queries.passages_about(self.conn, keys, themes)

    def entity_sightings(
        self, document: str | None = None, buckets: set[str] | None = None
    ) -> list[tuple[int, Any]]:
        """(entity row id, nlp.normalise.Sighting) of one paper, or of the entities resolved in these buckets."""
        sql = (
            "SELECT e.id, e.type, e.name, e.document_id, d.council, e.mentions, e.acronym, e.kind FROM entities e"
            " JOIN documents d ON d.id = e.document_id"
        )
        if document is not None:
            rows = self.conn.execute(sql + " WHERE e.document_id = ? ORDER BY e.id", (document,)).fetchall()
        else:
            marks = ",".join("?" * len(buckets or ()))
            rows = (
                self.conn.execute(
                    sql + f" JOIN entity_members m ON m.entity_id = e.id WHERE m.bucket IN ({marks})"
                    " ORDER BY e.id",
                    sorted(buckets or ()),
                ).fetchall()
                if buckets
                else []
            )
        return [(r[0], Sighting(r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), r[6], r[7])) for r in rows]

    def unresolved_documents(self) -> list[str]:
        """Papers with entities that no canonical entity holds yet."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT document_id FROM entities e WHERE NOT EXISTS"
                " (SELECT 1 FROM entity_members m WHERE m.entity_id = e.id) ORDER BY document_id"
            )
        ]

    def entity_buckets(self, pattern: str) -> set[str]:
        """The resolved buckets ("type|scope|where") matching a LIKE pattern."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT bucket FROM entity_members WHERE bucket LIKE ?", (pattern,)
            )
        }

    def put_canonical(self, canon: Any, members: list[tuple[int, str, str]]) -> None:
        """Canonical entities (nlp.normalise.Canonical) and (entity row id, canonical id, bucket) members,
        in one transaction; canonical entities left without members are dropped."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO canonical_entities (id, type, name, scope, council, kind, acronym, aliases)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.id,
                        c.type,
                        c.name,
                        c.scope,
                        c.council,
                        c.kind,
                        next((m.acronym for m in c.members if m.acronym), None),
                        json.dumps(list(c.aliases)),
                    )
                    for c in canon
                ],
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO entity_members (entity_id, canonical_id, bucket) VALUES (?, ?, ?)",
                members,
            )
            self.conn.execute(
                "DELETE FROM canonical_entities WHERE id NOT IN (SELECT canonical_id FROM entity_members)"
            )

    def canonical_entities(
        self, type: str | None = None, council: str | None = None, kind: str | None = None
    ) -> list[reads.EntityRow]:
        return queries.list_entities(self.conn, type, council, kind)

    def entity_facts(self, doc_ids: list[str], type: str) -> list[reads.EntityFact]:
        """The partnerships or operations these papers name, each with its canonical entity and evidence."""
        return queries.entity_facts(self.conn, doc_ids, type)

    def entity_passages(self, name: str) -> list[int]:
        """Passage ids that mention the entity a name, acronym or canonical id refers to."""
        return queries.entity_passages(self.conn, name)

"""The store's lookups for comparison tables (index.compare, index.compare_facts) and the pages' quotes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from index.reads import PaperRecord
from index.store.base import StoreBase
from index.store.filters import document_filter_sql

# the published URL of documents `d`: the `url` given with a source (manifest, harvest), or an http(s) source
URL_SQL = (
    "coalesce((SELECT json_extract(s.given, '$.url') FROM sources s WHERE s.document_id = d.id"
    " AND json_extract(s.given, '$.url') LIKE 'http%' ORDER BY s.source LIMIT 1),"
    " CASE WHEN d.source LIKE 'http://%' OR d.source LIKE 'https://%' THEN d.source END)"
)


class AnalysisMixin(StoreBase):
    def compared_papers(
        self, date_from: str | None = None, date_to: str | None = None, council: str | None = None
    ) -> list[PaperRecord]:
        """Papers with a council and an extraction, in range, oldest first."""
        where, args = document_filter_sql("d", council, None, date_from, date_to)
        sql = (
            "SELECT id, source, title, council, council_code, council_type, meeting_date, extraction,"
            f" {URL_SQL} AS url FROM documents d WHERE council IS NOT NULL AND extraction IS NOT NULL"
            + (f" AND {where}" if where else "")
            + " ORDER BY meeting_date, source"
        )
        return [PaperRecord(*r) for r in self.conn.execute(sql, args)]

    def published_urls(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Document id -> the published URL of the paper, for those that have one."""
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            marks = ",".join("?" * len(ids[i : i + 500]))
            out.update(
                {
                    r[0]: r[1]
                    for r in self.conn.execute(
                        f"SELECT d.id, {URL_SQL} FROM documents d WHERE d.id IN ({marks})", ids[i : i + 500]
                    )
                    if r[1]
                }
            )
        return out

    def cited_passages(self, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], sqlite3.Row]:
        """(document id, passage index) -> the passage's document_id, idx, text, start, page, paragraph, heading,
        section and boilerplate, one query a paper (through the (document_id, idx) index)."""
        out: dict[tuple[str, int], sqlite3.Row] = {}
        by_doc: dict[str, list[int]] = {}
        for doc, idx in wanted:
            by_doc.setdefault(doc, []).append(idx)
        for doc, idxs in by_doc.items():
            marks = ",".join("?" * len(idxs))
            for r in self.conn.execute(
                "SELECT document_id, idx, text, start, page, paragraph, heading, section,"
                f" boilerplate FROM passages WHERE document_id = ? AND idx IN ({marks})",
                [doc, *idxs],
            ):
                out[(r["document_id"], r["idx"])] = r
        return out

    def passage_text(self, doc_id: str, idx: int) -> tuple[str, int] | None:
        """The text of one passage and its offset in the paper, or None."""
        row = self.conn.execute(
            "SELECT text, start FROM passages WHERE document_id = ? AND idx = ?", (doc_id, idx)
        ).fetchone()
        return None if row is None else (row["text"], row["start"])

    # ---- precedents (index.precedents) -------------------------------------------------------------

    def council_of(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT council FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def documents_named(self, name: str) -> list[str]:
        """Ids of the papers a name picks: its id, the start of its id, or its source."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM documents WHERE id = ? OR id LIKE ? OR source = ?", (name, f"{name}%", name)
            )
        ]

    def prose_passage_ids(self, doc_id: str, *, of_paper: bool) -> list[int]:
        """Ids of the passages (not boilerplate) of the paper, or (`of_paper` False) of every other paper."""
        op = "=" if of_paper else "!="
        return [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM passages WHERE document_id {op} ? AND boilerplate = 0", (doc_id,)
            )
        ]

    def cited_papers(self, doc_ids: list[str]) -> dict[str, dict[str, object]]:
        """id -> source, title, council, meeting_date and published URL of these papers."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        return {
            r["id"]: dict(r)
            for r in self.conn.execute(
                f"SELECT id, source, title, council, meeting_date, {URL_SQL} AS url FROM documents d WHERE id IN ({marks})",
                doc_ids,
            )
        }

"""The store's documents, their sources and passages: writes (one paper per transaction) and reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import index.store.queries as queries
from index import reads
from index.boilerplate import is_boilerplate
from index.store.base import StoreBase
from index.store.filters import PAPER_KIND_SQL
from ingest.model import Document
from nlp.export import extraction_json
from nlp.model import Extraction

# given metadata keys that set a document column (the value given wins over the extracted one)
GIVEN_COLUMNS = MappingProxyType(
    {
        "council": "council",
        "committee": "committee",
        "meeting_date": "meeting_date",
        "date": "meeting_date",
        "title": "title",
        "council_code": "council_code",
        "council_type": "council_type",
        "author": "author",
        "paper_kind": "kind",
    }
)


class DocumentsMixin(StoreBase):
    def document_for_source(self, source: str) -> str | None:
        row = self.conn.execute("SELECT document_id FROM sources WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_source(self, doc_id: str, source: str, given: tuple[tuple[str, str], ...]) -> None:
        """Record another source of a stored document; the metadata given there fills gaps."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO sources (source, document_id, given) VALUES (?, ?, ?)",
                (source_key(source, given), doc_id, json.dumps(dict(given))),
            )
            for key, value in given:
                col = GIVEN_COLUMNS.get(key)
                if col and value:
                    self.conn.execute(
                        f"UPDATE documents SET {col} = ? WHERE id = ? AND {col} IS NULL", (value, doc_id)
                    )

    def put_document(
        self, doc: Document, extraction: Extraction | None, windows: list[int] | None = None
    ) -> list[int]:
        """Store one parsed paper (and its extraction) in one transaction; return its passage ids.

        `windows[i]` is the number of sentence vectors passage i has besides its own."""
        with self.transaction():
            return self._insert_document(doc, extraction, windows)

    def put_documents(self, items: list[tuple[Document, Extraction | None, list[int]]]) -> list[list[int]]:
        """Store many parsed papers in one transaction (as `put_document` each); their passage ids."""
        with self.transaction():
            return [self._insert_document(doc, ex, windows) for doc, ex, windows in items]

    def _insert_document(
        self, doc: Document, extraction: Extraction | None, windows: list[int] | None = None
    ) -> list[int]:
        """`put_document`'s writes, inside the caller's transaction."""
        meta = _metadata(doc, extraction)
        self._delete(doc.id)
        self.conn.execute(
            "INSERT INTO documents (id, source, format, title, page_count, text, council, council_code,"
            " council_type, committee, meeting_date, author, extraction, state, ingested_at, kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (
                doc.id,
                doc.source,
                doc.format,
                meta.get("title"),
                doc.page_count,
                doc.text,
                meta.get("council"),
                meta.get("council_code"),
                meta.get("council_type"),
                meta.get("committee"),
                meta.get("meeting_date"),
                meta.get("author"),
                extraction_text(extraction),
                datetime.now(UTC).isoformat(timespec="seconds"),
                meta.get("kind"),
            ),
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO sources (source, document_id, given) VALUES (?, ?, ?)",
            (source_key(doc.source, doc.given), doc.id, json.dumps(doc.given_dict())),
        )
        counts = windows or [0] * len(doc.passages)
        sections = extraction.sections if extraction and extraction.sections else (None,) * len(doc.passages)
        sources = (
            extraction.section_sources
            if extraction and len(extraction.section_sources) == len(doc.passages)
            else (None,) * len(doc.passages)
        )
        ids = [
            self._put_passage(doc.id, p, n, (r, b))
            for p, n, r, b in zip(doc.passages, counts, sections, sources, strict=True)
        ]
        self.conn.execute(
            "UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?",
            (min(ids, default=None), max(ids, default=None), doc.id),
        )
        if extraction is not None:
            self._put_extraction(doc.id, extraction)
        return ids

    def _put_passage(
        self, doc_id: str, p: Any, windows: int, section: tuple[str | None, str | None] = (None, None)
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO passages (document_id, idx, text, heading, heading_path, pages, page, paragraph,"
            " start, end, kind, boilerplate, windows, section, section_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                p.index,
                p.text,
                " > ".join(p.heading_path),
                json.dumps(list(p.heading_path)),
                json.dumps(list(p.pages)),
                p.page,
                p.paragraph,
                p.start,
                p.end,
                p.kind,
                int(is_boilerplate(p.heading_path, p.text)),
                windows,
                *section,
            ),
        )
        return int(cur.lastrowid or 0)

    def _put_extraction(self, doc_id: str, ex: Extraction) -> None:
        for named in (*ex.partnerships, *ex.operations):
            cur = self.conn.execute(
                "INSERT INTO entities (document_id, type, name, norm, acronym, kind, mentions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    named.type,
                    named.name,
                    reads.norm_name(named.name),
                    named.acronym,
                    named.kind,
                    json.dumps(list(named.mentions)),
                ),
            )
            self.conn.executemany(
                "INSERT INTO evidence (entity_id, passage_idx, page, paragraph, start, end, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (cur.lastrowid, e.passage, e.page, e.paragraph, e.start, e.end, e.text)
                    for e in named.evidence
                ],
            )
        themes = sorted({t for p in ex.priorities for t in p.themes})
        self.conn.executemany(
            "INSERT OR IGNORE INTO themes (document_id, theme) VALUES (?, ?)", [(doc_id, t) for t in themes]
        )
        self.conn.executemany(
            "INSERT INTO acronyms (document_id, short, long) VALUES (?, ?, ?)",
            [(doc_id, s, long) for s, long in ex.acronyms],
        )
        self.conn.executemany(
            "INSERT INTO decisions (document_id, seq, item, item_number, outcome, reference, text, passages, page)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    n,
                    d.item,
                    d.item_number,
                    d.outcome,
                    d.reference,
                    d.text,
                    json.dumps(list(d.passages)),
                    d.page,
                )
                for n, d in enumerate(ex.decisions)
            ],
        )
        self.conn.executemany(
            "INSERT INTO paper_refs (document_id, kind, value, date, words) VALUES (?, ?, ?, ?, ?)",
            [(doc_id, "decision_number", r, None, None) for r in ex.references]
            + [(doc_id, "cites", body, day, words) for body, day, words in ex.cites],
        )

    def set_windows(self, passage_ids: list[int], windows: list[int]) -> None:
        with self.transaction():
            self.conn.executemany(
                "UPDATE passages SET windows = ? WHERE id = ?", list(zip(windows, passage_ids, strict=True))
            )

    def mark_indexed(self, doc_ids: list[str]) -> None:
        with self.transaction():
            self.conn.executemany(
                "UPDATE documents SET state = 'indexed' WHERE id = ?", [(d,) for d in doc_ids]
            )

    def delete_document(self, doc_id: str) -> list[int]:
        """Delete a paper and everything hanging off it in one transaction; return the passage ids gone."""
        with self.transaction():
            return self._delete(doc_id)

    def fail_document(self, doc_id: str, source: str, reason: str) -> list[int]:
        """Record a paper that failed after parsing and delete everything stored of it, in one transaction;
        return the passage ids gone (their vectors are the caller's to drop)."""
        with self.transaction():
            ids = self._delete(doc_id)
            self.conn.execute(
                "INSERT OR REPLACE INTO failed_papers (id, source, reason, failed_at) VALUES (?, ?, ?, ?)",
                (doc_id, source, reason, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        return ids

    def failure_of(self, doc_id: str) -> str | None:
        """Why this content failed at an earlier ingest, or None."""
        row = self.conn.execute("SELECT reason FROM failed_papers WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def failed_papers(self) -> list[tuple[str, str, str]]:
        """(id, source, reason) of every paper that failed after parsing, oldest first."""
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute("SELECT id, source, reason FROM failed_papers ORDER BY failed_at, id")
        ]

    def forget_failure(self, doc_id: str) -> bool:
        """Drop the record of a failed paper (the next ingest of it tries again); False when there is none."""
        with self.transaction():
            return self.conn.execute("DELETE FROM failed_papers WHERE id = ?", (doc_id,)).rowcount > 0

    def has_sources(self, doc_id: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM sources WHERE document_id = ?", (doc_id,)).fetchone() is not None
        )

    def orphan_documents(self) -> list[str]:
        """Documents no source points to any more (a replaced version, its removal cut short)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.document_id = d.id)"
            )
        ]

    def _delete(self, doc_id: str) -> list[int]:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM passages WHERE document_id = ?", (doc_id,))]
        # passages first, one by one through the FTS trigger; the rest by cascade
        self.conn.execute("DELETE FROM passages WHERE document_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return ids

    def list_documents(
        self,
        council: str | None = None,
        committee: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[reads.DocumentRow]:
        return queries.list_documents(self.conn, council, committee, date_from, date_to)

    def list_documents_by_id(self, doc_ids: list[str]) -> list[reads.DocumentRow]:
        return queries.documents_by_id(self.conn, doc_ids)

    def get_document(self, doc_id: str) -> reads.DocumentDetail | None:
        return queries.get_document(self.conn, doc_id)

    def passages_by_id(self, ids: list[int]) -> dict[int, reads.PassageRow]:
        return queries.passages_by_id(self.conn, ids)

    def passage_ids(self, state: str | None = None) -> list[int]:
        sql = "SELECT p.id FROM passages p"
        if state:
            sql += " JOIN documents d ON d.id = p.document_id WHERE d.state = ?"
        return [r[0] for r in self.conn.execute(sql + " ORDER BY p.id", (state,) if state else ())]

    def passage_windows(self) -> list[tuple[int, int]]:
        """(passage id, sentence vectors besides its own) of every passage, by id."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT id, windows FROM passages ORDER BY id")]

    def passages_in_order(self) -> Iterator[tuple[str, str]]:
        """(paper id, text) of every passage, paper by paper, in each paper's order."""
        yield from self.conn.execute("SELECT document_id, text FROM passages ORDER BY document_id, idx")

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check and the keyword index's agreement with the passages, as lines."""
        problems = []
        ok = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            problems.append(f"SQLite integrity check: {ok}")
        try:
            self.conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as e:
            problems.append(f"keyword index disagrees with the passages: {e}")
        return problems + self.cache_problems()

    def pending_documents(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE state = 'pending'")]

    def counts(self) -> dict[str, int]:
        q = {
            "documents": "SELECT count(*) FROM documents",
            "passages": "SELECT count(*) FROM passages",
            "entities": "SELECT count(*) FROM entities",
            "sources": "SELECT count(*) FROM sources",
        }
        return {k: int(self.conn.execute(v).fetchone()[0]) for k, v in q.items()}

    def paper_kinds(self, doc_ids: list[str]) -> dict[str, str]:
        """Document id -> its kind of paper (report, minutes, item minute...), for those that have one."""
        out: dict[str, str] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            out.update(
                {
                    r[0]: r[1]
                    for r in self.conn.execute(
                        f"SELECT d.id, ({PAPER_KIND_SQL}) FROM documents d WHERE d.id IN ({marks})", chunk
                    )
                    if r[1]
                }
            )
        return out

    def names_of(self, field: str) -> list[str]:
        """Every distinct council or committee name of the stored papers, case aside, in order (index.names
        resolves against them)."""
        if field not in ("council", "committee"):
            raise ValueError(f"names_of: {field!r} is not council or committee")
        # one index seek a name (documents_council_nc / documents_committee_nc), not a scan of every paper
        return [
            r[0]
            for r in self.conn.execute(
                f"WITH RECURSIVE n(v) AS (SELECT MIN({field} COLLATE NOCASE) FROM documents WHERE {field} != ''"
                f" UNION ALL SELECT (SELECT MIN({field} COLLATE NOCASE) FROM documents WHERE {field} COLLATE NOCASE > n.v)"
                " FROM n WHERE n.v IS NOT NULL) SELECT v FROM n WHERE v IS NOT NULL"
            )
        ]

    def councils_of(self, doc_ids: list[str]) -> set[str]:
        marks = ",".join("?" * len(doc_ids))
        return (
            {
                r[0]
                for r in self.conn.execute(
                    f"SELECT DISTINCT council FROM documents WHERE id IN ({marks}) AND council IS NOT NULL",
                    doc_ids,
                )
            }
            if doc_ids
            else set()
        )

    def theme_paper_counts(self) -> dict[str, int]:
        """Papers per theme, stated as a priority or with a passage about it: what the theme filter selects."""
        return {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT theme, count(DISTINCT document_id) FROM (SELECT document_id, theme FROM themes UNION "
                "SELECT p.document_id, t.theme FROM passage_themes t JOIN passages p ON p.id = t.passage_id) GROUP BY theme"
            )
        }


def source_key(path: str, given: tuple[tuple[str, str], ...]) -> str:
    """The file path, unless the metadata names the source: a harvested link gives "source" (URL + meeting),
    as one stored file can be linked from several meetings and each link is cited."""
    return dict(given).get("source") or path


def _metadata(doc: Document, ex: Extraction | None) -> dict[str, str | None]:
    meta: dict[str, str | None] = {"title": doc.title}
    if ex is not None:
        md = ex.metadata
        meta.update(
            {
                k: v
                for k, v in (
                    ("council", md.council),
                    ("council_code", md.council_code),
                    ("council_type", md.council_type),
                    ("committee", md.committee),
                    ("meeting_date", md.meeting_date),
                    ("title", md.title or doc.title),
                    ("author", md.author),
                    ("kind", md.kind),
                )
            }
        )
    for key, value in doc.given:
        col = GIVEN_COLUMNS.get(key)
        if col and value:
            meta[col] = value
    return meta


def extraction_text(ex: Extraction | None) -> str | None:
    """An extraction as the JSON text the documents table keeps (nlp.export)."""
    return None if ex is None else json.dumps(extraction_json(ex), ensure_ascii=False)

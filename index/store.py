"""The store: one SQLite file (WAL) holding documents, sources, passages, entities and evidence.

Writes happen one document per transaction, so a crash leaves whole documents or none.
A document is `pending` until its vectors are saved in the FAISS file, then `indexed`
(see `index.pipeline.reconcile`). Reads return small frozen dataclasses (`index.reads`).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import reads
from index.boilerplate import is_boilerplate
from ingest.model import Document
from ingest.settings import Settings

if TYPE_CHECKING:
    from nlp.model import Extraction

DB_NAME = "store.sqlite"
SCHEMA_VERSION = "1"
# given metadata keys that set a document column (the value given wins over the extracted one)
GIVEN_COLUMNS = {"council": "council", "committee": "committee", "meeting_date": "meeting_date",
                 "date": "meeting_date", "title": "title", "council_code": "council_code",
                 "council_type": "council_type", "author": "author"}


class Store:
    """Open with `Store.open(settings)`; use as a context manager or call `close()`."""

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.conn = conn
        self.folder = folder

    @classmethod
    def open(cls, settings: Settings, *, create: bool = True) -> Store:
        folder = Path(settings.store)
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        elif not (folder / DB_NAME).exists():
            raise FileNotFoundError(f"{folder}: no store here (run `councilpapers ingest` first)")
        conn = sqlite3.connect(folder / DB_NAME, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn)
        conn.executescript((Path(__file__).parent / "schema.sql").read_text(encoding="utf-8"))
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
        return cls(conn, folder)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes -------------------------------------------------------------------------------

    def write_lock(self, timeout: float | None = None) -> AbstractContextManager[None]:
        """The store's one-writer-at-a-time lock, across processes (`index.lock`)."""
        from index.lock import write_lock

        return write_lock(self.folder, timeout)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (taken up front, so two writers queue rather than deadlock)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def document_for_source(self, source: str) -> str | None:
        row = self.conn.execute("SELECT document_id FROM sources WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_source(self, doc_id: str, source: str, given: tuple[tuple[str, str], ...]) -> None:
        """Record another source of a stored document; the metadata given there fills gaps."""
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO sources (source, document_id, given) VALUES (?, ?, ?)",
                              (source_key(source, given), doc_id, json.dumps(dict(given))))
            for key, value in given:
                col = GIVEN_COLUMNS.get(key)
                if col and value:
                    self.conn.execute(f"UPDATE documents SET {col} = ? WHERE id = ? AND {col} IS NULL",
                                      (value, doc_id))

    def put_document(self, doc: Document, extraction: Extraction | None,
                     windows: list[int] | None = None) -> list[int]:
        """Store one parsed paper (and its extraction) in one transaction; return its passage ids.

        `windows[i]` is the number of sentence vectors passage i has besides its own."""
        with self.transaction():
            return self._insert_document(doc, extraction, windows)

    def _insert_document(self, doc: Document, extraction: Extraction | None,
                         windows: list[int] | None = None) -> list[int]:
        """`put_document`'s writes, inside the caller's transaction."""
        meta = _metadata(doc, extraction)
        self._delete(doc.id)
        self.conn.execute(
            "INSERT INTO documents (id, source, format, title, page_count, text, council, council_code,"
            " council_type, committee, meeting_date, author, extraction, state, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            (doc.id, doc.source, doc.format, meta.get("title"), doc.page_count, doc.text,
             meta.get("council"), meta.get("council_code"), meta.get("council_type"),
             meta.get("committee"), meta.get("meeting_date"), meta.get("author"),
             _extraction_json(extraction), datetime.now(UTC).isoformat(timespec="seconds")))
        self.conn.execute("INSERT OR REPLACE INTO sources (source, document_id, given) VALUES (?, ?, ?)",
                          (source_key(doc.source, doc.given), doc.id, json.dumps(doc.given_dict())))
        counts = windows or [0] * len(doc.passages)
        ids = [self._put_passage(doc.id, p, n) for p, n in zip(doc.passages, counts, strict=True)]
        self.conn.execute("UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?",
                          (min(ids, default=None), max(ids, default=None), doc.id))
        if extraction is not None:
            self._put_extraction(doc.id, extraction)
        return ids

    def _put_passage(self, doc_id: str, p: Any, windows: int) -> int:
        cur = self.conn.execute(
            "INSERT INTO passages (document_id, idx, text, heading, heading_path, pages, page, paragraph,"
            " start, end, kind, boilerplate, windows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, p.index, p.text, " > ".join(p.heading_path), json.dumps(list(p.heading_path)),
             json.dumps(list(p.pages)), p.page, p.paragraph, p.start, p.end, p.kind,
             int(is_boilerplate(p.heading_path, p.text)), windows))
        return int(cur.lastrowid or 0)

    def _put_extraction(self, doc_id: str, ex: Extraction) -> None:
        for named in (*ex.partnerships, *ex.operations):
            cur = self.conn.execute(
                "INSERT INTO entities (document_id, type, name, norm, acronym, kind, mentions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc_id, named.type, named.name, reads.norm_name(named.name), named.acronym, named.kind,
                 json.dumps(list(named.mentions))))
            self.conn.executemany(
                "INSERT INTO evidence (entity_id, passage_idx, page, paragraph, start, end, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(cur.lastrowid, e.passage, e.page, e.paragraph, e.start, e.end, e.text) for e in named.evidence])
        themes = sorted({t for p in ex.priorities for t in p.themes})
        self.conn.executemany("INSERT OR IGNORE INTO themes (document_id, theme) VALUES (?, ?)",
                              [(doc_id, t) for t in themes])
        self.conn.executemany("INSERT INTO acronyms (document_id, short, long) VALUES (?, ?, ?)",
                              [(doc_id, s, long) for s, long in ex.acronyms])

    def set_windows(self, passage_ids: list[int], windows: list[int]) -> None:
        with self.transaction():
            self.conn.executemany("UPDATE passages SET windows = ? WHERE id = ?",
                                  list(zip(windows, passage_ids, strict=True)))

    def mark_indexed(self, doc_ids: list[str]) -> None:
        with self.transaction():
            self.conn.executemany("UPDATE documents SET state = 'indexed' WHERE id = ?", [(d,) for d in doc_ids])

    def delete_document(self, doc_id: str) -> list[int]:
        """Delete a paper and everything hanging off it in one transaction; return the passage ids gone."""
        with self.transaction():
            return self._delete(doc_id)

    def has_sources(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sources WHERE document_id = ?", (doc_id,)).fetchone() is not None

    def orphan_documents(self) -> list[str]:
        """Documents no source points to any more (a replaced version, its removal cut short)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.document_id = d.id)")]

    def _delete(self, doc_id: str) -> list[int]:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM passages WHERE document_id = ?", (doc_id,))]
        # passages first, one by one through the FTS trigger; the rest by cascade
        self.conn.execute("DELETE FROM passages WHERE document_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return ids

    # ---- reads (see index.reads) ---------------------------------------------------------------

    def list_documents(self, council: str | None = None, committee: str | None = None,
                       date_from: str | None = None, date_to: str | None = None) -> list[reads.DocumentRow]:
        return reads.list_documents(self.conn, council, committee, date_from, date_to)

    def get_document(self, doc_id: str) -> reads.DocumentDetail | None:
        return reads.get_document(self.conn, doc_id)

    def list_entities(self, type: str | None = None, council: str | None = None) -> list[reads.EntityRow]:
        return reads.list_entities(self.conn, type, council)

    def get_entity(self, name: str, type: str | None = None) -> reads.EntityDetail | None:
        return reads.get_entity(self.conn, name, type)

    def passages_by_id(self, ids: list[int]) -> dict[int, reads.PassageRow]:
        return reads.passages_by_id(self.conn, ids)

    def passage_ids(self, state: str | None = None) -> list[int]:
        sql = "SELECT p.id FROM passages p"
        if state:
            sql += " JOIN documents d ON d.id = p.document_id WHERE d.state = ?"
        return [r[0] for r in self.conn.execute(sql + " ORDER BY p.id", (state,) if state else ())]

    def passage_windows(self) -> list[tuple[int, int]]:
        """(passage id, sentence vectors besides its own) of every passage, by id."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT id, windows FROM passages ORDER BY id")]

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
        return problems

    def pending_documents(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE state = 'pending'")]

    def counts(self) -> dict[str, int]:
        q = {"documents": "SELECT count(*) FROM documents", "passages": "SELECT count(*) FROM passages",
             "entities": "SELECT count(*) FROM entities", "sources": "SELECT count(*) FROM sources"}
        return {k: int(self.conn.execute(v).fetchone()[0]) for k, v in q.items()}

    # ---- bulk writes (index.bulk) ----------------------------------------------------------------

    def put_documents(self, items: list[tuple[Document, Extraction | None, list[int]]]) -> list[list[int]]:
        """Store many parsed papers in one transaction (as `put_document` each); their passage ids."""
        with self.transaction():
            return [self._insert_document(doc, ex, windows) for doc, ex, windows in items]


def source_key(path: str, given: tuple[tuple[str, str], ...]) -> str:
    """The file path, unless the metadata names the source: a harvested link gives "source" (URL + meeting),
    as one stored file can be linked from several meetings and each link is cited."""
    return dict(given).get("source") or path


def _metadata(doc: Document, ex: Extraction | None) -> dict[str, str | None]:
    meta: dict[str, str | None] = {"title": doc.title}
    if ex is not None:
        md = ex.metadata
        meta.update({k: v for k, v in (("council", md.council), ("council_code", md.council_code),
                                       ("council_type", md.council_type), ("committee", md.committee),
                                       ("meeting_date", md.meeting_date), ("title", md.title or doc.title),
                                       ("author", md.author))})
    for key, value in doc.given:
        col = GIVEN_COLUMNS.get(key)
        if col and value:
            meta[col] = value
    return meta


def _extraction_json(ex: Extraction | None) -> str | None:
    if ex is None:
        return None
    from nlp.export import extraction_json

    return json.dumps(extraction_json(ex), ensure_ascii=False)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a store made by an earlier version up to the schema (columns added since)."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
    if cols and "first_passage" not in cols:
        conn.execute("ALTER TABLE documents ADD COLUMN first_passage INTEGER")
        conn.execute("ALTER TABLE documents ADD COLUMN last_passage INTEGER")
        conn.execute("UPDATE documents SET first_passage = (SELECT min(id) FROM passages p WHERE"
                     " p.document_id = documents.id), last_passage = (SELECT max(id) FROM passages p"
                     " WHERE p.document_id = documents.id)")

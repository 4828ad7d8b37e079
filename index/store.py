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
    from index.alertstore import AlertTable
    from nlp.model import Extraction

DB_NAME = "store.sqlite"
SCHEMA_VERSION = "1"
# given metadata keys that set a document column (the value given wins over the extracted one)
GIVEN_COLUMNS = {"council": "council", "committee": "committee", "meeting_date": "meeting_date",
                 "date": "meeting_date", "title": "title", "council_code": "council_code",
                 "council_type": "council_type", "author": "author", "paper_kind": "kind"}


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
            if self.conn.in_transaction:  # SQLite has rolled back by itself on some errors (SQLITE_FULL)
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
            " council_type, committee, meeting_date, author, extraction, state, ingested_at, kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (doc.id, doc.source, doc.format, meta.get("title"), doc.page_count, doc.text,
             meta.get("council"), meta.get("council_code"), meta.get("council_type"),
             meta.get("committee"), meta.get("meeting_date"), meta.get("author"),
             _extraction_json(extraction), datetime.now(UTC).isoformat(timespec="seconds"), meta.get("kind")))
        self.conn.execute("INSERT OR REPLACE INTO sources (source, document_id, given) VALUES (?, ?, ?)",
                          (source_key(doc.source, doc.given), doc.id, json.dumps(doc.given_dict())))
        counts = windows or [0] * len(doc.passages)
        sections = extraction.sections if extraction and extraction.sections else (None,) * len(doc.passages)
        sources = extraction.section_sources if extraction and len(extraction.section_sources) == len(doc.passages) \
            else (None,) * len(doc.passages)
        ids = [self._put_passage(doc.id, p, n, (r, b)) for p, n, r, b in zip(doc.passages, counts, sections, sources,
                                                                             strict=True)]
        self.conn.execute("UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?",
                          (min(ids, default=None), max(ids, default=None), doc.id))
        if extraction is not None:
            self._put_extraction(doc.id, extraction)
        return ids

    def _put_passage(self, doc_id: str, p: Any, windows: int,
                     section: tuple[str | None, str | None] = (None, None)) -> int:
        cur = self.conn.execute(
            "INSERT INTO passages (document_id, idx, text, heading, heading_path, pages, page, paragraph,"
            " start, end, kind, boilerplate, windows, section, section_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, p.index, p.text, " > ".join(p.heading_path), json.dumps(list(p.heading_path)),
             json.dumps(list(p.pages)), p.page, p.paragraph, p.start, p.end, p.kind,
             int(is_boilerplate(p.heading_path, p.text)), windows, *section))
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
        self.conn.executemany(
            "INSERT INTO decisions (document_id, seq, item, item_number, outcome, reference, text, passages, page)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, n, d.item, d.item_number, d.outcome, d.reference, d.text, json.dumps(list(d.passages)), d.page)
             for n, d in enumerate(ex.decisions)])
        self.conn.executemany("INSERT INTO paper_refs (document_id, kind, value, date, words) VALUES (?, ?, ?, ?, ?)",
                              [(doc_id, "decision_number", r, None, None) for r in ex.references]
                              + [(doc_id, "cites", body, day, words) for body, day, words in ex.cites])

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

    def fail_document(self, doc_id: str, source: str, reason: str) -> list[int]:
        """Record a paper that failed after parsing and delete everything stored of it, in one transaction;
        return the passage ids gone (their vectors are the caller's to drop)."""
        with self.transaction():
            ids = self._delete(doc_id)
            self.conn.execute("INSERT OR REPLACE INTO failed_papers (id, source, reason, failed_at) VALUES (?, ?, ?, ?)",
                              (doc_id, source, reason, datetime.now(UTC).isoformat(timespec="seconds")))
        return ids

    def failure_of(self, doc_id: str) -> str | None:
        """Why this content failed at an earlier ingest, or None."""
        row = self.conn.execute("SELECT reason FROM failed_papers WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def failed_papers(self) -> list[tuple[str, str, str]]:
        """(id, source, reason) of every paper that failed after parsing, oldest first."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT id, source, reason FROM failed_papers ORDER BY failed_at, id")]

    def forget_failure(self, doc_id: str) -> bool:
        """Drop the record of a failed paper (the next ingest of it tries again); False when there is none."""
        with self.transaction():
            return self.conn.execute("DELETE FROM failed_papers WHERE id = ?", (doc_id,)).rowcount > 0

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

    def list_documents_by_id(self, doc_ids: list[str]) -> list[reads.DocumentRow]:
        return reads.documents_by_id(self.conn, doc_ids)

    def get_document(self, doc_id: str) -> reads.DocumentDetail | None:
        return reads.get_document(self.conn, doc_id)

    def theme_paper_counts(self) -> dict[str, int]:
        """Papers per theme, stated as a priority or with a passage about it: what the theme filter selects."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT theme, count(DISTINCT document_id) FROM (SELECT document_id, theme FROM themes UNION "
            "SELECT p.document_id, t.theme FROM passage_themes t JOIN passages p ON p.id = t.passage_id) GROUP BY theme")}

    def change_stamp(self) -> tuple[int, ...]:
        """Changes whenever the store's database does (its file or its write-ahead log)."""
        out: list[int] = []
        for name in (DB_NAME, f"{DB_NAME}-wal"):
            try:
                st = (self.folder / name).stat()
                out += [st.st_ino, st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0, 0]
        return tuple(out)

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
        return problems + self.cache_problems()

    def pending_documents(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE state = 'pending'")]

    def counts(self) -> dict[str, int]:
        q = {"documents": "SELECT count(*) FROM documents", "passages": "SELECT count(*) FROM passages",
             "entities": "SELECT count(*) FROM entities", "sources": "SELECT count(*) FROM sources"}
        return {k: int(self.conn.execute(v).fetchone()[0]) for k, v in q.items()}

    # ---- passage themes and canonical entities (index.resolve at ingest; index.reads to read) ----------

    def put_passage_themes(self, passage_ids: list[int], rows: list[tuple[int, str, float]]) -> None:
        """The themes of these passages: (passage id, theme, score) rows, replacing what they had."""
        with self.transaction():
            self.conn.executemany("DELETE FROM passage_themes WHERE passage_id = ?", [(i,) for i in passage_ids])
            self.conn.executemany("INSERT OR REPLACE INTO passage_themes (passage_id, theme, score) VALUES (?, ?, ?)",
                                  rows)

    def passage_themes(self, doc_ids: list[str], themes: list[str] | None = None) -> list[reads.ThemeHit]:
        """Passages of these papers about these themes (all themes when None), best first."""
        return reads.theme_hits(self.conn, doc_ids, themes)

    def passages_about(self, keys: list[tuple[str, int]], themes: list[str]) -> set[tuple[str, int]]:
        """Those (document id, passage index) keys whose passage is about one of the themes."""
        return reads.passages_about(self.conn, keys, themes)

    def entity_sightings(self, document: str | None = None, buckets: set[str] | None = None) -> list[tuple[int, Any]]:
        """(entity row id, nlp.normalise.Sighting) of one paper, or of the entities resolved in these buckets."""
        from nlp.normalise import Sighting

        sql = ("SELECT e.id, e.type, e.name, e.document_id, d.council, e.mentions, e.acronym, e.kind FROM entities e"
               " JOIN documents d ON d.id = e.document_id")
        if document is not None:
            rows = self.conn.execute(sql + " WHERE e.document_id = ? ORDER BY e.id", (document,)).fetchall()
        else:
            marks = ",".join("?" * len(buckets or ()))
            rows = self.conn.execute(sql + f" JOIN entity_members m ON m.entity_id = e.id WHERE m.bucket IN ({marks})"
                                     " ORDER BY e.id", sorted(buckets or ())).fetchall() if buckets else []
        return [(r[0], Sighting(r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), r[6], r[7])) for r in rows]

    def unresolved_documents(self) -> list[str]:
        """Papers with entities that no canonical entity holds yet."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT document_id FROM entities e WHERE NOT EXISTS"
            " (SELECT 1 FROM entity_members m WHERE m.entity_id = e.id) ORDER BY document_id")]

    def entity_buckets(self, pattern: str) -> set[str]:
        """The resolved buckets ("type|scope|where") matching a LIKE pattern."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT bucket FROM entity_members WHERE bucket LIKE ?",
                                                (pattern,))}

    def put_canonical(self, canon: Any, members: list[tuple[int, str, str]]) -> None:
        """Canonical entities (nlp.normalise.Canonical) and (entity row id, canonical id, bucket) members,
        in one transaction; canonical entities left without members are dropped."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO canonical_entities (id, type, name, scope, council, kind, acronym, aliases)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.id, c.type, c.name, c.scope, c.council, c.kind,
                  next((m.acronym for m in c.members if m.acronym), None), json.dumps(list(c.aliases)))
                 for c in canon])
            self.conn.executemany("INSERT OR REPLACE INTO entity_members (entity_id, canonical_id, bucket)"
                                  " VALUES (?, ?, ?)", members)
            self.conn.execute("DELETE FROM canonical_entities WHERE id NOT IN"
                              " (SELECT canonical_id FROM entity_members)")

    def canonical_entities(self, type: str | None = None, council: str | None = None,
                           kind: str | None = None) -> list[reads.EntityRow]:
        return reads.list_entities(self.conn, type, council, kind)

    def entity_facts(self, doc_ids: list[str], type: str) -> list[reads.EntityFact]:
        """The partnerships or operations these papers name, each with its canonical entity and evidence."""
        return reads.entity_facts(self.conn, doc_ids, type)

    def entity_passages(self, name: str) -> list[int]:
        """Passage ids that mention the entity a name, acronym or canonical id refers to."""
        return reads.entity_passages(self.conn, name)
    def paper_kinds(self, doc_ids: list[str]) -> dict[str, str]:
        """Document id -> its kind of paper (report, minutes, item minute...), for those that have one."""
        out: dict[str, str] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            out.update({r[0]: r[1] for r in self.conn.execute(
                f"SELECT d.id, ({reads.PAPER_KIND_SQL}) FROM documents d WHERE d.id IN ({marks})", chunk) if r[1]})
        return out

    def alerts(self) -> AlertTable:
        """Saved searches and their matches (SQL in index.alertstore, logic in index.alerts)."""
        from index.alertstore import AlertTable

        return AlertTable(self.conn, self.transaction)
    # ---- decisions and decision history (index.history) -------------------------------------------------

    def decisions_of(self, doc_ids: list[str]) -> list[reads.DecisionRow]:
        return reads.decisions_of(self.conn, doc_ids)

    def paper_refs(self, doc_ids: list[str]) -> list[tuple[str, str, str, str | None, str | None]]:
        return reads.paper_refs(self.conn, doc_ids)

    def council_papers(self, council: str) -> list[sqlite3.Row]:
        return reads.council_papers(self.conn, council)

    def links_of(self, doc_ids: list[str]) -> list[reads.LinkRow]:
        return reads.links_of(self.conn, doc_ids)

    def section_passages(self, doc_ids: list[str], sections: tuple[str, ...],
                         theme: str | None = None) -> list[sqlite3.Row]:
        return reads.section_passages(self.conn, doc_ids, sections, theme)

    def names_of(self, field: str) -> list[str]:
        """Every distinct council or committee name of the stored papers, case aside, in order (index.names
        resolves against them)."""
        if field not in ("council", "committee"):
            raise ValueError(f"names_of: {field!r} is not council or committee")
        # one index seek a name (documents_council_nc / documents_committee_nc), not a scan of every paper
        return [r[0] for r in self.conn.execute(
            f"WITH RECURSIVE n(v) AS (SELECT MIN({field} COLLATE NOCASE) FROM documents WHERE {field} != ''"
            f" UNION ALL SELECT (SELECT MIN({field} COLLATE NOCASE) FROM documents WHERE {field} COLLATE NOCASE > n.v)"
            " FROM n WHERE n.v IS NOT NULL) SELECT v FROM n WHERE v IS NOT NULL")]

    def councils_of(self, doc_ids: list[str]) -> set[str]:
        marks = ",".join("?" * len(doc_ids))
        return {r[0] for r in self.conn.execute(
            f"SELECT DISTINCT council FROM documents WHERE id IN ({marks}) AND council IS NOT NULL", doc_ids)} \
            if doc_ids else set()

    def put_links(self, doc_ids: list[str], links: list[tuple[str, str, str, str]]) -> None:
        """Replace the links among these papers (one council's) with `links` (source, target, relation, reason)."""
        with self.transaction():
            for i in range(0, len(doc_ids), 400):
                chunk = doc_ids[i:i + 400]
                marks = ",".join("?" * len(chunk))
                self.conn.execute(f"DELETE FROM paper_links WHERE source IN ({marks}) OR target IN ({marks})",
                                  chunk + chunk)
            self.conn.executemany("INSERT OR REPLACE INTO paper_links (source, target, relation, reason)"
                                  " VALUES (?, ?, ?, ?)", links)
    def body_role_passages(self, passage_ids: list[int]) -> list[tuple[int, str | None]]:
        """(passage id, its paper's kind) of those passages whose section role is their layout's body role
        (nlp.sections: nothing named it), which a classifier over their vectors may refine."""
        out: list[tuple[int, str | None]] = []
        for i in range(0, len(passage_ids), 500):
            chunk = passage_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out += [(int(r[0]), r[1]) for r in self.conn.execute(
                f"SELECT p.id, ({reads.PAPER_KIND_SQL}) FROM passages p JOIN documents d ON d.id = p.document_id"
                f" WHERE p.id IN ({marks}) AND p.section_by = 'layout'", chunk)]
        return out

    def set_sections(self, rows: list[tuple[int, str, str]]) -> None:
        """Set (passage id, section role, what decided it) of passages."""
        with self.transaction():
            self.conn.executemany("UPDATE passages SET section = ?, section_by = ? WHERE id = ?",
                                  [(role, by, pid) for pid, role, by in rows])

    def put_committee_names(self, council: str, names: dict[str, str]) -> None:
        """Replace a council's committee names (name as written -> the committee it names)."""
        with self.transaction():
            self.conn.execute("DELETE FROM committee_names WHERE council = ?", (council,))
            self.conn.executemany("INSERT INTO committee_names (council, name, committee) VALUES (?, ?, ?)",
                                  [(council, n, c) for n, c in names.items()])

    def committee_names(self, council: str) -> dict[str, str]:
        """A council's committee names (as written) -> the committee each names."""
        return dict(self.conn.execute("SELECT name, committee FROM committee_names WHERE council = ?", (council,)))
    # ---- bulk writes (index.bulk) ----------------------------------------------------------------

    def put_documents(self, items: list[tuple[Document, Extraction | None, list[int]]]) -> list[list[int]]:
        """Store many parsed papers in one transaction (as `put_document` each); their passage ids."""
        with self.transaction():
            return [self._insert_document(doc, ex, windows) for doc, ex, windows in items]
    # ---- the embedding cache (index.embedcache) -------------------------------------------------------

    def cached_vectors(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The cached vectors (float32 bytes) of those content keys that have one."""
        out: dict[bytes, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT key, vector FROM embedding_cache WHERE key IN ({marks})", chunk))
        return out

    def cache_vectors(self, rows: list[tuple[bytes, bytes]]) -> None:
        """Keep (content key, float32 vector bytes) rows, in one transaction (a key's vector depends only on
        the key, so a row already there stays); the count of rows (`cache_size`) is kept with them."""
        if rows:
            with self.transaction():
                size = self.cache_size()
                added = self.conn.executemany("INSERT OR IGNORE INTO embedding_cache (key, vector) VALUES (?, ?)",
                                              rows).rowcount
                self.set_meta("cache_rows", str(size + max(0, added)))

    def meta(self, key: str) -> str | None:
        """A value of the store's `meta` table (None when unset)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def cache_size(self) -> int:
        """Rows of the embedding cache: kept in `meta` as rows are added and dropped (counting them reads
        every 1.5 KB row), counted once for a store made before that."""
        kept = self.meta("cache_rows")
        if kept is None:
            kept = str(self.conn.execute("SELECT count(*) FROM embedding_cache").fetchone()[0])
            self.set_meta("cache_rows", kept)
        return int(kept)

    def keep_cached(self, keys: set[bytes]) -> int:
        """Drop every cached vector but those of `keys`, in one transaction; returns the rows dropped."""
        with self.transaction():
            size = self.cache_size()
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS cache_keep (key BLOB PRIMARY KEY) WITHOUT ROWID")
            self.conn.execute("DELETE FROM cache_keep")
            self.conn.executemany("INSERT OR IGNORE INTO cache_keep (key) VALUES (?)", ((k,) for k in keys))
            dropped = int(self.conn.execute("DELETE FROM embedding_cache WHERE key NOT IN (SELECT key FROM cache_keep)")
                          .rowcount)
            self.conn.execute("DELETE FROM cache_keep")
            self.set_meta("cache_rows", str(size - dropped))
        return dropped

    def passages_in_order(self) -> Iterator[tuple[str, str]]:
        """(paper id, text) of every passage, paper by paper, in each paper's order."""
        yield from self.conn.execute("SELECT document_id, text FROM passages ORDER BY document_id, idx")

    def cache_problems(self) -> list[str]:
        """Cached vectors of more than one size (the model's dimension is one), as a line."""
        sizes = [r[0] for r in self.conn.execute("SELECT DISTINCT length(vector) FROM embedding_cache LIMIT 2")]
        return [f"embedding cache holds vectors of {len(sizes)}+ sizes (bytes: {sizes})"] if len(sizes) > 1 else []


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
                                       ("author", md.author), ("kind", md.kind))})
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
    for table, column in (("passages", "section"), ("documents", "kind"), ("passages", "section_by")):
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if have and column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    cols = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
    if cols and "first_passage" not in cols:
        conn.execute("ALTER TABLE documents ADD COLUMN first_passage INTEGER")
        conn.execute("ALTER TABLE documents ADD COLUMN last_passage INTEGER")
        conn.execute("UPDATE documents SET first_passage = (SELECT min(id) FROM passages p WHERE"
                     " p.document_id = documents.id), last_passage = (SELECT max(id) FROM passages p"
                     " WHERE p.document_id = documents.id)")

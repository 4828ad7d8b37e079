"""The store's connection: one SQLite file (WAL), its schema, write transactions and the `meta` table.

Writes happen one document per transaction, so a crash leaves whole documents or none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Self

from index.lock import write_lock
from index.store.alerts import AlertTable
from ingest.settings import Settings

DB_NAME = "store.sqlite"
SCHEMA_VERSION = "1"


class StoreBase:
    """Open with `Store.open(settings)`; use as a context manager or call `close()`."""

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.conn = conn
        self.folder = folder

    @classmethod
    def open(cls, settings: Settings, *, create: bool = True) -> Self:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_lock(self, timeout: float | None = None) -> AbstractContextManager[None]:
        """The store's one-writer-at-a-time lock, across processes (`index.lock`)."""
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

    def meta(self, key: str) -> str | None:
        """A value of the store's `meta` table (None when unset)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

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

    def alerts(self) -> AlertTable:
        """Saved searches and their matches (SQL in index.store.alerts, logic in index.alerts)."""
        return AlertTable(self.conn, self.transaction)


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
        conn.execute(
            "UPDATE documents SET first_passage = (SELECT min(id) FROM passages p WHERE"
            " p.document_id = documents.id), last_passage = (SELECT max(id) FROM passages p"
            " WHERE p.document_id = documents.id)"
        )

"""The store's SQL for saved searches and their matches (tables `alerts`, `alert_matches` of schema.sql).

`Store.alerts()` hands out an `AlertTable` over the store's connection; index.alerts holds the logic.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Alert:
    id: int
    name: str
    query: str
    councils: tuple[str, ...]
    committees: tuple[str, ...]
    theme: str | None
    entity: str | None
    webhook: str | None
    created_at: str
    last_run_at: str | None


@dataclass(frozen=True)
class Match:
    """A paper a saved search matched, with the passage that matched: what a feed entry or digest cites."""

    alert_id: int
    document_id: str
    title: str | None
    source: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int | None
    page: int | None
    paragraph: str | None
    text: str
    score: float | None
    found_at: str
    reported: bool = False


def _alert(r: sqlite3.Row) -> Alert:
    return Alert(r["id"], r["name"], r["query"], tuple(json.loads(r["councils"])), tuple(json.loads(r["committees"])),
                 r["theme"], r["entity"], r["webhook"], r["created_at"], r["last_run_at"])


def _match(r: sqlite3.Row) -> Match:
    return Match(r["alert_id"], r["document_id"], r["title"], r["source"], r["council"], r["committee"],
                 r["meeting_date"], r["passage"], r["page"], r["paragraph"], r["text"], r["score"], r["found_at"],
                 bool(r["reported"]))


class AlertTable:
    def __init__(self, conn: sqlite3.Connection, transaction: Any) -> None:
        self.conn = conn
        self.transaction = transaction  # the store's write transaction (a context manager factory)

    def add(self, name: str, query: str, councils: tuple[str, ...], committees: tuple[str, ...],
            theme: str | None, entity: str | None, webhook: str | None) -> Alert:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO alerts (name, query, councils, committees, theme, entity, webhook, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, query, json.dumps(list(councils)), json.dumps(list(committees)), theme, entity, webhook, now()))
        return self.get(int(cur.lastrowid or 0))  # type: ignore[return-value]

    def get(self, alert_id: int) -> Alert | None:
        r = self.conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return _alert(r) if r else None

    def all(self) -> list[Alert]:
        return [_alert(r) for r in self.conn.execute("SELECT * FROM alerts ORDER BY id")]

    def remove(self, alert_id: int) -> bool:
        with self.transaction():
            return self.conn.execute("DELETE FROM alerts WHERE id = ?", (alert_id,)).rowcount > 0

    def record(self, matches: list[Match]) -> list[Match]:
        """Keep the matches not recorded before (a paper matches a saved search once); return those."""
        new = []
        with self.transaction():
            for m in matches:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO alert_matches (alert_id, document_id, title, source, council, committee,"
                    " meeting_date, passage, page, paragraph, text, score, found_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (m.alert_id, m.document_id, m.title, m.source, m.council, m.committee, m.meeting_date,
                     m.passage, m.page, m.paragraph, m.text, m.score, m.found_at))
                if cur.rowcount:
                    new.append(m)
        return new

    def matches(self, alert_id: int, limit: int = 100, unreported: bool = False) -> list[Match]:
        """Newest first."""
        sql = "SELECT * FROM alert_matches WHERE alert_id = ?" + (" AND reported = 0" if unreported else "")
        return [_match(r) for r in self.conn.execute(
            sql + " ORDER BY found_at DESC, meeting_date DESC, document_id LIMIT ?", (alert_id, limit))]

    def mark_reported(self, alert_id: int, document_ids: list[str]) -> None:
        with self.transaction():
            self.conn.executemany("UPDATE alert_matches SET reported = 1 WHERE alert_id = ? AND document_id = ?",
                                  [(alert_id, d) for d in document_ids])
            self.conn.execute("UPDATE alerts SET last_run_at = ? WHERE id = ?", (now(), alert_id))

    def papers(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id -> source, title, council, committee, meeting_date of the papers that exist."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute("SELECT id, source, title, council, committee, meeting_date FROM documents"
                                       f" WHERE id IN ({marks})", chunk):
                out[r["id"]] = dict(r)
        return out

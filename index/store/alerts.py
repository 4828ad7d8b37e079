"""The store's SQL for saved searches, their matches, e-mail recipients and the digest outbox (tables
`alerts`, `alert_matches`, `alert_recipients`, `mail_digests`, `mail_digest_items` of schema.sql).

`Store.alerts()` hands out an `AlertTable` over the store's connection; index.alerts and
index.subscriptions hold the logic. Times are ISO 8601 in UTC, so they compare as text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from index.store.filters import theme_filter_sql


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
    email: str | None = None  # its e-mail recipient (alert_recipients), confirmed or not
    every: str | None = None  # now | daily | weekly
    confirmed: bool = False


@dataclass(frozen=True)
class Recipient:
    alert_id: int
    email: str
    every: str
    token: str
    origin: str  # cli | web
    created_at: str
    confirmed_at: str | None
    confirm_sent_at: str | None
    last_sent_at: str | None


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


@dataclass(frozen=True)
class OutboxDigest:
    """A digest claimed for sending: its address, Message-ID and tries so far."""

    id: int
    email: str
    message_id: str
    attempts: int


_ALERT_SQL = (
    "SELECT a.*, r.email, r.every, r.confirmed_at FROM alerts a"
    " LEFT JOIN alert_recipients r ON r.alert_id = a.id"
)


def _alert(r: sqlite3.Row) -> Alert:
    return Alert(
        r["id"],
        r["name"],
        r["query"],
        tuple(json.loads(r["councils"])),
        tuple(json.loads(r["committees"])),
        r["theme"],
        r["entity"],
        r["webhook"],
        r["created_at"],
        r["last_run_at"],
        r["email"],
        r["every"],
        r["confirmed_at"] is not None,
    )


def _match(r: sqlite3.Row) -> Match:
    return Match(
        r["alert_id"],
        r["document_id"],
        r["title"],
        r["source"],
        r["council"],
        r["committee"],
        r["meeting_date"],
        r["passage"],
        r["page"],
        r["paragraph"],
        r["text"],
        r["score"],
        r["found_at"],
        bool(r["reported"]),
    )


def _recipient(r: sqlite3.Row) -> Recipient:
    return Recipient(
        r["alert_id"],
        r["email"],
        r["every"],
        r["token"],
        r["origin"],
        r["created_at"],
        r["confirmed_at"],
        r["confirm_sent_at"],
        r["last_sent_at"],
    )


class AlertTable:
    def __init__(self, conn: sqlite3.Connection, transaction: Any) -> None:
        self.conn = conn
        self.transaction = transaction  # the store's write transaction (a context manager factory)

    # ---- saved searches -----------------------------------------------------------------------------

    def add(
        self,
        name: str,
        query: str,
        councils: tuple[str, ...],
        committees: tuple[str, ...],
        theme: str | None,
        entity: str | None,
        webhook: str | None,
        recipient: Recipient | None = None,
    ) -> Alert:
        """A saved search, with its e-mail recipient when given (`recipient.alert_id` is ignored), in one go."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO alerts (name, query, councils, committees, theme, entity, webhook, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    query,
                    json.dumps(list(councils)),
                    json.dumps(list(committees)),
                    theme,
                    entity,
                    webhook,
                    now(),
                ),
            )
            alert_id = int(cur.lastrowid or 0)
            if recipient:
                r = recipient
                self.conn.execute(
                    "INSERT INTO alert_recipients (alert_id, email, every, token, origin, created_at, confirmed_at,"
                    " confirm_sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        alert_id,
                        r.email,
                        r.every,
                        r.token,
                        r.origin,
                        r.created_at,
                        r.confirmed_at,
                        r.confirm_sent_at,
                    ),
                )
        return self.get(alert_id)  # type: ignore[return-value]

    def get(self, alert_id: int) -> Alert | None:
        r = self.conn.execute(_ALERT_SQL + " WHERE a.id = ?", (alert_id,)).fetchone()
        return _alert(r) if r else None

    def all(self, with_email: bool = True) -> list[Alert]:
        """Every saved search; `with_email=False`: only those without an e-mail recipient (the public ones)."""
        where = "" if with_email else " WHERE r.alert_id IS NULL"
        return [_alert(r) for r in self.conn.execute(_ALERT_SQL + where + " ORDER BY a.id")]

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
                    (
                        m.alert_id,
                        m.document_id,
                        m.title,
                        m.source,
                        m.council,
                        m.committee,
                        m.meeting_date,
                        m.passage,
                        m.page,
                        m.paragraph,
                        m.text,
                        m.score,
                        m.found_at,
                    ),
                )
                if cur.rowcount:
                    new.append(m)
        return new

    def matches(self, alert_id: int, limit: int = 100, unreported: bool = False) -> list[Match]:
        """Newest first."""
        sql = "SELECT * FROM alert_matches WHERE alert_id = ?" + (" AND reported = 0" if unreported else "")
        return [
            _match(r)
            for r in self.conn.execute(
                sql + " ORDER BY found_at DESC, meeting_date DESC, document_id LIMIT ?", (alert_id, limit)
            )
        ]

    def mark_reported(self, alert_id: int, document_ids: list[str]) -> None:
        with self.transaction():
            self.conn.executemany(
                "UPDATE alert_matches SET reported = 1 WHERE alert_id = ? AND document_id = ?",
                [(alert_id, d) for d in document_ids],
            )
            self.conn.execute("UPDATE alerts SET last_run_at = ? WHERE id = ?", (now(), alert_id))

    def papers(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id -> source, title, council, committee, meeting_date of the papers that exist."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                "SELECT id, source, title, council, committee, meeting_date FROM documents"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                out[r["id"]] = dict(r)
        return out

    def on_theme(self, doc_ids: list[str], theme: str) -> set[str]:
        """Those of the papers search's theme filter lets through (index.store.filters.theme_filter_sql)."""
        cond, args = theme_filter_sql("d", theme)
        out: set[str] = set()
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i : i + 500]
            sql = f"SELECT d.id FROM documents d WHERE d.id IN ({','.join('?' * len(chunk))}) AND {cond}"
            out |= {r[0] for r in self.conn.execute(sql, [*chunk, *args])}
        return out

    # ---- e-mail recipients --------------------------------------------------------------------------

    def recipient(self, token: str) -> Recipient | None:
        r = self.conn.execute("SELECT * FROM alert_recipients WHERE token = ?", (token,)).fetchone()
        return _recipient(r) if r else None

    def recipients_of(self, email: str) -> list[Recipient]:
        return [
            _recipient(r)
            for r in self.conn.execute(
                "SELECT * FROM alert_recipients WHERE email = ? ORDER BY alert_id", (email,)
            )
        ]

    def confirm(self, token: str, at: str) -> Recipient | None:
        with self.transaction():
            self.conn.execute(
                "UPDATE alert_recipients SET confirmed_at = ? WHERE token = ? AND confirmed_at IS NULL",
                (at, token),
            )
        return self.recipient(token)

    def confirmation_sent(self, alert_id: int, at: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE alert_recipients SET confirm_sent_at = ? WHERE alert_id = ?", (at, alert_id)
            )

    def unconfirmed(self, unsent_only: bool = True) -> list[Recipient]:
        """Recipients not confirmed yet (only those whose confirmation e-mail is still to send, by default)."""
        sql = "SELECT * FROM alert_recipients WHERE confirmed_at IS NULL"
        return [
            _recipient(r)
            for r in self.conn.execute(
                sql + (" AND confirm_sent_at IS NULL" if unsent_only else "") + " ORDER BY alert_id"
            )
        ]

    def remove_recipients(self, alert_ids: list[int]) -> None:
        """Stop e-mail to these saved searches: the recipients go, and with them the saved searches that were
        made by subscribing (origin 'web'); a saved search made with the CLI keeps its feed and webhook."""
        with self.transaction():
            for alert_id in alert_ids:
                r = self.conn.execute(
                    "SELECT origin FROM alert_recipients WHERE alert_id = ?", (alert_id,)
                ).fetchone()
                self.conn.execute("DELETE FROM alert_recipients WHERE alert_id = ?", (alert_id,))
                if r and r[0] == "web":
                    self.conn.execute("DELETE FROM alerts WHERE id = ?", (alert_id,))

    def expire_unconfirmed(self, before: str) -> int:
        """Drop the subscriptions (origin 'web') left unconfirmed since before `before`."""
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT alert_id FROM alert_recipients WHERE confirmed_at IS NULL"
                " AND origin = 'web' AND created_at < ?",
                (before,),
            )
        ]
        self.remove_recipients(ids)
        return len(ids)

    # ---- the digest outbox --------------------------------------------------------------------------

    def queue_and_claim(
        self, due: dict[str, str], at: str, stale_before: str, message_id: Any
    ) -> list[OutboxDigest]:
        """In one transaction: put every confirmed recipient's matches in no digest yet, when its `every` is
        due (`due`: every -> the last send must be at or before this), into its address's unsent digest not
        being sent (else a new one, `message_id()` naming it); then claim every unsent digest no run is
        sending (or whose run stopped before `stale_before`) and return those."""
        with self.transaction():
            rows = self.conn.execute(
                "SELECT m.alert_id, m.document_id, r.email FROM alert_matches m"
                " JOIN alert_recipients r ON r.alert_id = m.alert_id"
                " LEFT JOIN mail_digest_items i ON i.alert_id = m.alert_id AND i.document_id = m.document_id"
                " WHERE i.digest_id IS NULL AND r.confirmed_at IS NOT NULL AND (r.last_sent_at IS NULL"
                " OR (r.every = 'now') OR (r.every = 'daily' AND r.last_sent_at <= ?)"
                " OR (r.every = 'weekly' AND r.last_sent_at <= ?)) ORDER BY m.found_at, m.alert_id",
                (due.get("daily", at), due.get("weekly", at)),
            ).fetchall()
            digest_of: dict[str, int] = {}
            for alert_id, document_id, email in rows:
                if email not in digest_of:
                    open_ = self.conn.execute(
                        "SELECT id FROM mail_digests WHERE email = ? AND sent_at IS NULL"
                        " AND claimed_at IS NULL ORDER BY id LIMIT 1",
                        (email,),
                    ).fetchone()
                    digest_of[email] = (
                        open_[0]
                        if open_
                        else int(
                            self.conn.execute(
                                "INSERT INTO mail_digests (email, message_id, created_at) VALUES (?, ?, ?)",
                                (email, message_id(), at),
                            ).lastrowid
                            or 0
                        )
                    )
                self.conn.execute(
                    "INSERT INTO mail_digest_items (digest_id, alert_id, document_id) VALUES (?, ?, ?)",
                    (digest_of[email], alert_id, document_id),
                )
            claimed = self.conn.execute(
                "UPDATE mail_digests SET claimed_at = ? WHERE sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < ?)"
                " RETURNING id, email, message_id, attempts",
                (at, stale_before),
            ).fetchall()
        return sorted((OutboxDigest(*r) for r in claimed), key=lambda d: d.id)

    def digest_matches(self, digest_id: int) -> list[tuple[Match, Recipient]]:
        """A digest's matches whose recipient is still confirmed, each with its recipient, oldest first."""
        rows = self.conn.execute(
            "SELECT m.*, r.email, r.every, r.token, r.origin, r.created_at AS r_created, r.confirmed_at,"
            " r.confirm_sent_at, r.last_sent_at FROM mail_digest_items i"
            " JOIN alert_matches m ON m.alert_id = i.alert_id AND m.document_id = i.document_id"
            " JOIN alert_recipients r ON r.alert_id = i.alert_id AND r.confirmed_at IS NOT NULL"
            " WHERE i.digest_id = ? ORDER BY m.alert_id, m.meeting_date DESC, m.document_id",
            (digest_id,),
        ).fetchall()
        return [
            (
                _match(r),
                Recipient(
                    r["alert_id"],
                    r["email"],
                    r["every"],
                    r["token"],
                    r["origin"],
                    r["r_created"],
                    r["confirmed_at"],
                    r["confirm_sent_at"],
                    r["last_sent_at"],
                ),
            )
            for r in rows
        ]

    def digest_sent(self, digest_id: int, at: str, alert_ids: list[int]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE mail_digests SET sent_at = ?, attempts = attempts + 1, last_error = NULL"
                " WHERE id = ?",
                (at, digest_id),
            )
            self.conn.executemany(
                "UPDATE alert_recipients SET last_sent_at = ? WHERE alert_id = ?",
                [(at, a) for a in alert_ids],
            )

    def digest_failed(self, digest_id: int, error: str) -> None:
        """Leave the digest unsent and unclaimed: the next run sends it again (with the same Message-ID)."""
        with self.transaction():
            self.conn.execute(
                "UPDATE mail_digests SET claimed_at = NULL, attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                (error[:500], digest_id),
            )

    def drop_digest(self, digest_id: int) -> None:
        """A digest nobody is to get any more (every recipient in it unsubscribed)."""
        with self.transaction():
            self.conn.execute("DELETE FROM mail_digests WHERE id = ?", (digest_id,))

    def digests_sent_to(self, email: str) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM mail_digests WHERE email = ? AND sent_at IS NOT NULL", (email,)
            ).fetchone()[0]
        )

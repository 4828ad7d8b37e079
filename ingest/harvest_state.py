"""The harvester's own database, STORE/harvest.sqlite: its runs, what each URL last answered (ETag,
Last-Modified, the stored file), the meetings finished in a run, and each meeting's links. Every SQL
statement of the harvester is here; a run that stops half way is carried on by the next."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, site TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS fetches(url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, file TEXT, run INTEGER);
CREATE TABLE IF NOT EXISTS meetings(site TEXT, meeting_id TEXT, run INTEGER, PRIMARY KEY(site, meeting_id));
CREATE TABLE IF NOT EXISTS links(site TEXT, meeting_id TEXT, item_id TEXT, url TEXT, path TEXT, council TEXT,
  committee TEXT, meeting_date TEXT, agenda_item TEXT, agenda_item_number TEXT, title TEXT, publication_date TEXT,
  extra TEXT NOT NULL DEFAULT '{}', PRIMARY KEY(site, meeting_id, item_id, url));
"""


@dataclass(frozen=True)
class HarvestedPaper:
    """One link to a stored document (or one item's minute), with the metadata that travels with it."""

    path: Path
    council: str
    committee: str
    meeting_id: str
    meeting_date: str  # ISO
    agenda_item: str
    agenda_item_number: str
    title: str  # the document's title as the site lists it
    url: str
    publication_date: str = ""
    paper_kind: str = "report"  # one of PAPER_KINDS
    item_id: str = ""
    meeting_url: str = ""  # the meeting's public page
    minute_number: str = ""
    # decision history: "true"/"false" as the site says them ("" when it does not), the decision date
    is_decision: str = ""
    decision_published: str = ""
    call_in: str = ""
    decision_date: str = ""
    item_minute: str = ""  # a document: the source key of its agenda item's minute, when there is one
    item_documents: str = ""  # an item minute: the URLs of the item's documents, space-separated
    source: str = ""  # set for item minutes (the meeting page and the item); else url + meeting

    def source_key(self) -> str:
        """This link's key among the sources of the stored file (one URL can be linked from several meetings)."""
        return self.source or f"{self.url}#meeting={self.meeting_id}"

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The `given` metadata for ingest: the non-empty fields except the path, and "source"."""
        named = tuple(
            (f.name, getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("path", "source") and getattr(self, f.name)
        )
        return (*named, ("source", self.source_key()))

    def extra(self) -> dict[str, str]:
        """The fields after `publication_date`, for the state database."""
        names = [f.name for f in fields(self)]
        return {n: getattr(self, n) for n in names[names.index("paper_kind") :]}

    def item_key(self) -> str:
        return f"{self.agenda_item_number}|{self.agenda_item}"


@dataclass(frozen=True)
class Fetch:
    """What a URL answered when last fetched."""

    etag: str
    last_modified: str
    file: Path | None  # the stored file
    run: int


class HarvestState:
    """The open state database of one store folder."""

    def __init__(self, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(store / "harvest.sqlite")
        self.db.executescript(_SCHEMA)
        if "extra" not in {
            r[1] for r in self.db.execute("PRAGMA table_info(links)")
        }:  # a state made before kinds
            with self.db:
                self.db.execute("ALTER TABLE links ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'")

    def close(self) -> None:
        self.db.close()

    def start_run(self, site: str) -> int:
        """The run of `site` to record into: the last one when it stopped half way, else a new one."""
        row = self.db.execute(
            "SELECT id, finished FROM runs WHERE site=? ORDER BY id DESC LIMIT 1", (site,)
        ).fetchone()
        if row and not row[1]:
            return int(row[0])
        with self.db:
            return int(self.db.execute("INSERT INTO runs(site) VALUES (?)", (site,)).lastrowid)

    def finish_run(self, run: int) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished=1 WHERE id=?", (run,))

    def meeting_run(self, site: str, meeting_id: str) -> int | None:
        """The run in which the meeting's links were last recorded in full, None if never."""
        row = self.db.execute(
            "SELECT run FROM meetings WHERE site=? AND meeting_id=?", (site, meeting_id)
        ).fetchone()
        return int(row[0]) if row else None

    def links(self, site: str, meeting_id: str) -> list[HarvestedPaper]:
        rows = self.db.execute(
            "SELECT path, council, committee, meeting_id, meeting_date, agenda_item, agenda_item_number,"
            " title, url, publication_date, extra FROM links WHERE site=? AND meeting_id=? ORDER BY rowid",
            (site, meeting_id),
        ).fetchall()
        return [HarvestedPaper(Path(r[0]), *r[1:-1], **json.loads(r[-1] or "{}")) for r in rows]

    def put_links(
        self, site: str, meeting_id: str, papers: list[HarvestedPaper], finished_in: int | None
    ) -> None:
        """The meeting's links, replacing those recorded before; `finished_in`: the run that read it in full."""
        with self.db:
            self.db.execute("DELETE FROM links WHERE site=? AND meeting_id=?", (site, meeting_id))
            self.db.executemany(
                "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        site,
                        meeting_id,
                        p.item_key(),
                        p.url,
                        str(p.path),
                        p.council,
                        p.committee,
                        p.meeting_date,
                        p.agenda_item,
                        p.agenda_item_number,
                        p.title,
                        p.publication_date,
                        json.dumps(p.extra()),
                    )
                    for p in papers
                ],
            )
            if finished_in is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO meetings VALUES (?,?,?)", (site, meeting_id, finished_in)
                )

    def fetch(self, url: str) -> Fetch | None:
        row = self.db.execute(
            "SELECT etag, last_modified, file, run FROM fetches WHERE url=?", (url,)
        ).fetchone()
        if row is None:
            return None
        return Fetch(row[0] or "", row[1] or "", Path(row[2]) if row[2] else None, row[3])

    def put_fetch(self, url: str, etag: str, last_modified: str, file: Path, run: int) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO fetches VALUES (?,?,?,?,?)",
                (url, etag, last_modified, str(file), run),
            )

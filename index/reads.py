"""Reads over the store, as small frozen dataclasses: what the web app and comparison tables need."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

_SPACE = re.compile(r"\s+")


def norm_name(name: str) -> str:
    """How entity names group across papers: case, spacing and a leading 'the' ignored."""
    n = _SPACE.sub(" ", name.strip().lower().replace("\u2019", "'"))
    return n[4:] if n.startswith("the ") else n


@dataclass(frozen=True)
class DocumentRow:
    id: str
    source: str
    title: str | None
    format: str
    page_count: int
    council: str | None
    committee: str | None
    meeting_date: str | None
    passages: int
    sources: tuple[str, ...] = ()
    paper_kind: str | None = None  # report, minutes, item minute... as given with a source (the harvester's)


@dataclass(frozen=True)
class PassageRow:
    id: int  # store-wide passage id (the FAISS id)
    document_id: str
    index: int
    text: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    page: int | None
    paragraph: str | None
    start: int
    end: int
    kind: str
    boilerplate: bool
    windows: int = 0  # sentence vectors besides the passage's own


@dataclass(frozen=True)
class Mention:
    document_id: str
    source: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int
    page: int | None
    paragraph: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityRow:
    type: str
    name: str
    acronym: str | None
    kind: str | None
    documents: int
    councils: tuple[str, ...]


@dataclass(frozen=True)
class EntityDetail:
    type: str
    name: str
    acronym: str | None
    kind: str | None
    forms: tuple[str, ...]  # every surface form seen in any paper
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class DocumentDetail:
    document: DocumentRow
    given: dict[str, dict[str, str]]  # source -> metadata given with it
    passages: tuple[PassageRow, ...]
    entities: tuple[EntityDetail, ...]
    themes: tuple[str, ...]
    extraction: dict[str, Any] | None = field(default=None)  # nlp.export JSON, when extraction ran


# a document's kind: the first `paper_kind` given with any of its sources
PAPER_KIND_SQL = ("SELECT json_extract(k.given, '$.paper_kind') FROM sources k WHERE k.document_id = d.id"
                  " AND json_extract(k.given, '$.paper_kind') IS NOT NULL ORDER BY k.rowid LIMIT 1")
_DOC_SQL = ("SELECT d.id, d.source, d.title, d.format, d.page_count, d.council, d.committee, d.meeting_date,"
            " (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n,"
            " (SELECT group_concat(s.source, char(10)) FROM sources s WHERE s.document_id = d.id) AS srcs,"
            f" ({PAPER_KIND_SQL}) AS paper_kind"
            " FROM documents d")


def _doc_row(r: sqlite3.Row) -> DocumentRow:
    return DocumentRow(r["id"], r["source"], r["title"], r["format"], r["page_count"], r["council"],
                       r["committee"], r["meeting_date"], r["n"],
                       tuple(sorted((r["srcs"] or "").split("\n"))) if r["srcs"] else (), r["paper_kind"])


def list_documents(conn: sqlite3.Connection, council: str | None = None, committee: str | None = None,
                   date_from: str | None = None, date_to: str | None = None) -> list[DocumentRow]:
    where, args = document_filter_sql("d", council, committee, date_from, date_to)
    sql = _DOC_SQL + (f" WHERE {where}" if where else "") + " ORDER BY d.meeting_date DESC, d.source"
    return [_doc_row(r) for r in conn.execute(sql, args)]


def document_filter_sql(alias: str, council: str | None, committee: str | None, date_from: str | None,
                        date_to: str | None) -> tuple[str, list[Any]]:
    """SQL conditions on a documents table alias; council and committee match case-insensitively."""
    conds: list[str] = []
    args: list[Any] = []
    if council:
        conds.append(f"{alias}.council = ? COLLATE NOCASE")
        args.append(council)
    if committee:
        conds.append(f"{alias}.committee = ? COLLATE NOCASE")
        args.append(committee)
    if date_from:
        conds.append(f"{alias}.meeting_date >= ?")
        args.append(date_from)
    if date_to:
        conds.append(f"{alias}.meeting_date <= ?")
        args.append(date_to)
    return " AND ".join(conds), args


def _passage(r: sqlite3.Row) -> PassageRow:
    return PassageRow(r["id"], r["document_id"], r["idx"], r["text"], tuple(json.loads(r["heading_path"])),
                      tuple(json.loads(r["pages"])), r["page"], r["paragraph"], r["start"], r["end"], r["kind"],
                      bool(r["boilerplate"]), r["windows"])


def passages_by_id(conn: sqlite3.Connection, ids: list[int]) -> dict[int, PassageRow]:
    out: dict[int, PassageRow] = {}
    for i in range(0, len(ids), 500):
        chunk = [int(x) for x in ids[i:i + 500]]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT * FROM passages WHERE id IN ({marks})", chunk):
            out[r["id"]] = _passage(r)
    return out


def get_document(conn: sqlite3.Connection, doc_id: str) -> DocumentDetail | None:
    r = conn.execute(_DOC_SQL + " WHERE d.id = ?", (doc_id,)).fetchone()
    if r is None:
        return None
    passages = tuple(_passage(p) for p in conn.execute(
        "SELECT * FROM passages WHERE document_id = ? ORDER BY idx", (doc_id,)))
    given = {s["source"]: json.loads(s["given"])
             for s in conn.execute("SELECT source, given FROM sources WHERE document_id = ?", (doc_id,))}
    entities = tuple(_entity_detail(conn, e["norm"], e["type"], doc_id)
                     for e in conn.execute("SELECT DISTINCT norm, type FROM entities WHERE document_id = ?"
                                           " ORDER BY type, norm", (doc_id,)))
    themes = tuple(t[0] for t in conn.execute("SELECT theme FROM themes WHERE document_id = ? ORDER BY theme",
                                              (doc_id,)))
    raw = conn.execute("SELECT extraction FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    return DocumentDetail(_doc_row(r), given, passages, tuple(e for e in entities if e), themes,
                          json.loads(raw) if raw else None)


def list_entities(conn: sqlite3.Connection, type: str | None = None,
                  council: str | None = None) -> list[EntityRow]:
    conds, args = [], []
    if type:
        conds.append("e.type = ?")
        args.append(type)
    if council:
        conds.append("lower(d.council) = lower(?)")
        args.append(council)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    sql = ("SELECT e.type, e.norm, max(e.name) AS name, max(e.acronym) AS acronym, max(e.kind) AS kind,"
           " count(DISTINCT e.document_id) AS docs, group_concat(DISTINCT d.council) AS councils"
           f" FROM entities e JOIN documents d ON d.id = e.document_id {where}"
           " GROUP BY e.type, e.norm ORDER BY docs DESC, e.norm")
    return [EntityRow(r["type"], r["name"], r["acronym"], r["kind"], r["docs"],
                      tuple(sorted(set((r["councils"] or "").split(",")) - {""})))
            for r in conn.execute(sql, args)]


def get_entity(conn: sqlite3.Connection, name: str, type: str | None = None) -> EntityDetail | None:
    """An entity by name or acronym (case-insensitive), with its mentions in every paper."""
    key = norm_name(name)
    row = conn.execute("SELECT norm, type FROM entities WHERE (norm = ? OR lower(acronym) = ?)"
                       + (" AND type = ?" if type else "") + " ORDER BY norm = ? DESC LIMIT 1",
                       (key, key, *((type,) if type else ()), key)).fetchone()
    return _entity_detail(conn, row["norm"], row["type"], None) if row else None


def _entity_detail(conn: sqlite3.Connection, norm: str, type: str, doc_id: str | None) -> EntityDetail | None:
    sql = ("SELECT e.*, d.source, d.council, d.committee, d.meeting_date FROM entities e"
           " JOIN documents d ON d.id = e.document_id WHERE e.norm = ? AND e.type = ?")
    args: list[Any] = [norm, type]
    if doc_id:
        sql += " AND e.document_id = ?"
        args.append(doc_id)
    rows = conn.execute(sql + " ORDER BY d.meeting_date, d.source", args).fetchall()
    if not rows:
        return None
    forms: set[str] = set()
    mentions: list[Mention] = []
    for r in rows:
        forms.update(json.loads(r["mentions"]))
        for ev in conn.execute("SELECT * FROM evidence WHERE entity_id = ? ORDER BY start", (r["id"],)):
            mentions.append(Mention(r["document_id"], r["source"], r["council"], r["committee"],
                                    r["meeting_date"], ev["passage_idx"], ev["page"], ev["paragraph"],
                                    ev["start"], ev["end"], ev["text"]))
    first = rows[0]
    return EntityDetail(type, max(r["name"] for r in rows), first["acronym"], first["kind"],
                        tuple(sorted(forms)), tuple(mentions))

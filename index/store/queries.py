"""The store's read queries: documents, passages, entities, themes, decisions and links, as the read
models of index.reads."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from index.reads import (
    CouncilPaper,
    DecisionRow,
    DocumentDetail,
    DocumentRow,
    EntityDetail,
    EntityFact,
    EntityRow,
    LinkRow,
    Mention,
    PassageRow,
    SectionPassage,
    ThemeHit,
    norm_name,
)
from index.store.filters import PAPER_KIND_SQL, document_filter_sql
from nlp.model import Evidence
from nlp.namekey import name_key

_DOC_SQL = (
    "SELECT d.id, d.source, d.title, d.format, d.page_count, d.council, d.committee, d.meeting_date,"
    " (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n,"
    " (SELECT group_concat(s.source, char(10)) FROM sources s WHERE s.document_id = d.id) AS srcs,"
    f" ({PAPER_KIND_SQL}) AS paper_kind"
    " FROM documents d"
)


def _doc_row(r: sqlite3.Row) -> DocumentRow:
    return DocumentRow(
        r["id"],
        r["source"],
        r["title"],
        r["format"],
        r["page_count"],
        r["council"],
        r["committee"],
        r["meeting_date"],
        r["n"],
        tuple(sorted((r["srcs"] or "").split("\n"))) if r["srcs"] else (),
        r["paper_kind"],
    )


def list_documents(
    conn: sqlite3.Connection,
    council: str | None = None,
    committee: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[DocumentRow]:
    where, args = document_filter_sql("d", council, committee, date_from, date_to)
    sql = _DOC_SQL + (f" WHERE {where}" if where else "") + " ORDER BY d.meeting_date DESC, d.source"
    return [_doc_row(r) for r in conn.execute(sql, args)]


def _passage(r: sqlite3.Row) -> PassageRow:
    return PassageRow(
        r["id"],
        r["document_id"],
        r["idx"],
        r["text"],
        tuple(json.loads(r["heading_path"])),
        tuple(json.loads(r["pages"])),
        r["page"],
        r["paragraph"],
        r["start"],
        r["end"],
        r["kind"],
        bool(r["boilerplate"]),
        r["windows"],
        r["section"],
    )


def passages_by_id(conn: sqlite3.Connection, ids: list[int]) -> dict[int, PassageRow]:
    out: dict[int, PassageRow] = {}
    for i in range(0, len(ids), 500):
        chunk = [int(x) for x in ids[i : i + 500]]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT * FROM passages WHERE id IN ({marks})", chunk):
            out[r["id"]] = _passage(r)
    return out


def documents_by_id(conn: sqlite3.Connection, doc_ids: list[str]) -> list[DocumentRow]:
    out: list[DocumentRow] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out += [_doc_row(r) for r in conn.execute(_DOC_SQL + f" WHERE d.id IN ({marks})", chunk)]
    return out


def get_document(conn: sqlite3.Connection, doc_id: str) -> DocumentDetail | None:
    r = conn.execute(_DOC_SQL + " WHERE d.id = ?", (doc_id,)).fetchone()
    if r is None:
        return None
    passages = tuple(
        _passage(p)
        for p in conn.execute("SELECT * FROM passages WHERE document_id = ? ORDER BY idx", (doc_id,))
    )
    given = {
        s["source"]: json.loads(s["given"])
        for s in conn.execute("SELECT source, given FROM sources WHERE document_id = ?", (doc_id,))
    }
    entities = tuple(
        _entity_detail(conn, e[0], doc_id)
        for e in conn.execute(
            "SELECT DISTINCT m.canonical_id FROM entity_members m JOIN entities e ON e.id = m.entity_id"
            " WHERE e.document_id = ?",
            (doc_id,),
        )
    )
    entities = tuple(sorted((e for e in entities if e), key=lambda e: (e.type, e.name.lower())))
    themes = tuple(
        t[0] for t in conn.execute("SELECT theme FROM themes WHERE document_id = ? ORDER BY theme", (doc_id,))
    )
    raw = conn.execute("SELECT extraction FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    return DocumentDetail(
        _doc_row(r),
        given,
        passages,
        tuple(e for e in entities if e),
        themes,
        json.loads(raw) if raw else None,
        tuple(decisions_of(conn, [doc_id])),
    )


_CANON_SQL = (
    "SELECT c.id, c.type, c.name, c.acronym, c.kind, c.scope, c.council, c.aliases,"
    " count(DISTINCT e.document_id) AS docs, group_concat(DISTINCT d.council) AS councils,"
    " group_concat(DISTINCT e.document_id) AS doc_ids"
    " FROM canonical_entities c JOIN entity_members m ON m.canonical_id = c.id"
    " JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = e.document_id"
)


def _entity_row(r: sqlite3.Row) -> EntityRow:
    return EntityRow(
        r["type"],
        r["name"],
        r["acronym"],
        r["kind"],
        r["docs"],
        tuple(sorted(set((r["councils"] or "").split(",")) - {""})),
        r["id"],
        r["scope"],
        r["council"],
        tuple(json.loads(r["aliases"])),
        tuple(sorted(set((r["doc_ids"] or "").split(",")) - {""})),
    )


def list_entities(
    conn: sqlite3.Connection, type: str | None = None, council: str | None = None, kind: str | None = None
) -> list[EntityRow]:
    """Canonical entities, the most widely named first; `council` (a part of its name) names them."""
    conds, args = [], []
    if type:
        conds.append("c.type = ?")
        args.append(type)
    if kind:
        conds.append("c.kind = ?")
        args.append(kind)
    if council:
        conds.append(
            "c.id IN (SELECT m2.canonical_id FROM entity_members m2 JOIN entities e2 ON e2.id ="
            " m2.entity_id JOIN documents d2 ON d2.id = e2.document_id WHERE d2.council LIKE ?)"
        )
        args.append(f"%{council}%")
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    rows = [_entity_row(r) for r in conn.execute(_CANON_SQL + where + " GROUP BY c.id", args)]
    return sorted(rows, key=lambda r: (-len(r.councils), -r.documents, r.type, r.name.lower()))


def canonical_ids(conn: sqlite3.Connection, name: str, type: str | None = None) -> list[str]:
    """Canonical entities a name, acronym, alias or canonical id refers to, the most named first."""
    key = norm_name(name)
    typed = " AND c.type = ?" if type else ""
    targs: tuple[str, ...] = (type,) if type else ()
    found = [
        r[0] for r in conn.execute("SELECT id FROM canonical_entities c WHERE id = ?" + typed, (name, *targs))
    ]
    if not found:
        wanted = name_key(name)
        found = [
            r[0]
            for r in conn.execute(
                "SELECT m.canonical_id, count(*) AS n FROM entity_members m JOIN entities e ON e.id = m.entity_id"
                " JOIN canonical_entities c ON c.id = m.canonical_id WHERE (e.norm = ? OR lower(e.acronym) = ?"
                " OR lower(c.name) = ? OR lower(c.acronym) = ?)"
                + typed
                + " GROUP BY m.canonical_id ORDER BY n DESC",
                (key, key, key, key, *targs),
            )
        ]
        if not found:  # spelling variants and other forms: the key of the name ("Op Mazi" = "Operation Mazi")
            rows = conn.execute(
                "SELECT c.id, c.name, c.aliases FROM canonical_entities c WHERE 1 = 1" + typed, targs
            ).fetchall()
            found = [
                r[0] for r in rows if wanted and any(name_key(f) == wanted for f in (r[1], *json.loads(r[2])))
            ]
    return found


def entity_passages(conn: sqlite3.Connection, name: str) -> list[int]:
    """Ids of the passages that mention the entity (any canonical entity the name refers to)."""
    ids = canonical_ids(conn, name)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT p.id FROM entity_members m JOIN entities e ON e.id = m.entity_id"
            " JOIN evidence v ON v.entity_id = e.id JOIN passages p ON p.document_id = e.document_id"
            f" AND p.idx = v.passage_idx WHERE m.canonical_id IN ({marks}) ORDER BY p.id",
            ids,
        )
    ]


def get_entity(conn: sqlite3.Connection, name: str, type: str | None = None) -> EntityDetail | None:
    """An entity by canonical id, name, alias or acronym (case-insensitive), with its mentions in every paper."""
    ids = canonical_ids(conn, name, type)
    return _entity_detail(conn, ids[0], None) if ids else None


def _entity_detail(conn: sqlite3.Connection, canonical_id: str, doc_id: str | None) -> EntityDetail | None:
    c = conn.execute("SELECT * FROM canonical_entities WHERE id = ?", (canonical_id,)).fetchone()
    if c is None:
        return None
    # one query for every mention (an entity row without evidence still gives its forms)
    sql = (
        "SELECT e.id, e.document_id, e.mentions, d.source, d.council, d.committee, d.meeting_date,"
        " v.passage_idx, v.page, v.paragraph, v.start, v.end, v.text FROM entity_members m"
        " JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = e.document_id"
        " LEFT JOIN evidence v ON v.entity_id = e.id WHERE m.canonical_id = ?"
    )
    args: list[Any] = [canonical_id]
    if doc_id:
        sql += " AND e.document_id = ?"
        args.append(doc_id)
    rows = conn.execute(sql + " ORDER BY d.meeting_date, d.source, e.id, v.start, v.rowid", args).fetchall()
    if not rows:
        return None
    forms: set[str] = set()
    mentions: list[Mention] = []
    for r in rows:
        forms.update(json.loads(r["mentions"]))
        if r["start"] is not None:
            mentions.append(
                Mention(
                    r["document_id"],
                    r["source"],
                    r["council"],
                    r["committee"],
                    r["meeting_date"],
                    r["passage_idx"],
                    r["page"],
                    r["paragraph"],
                    r["start"],
                    r["end"],
                    r["text"],
                )
            )
    return EntityDetail(
        c["type"],
        c["name"],
        c["acronym"],
        c["kind"],
        tuple(sorted(forms)),
        tuple(mentions),
        c["id"],
        c["scope"],
    )


def theme_hits(
    conn: sqlite3.Connection, doc_ids: list[str], themes: list[str] | None = None
) -> list[ThemeHit]:
    """Passages (not boilerplate) of these papers about these themes, best first."""
    out: list[ThemeHit] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        sql = (
            "SELECT p.document_id, p.idx, t.theme, t.score FROM passages p JOIN passage_themes t"
            f" ON t.passage_id = p.id WHERE p.document_id IN ({','.join('?' * len(chunk))}) AND p.boilerplate = 0"
        )
        args: list[Any] = list(chunk)
        if themes is not None:
            sql += f" AND t.theme IN ({','.join('?' * len(themes))})"
            args += themes
        out += [ThemeHit(*r) for r in conn.execute(sql, args)]
    return sorted(out, key=lambda h: (-h.score, h.document_id, h.passage))


def entity_facts(conn: sqlite3.Connection, doc_ids: list[str], type: str) -> list[EntityFact]:
    out: list[EntityFact] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        rows = conn.execute(
            "SELECT e.id, e.document_id, e.name, e.kind, c.id AS cid, c.name AS cname, c.scope FROM entities e"
            " JOIN entity_members m ON m.entity_id = e.id JOIN canonical_entities c ON c.id = m.canonical_id"
            f" WHERE e.type = ? AND e.document_id IN ({','.join('?' * len(chunk))}) ORDER BY e.id",
            [type, *chunk],
        ).fetchall()
        evidence: dict[int, list[Evidence]] = {}
        ids = [r["id"] for r in rows]
        for j in range(0, len(ids), 500):
            part = ids[j : j + 500]
            for v in conn.execute(
                "SELECT entity_id, passage_idx, page, paragraph, start, end, text FROM evidence"
                f" WHERE entity_id IN ({','.join('?' * len(part))}) ORDER BY entity_id, rowid",
                part,
            ):
                evidence.setdefault(v[0], []).append(Evidence(v[1], v[2], v[3], v[4], v[5], v[6]))
        out += [
            EntityFact(
                r["document_id"],
                r["name"],
                r["kind"],
                r["cid"],
                r["cname"],
                r["scope"],
                tuple(evidence.get(r["id"], ())),
            )
            for r in rows
        ]
    return out


def passages_about(
    conn: sqlite3.Connection, keys: list[tuple[str, int]], themes: list[str]
) -> set[tuple[str, int]]:
    """Those of the (document id, passage index) keys whose passage (not boilerplate) is about one of the themes."""
    by_doc: dict[str, list[int]] = {}
    for doc, idx in keys:
        by_doc.setdefault(doc, []).append(idx)
    out: set[tuple[str, int]] = set()
    marks = ",".join("?" * len(themes))
    for doc, idxs in by_doc.items():  # through the (document_id, idx) index
        sql = (
            "SELECT DISTINCT p.idx FROM passages p JOIN passage_themes t ON t.passage_id = p.id"
            f" WHERE p.document_id = ? AND p.idx IN ({','.join('?' * len(idxs))}) AND t.theme IN ({marks})"
            " AND p.boilerplate = 0"
        )  # as theme_hits: a list of background papers is about nothing
        out |= {(doc, r[0]) for r in conn.execute(sql, [doc, *idxs, *themes])}
    return out


def decisions_of(conn: sqlite3.Connection, doc_ids: list[str]) -> list[DecisionRow]:
    out: list[DecisionRow] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out += [
            DecisionRow(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7])
            for r in conn.execute(
                "SELECT document_id, item, item_number, outcome, reference, text, passages, page FROM decisions"
                f" WHERE document_id IN ({marks}) ORDER BY document_id, seq",
                chunk,
            )
        ]
    return out


def paper_refs(
    conn: sqlite3.Connection, doc_ids: list[str]
) -> list[tuple[str, str, str, str | None, str | None]]:
    """(document id, kind, value, date, words) of what these papers say of others."""
    out: list[tuple[str, str, str, str | None, str | None]] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out += [
            tuple(r)
            for r in conn.execute(  # type: ignore[misc]
                f"SELECT document_id, kind, value, date, words FROM paper_refs WHERE document_id IN ({marks})",
                chunk,
            )
        ]
    return out


def council_papers(conn: sqlite3.Connection, council: str) -> list[CouncilPaper]:
    """Every paper of a council, oldest first."""
    return [
        CouncilPaper(*r)
        for r in conn.execute(
            f"SELECT d.id, d.council, d.committee, d.meeting_date, d.title, ({PAPER_KIND_SQL}) AS kind"
            " FROM documents d WHERE d.council = ? COLLATE NOCASE ORDER BY d.meeting_date, d.id",
            (council,),
        )
    ]


def links_of(conn: sqlite3.Connection, doc_ids: list[str]) -> list[LinkRow]:
    """Every link touching these papers."""
    out: dict[tuple[str, str, str], LinkRow] = {}
    for i in range(0, len(doc_ids), 400):
        chunk = doc_ids[i : i + 400]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f"SELECT source, target, relation, reason FROM paper_links WHERE source IN ({marks})"
            f" UNION SELECT source, target, relation, reason FROM paper_links WHERE target IN ({marks})",
            chunk + chunk,
        ):
            out[(r[0], r[1], r[2])] = LinkRow(r[0], r[1], r[2], r[3])
    return list(out.values())


def section_passages(
    conn: sqlite3.Connection, doc_ids: list[str], sections: tuple[str, ...], theme: str | None = None
) -> list[SectionPassage]:
    """Passages of these papers in these sections (document_id, idx, section, page, paragraph, start, text,
    heading), in paper order; with a theme, only passages about it, the most about it first."""
    out: list[SectionPassage] = []
    roles = ",".join("?" * len(sections))
    for i in range(0, len(doc_ids), 400):
        chunk = doc_ids[i : i + 400]
        marks = ",".join("?" * len(chunk))
        cols = "p.document_id, p.idx, p.section, p.page, p.paragraph, p.start, p.text, p.heading"
        if theme:
            sql = (
                f"SELECT {cols} FROM passages p JOIN passage_themes t ON t.passage_id = p.id AND t.theme = ?"
                f" WHERE p.document_id IN ({marks}) AND p.section IN ({roles}) ORDER BY p.document_id, t.score DESC"
            )
            out += [SectionPassage(*r) for r in conn.execute(sql, [theme, *chunk, *sections])]
        else:
            sql = (
                f"SELECT {cols} FROM passages p WHERE p.document_id IN ({marks}) AND p.section IN ({roles})"
                " ORDER BY p.document_id, p.idx"
            )
            out += [SectionPassage(*r) for r in conn.execute(sql, [*chunk, *sections])]
    return out

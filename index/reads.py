"""Reads over the store, as small frozen dataclasses: what the web app and comparison tables need."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from nlp.model import DateSpan, Evidence, Metric, Priority

_SPACE = re.compile(r"\s+")


def norm_name(name: str) -> str:
    """How an entity name is looked up: case, spacing, punctuation and a leading 'the' ignored, spelling
    variants joined ('Op Mazi' = 'Operation Mazi', '&' = 'and', 'Well-being' = 'Wellbeing'; nlp.normalise.key)."""
    from nlp.normalise import key

    n = _SPACE.sub(" ", name.strip().lower().replace("\u2019", "'"))
    return key(name) or (n[4:] if n.startswith("the ") else n)


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
    section: str | None = None  # section role (nlp.sections)


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
    """A canonical entity (resolved at ingest, tables canonical_entities and entity_members)."""

    type: str
    name: str
    acronym: str | None
    kind: str | None
    documents: int
    councils: tuple[str, ...]
    id: str = ""  # nlp.normalise.Canonical.id
    scope: str = "local"  # national | placed | local
    council: str | None = None  # a local entity's council
    aliases: tuple[str, ...] = ()
    document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityDetail:
    type: str
    name: str
    acronym: str | None
    kind: str | None
    forms: tuple[str, ...]  # every surface form seen in any paper
    mentions: tuple[Mention, ...]
    id: str = ""
    scope: str = "local"


@dataclass(frozen=True)
class DocumentDetail:
    document: DocumentRow
    given: dict[str, dict[str, str]]  # source -> metadata given with it
    passages: tuple[PassageRow, ...]
    entities: tuple[EntityDetail, ...]
    themes: tuple[str, ...]
    extraction: dict[str, Any] | None = field(default=None)  # nlp.export JSON, when extraction ran
    decisions: tuple[DecisionRow, ...] = ()  # what the paper records as resolved (minutes, decision notices)


# a document's kind: the first `paper_kind` given with any of its sources
PAPER_KIND_SQL = ("SELECT COALESCE((SELECT json_extract(k.given, '$.paper_kind') FROM sources k"
                  " WHERE k.document_id = d.id AND json_extract(k.given, '$.paper_kind') IS NOT NULL"
                  " ORDER BY k.rowid LIMIT 1), d.kind)")
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
                      bool(r["boilerplate"]), r["windows"], r["section"])


def passages_by_id(conn: sqlite3.Connection, ids: list[int]) -> dict[int, PassageRow]:
    out: dict[int, PassageRow] = {}
    for i in range(0, len(ids), 500):
        chunk = [int(x) for x in ids[i:i + 500]]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT * FROM passages WHERE id IN ({marks})", chunk):
            out[r["id"]] = _passage(r)
    return out


def documents_by_id(conn: sqlite3.Connection, doc_ids: list[str]) -> list[DocumentRow]:
    out: list[DocumentRow] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out += [_doc_row(r) for r in conn.execute(_DOC_SQL + f" WHERE d.id IN ({marks})", chunk)]
    return out


def get_document(conn: sqlite3.Connection, doc_id: str) -> DocumentDetail | None:
    r = conn.execute(_DOC_SQL + " WHERE d.id = ?", (doc_id,)).fetchone()
    if r is None:
        return None
    passages = tuple(_passage(p) for p in conn.execute(
        "SELECT * FROM passages WHERE document_id = ? ORDER BY idx", (doc_id,)))
    given = {s["source"]: json.loads(s["given"])
             for s in conn.execute("SELECT source, given FROM sources WHERE document_id = ?", (doc_id,))}
    entities = tuple(_entity_detail(conn, e[0], doc_id) for e in conn.execute(
        "SELECT DISTINCT m.canonical_id FROM entity_members m JOIN entities e ON e.id = m.entity_id"
        " WHERE e.document_id = ?", (doc_id,)))
    entities = tuple(sorted((e for e in entities if e), key=lambda e: (e.type, e.name.lower())))
    themes = tuple(t[0] for t in conn.execute("SELECT theme FROM themes WHERE document_id = ? ORDER BY theme",
                                              (doc_id,)))
    raw = conn.execute("SELECT extraction FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    return DocumentDetail(_doc_row(r), given, passages, tuple(e for e in entities if e), themes,
                          json.loads(raw) if raw else None, tuple(decisions_of(conn, [doc_id])))


_CANON_SQL = (
    "SELECT c.id, c.type, c.name, c.acronym, c.kind, c.scope, c.council, c.aliases,"
    " count(DISTINCT e.document_id) AS docs, group_concat(DISTINCT d.council) AS councils,"
    " group_concat(DISTINCT e.document_id) AS doc_ids"
    " FROM canonical_entities c JOIN entity_members m ON m.canonical_id = c.id"
    " JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = e.document_id")


def _entity_row(r: sqlite3.Row) -> EntityRow:
    return EntityRow(r["type"], r["name"], r["acronym"], r["kind"], r["docs"],
                     tuple(sorted(set((r["councils"] or "").split(",")) - {""})), r["id"], r["scope"],
                     r["council"], tuple(json.loads(r["aliases"])),
                     tuple(sorted(set((r["doc_ids"] or "").split(",")) - {""})))


def list_entities(conn: sqlite3.Connection, type: str | None = None, council: str | None = None,
                  kind: str | None = None) -> list[EntityRow]:
    """Canonical entities, the most widely named first; `council` (a part of its name) names them."""
    conds, args = [], []
    if type:
        conds.append("c.type = ?")
        args.append(type)
    if kind:
        conds.append("c.kind = ?")
        args.append(kind)
    if council:
        conds.append("c.id IN (SELECT m2.canonical_id FROM entity_members m2 JOIN entities e2 ON e2.id ="
                     " m2.entity_id JOIN documents d2 ON d2.id = e2.document_id WHERE d2.council LIKE ?)")
        args.append(f"%{council}%")
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    rows = [_entity_row(r) for r in conn.execute(_CANON_SQL + where + " GROUP BY c.id", args)]
    return sorted(rows, key=lambda r: (-len(r.councils), -r.documents, r.type, r.name.lower()))


def canonical_ids(conn: sqlite3.Connection, name: str, type: str | None = None) -> list[str]:
    """Canonical entities a name, acronym, alias or canonical id refers to, the most named first."""
    key = norm_name(name)
    typed = " AND c.type = ?" if type else ""
    targs: tuple[str, ...] = (type,) if type else ()
    found = [r[0] for r in conn.execute("SELECT id FROM canonical_entities c WHERE id = ?" + typed, (name, *targs))]
    if not found:
        from nlp.normalise import key as name_key

        wanted = name_key(name)
        found = [r[0] for r in conn.execute(
            "SELECT m.canonical_id, count(*) AS n FROM entity_members m JOIN entities e ON e.id = m.entity_id"
            " JOIN canonical_entities c ON c.id = m.canonical_id WHERE (e.norm = ? OR lower(e.acronym) = ?"
            " OR lower(c.name) = ? OR lower(c.acronym) = ?)" + typed + " GROUP BY m.canonical_id ORDER BY n DESC",
            (key, key, key, key, *targs))]
        if not found:  # spelling variants and other forms: the key of the name ("Op Mazi" = "Operation Mazi")
            rows = conn.execute("SELECT c.id, c.name, c.aliases FROM canonical_entities c WHERE 1 = 1" + typed,
                                targs).fetchall()
            found = [r[0] for r in rows if wanted and any(
                name_key(f) == wanted for f in (r[1], *json.loads(r[2])))]
    return found


def entity_passages(conn: sqlite3.Connection, name: str) -> list[int]:
    """Ids of the passages that mention the entity (any canonical entity the name refers to)."""
    ids = canonical_ids(conn, name)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT p.id FROM entity_members m JOIN entities e ON e.id = m.entity_id"
        " JOIN evidence v ON v.entity_id = e.id JOIN passages p ON p.document_id = e.document_id"
        f" AND p.idx = v.passage_idx WHERE m.canonical_id IN ({marks}) ORDER BY p.id", ids)]


def get_entity(conn: sqlite3.Connection, name: str, type: str | None = None) -> EntityDetail | None:
    """An entity by canonical id, name, alias or acronym (case-insensitive), with its mentions in every paper."""
    ids = canonical_ids(conn, name, type)
    return _entity_detail(conn, ids[0], None) if ids else None


def _entity_detail(conn: sqlite3.Connection, canonical_id: str, doc_id: str | None) -> EntityDetail | None:
    c = conn.execute("SELECT * FROM canonical_entities WHERE id = ?", (canonical_id,)).fetchone()
    if c is None:
        return None
    sql = ("SELECT e.*, d.source, d.council, d.committee, d.meeting_date FROM entity_members m"
           " JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = e.document_id"
           " WHERE m.canonical_id = ?")
    args: list[Any] = [canonical_id]
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
    return EntityDetail(c["type"], c["name"], c["acronym"], c["kind"], tuple(sorted(forms)), tuple(mentions),
                        c["id"], c["scope"])


@dataclass(frozen=True)
class ThemeHit:
    document_id: str
    passage: int  # Passage.index
    theme: str
    score: float


def theme_hits(conn: sqlite3.Connection, doc_ids: list[str], themes: list[str] | None = None) -> list[ThemeHit]:
    """Passages (not boilerplate) of these papers about these themes, best first."""
    out: list[ThemeHit] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        sql = ("SELECT p.document_id, p.idx, t.theme, t.score FROM passages p JOIN passage_themes t"
               f" ON t.passage_id = p.id WHERE p.document_id IN ({','.join('?' * len(chunk))}) AND p.boilerplate = 0")
        args: list[Any] = list(chunk)
        if themes is not None:
            sql += f" AND t.theme IN ({','.join('?' * len(themes))})"
            args += themes
        out += [ThemeHit(*r) for r in conn.execute(sql, args)]
    return sorted(out, key=lambda h: (-h.score, h.document_id, h.passage))


@dataclass(frozen=True)
class EntityFact:
    """A partnership or operation one paper names, with its canonical entity and its evidence."""

    document_id: str
    name: str
    kind: str | None
    canonical_id: str
    canonical_name: str
    scope: str
    evidence: tuple[Evidence, ...]


def entity_facts(conn: sqlite3.Connection, doc_ids: list[str], type: str) -> list[EntityFact]:
    out: list[EntityFact] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        rows = conn.execute(
            "SELECT e.id, e.document_id, e.name, e.kind, c.id AS cid, c.name AS cname, c.scope FROM entities e"
            " JOIN entity_members m ON m.entity_id = e.id JOIN canonical_entities c ON c.id = m.canonical_id"
            f" WHERE e.type = ? AND e.document_id IN ({','.join('?' * len(chunk))}) ORDER BY e.id",
            [type, *chunk]).fetchall()
        evidence: dict[int, list[Evidence]] = {}
        ids = [r["id"] for r in rows]
        for j in range(0, len(ids), 500):
            part = ids[j:j + 500]
            for v in conn.execute("SELECT entity_id, passage_idx, page, paragraph, start, end, text FROM evidence"
                                  f" WHERE entity_id IN ({','.join('?' * len(part))}) ORDER BY entity_id, rowid", part):
                evidence.setdefault(v[0], []).append(Evidence(v[1], v[2], v[3], v[4], v[5], v[6]))
        out += [EntityFact(r["document_id"], r["name"], r["kind"], r["cid"], r["cname"], r["scope"],
                           tuple(evidence.get(r["id"], ()))) for r in rows]
    return out


STATED_PREFIX = "priority:"  # theme filter value for stated priorities only: "priority:domestic_abuse"


def theme_filter_sql(alias: str, value: str) -> tuple[str, list[Any]]:
    """A theme filter as a condition on documents `alias`: papers with a passage about the theme or a
    stated priority of it; with the prefix "priority:", papers stating it as a priority only. A theme
    given in words ("serious violence") is read as the theme ids it names."""
    stated = value.startswith(STATED_PREFIX)
    wanted = value.removeprefix(STATED_PREFIX).strip()
    from nlp.themes import theme_labels, themes_for

    ids = [wanted] if wanted in theme_labels() else list(themes_for(wanted)) or [wanted]
    marks = ",".join("?" * len(ids))
    cond = f"{alias}.id IN (SELECT document_id FROM themes WHERE theme IN ({marks}))"
    if stated:
        return cond, ids
    return (f"({cond} OR {alias}.id IN (SELECT p.document_id FROM passage_themes t JOIN passages p"
            f" ON p.id = t.passage_id WHERE t.theme IN ({marks})))", ids + ids)


def passages_about(conn: sqlite3.Connection, keys: list[tuple[str, int]], themes: list[str]) -> set[tuple[str, int]]:
    """Those of the (document id, passage index) keys whose passage (not boilerplate) is about one of the themes."""
    by_doc: dict[str, list[int]] = {}
    for doc, idx in keys:
        by_doc.setdefault(doc, []).append(idx)
    out: set[tuple[str, int]] = set()
    marks = ",".join("?" * len(themes))
    for doc, idxs in by_doc.items():  # through the (document_id, idx) index
        sql = ("SELECT DISTINCT p.idx FROM passages p JOIN passage_themes t ON t.passage_id = p.id"
               f" WHERE p.document_id = ? AND p.idx IN ({','.join('?' * len(idxs))}) AND t.theme IN ({marks})"
               " AND p.boilerplate = 0")  # as theme_hits: a list of background papers is about nothing
        out |= {(doc, r[0]) for r in conn.execute(sql, [doc, *idxs, *themes])}
    return out


# ---- decisions and decision history (nlp.decisions, nlp.history; index.history) ----------------------

@dataclass(frozen=True)
class DecisionRow:
    document_id: str
    item: str | None
    item_number: str | None
    outcome: str
    reference: str | None
    text: str
    passages: tuple[int, ...]
    page: int | None


@dataclass(frozen=True)
class LinkRow:
    source: str
    target: str
    relation: str
    reason: str


def decisions_of(conn: sqlite3.Connection, doc_ids: list[str]) -> list[DecisionRow]:
    out: list[DecisionRow] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out += [DecisionRow(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7]) for r in conn.execute(
            "SELECT document_id, item, item_number, outcome, reference, text, passages, page FROM decisions"
            f" WHERE document_id IN ({marks}) ORDER BY document_id, seq", chunk)]
    return out


def paper_refs(conn: sqlite3.Connection, doc_ids: list[str]) -> list[tuple[str, str, str, str | None, str | None]]:
    """(document id, kind, value, date, words) of what these papers say of others."""
    out: list[tuple[str, str, str, str | None, str | None]] = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out += [tuple(r) for r in conn.execute(  # type: ignore[misc]
            f"SELECT document_id, kind, value, date, words FROM paper_refs WHERE document_id IN ({marks})", chunk)]
    return out


def council_papers(conn: sqlite3.Connection, council: str) -> list[sqlite3.Row]:
    """id, council, committee, meeting_date, title, kind of every paper of a council."""
    return conn.execute(f"SELECT d.id, d.council, d.committee, d.meeting_date, d.title, ({PAPER_KIND_SQL}) AS kind"
                        " FROM documents d WHERE d.council = ? COLLATE NOCASE ORDER BY d.meeting_date, d.id",
                        (council,)).fetchall()


def links_of(conn: sqlite3.Connection, doc_ids: list[str]) -> list[LinkRow]:
    """Every link touching these papers."""
    out: dict[tuple[str, str, str], LinkRow] = {}
    for i in range(0, len(doc_ids), 400):
        chunk = doc_ids[i:i + 400]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT source, target, relation, reason FROM paper_links WHERE source IN ({marks})"
                              f" UNION SELECT source, target, relation, reason FROM paper_links WHERE target IN ({marks})",
                              chunk + chunk):
            out[(r[0], r[1], r[2])] = LinkRow(r[0], r[1], r[2], r[3])
    return list(out.values())


def evidence_of(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    """Evidence as stored (nlp.export JSON or evidence rows) -> nlp.model.Evidence."""
    return tuple(Evidence(int(e.get("passage", e.get("passage_idx", 0))), e.get("page"), e.get("paragraph"),
                          int(e["start"]), int(e["end"]), e["text"]) for e in items)


def stated(raw: str | None) -> tuple[tuple[Priority, ...], tuple[Metric, ...]]:
    """A paper's stated priorities and reported figures, typed (nlp.model), from its stored extraction."""
    if not raw:
        return (), ()
    data = json.loads(raw)
    priorities = tuple(Priority(p["text"], tuple(p.get("themes") or ()), evidence_of(p.get("evidence") or []))
                       for p in data.get("priorities") or [])
    metrics = []
    for m in data.get("metrics") or []:
        period = m.get("period")
        span = DateSpan(period.get("text", ""), period["start"], period["end"], period.get("kind", "date")) \
            if period else None
        metrics.append(Metric(m["value"], m["unit"], m["text"], m.get("value_max"), m.get("about"),
                              m.get("direction"), span, evidence_of(m.get("evidence") or [])))
    return priorities, tuple(metrics)


def section_passages(conn: sqlite3.Connection, doc_ids: list[str], sections: tuple[str, ...],
                     theme: str | None = None) -> list[sqlite3.Row]:
    """Passages of these papers in these sections (document_id, idx, section, page, paragraph, start, text,
    heading), in paper order; with a theme, only passages about it, the most about it first."""
    out: list[sqlite3.Row] = []
    roles = ",".join("?" * len(sections))
    for i in range(0, len(doc_ids), 400):
        chunk = doc_ids[i:i + 400]
        marks = ",".join("?" * len(chunk))
        cols = "p.document_id, p.idx, p.section, p.page, p.paragraph, p.start, p.text, p.heading"
        if theme:
            sql = (f"SELECT {cols} FROM passages p JOIN passage_themes t ON t.passage_id = p.id AND t.theme = ?"
                   f" WHERE p.document_id IN ({marks}) AND p.section IN ({roles}) ORDER BY p.document_id, t.score DESC")
            out += conn.execute(sql, [theme, *chunk, *sections]).fetchall()
        else:
            sql = (f"SELECT {cols} FROM passages p WHERE p.document_id IN ({marks}) AND p.section IN ({roles})"
                   " ORDER BY p.document_id, p.idx")
            out += conn.execute(sql, [*chunk, *sections]).fetchall()
    return out

"""The store's lookups for hybrid search (index.search): filters as passage-id ranges, what the fusion
and the floor need of each candidate, the papers and themes of the results."""

from __future__ import annotations

from typing import Any

from index.store.base import StoreBase
from index.store.filters import document_filter_sql, theme_filter_sql


def paper_filter_sql(
    council: str | None,
    committee: str | None,
    date_from: str | None,
    date_to: str | None,
    theme: str | None,
    document: str | None,
) -> tuple[str, list[Any]]:
    """Conditions on documents `d` for the paper filters ('' when there are none): council, committee,
    dates, a theme (passage themes, or "priority:THEME" for stated priorities only) and a paper (its id
    or the start of it)."""
    where, args = document_filter_sql("d", council, committee, date_from, date_to)
    conds = [where] if where else []
    if theme:
        cond, targs = theme_filter_sql("d", theme)
        conds.append(cond)
        args += targs
    if document:
        conds.append("(d.id = ? OR d.id LIKE ?)")
        args += [document, f"{document}%"]
    return " AND ".join(conds), args


def passage_filter_sql(
    entity_passages: list[int] | None, entity_key: str | None, section: str | None
) -> tuple[str, list[Any]]:
    """Conditions on passages `p`: the passages naming an entity (`entity_passages`, or, for a name no
    paper uses as an entity, the passages of the papers naming `entity_key`), and those of a section."""
    conds: list[str] = []
    args: list[Any] = []
    if entity_passages:
        conds.append(f"p.id IN ({','.join(str(int(i)) for i in entity_passages)})")
    elif entity_key is not None:
        conds.append(
            "p.document_id IN (SELECT document_id FROM entities WHERE norm = ? OR lower(acronym) = ?"
            " OR norm LIKE ?)"
        )
        args += [entity_key, entity_key, f"%{entity_key}%"]
    if section:
        conds.append("p.section = ?")
        args.append(section)
    return " AND ".join(conds), args


def passage_condition(doc_conds: str) -> str:
    """A condition on documents `d` as one on passages `p` (documents found first, through their indexes)."""
    return f"p.document_id IN (SELECT d.id FROM documents d WHERE {doc_conds})" if doc_conds else ""


class SearchMixin(StoreBase):
    def filtered_passage_ids(self, where: str, args: list[Any]) -> list[int]:
        """Ids of the passages `p` a condition allows, in order."""
        return [
            r[0] for r in self.conn.execute(f"SELECT p.id FROM passages p WHERE {where} ORDER BY p.id", args)
        ]

    def document_ranges(self, doc_conds: str, args: list[Any]) -> tuple[list[int], list[int]]:
        """The passage id ranges (first ids, last ids; sorted) of the papers a condition on `d` allows."""
        rows = self.conn.execute(
            f"SELECT first_passage, last_passage FROM documents d WHERE {doc_conds}"
            " AND first_passage IS NOT NULL ORDER BY first_passage",
            args,
        ).fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    def hyphenated_texts(self, ids: list[int]) -> dict[int, str]:
        """The texts of those of the passages that hold a hyphen."""
        if not ids:
            return {}
        return {
            r[0]: r[1]
            for r in self.conn.execute(
                f"SELECT id, text FROM passages WHERE id IN ({','.join('?' * len(ids))}) AND instr(text, '-')",
                ids,
            )
        }

    def windows_of(self, ids: list[int]) -> list[tuple[int, int]]:
        """(passage id, sentence vectors besides its own) of these passages."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [
            (r[0], r[1])
            for r in self.conn.execute(f"SELECT id, windows FROM passages WHERE id IN ({marks})", ids)
        ]

    def boilerplate_and_papers(self, ids: list[int]) -> tuple[frozenset[int], dict[int, str]]:
        """Those of the passages that are procedural boilerplate, and the paper of each."""
        if not ids:
            return frozenset(), {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT id, document_id, boilerplate FROM passages WHERE id IN ({marks})", ids
        ).fetchall()
        return frozenset(r[0] for r in rows if r[2]), {r[0]: r[1] for r in rows}

    def result_papers(self, ids: set[str] | list[str]) -> dict[str, dict[str, Any]]:
        """id -> source, title, council, committee, meeting_date of these papers."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT id, source, title, council, committee, meeting_date FROM documents"
            f" WHERE id IN ({marks})",
            list(ids),
        )
        return {r["id"]: dict(r) for r in rows}

    def stated_themes(self, doc_ids: list[str]) -> list[tuple[str, str]]:
        """(document id, theme) of the themes these papers state as priorities."""
        if not doc_ids:
            return []
        marks = ",".join("?" * len(doc_ids))
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                f"SELECT document_id, theme FROM themes WHERE document_id IN ({marks})", doc_ids
            )
        ]

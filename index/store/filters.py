"""SQL conditions the store's queries share: a paper's kind, the document filters and the theme filter."""

from __future__ import annotations

from typing import Any

from nlp.themes import theme_labels, themes_for

STATED_PREFIX = "priority:"  # theme filter value for stated priorities only: "priority:domestic_abuse"

# a document's kind: the first `paper_kind` given with any of its sources
PAPER_KIND_SQL = (
    "SELECT COALESCE((SELECT json_extract(k.given, '$.paper_kind') FROM sources k"
    " WHERE k.document_id = d.id AND json_extract(k.given, '$.paper_kind') IS NOT NULL"
    " ORDER BY k.rowid LIMIT 1), d.kind)"
)


def document_filter_sql(
    alias: str, council: str | None, committee: str | None, date_from: str | None, date_to: str | None
) -> tuple[str, list[Any]]:
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


def theme_filter_sql(alias: str, value: str) -> tuple[str, list[Any]]:
    """A theme filter as a condition on documents `alias`: papers with a passage about the theme or a
    stated priority of it; with the prefix "priority:", papers stating it as a priority only. A theme
    given in words ("serious violence") is read as the theme ids it names."""
    stated = value.startswith(STATED_PREFIX)
    wanted = value.removeprefix(STATED_PREFIX).strip()
    ids = [wanted] if wanted in theme_labels() else list(themes_for(wanted)) or [wanted]
    marks = ",".join("?" * len(ids))
    cond = f"{alias}.id IN (SELECT document_id FROM themes WHERE theme IN ({marks}))"
    if stated:
        return cond, ids
    return (
        f"({cond} OR {alias}.id IN (SELECT p.document_id FROM passage_themes t JOIN passages p"
        f" ON p.id = t.passage_id WHERE t.theme IN ({marks})))",
        ids + ids,
    )

"""The web app: server-rendered pages over the same library calls as the JSON routes (mounted at /app)."""
from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from api.deps import DocumentDep, SettingsDep, StoreDep
from api.errors import ApiError
from api.querytext import ACCEPTED, cut_query
from api.routes.compare import build_table
from api.routes.entities import find_entity
from api.routes.search import FiltersDep, Group, Mode, run_search
from api.templating import entity_id, render
from index.reads import DocumentDetail, EntityDetail, PassageRow
from index.store import Store

router = APIRouter()
PAGE_SIZE = 10


@router.get("/search")
def search_page(request: Request, store: StoreDep, settings: SettingsDep, filters: FiltersDep,
                q: Annotated[str, Query(max_length=ACCEPTED)] = "", mode: Mode = "hybrid",
                page: Annotated[int, Query(ge=1, le=50)] = 1, group: Group = "passage") -> Response:
    q, note = cut_query(q)
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    params["q"] = q
    ctx: dict[str, Any] = {"q": q, "mode": mode, "group": group, "filters": filters, "params": params, "page": page,
                           "results": [], "total": 0, "searched": bool(q.strip()), "note": note,
                           "options": filter_options(store), "facets": {}}
    if q.strip():
        found = run_search(store, settings, q, mode, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE, group)
        ctx.update(results=found.results[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], total=found.total,
                   facets=found.facets, pages=-(-found.total // PAGE_SIZE))
    return render(request, "search.html", ctx)


_OPTIONS: dict[str, tuple[tuple[int, ...], dict[str, Any]]] = {}
_OPTIONS_LOCK = threading.Lock()


def filter_options(store: Store) -> dict[str, Any]:
    """What the filter boxes offer before any query: councils, committees, themes, entities with counts.

    Counting them reads every paper and passage theme (about a second at 1M passages), so the answer is
    kept until the store's files change (any write changes the database file or its write-ahead log)."""
    stamp = store.change_stamp()
    key = str(store.folder.resolve())
    with _OPTIONS_LOCK:
        kept = _OPTIONS.get(key)
    if kept and kept[0] == stamp:
        return kept[1]
    options = _count_options(store)
    with _OPTIONS_LOCK:
        _OPTIONS[key] = (stamp, options)
    return options


def _count_options(store: Store) -> dict[str, Any]:
    docs = store.list_documents()
    councils: dict[str, int] = defaultdict(int)
    committees: dict[str, int] = defaultdict(int)
    for d in docs:
        if d.council:
            councils[d.council] += 1
        if d.committee:
            committees[d.committee] += 1
    from nlp.themes import theme_labels

    labels = theme_labels()
    counts = store.theme_paper_counts()
    themes = {t: counts.get(t, 0) for t in sorted(labels, key=lambda t: labels[t].lower())}  # every theme, by label
    entities = [e.name for e in store.list_entities()[:300]]
    return {"council": dict(sorted(councils.items())), "committee": dict(sorted(committees.items())),
            "theme": themes, "theme_labels": labels, "entities": entities, "documents": len(docs),
            "sections": _section_labels()}


def _section_labels() -> dict[str, str]:
    from nlp.sections import role_labels

    return role_labels()


@router.get("/papers/{doc_id}")
def paper_page(request: Request, store: StoreDep, detail: DocumentDep) -> Response:
    from index.history import paper_history

    marks = _entity_marks(detail)
    sections: list[dict[str, Any]] = []
    last_page: int | None = None
    for p in detail.passages:
        heading = " \u203a ".join(p.heading_path)
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "passages": []})
        new_page = p.page if p.page is not None and p.page != last_page else None
        last_page = p.page if p.page is not None else last_page
        sections[-1]["passages"].append({"p": p, "html": _highlight(p, marks.get(p.index, [])),
                                         "new_page": new_page})
    by_type: dict[str, list[EntityDetail]] = defaultdict(list)
    for e in detail.entities:
        by_type[e.type].append(e)
    history = paper_history(store, detail.document.id)
    timeline = history.entries if history and len(history.entries) > 1 else ()
    from api.originals import original_url, published_url

    return render(request, "paper.html", {"d": detail, "doc": detail.document, "sections": sections,
                                          "published": published_url(detail), "original": original_url(detail),
                                          "original_at": {p.page: original_url(detail, p.page) for p in detail.passages
                                                          if p.page and detail.document.format == "pdf"},
                                          "by_type": dict(sorted(by_type.items())),
                                          "extraction": detail.extraction or {}, "timeline": timeline,
                                          "discussed": discussed_themes(store, detail)})


def discussed_themes(store: Store, detail: DocumentDetail) -> list[str]:
    """Themes the paper's passages are about besides its stated priorities' (passage themes, at ingest)."""
    return sorted({h.theme for h in store.passage_themes([detail.document.id])} - set(detail.themes))


def _entity_marks(detail: DocumentDetail) -> dict[int, list[tuple[int, int, str, str]]]:
    """passage index -> (start, end, entity id, type) of each entity mention, offsets in the document."""
    out: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for e in detail.entities:
        for m in e.mentions:
            out[m.passage].append((m.start, m.end, e.id or entity_id(e.type, e.name), e.type))
    return out


def _highlight(p: PassageRow, marks: list[tuple[int, int, str, str]]) -> Markup:
    """The passage text escaped, each entity mention a link to its entity page."""
    parts: list[str] = []
    pos = 0
    for start, end, eid, type_ in sorted(marks):
        a, b = start - p.start, end - p.start
        if a < pos or b > len(p.text) or a >= b:
            continue  # overlapping or outside this passage
        parts += [str(escape(p.text[pos:a])),
                  f'<a class="ent ent-{escape(type_)}" href="/app/entities/{escape(_q(eid))}">',
                  str(escape(p.text[a:b])), "</a>"]
        pos = b
    parts.append(str(escape(p.text[pos:])))
    return Markup("".join(parts))


def _q(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe=":")


@router.get("/entities/{entity_id:path}")
def entity_page(request: Request, store: StoreDep, entity_id: str) -> Response:
    e = find_entity(store, entity_id)
    by_council: dict[str, list[Any]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for m in e.mentions:
        if (m.document_id, m.passage) in seen:
            continue  # one line per passage
        seen.add((m.document_id, m.passage))
        by_council[m.council or "Council not known"].append({"m": m, "quote": _quote(store, m)})
    return render(request, "entity.html", {"e": e, "by_council": dict(sorted(by_council.items())),
                                           "papers": len({m.document_id for m in e.mentions})})


@router.get("/entities")
def entities_page(request: Request, store: StoreDep,
                  type: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    from index.compare import entities

    rows = entities(store, type if type in ("partnership", "operation") else None)
    return render(request, "entities.html", {"rows": rows, "type": type})


def _quote(store: Store, m: Any) -> Markup:
    """The sentence around a mention, escaped, the mention marked."""
    from index.compare import quote_around

    row = store.conn.execute("SELECT text, start FROM passages WHERE document_id = ? AND idx = ?",
                             (m.document_id, m.passage)).fetchone()
    if row is None:
        return Markup(escape(m.text))
    text, a, b = row["text"], m.start - row["start"], m.end - row["start"]
    quote = quote_around(text, a, b)
    at = quote.find(text[a:b]) if 0 <= a < b <= len(text) else -1
    if at < 0:
        return Markup(escape(quote))
    end = at + (b - a)
    return Markup(f"{escape(quote[:at])}<mark>{escape(quote[at:end])}</mark>{escape(quote[end:])}")


@router.get("/compare")
def compare_page(request: Request, store: StoreDep,
                 cols: Annotated[str, Query(max_length=20)] = "theme",
                 councils: Annotated[list[str] | None, Query(max_length=50)] = None,
                 date_from: Annotated[date | None, Query(alias="from")] = None,
                 date_to: Annotated[date | None, Query(alias="to")] = None) -> Response:
    from index.compare import COLUMN_TYPES, all_councils
    from index.export import FORMATS

    if cols not in COLUMN_TYPES:
        raise ApiError(422, f"cols {cols!r}: must be one of {', '.join(COLUMN_TYPES)}", "cols")
    table = build_table(store, cols, councils, date_from, date_to)
    params = [("cols", cols), *(("councils", c) for c in councils or []),
              *((k, v.isoformat()) for k, v in (("from", date_from), ("to", date_to)) if v)]
    return render(request, "compare.html", {
        "t": table, "cols": cols, "column_types": COLUMN_TYPES, "known": all_councils(store),
        "chosen": set(councils or []), "date_from": date_from, "date_to": date_to,
        "download": {f: "/compare?" + urlencode([*params, ("format", f)]) for f in ("csv", "csv-wide", "xlsx") if f in FORMATS},
        "cells": {(c.row, c.column): c for c in table.cells}})


@router.get("/precedents")
def precedents_page(request: Request, store: StoreDep, settings: SettingsDep,
                    q: Annotated[str, Query(max_length=ACCEPTED)] = "",
                    exclude_council: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    from api.routes.precedents import find_precedents

    q, note = cut_query(q)
    found = find_precedents(store, settings, q, exclude_council or None) if q.strip() else None
    councils = sorted({d.council for d in store.list_documents() if d.council})
    return render(request, "precedents.html", {"q": q, "note": note, "exclude_council": exclude_council or "",
                                               "found": found, "councils": councils})

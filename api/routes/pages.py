"""The web app: server-rendered pages over the same library calls as the JSON routes (mounted at /app)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from types import MappingProxyType
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from api.deps import DocumentDep, RuntimeDep, SettingsDep, StoreDep
from api.errors import ApiError
from api.originals import original_url, published_url
from api.querytext import ACCEPTED, cut_query
from api.routes.compare import build_table
from api.routes.entities import find_entity
from api.routes.precedents import find_precedents
from api.routes.search import FiltersDep, Group, Mode, resolved_filters, run_search
from api.templating import entity_id, render
from index.compare import COLUMN_NAMES, COLUMN_TYPES, all_councils, entities, published_urls, quote_around
from index.export import FORMATS, cell_text, cite_text, link_of, search_csv, search_rows
from index.history import paper_history
from index.names import resolve_all
from index.reads import DocumentDetail, EntityDetail, PassageRow
from index.runtime import Runtime
from index.store import Store
from nlp.sections import role_labels
from nlp.themes import theme_labels

router = APIRouter()
PAGE_SIZE = 10


@router.get("/search")
def search_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    filters: FiltersDep,
    q: Annotated[str, Query(max_length=ACCEPTED)] = "",
    mode: Mode = "hybrid",
    page: Annotated[int, Query(ge=1, le=50)] = 1,
    group: Group = "passage",
) -> Response:
    q, note = cut_query(q)
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    params["q"] = q
    filters, notices, unknown, near = _checked_names(store, filters, params)
    # a name like no stored one (no suggestion): nothing to find yet, but the search can be followed for papers
    # to come; a misspelt or ambiguous one: no search at all, the notice says what was meant
    ctx: dict[str, Any] = {
        "q": q,
        "mode": mode,
        "group": group,
        "filters": filters,
        "params": params,
        "page": page,
        "results": [],
        "total": 0,
        "searched": bool(q.strip()) and not near,
        "note": note,
        "options": filter_options(store, runtime),
        "facets": {},
        "notices": notices,
        "unknown": unknown,
    }
    if ctx["searched"] and not unknown:
        found = run_search(
            store, settings, q, mode, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE, group, runtime
        )
        ctx.update(
            results=found.results[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            total=found.total,
            facets=found.facets,
            pages=-(-found.total // PAGE_SIZE),
        )
    return render(request, "search.html", ctx, status=422 if unknown else 200)


def _checked_names(
    store: Store, filters: Any, params: dict[str, str]
) -> tuple[Any, list[dict[str, Any]], dict[str, str], bool]:
    """The filters with council and committee resolved (index.names); a notice for each name read as a
    stored one or matching none (with links to the page with each suggested name); those that matched
    none (kind -> name as given); and whether any of them is near a stored name (misspelt or ambiguous)."""
    from dataclasses import replace

    notices, unknown, changes, near = [], {}, {}, False
    for kind in ("council", "committee"):
        value = getattr(filters, kind)
        found, missing = resolve_all(store, kind, [value] if value else [])  # type: ignore[arg-type]
        for r in found:
            changes[kind] = r.name
            if r.how == "part":
                notices.append({"text": r.message(), "links": []})
        for r in missing:
            unknown[kind] = r.given
            near = near or r.how in ("suggestion", "ambiguous")
            notices.append(_name_notice(r, "search", [(k, v) for k, v in params.items() if k != kind], kind))
    return replace(filters, **changes), notices, unknown, near


@router.get("/search.csv")
def search_export(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    filters: FiltersDep,
    q: Annotated[str, Query(max_length=ACCEPTED)] = "",
    mode: Mode = "hybrid",
    group: Group = "passage",
) -> Response:
    """The search page's results (up to SEARCH_EXPORT of them) as CSV: headers in words, the sentence each
    matched in, a link to it (index.export.search_csv)."""
    q, _ = cut_query(q)
    found = run_search(
        store, settings, q, mode, resolved_filters(store, filters), 0, SEARCH_EXPORT, group, runtime
    )
    results = [asdict(r) for r in found.results[:SEARCH_EXPORT]]
    urls = published_urls(store, [r["document"] for r in results])
    body = search_csv(search_rows(results, urls, settings.public_url))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="search-results.csv"'},
    )


SEARCH_EXPORT = 100  # results a search export holds (GET /search's largest page)


def filter_options(store: Store, runtime: Runtime) -> dict[str, Any]:
    """What the filter boxes offer before any query: councils, committees, themes, entities with counts.

    Counting them reads every paper and passage theme (about a second at 1M passages), so the answer is
    kept by the runtime until the store's files change (any write changes the database file or its
    write-ahead log)."""
    return runtime.memo(
        f"filter options {store.folder.resolve()}", store.change_stamp(), lambda: _count_options(store)
    )


def _count_options(store: Store) -> dict[str, Any]:
    docs = store.list_documents()
    councils: dict[str, int] = defaultdict(int)
    committees: dict[str, int] = defaultdict(int)
    for d in docs:
        if d.council:
            councils[d.council] += 1
        if d.committee:
            committees[d.committee] += 1

    labels = theme_labels()
    counts = store.theme_paper_counts()
    themes = {
        t: counts.get(t, 0) for t in sorted(labels, key=lambda t: labels[t].lower())
    }  # every theme, by label
    entities = [e.name for e in store.list_entities()[:300]]
    return {
        "council": dict(sorted(councils.items())),
        "committee": dict(sorted(committees.items())),
        "theme": themes,
        "theme_labels": labels,
        "entities": entities,
        "documents": len(docs),
        "sections": _section_labels(),
    }


def _section_labels() -> dict[str, str]:
    return role_labels()


@router.get("/papers/{doc_id}")
def paper_page(request: Request, store: StoreDep, detail: DocumentDep) -> Response:
    marks = _entity_marks(detail)
    sections: list[dict[str, Any]] = []
    last_page: int | None = None
    for p in detail.passages:
        heading = " \u203a ".join(p.heading_path)
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "passages": []})
        new_page = p.page if p.page is not None and p.page != last_page else None
        last_page = p.page if p.page is not None else last_page
        sections[-1]["passages"].append(
            {"p": p, "html": _highlight(p, marks.get(p.index, [])), "new_page": new_page}
        )
    by_type: dict[str, list[EntityDetail]] = defaultdict(list)
    for e in detail.entities:
        by_type[e.type].append(e)
    history = paper_history(store, detail.document.id)
    timeline = history.entries if history and len(history.entries) > 1 else ()

    return render(
        request,
        "paper.html",
        {
            "d": detail,
            "doc": detail.document,
            "sections": sections,
            "published": published_url(detail),
            "original": original_url(detail),
            "original_at": {
                p.page: original_url(detail, p.page)
                for p in detail.passages
                if p.page and detail.document.format == "pdf"
            },
            "by_type": dict(sorted(by_type.items())),
            "extraction": detail.extraction or {},
            "timeline": timeline,
            "discussed": discussed_themes(store, detail),
        },
    )


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
        parts += [
            str(escape(p.text[pos:a])),
            f'<a class="ent ent-{escape(type_)}" href="/app/entities/{escape(_q(eid))}">',
            str(escape(p.text[a:b])),
            "</a>",
        ]
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
    return render(
        request,
        "entity.html",
        {
            "e": e,
            "by_council": dict(sorted(by_council.items())),
            "papers": len({m.document_id for m in e.mentions}),
        },
    )


@router.get("/entities")
def entities_page(
    request: Request, store: StoreDep, type: Annotated[str | None, Query(max_length=20)] = None
) -> Response:
    rows = entities(store, type if type in ("partnership", "operation") else None)
    return render(request, "entities.html", {"rows": rows, "type": type})


def _quote(store: Store, m: Any) -> Markup:
    """The sentence around a mention, escaped, the mention marked."""
    row = store.passage_text(m.document_id, m.passage)
    if row is None:
        return Markup(escape(m.text))
    text, a, b = row[0], m.start - row[1], m.end - row[1]
    quote = quote_around(text, a, b)
    at = quote.find(text[a:b]) if 0 <= a < b <= len(text) else -1
    if at < 0:
        return Markup(escape(quote))
    end = at + (b - a)
    return Markup(f"{escape(quote[:at])}<mark>{escape(quote[at:end])}</mark>{escape(quote[end:])}")


@router.get("/compare")
def compare_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cols: Annotated[str, Query(max_length=20)] = "theme",
    councils: Annotated[list[str] | None, Query(max_length=50)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    paper: Annotated[str, Query(pattern="^(a4|a3)$")] = "a4",
) -> Response:
    """The table, with a print view (the whole table on A4 or A3 landscape, columns split across pages with
    the council column repeated, citations as footnotes). Council names that match none are a notice above
    it (status 422), with the closest names as links; the others still make the table."""
    if cols not in COLUMN_TYPES:
        raise ApiError(422, f"cols {cols!r}: must be one of {', '.join(COLUMN_TYPES)}", "cols")
    found, unknown = resolve_all(store, "council", councils or [])
    chosen = [r.name for r in found if r.name]
    table = build_table(store, cols, chosen, date_from, date_to) if chosen or not unknown else None
    params = [
        ("cols", cols),
        *(("councils", c) for c in chosen),
        *((k, v.isoformat()) for k, v in (("from", date_from), ("to", date_to)) if v),
    ]
    notices = [_name_notice(r, "compare", params, "councils") for r in unknown]
    notices += [{"text": r.message(), "links": []} for r in found if r.how == "part"]
    return render(
        request,
        "compare.html",
        {
            "t": table,
            "cols": cols,
            "column_types": COLUMN_TYPES,
            "known": all_councils(store),
            "chosen": set(chosen),
            "date_from": date_from,
            "date_to": date_to,
            "notices": notices,
            "paper": paper,
            "column_name": COLUMN_NAMES[cols],
            "print_link": {p: "/app/compare?" + urlencode([*params, ("paper", p)]) for p in ("a4", "a3")},
            "download": {
                f: "/compare?" + urlencode([*params, ("format", f)])
                for f in ("csv", "csv-wide", "xlsx")
                if f in FORMATS
            },
            "cells": {(c.row, c.column): c for c in table.cells} if table else {},
            "parts": print_parts(table, PRINT_COLUMNS[paper], settings.public_url) if table else [],
        },
        status=422 if unknown else 200,
    )


# Columns of the compare table on one printed page, besides the council column: what fits at the print
# stylesheet's 7.5pt on A4 landscape (277 mm of text width, about 30 mm a column) and on A3 landscape.
PRINT_COLUMNS = MappingProxyType({"a4": 7, "a3": 11})


def print_parts(t: Any, per_part: int, public_url: str = "") -> list[dict[str, Any]]:
    """The table for print: `per_part` columns at a time (each part a page or more, the council column
    repeated), each filled cell's citations numbered as footnotes listed under its part."""
    index = {(c.row, c.column): c for c in t.cells}
    parts, n = [], 0
    for at in range(0, len(t.columns), per_part):
        columns = t.columns[at : at + per_part]
        rows, notes = [], []
        for r in t.rows:
            cells = []
            for col in columns:
                cell = index.get((r, col))
                marks = []
                for x in cell.citations if cell else ():
                    n += 1
                    marks.append(n)
                    notes.append({"n": n, "text": cite_text(x), "link": link_of(x, public_url)})
                cells.append({"text": cell_text(t, r, col, cell), "state": t.state(r, col), "marks": marks})
            rows.append({"council": r, "cells": cells})
        parts.append(
            {
                "columns": [t.labels.get(c, c) for c in columns],
                "rows": rows,
                "notes": notes,
                "first": at + 1,
                "last": at + len(columns),
            }
        )
    return parts


def _name_notice(r: Any, page: str, params: list[tuple[str, str]], field: str) -> dict[str, Any]:
    """A name that matched nothing: its message, and a link to the same page with each suggested name."""
    links = [
        {"name": name, "href": f"/app/{page}?" + urlencode([*params, (field, name)])}
        for name in r.candidates
        if r.how in ("suggestion", "ambiguous")
    ]
    return {"text": r.message(), "links": links}


@router.get("/precedents")
def precedents_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    q: Annotated[str, Query(max_length=ACCEPTED)] = "",
    exclude_council: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    q, note = cut_query(q)
    resolved, unknown = resolve_all(store, "council", [exclude_council] if exclude_council else [])
    exclude_council = resolved[0].name if resolved else exclude_council
    notices = [_name_notice(r, "precedents", [("q", q)], "exclude_council") for r in unknown]
    notices += [{"text": r.message(), "links": []} for r in resolved if r.how == "part"]
    found = (
        find_precedents(store, settings, q, exclude_council or None, runtime=runtime)
        if q.strip() and not unknown
        else None
    )
    councils = store.names_of("council")
    return render(
        request,
        "precedents.html",
        {
            "q": q,
            "note": note,
            "exclude_council": exclude_council or "",
            "found": found,
            "councils": councils,
            "notices": notices,
            "unknown": unknown[0].given if unknown else "",
        },
        status=422 if unknown else 200,
    )

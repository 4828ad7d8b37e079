"""A comparison table as text, CSV (tidy or wide), XLSX, Markdown, JSON or HTML; every filled cell keeps its citations.

`render(table, fmt, public_url)` returns bytes for every format (UTF-8 for the text ones). Every cell has a
state: `priority` (what the council's papers state or name, cited), `discussed` (a theme its papers
talk about without stating it, the best passage cited), `silent` (its papers in range say nothing
on it) or `no papers in range`. What a person reads is written for a person: headers in words
(Council, Theme, State, ..., Link), column labels rather than ids, whole sentences quoted (an ellipsis
where a long one was cut), the paper by its title. Links go to the published paper (the `url` given with
it, or an http(s) source), else to this instance's page of it under `public_url` (index.links), else
nowhere: never to a path on the server. No cell of a CSV or XLSX can start a formula (`neutral`).
- `csv`: tidy, one row per council x column: state, what fills it, quote, paper, meeting date, page,
  paragraph, link (what pandas, Excel and datasette read as one table);
- `csv-wide`: one row per council, one column per column of the table;
- `xlsx`: sheet "table" (bold frozen header, widths, wrapping, autofilter, filled cells linked to
  their paper) and sheet "citations" (one row per citation, its link a hyperlink);
- `md` and `html` escape everything taken from papers.
Search results export the same way (`search_csv`).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from index.compare import COLUMN_NAMES, Cell, Citation, Table
from index.links import citation_link
from index.quotes import quote_span

FORMATS = ("table", "csv", "csv-wide", "xlsx", "md", "json", "html")
# what fills a cell of each table type, as the tidy CSV's header names it
ITEM_NAMES = MappingProxyType(
    {
        "theme": "Stated priorities",
        "partnership-kind": "Partnerships",
        "operation": "Named as",
        "metric": "Figures",
        "section": "Headings",
    }
)
CITE_HEADER = ("Quote", "Paper", "Meeting date", "Page", "Paragraph", "Link")
SEARCH_HEADER = (
    "Rank",
    "Council",
    "Committee",
    "Meeting date",
    "Paper",
    "Page",
    "Paragraph",
    "Heading",
    "Quote",
    "Link",
)
# a cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets (OWASP, "CSV
# injection"): `=`, `+`, `-`, `@`, a tab or a carriage return
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\s?[£$€]?\d[\d,]*(?:\.\d+)?%?")


def tidy_header(t: Table) -> tuple[str, ...]:
    return (
        "Council",
        COLUMN_NAMES.get(t.cols, "Column"),
        "State",
        ITEM_NAMES.get(t.cols, "Items"),
        *CITE_HEADER,
    )


def link_of(c: Citation, public_url: str = "") -> str | None:
    """Where a reader opens a citation: the published paper, else this instance's page of it, else None."""
    return citation_link(public_url, c.document, url=c.url or c.source, page=c.page, passage=c.passage)


def paper_name(c: Citation) -> str:
    """The paper as a reader knows it: its title, else its file name (never the path on the server)."""
    return c.title or Path(c.source).name


def citation_json(c: Citation, public_url: str = "") -> dict[str, Any]:
    return {
        "document": c.document,
        "source": c.source,
        "page": c.page,
        "paragraph": c.paragraph,
        "quote": c.quote,
        "passage": c.passage,
        "heading": c.heading,
        "title": c.title,
        "meeting_date": c.meeting_date,
        "url": c.url,
        "link": link_of(c, public_url),
        "quote_shown": c.shown,
    }


def table_json(t: Table, public_url: str = "") -> dict[str, Any]:
    """{"rows", "columns", "cells": [{"row", "column", "state", "citations", ...}], "empty": [...]}."""
    cells = []
    for c in t.cells:
        out: dict[str, Any] = {
            "row": c.row,
            "column": c.column,
            "state": c.state,
            "label": t.labels.get(c.column),
            "citations": [citation_json(x, public_url) for x in c.citations],
            "items": list(c.items),
        }
        if c.values:
            out["values"] = list(c.values)
            out["unit"] = t.units.get(c.column)
        cells.append(out)
    filled = {(c.row, c.column) for c in t.cells}
    return {
        "cols": t.cols,
        "rows": list(t.rows),
        "columns": list(t.columns),
        "labels": dict(t.labels),
        "cells": cells,
        "papers": dict(t.papers),
        "empty": [
            {"row": r, "column": col, "state": t.empty_reason(r), "reason": t.empty_reason(r)}
            for r in t.rows
            for col in t.columns
            if (r, col) not in filled
        ],
        "from": t.date_from,
        "to": t.date_to,
    }


def cell_text(t: Table, row: str, column: str, cell: Cell | None) -> str:
    """What a cell shows, in full: its items (metric values with their unit), `discussed`, or why it is empty."""
    if cell is None:
        return t.empty_reason(row)
    if cell.values:
        unit = t.units.get(column, "")
        return "; ".join(_figure(v, unit) for v in cell.values)
    if cell.state != "priority" or not cell.items:
        return cell.state
    return "; ".join(" ".join(i.split()) for i in cell.items)


def _figure(v: float, unit: str) -> str:
    n = f"{v:,.0f}" if v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")
    return {"percent": f"{n}%", "GBP": f"£{n}"}.get(unit, n)


def cite_text(c: Citation) -> str:
    where = ", ".join(
        x
        for x in (
            c.meeting_date or "",
            f"p. {c.page}" if c.page else "",
            f"para {c.paragraph}" if c.paragraph else "",
        )
        if x
    )
    return f"{paper_name(c)}{' (' + where + ')' if where else ''}: \u201c{c.shown}\u201d"


def _cite_cells(x: Citation, public_url: str) -> list[Any]:
    return [
        x.shown,
        paper_name(x),
        x.meeting_date or "",
        x.page or "",
        x.paragraph or "",
        link_of(x, public_url) or "",
    ]


def _grid(t: Table) -> list[list[str]]:
    """Header row then one row per council: the cell texts, in full."""
    index = {(c.row, c.column): c for c in t.cells}
    grid = [["Council", *(t.labels.get(c, c) for c in t.columns)]]
    grid += [[r, *(cell_text(t, r, col, index.get((r, col))) for col in t.columns)] for r in t.rows]
    return grid


def tidy_rows(t: Table, public_url: str = "") -> list[list[Any]]:
    """One row per council x column; a filled cell's first citation (the XLSX's citations sheet has them all)."""
    index = {(c.row, c.column): c for c in t.cells}
    out: list[list[Any]] = []
    for r in t.rows:
        for col in t.columns:
            cell = index.get((r, col))
            label = t.labels.get(col, col)
            if cell is None:
                out.append([r, label, t.empty_reason(r), "", *[""] * len(CITE_HEADER)])
                continue
            what = cell_text(t, r, col, cell) if cell.state == "priority" else ""
            out.append([r, label, cell.state, what, *_cite_cells(cell.citations[0], public_url)])
    return out


def citation_rows(t: Table, public_url: str = "") -> list[list[Any]]:
    return [
        [c.row, t.labels.get(c.column, c.column), c.state, *_cite_cells(x, public_url)]
        for c in t.cells
        for x in c.citations
    ]


def neutral(v: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula: text starting `=`, `+`, `-`, `@`, a tab or a carriage
    return (after any spaces) gets a leading apostrophe, unless it is a number ("-12", "+3.5%"). CSV has no
    other way to say "text"; the XLSX writes such cells as text instead (`_put`)."""
    if isinstance(v, str) and _formula_like(v):
        return "'" + v
    return v


def _formula_like(v: str) -> bool:
    return v.lstrip(" ").startswith(_FORMULA_START) and not _NUMBER.fullmatch(v.strip())


def _write_csv(rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerows([neutral(v) for v in row] for row in rows)
    return buf.getvalue()


def to_csv(t: Table, public_url: str = "") -> str:
    return _write_csv([tidy_header(t), *tidy_rows(t, public_url)])


def to_wide_csv(t: Table, public_url: str = "") -> str:
    return _write_csv(_grid(t))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def md_escape(s: str) -> str:
    """Text as literal Markdown: every character with a Markdown meaning backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(s).split()))


def to_markdown(t: Table, public_url: str = "") -> str:
    grid = _grid(t)
    lines = ["| " + " | ".join(md_escape(x) for x in grid[0]) + " |", "|" + "---|" * len(grid[0])]
    lines += ["| " + " | ".join(md_escape(x) for x in row) + " |" for row in grid[1:]]
    notes = []
    for c in t.cells:
        for x in c.citations:
            link = link_of(x, public_url)
            text = md_escape(cite_text(x))
            notes.append(
                f"- **{md_escape(c.row)} / {md_escape(t.labels.get(c.column, c.column))}** "
                f"({c.state}): " + (f"[{text}](<{link.replace('>', '%3E')}>)" if link else text)
            )
    return "\n".join(lines + ([""] + ["Citations:", ""] + notes if notes else [])) + "\n"


def to_text(t: Table, public_url: str = "") -> str:
    """A plain table for the terminal, citations listed below."""
    grid = _grid(t)
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    lines = ["  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip() for row in grid]
    lines.insert(1, "  ".join("-" * w for w in widths))
    cites = []
    for c in t.cells:
        link = link_of(c.citations[0], public_url)
        cites.append(
            f"[{c.row} / {t.labels.get(c.column, c.column)}: {c.state}] {cite_text(c.citations[0])}"
            + (f" {link}" if link else "")
        )
    return "\n".join(lines + ([""] + cites if cites else [])) + "\n"


def to_html(t: Table, public_url: str = "") -> str:
    """A standalone page: the table with each cell's state, cited cells linking to the paper."""
    e = html.escape
    index = {(c.row, c.column): c for c in t.cells}
    head = "".join(f"<th scope='col'>{e(t.labels.get(c, c))}</th>" for c in t.columns)
    body = []
    for r in t.rows:
        tds = []
        for col in t.columns:
            cell = index.get((r, col))
            text = e(cell_text(t, r, col, cell))
            if cell is None:
                tds.append(f"<td class='empty' data-state='{e(t.empty_reason(r))}'>{text}</td>")
                continue
            title = e(" | ".join(cite_text(x) for x in cell.citations), quote=True)
            link = link_of(cell.citations[0], public_url)
            inner = f'<a href="{e(link, quote=True)}">{text}</a>' if link else text
            tds.append(
                f"<td class='{e(cell.state)}' data-state='{e(cell.state)}' title=\"{title}\">{inner}</td>"
            )
        body.append(f"<tr><th scope='row'>{e(r)}</th>{''.join(tds)}</tr>")
    notes = []
    for c in t.cells:
        for x in c.citations:
            link = link_of(x, public_url)
            inner = f'<a href="{e(link, quote=True)}">{e(cite_text(x))}</a>' if link else e(cite_text(x))
            notes.append(
                f"<li><b>{e(c.row)} / {e(t.labels.get(c.column, c.column))}</b> ({e(c.state)}): {inner}</li>"
            )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>councilpapers: councils by "
        f"{e(COLUMN_NAMES.get(t.cols, t.cols).lower())}</title><style>td,th{{border:1px solid #ccc;padding:4px;"
        "vertical-align:top}td.empty{color:#888;font-style:italic}td.discussed{background:#f4f4f4}"
        "table{border-collapse:collapse}</style></head><body>"
        f"<table><thead><tr><th>Council</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<h2>Citations</h2><ol>{''.join(notes)}</ol></body></html>\n"
    )


XLSX_MAX_WIDTH = 60  # characters: wider text wraps


def to_xlsx(t: Table, public_url: str = "") -> bytes:
    """Sheet 'table' (the wide table; citations as comments, filled cells linked to their paper) and sheet
    'citations' (one row per citation, its link a hyperlink), both with a bold frozen header, widths,
    wrapping and an autofilter. Text is written as text: a cell never holds a formula."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "table"
    for i, row in enumerate(_grid(t), start=1):
        for j, v in enumerate(row, start=1):
            _put(ws, i, j, v)
    index = {(c.row, c.column): c for c in t.cells}
    for i, r in enumerate(t.rows, start=2):
        for j, col in enumerate(t.columns, start=2):
            cell = index.get((r, col))
            xl = ws.cell(i, j)
            if cell is None or cell.state != "priority":
                xl.font = Font(italic=True, color="666666")
            if cell is None:
                continue
            xl.comment = Comment(
                _clean("\n".join(cite_text(x) for x in cell.citations))[:30000], "councilpapers"
            )
            link = link_of(cell.citations[0], public_url)
            if link:
                xl.hyperlink = link
    cs = wb.create_sheet("citations")
    header = ("Council", COLUMN_NAMES.get(t.cols, "Column"), "State", *CITE_HEADER)
    link_col = len(header)
    for i, row in enumerate([header, *citation_rows(t, public_url)], start=1):
        for j, v in enumerate(row, start=1):
            _put(cs, i, j, v)
        if i > 1 and row[link_col - 1]:
            cs.cell(i, link_col).hyperlink = row[link_col - 1]
            cs.cell(i, link_col).style = "Hyperlink"
    for sheet in (ws, cs):
        _format(sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(sheet: Any, row: int, col: int, value: Any) -> None:
    """Write a value; text that a spreadsheet would read as a formula is stored as text, marked with the
    quote-prefix style (Excel's own way of keeping typed text as text: no apostrophe shows)."""
    xl = sheet.cell(row, col)
    xl.value = _clean(value)
    if isinstance(xl.value, str) and _formula_like(xl.value):
        xl.data_type = "s"
        xl.quotePrefix = True


def _format(sheet: Any) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for col in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(col[0].column)].width = min(
            max(longest + 2, 10), XLSX_MAX_WIDTH
        )
        for c in col[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _clean(v: Any) -> Any:
    """Cell text without the control characters openpyxl refuses."""
    if not isinstance(v, str):
        return v
    return "".join(ch for ch in v if ch in "\n\t" or ord(ch) >= 32)


def render(t: Table, fmt: str, public_url: str = "") -> bytes:
    """The table in one of FORMATS, as bytes; links to papers without a published URL go under `public_url`."""
    if fmt == "xlsx":
        return to_xlsx(t, public_url)
    text = {
        "table": to_text,
        "csv": to_csv,
        "csv-wide": to_wide_csv,
        "md": to_markdown,
        "html": to_html,
        "json": lambda x, u: json.dumps(table_json(x, u), ensure_ascii=False, indent=2) + "\n",
    }.get(fmt)
    if text is None:
        raise ValueError(f"format {fmt!r}: must be one of {', '.join(FORMATS)}")
    return text(t, public_url).encode("utf-8")


# ---- search results -------------------------------------------------------------------------------


def search_rows(
    results: Iterable[dict[str, Any]], urls: dict[str, str], public_url: str = "", query: str | None = None
) -> list[list[Any]]:
    """One row per search result (a dict of index.search.SearchResult's fields): where it is, the sentence
    holding its first match (whole, or with an ellipsis), and a link to it; `urls` are the papers'
    published URLs (`index.compare.published_urls`). With `query`, each row starts with it."""
    out = []
    for n, r in enumerate(results, 1):
        text, snip = r.get("text") or "", r.get("snippet_text") or ""
        at = -1
        for a, b in r.get("matches") or ():
            at = text.find(snip[a:b])
            if at >= 0:
                q = quote_span(text, at, at + (b - a))
                break
        if at < 0:
            q = quote_span(text, 0, 0)
        link = citation_link(
            public_url,
            r["document"],
            url=urls.get(r["document"]),
            page=r.get("page"),
            passage=r.get("passage"),
        )
        heading = " > ".join(r.get("heading_path") or ())
        row = [
            n,
            r.get("council") or "",
            r.get("committee") or "",
            r.get("meeting_date") or "",
            r.get("title") or Path(r.get("source") or "").name,
            r.get("page") or "",
            r.get("paragraph") or "",
            heading,
            q.shown(),
            link or "",
        ]
        out.append(([query] if query is not None else []) + row)
    return out


def search_csv(rows: list[list[Any]], with_query: bool = False) -> str:
    """The rows of `search_rows` as CSV under a header in words, no cell able to start a formula."""
    return _write_csv([(("Query",) if with_query else ()) + SEARCH_HEADER, *rows])

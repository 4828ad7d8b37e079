"""A comparison table as text, CSV, XLSX, Markdown, JSON or HTML; every filled cell keeps its citations.

`render(table, fmt)` returns bytes for every format (UTF-8 for the text ones). Empty cells say why:
`silent` (the council's papers in range say nothing on it) or `no papers in range`. The XLSX has
the table (citations as cell comments, each filled cell linked to its first source) and a second
sheet listing every citation; the HTML escapes everything taken from papers.
"""
from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from index.compare import Cell, Citation, Table

FORMATS = ("table", "csv", "xlsx", "md", "json", "html")
CELL_ITEMS = 3  # items shown in a text cell before "+N more"


def citation_json(c: Citation) -> dict[str, Any]:
    return {"document": c.document, "source": c.source, "page": c.page, "paragraph": c.paragraph,
            "quote": c.quote, "passage": c.passage, "heading": c.heading, "title": c.title, "meeting_date": c.meeting_date,
            "link": source_link(c.source, c.page)}


def table_json(t: Table) -> dict[str, Any]:
    """{"rows", "columns", "cells": [{"row", "column", "citations", ...}]}: a cell only where filled."""
    cells = []
    for c in t.cells:
        out: dict[str, Any] = {"row": c.row, "column": c.column, "citations": [citation_json(x) for x in c.citations],
                               "items": list(c.items)}
        if c.values:
            out["values"] = list(c.values)
            out["unit"] = t.units.get(c.column)
        cells.append(out)
    filled = {(c.row, c.column) for c in t.cells}
    return {"cols": t.cols, "rows": list(t.rows), "columns": list(t.columns), "labels": dict(t.labels),
            "cells": cells,
            "papers": dict(t.papers),
            "empty": [{"row": r, "column": col, "reason": t.empty_reason(r)}
                      for r in t.rows for col in t.columns if (r, col) not in filled],
            "from": t.date_from, "to": t.date_to}


def source_link(source: str, page: int | None = None) -> str:
    """A URL to open the paper at: the source URL, or a file URL; '#page=N' for PDFs."""
    if source.startswith(("http://", "https://")):
        url = source
    else:
        try:
            url = Path(source).resolve().as_uri()
        except ValueError:
            return source
    return f"{url}#page={page}" if page and source.lower().split("?")[0].endswith(".pdf") else url


def cell_text(t: Table, row: str, column: str, cell: Cell | None) -> str:
    """What a cell shows: its items (metric values with their unit) or why it is empty."""
    if cell is None:
        return t.empty_reason(row)
    if cell.values:
        unit = t.units.get(column, "")
        shown = [_figure(v, unit) for v in cell.values[:CELL_ITEMS]]
    else:
        shown = [_short(i) for i in cell.items[:CELL_ITEMS]]
    more = len(cell.values or cell.items) - len(shown)
    return "; ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def _figure(v: float, unit: str) -> str:
    n = f"{v:,.0f}" if v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")
    return {"percent": f"{n}%", "GBP": f"£{n}"}.get(unit, n)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def cite_text(c: Citation) -> str:
    where = ", ".join(x for x in (f"p. {c.page}" if c.page else "", f"para {c.paragraph}" if c.paragraph else "") if x)
    return f"{Path(c.source).name}{' (' + where + ')' if where else ''}: \u201c{c.quote}\u201d"


def _grid(t: Table) -> list[list[str]]:
    index = {(c.row, c.column): c for c in t.cells}
    head = ["council"] + [t.labels.get(c, c) for c in t.columns]
    return [head] + [[r] + [cell_text(t, r, col, index.get((r, col))) for col in t.columns] for r in t.rows]


def to_csv(t: Table) -> str:
    """One line per council; then, after a blank line, one line per citation."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerows(_grid(t))
    w.writerow([])
    w.writerow(["council", "column", "document", "source", "page", "paragraph", "quote"])
    for c in t.cells:
        for x in c.citations:
            w.writerow([c.row, c.column, x.document, x.source, x.page or "", x.paragraph or "", x.quote])
    return buf.getvalue()


def to_markdown(t: Table) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    grid = _grid(t)
    lines = ["| " + " | ".join(esc(x) for x in grid[0]) + " |", "|" + "---|" * len(grid[0])]
    lines += ["| " + " | ".join(esc(x) for x in row) + " |" for row in grid[1:]]
    notes = [f"- **{esc(c.row)} / {esc(t.labels.get(c.column, c.column))}**: {esc(cite_text(x))}"
             for c in t.cells for x in c.citations]
    return "\n".join(lines + (["", "Citations:", ""] + notes if notes else [])) + "\n"


def to_text(t: Table, width: int = 28) -> str:
    """A plain table for the terminal: columns cut to `width`, citations listed below."""
    grid = [[x if len(x) <= width else x[: width - 1] + "…" for x in row] for row in _grid(t)]
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    lines = ["  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip() for row in grid]
    lines.insert(1, "  ".join("-" * w for w in widths))
    cites = [f"[{c.row} / {c.column}] {cite_text(x)}" for c in t.cells for x in c.citations[:1]]
    return "\n".join(lines + ([""] + cites if cites else [])) + "\n"


def to_html(t: Table) -> str:
    """A standalone page: the table with cited cells linking to their source, citations below."""
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
                tds.append(f"<td class='empty'>{text}</td>")
                continue
            first = cell.citations[0]
            title = e(" | ".join(cite_text(x) for x in cell.citations), quote=True)
            tds.append(f"<td title=\"{title}\"><a href=\"{e(source_link(first.source, first.page), quote=True)}\">"
                       f"{text}</a></td>")
        body.append(f"<tr><th scope='row'>{e(r)}</th>{''.join(tds)}</tr>")
    notes = "".join(f"<li><b>{e(c.row)} / {e(t.labels.get(c.column, c.column))}</b>: "
                    f"<a href=\"{e(source_link(x.source, x.page), quote=True)}\">{e(cite_text(x))}</a></li>"
                    for c in t.cells for x in c.citations)
    return ("<!doctype html><html><head><meta charset='utf-8'><title>councilpapers: councils by "
            f"{e(t.cols)}</title><style>td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}"
            "td.empty{color:#888;font-style:italic}table{border-collapse:collapse}</style></head><body>"
            f"<table><thead><tr><th>council</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<h2>Citations</h2><ol>{notes}</ol></body></html>\n")


def to_xlsx(t: Table) -> bytes:
    """Sheet 'table' (citations as comments, each filled cell linked to its first source) and sheet
    'citations' (one row per citation, with a link)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "table"
    grid = _grid(t)
    for row in grid:
        ws.append([_safe(x) for x in row])
    index = {(c.row, c.column): c for c in t.cells}
    for i, r in enumerate(t.rows, start=2):
        for j, col in enumerate(t.columns, start=2):
            cell = index.get((r, col))
            if cell is None:
                ws.cell(i, j).font = Font(italic=True, color="888888")
                continue
            xl = ws.cell(i, j)
            xl.comment = Comment(_safe("\n".join(cite_text(x) for x in cell.citations))[:30000], "councilpapers")
            xl.hyperlink = source_link(cell.citations[0].source, cell.citations[0].page)
    cs = wb.create_sheet("citations")
    cs.append(["council", "column", "document", "source", "page", "paragraph", "quote", "link"])
    for c in t.cells:
        for x in c.citations:
            link = source_link(x.source, x.page)
            cs.append([_safe(v) for v in (c.row, c.column, x.document, x.source, x.page, x.paragraph, x.quote, link)])
            cs.cell(cs.max_row, 8).hyperlink = link
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe(v: Any) -> Any:
    """Cell text without the control characters openpyxl refuses, and never read as a formula."""
    if not isinstance(v, str):
        return v
    v = "".join(ch for ch in v if ch in "\n\t" or ord(ch) >= 32)
    return "'" + v if v.startswith(("=", "+", "-", "@")) else v


def render(t: Table, fmt: str) -> bytes:
    """The table in one of FORMATS, as bytes."""
    if fmt == "xlsx":
        return to_xlsx(t)
    text = {"table": to_text, "csv": to_csv, "md": to_markdown, "html": to_html,
            "json": lambda x: json.dumps(table_json(x), ensure_ascii=False, indent=2) + "\n"}.get(fmt)
    if text is None:
        raise ValueError(f"format {fmt!r}: must be one of {', '.join(FORMATS)}")
    return text(t).encode("utf-8")

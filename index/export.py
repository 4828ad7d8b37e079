"""A comparison table as text, CSV (tidy or wide), XLSX, Markdown, JSON or HTML; every filled cell keeps its citations.

`render(table, fmt)` returns bytes for every format (UTF-8 for the text ones). Every cell has a
state: `priority` (what the council's papers state or name, cited), `discussed` (a theme its papers
talk about without stating it, the best passage cited), `silent` (its papers in range say nothing
on it) or `no papers in range`. Text is never cut. Links go to the published paper (the `url`
given with it, or an http(s) source) or nowhere: never to a path on the server.
- `csv`: tidy, one row per council x column: state, items, quote, paper title, meeting date, page,
  paragraph, published URL (what pandas, Excel and datasette read as one table);
- `csv-wide`: one row per council, one column per column of the table;
- `xlsx`: sheet "table" (bold frozen header, widths, wrapping, autofilter, filled cells linked to
  their paper) and sheet "citations" (one row per citation, with its link);
- `md` and `html` escape everything taken from papers.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

from index.compare import Cell, Citation, Table
from index.links import published_link

FORMATS = ("table", "csv", "csv-wide", "xlsx", "md", "json", "html")
TIDY_HEADER = ("council", "column", "label", "state", "items", "quote", "paper_title", "meeting_date", "page",
               "paragraph", "url", "document", "citations")
CITATION_HEADER = ("council", "column", "label", "state", "quote", "paper_title", "meeting_date", "page",
                   "paragraph", "url", "document", "source")


def citation_json(c: Citation) -> dict[str, Any]:
    return {"document": c.document, "source": c.source, "page": c.page, "paragraph": c.paragraph,
            "quote": c.quote, "passage": c.passage, "heading": c.heading, "title": c.title,
            "meeting_date": c.meeting_date, "url": c.url, "link": published_link(c.url or c.source, c.page)}


def table_json(t: Table) -> dict[str, Any]:
    """{"rows", "columns", "cells": [{"row", "column", "state", "citations", ...}], "empty": [...]}."""
    cells = []
    for c in t.cells:
        out: dict[str, Any] = {"row": c.row, "column": c.column, "state": c.state,
                               "citations": [citation_json(x) for x in c.citations], "items": list(c.items)}
        if c.values:
            out["values"] = list(c.values)
            out["unit"] = t.units.get(c.column)
        cells.append(out)
    filled = {(c.row, c.column) for c in t.cells}
    return {"cols": t.cols, "rows": list(t.rows), "columns": list(t.columns), "labels": dict(t.labels),
            "cells": cells, "papers": dict(t.papers),
            "empty": [{"row": r, "column": col, "state": t.empty_reason(r), "reason": t.empty_reason(r)}
                      for r in t.rows for col in t.columns if (r, col) not in filled],
            "from": t.date_from, "to": t.date_to}


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
    where = ", ".join(x for x in (c.meeting_date or "", f"p. {c.page}" if c.page else "",
                                  f"para {c.paragraph}" if c.paragraph else "") if x)
    name = c.title or Path(c.source).name
    return f"{name}{' (' + where + ')' if where else ''}: \u201c{c.quote}\u201d"


def _grid(t: Table) -> list[list[str]]:
    index = {(c.row, c.column): c for c in t.cells}
    head = ["council"] + [t.labels.get(c, c) for c in t.columns]
    return [head] + [[r] + [cell_text(t, r, col, index.get((r, col))) for col in t.columns] for r in t.rows]


def tidy_rows(t: Table) -> list[list[Any]]:
    """One row per council x column (TIDY_HEADER): its state and, when filled, its first citation."""
    index = {(c.row, c.column): c for c in t.cells}
    out: list[list[Any]] = []
    for r in t.rows:
        for col in t.columns:
            cell = index.get((r, col))
            label = t.labels.get(col, col)
            if cell is None:
                out.append([r, col, label, t.empty_reason(r), "", "", "", "", "", "", "", "", 0])
                continue
            x = cell.citations[0]
            out.append([r, col, label, cell.state, cell_text(t, r, col, cell) if cell.state == "priority" else "",
                        x.quote, x.title or "", x.meeting_date or "", x.page or "", x.paragraph or "",
                        published_link(x.url or x.source, x.page) or "", x.document, len(cell.citations)])
    return out


def citation_rows(t: Table) -> list[list[Any]]:
    return [[c.row, c.column, t.labels.get(c.column, c.column), c.state, x.quote, x.title or "", x.meeting_date or "",
             x.page or "", x.paragraph or "", published_link(x.url or x.source, x.page) or "", x.document, x.source]
            for c in t.cells for x in c.citations]


def to_csv(t: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(TIDY_HEADER)
    w.writerows(tidy_rows(t))
    return buf.getvalue()


def to_wide_csv(t: Table) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(_grid(t))
    return buf.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def md_escape(s: str) -> str:
    """Text as literal Markdown: every character with a Markdown meaning backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(s).split()))


def to_markdown(t: Table) -> str:
    grid = _grid(t)
    lines = ["| " + " | ".join(md_escape(x) for x in grid[0]) + " |", "|" + "---|" * len(grid[0])]
    lines += ["| " + " | ".join(md_escape(x) for x in row) + " |" for row in grid[1:]]
    notes = []
    for c in t.cells:
        for x in c.citations:
            link = published_link(x.url or x.source, x.page)
            text = md_escape(cite_text(x))
            notes.append(f"- **{md_escape(c.row)} / {md_escape(t.labels.get(c.column, c.column))}** "
                         f"({c.state}): " + (f"[{text}](<{link.replace('>', '%3E')}>)" if link else text))
    return "\n".join(lines + ([""] + ["Citations:", ""] + notes if notes else [])) + "\n"


def to_text(t: Table) -> str:
    """A plain table for the terminal, citations listed below."""
    grid = _grid(t)
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    lines = ["  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip() for row in grid]
    lines.insert(1, "  ".join("-" * w for w in widths))
    cites = [f"[{c.row} / {c.column}: {c.state}] {cite_text(x)}" for c in t.cells for x in c.citations[:1]]
    return "\n".join(lines + ([""] + cites if cites else [])) + "\n"


def to_html(t: Table) -> str:
    """A standalone page: the table with each cell's state, cited cells linking to the published paper."""
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
            first = cell.citations[0]
            title = e(" | ".join(cite_text(x) for x in cell.citations), quote=True)
            link = published_link(first.url or first.source, first.page)
            inner = f"<a href=\"{e(link, quote=True)}\">{text}</a>" if link else text
            tds.append(f"<td class='{e(cell.state)}' data-state='{e(cell.state)}' title=\"{title}\">{inner}</td>")
        body.append(f"<tr><th scope='row'>{e(r)}</th>{''.join(tds)}</tr>")
    notes = []
    for c in t.cells:
        for x in c.citations:
            link = published_link(x.url or x.source, x.page)
            inner = f"<a href=\"{e(link, quote=True)}\">{e(cite_text(x))}</a>" if link else e(cite_text(x))
            notes.append(f"<li><b>{e(c.row)} / {e(t.labels.get(c.column, c.column))}</b> ({e(c.state)}): {inner}</li>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>councilpapers: councils by "
            f"{e(t.cols)}</title><style>td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}"
            "td.empty{color:#888;font-style:italic}td.discussed{background:#f4f4f4}"
            "table{border-collapse:collapse}</style></head><body>"
            f"<table><thead><tr><th>council</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<h2>Citations</h2><ol>{''.join(notes)}</ol></body></html>\n")


XLSX_MAX_WIDTH = 60  # characters: wider text wraps


def to_xlsx(t: Table) -> bytes:
    """Sheet 'table' (the wide table; citations as comments, filled cells linked to the published paper)
    and sheet 'citations' (one row per citation), both with a bold frozen header, widths, wrapping and
    an autofilter."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "table"
    for row in _grid(t):
        ws.append([_safe(x) for x in row])
    index = {(c.row, c.column): c for c in t.cells}
    for i, r in enumerate(t.rows, start=2):
        for j, col in enumerate(t.columns, start=2):
            cell = index.get((r, col))
            xl = ws.cell(i, j)
            if cell is None or cell.state != "priority":
                xl.font = Font(italic=True, color="666666")
            if cell is None:
                continue
            xl.comment = Comment(_safe("\n".join(cite_text(x) for x in cell.citations))[:30000], "councilpapers")
            link = published_link(cell.citations[0].url or cell.citations[0].source, cell.citations[0].page)
            if link:
                xl.hyperlink = link
    cs = wb.create_sheet("citations")
    cs.append(list(CITATION_HEADER))
    url_col = CITATION_HEADER.index("url") + 1
    for row in citation_rows(t):
        cs.append([_safe(v) for v in row])
        if row[url_col - 1]:
            cs.cell(cs.max_row, url_col).hyperlink = row[url_col - 1]
    for sheet in (ws, cs):
        _format(sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _format(sheet: Any) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for col in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(col[0].column)].width = min(max(longest + 2, 10), XLSX_MAX_WIDTH)
        for c in col[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")


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
    text = {"table": to_text, "csv": to_csv, "csv-wide": to_wide_csv, "md": to_markdown, "html": to_html,
            "json": lambda x: json.dumps(table_json(x), ensure_ascii=False, indent=2) + "\n"}.get(fmt)
    if text is None:
        raise ValueError(f"format {fmt!r}: must be one of {', '.join(FORMATS)}")
    return text(t).encode("utf-8")

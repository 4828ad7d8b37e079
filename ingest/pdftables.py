"""Ruled tables on a PDF page: pdfplumber's table finder fed with the lines pdfium draws.

`pdfplumber.Page.find_tables()` would have pdfminer re-read every character of the page;
the finder itself only needs the ruling lines, which pdfium hands over much faster. Cell
text is filled in by the caller from pdfium's characters (see ingest.pdf).
"""

from __future__ import annotations

import ctypes
import re
from types import SimpleNamespace

from ingest.model import Block


def may_have_table(page) -> bool:  # noqa: ANN001 - a pypdfium2.PdfPage
    """Cheap test before calling pdfplumber: a ruled table needs several drawn paths."""
    import pypdfium2.raw as raw

    paths = 0
    for j in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, j)) == raw.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= 4:
                return True
    return False


def table_grids(page, top_of_page: float) -> list[list[list[tuple | None]]]:  # noqa: ANN001
    """The page's ruled tables as rows of cell boxes (x0, top, x1, bottom).

    pdfplumber's table finder run on the page's ruling lines as pdfium reads them: the same
    algorithm as `pdfplumber.Page.find_tables()` without pdfminer re-reading the whole page.
    """
    from pdfplumber.table import TableFinder

    edges = _page_edges(page, top_of_page)
    if sum(e["orientation"] == "h" for e in edges) < 2 or sum(e["orientation"] == "v" for e in edges) < 2:
        return []
    width, height = page.get_size()
    finder = TableFinder(SimpleNamespace(edges=edges, bbox=(0, 0, width, height)), {})  # type: ignore[arg-type]
    tables = []
    for t in finder.tables:
        rows = [list(r.cells) for r in t.rows]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:  # one-row boxes are form fields
            tables.append(rows)
    return tables


def _page_edges(page, top_of_page: float) -> list[dict]:  # noqa: ANN001 - a pypdfium2.PdfPage
    """Horizontal and vertical line segments drawn on the page, as pdfplumber edges."""
    import pypdfium2.raw as raw

    edges: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()

    def walk(obj, outer: tuple) -> None:  # noqa: ANN001
        m = raw.FS_MATRIX()
        raw.FPDFPageObj_GetMatrix(obj, m)
        mat = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                walk(raw.FPDFFormObj_GetObject(obj, j), mat)
            return
        if kind != raw.FPDF_PAGEOBJ_PATH:
            return
        start = prev = None
        for j in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, j)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            a, b, c, d, e, f = mat
            pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if prev is not None:
                _add_edge(edges, prev, pt, top_of_page)
            prev = pt
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(edges, pt, start, top_of_page)

    for j in range(raw.FPDFPage_CountObjects(page.raw)):
        walk(raw.FPDFPage_GetObject(page.raw, j), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return edges


def _compose(m: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add_edge(edges: list[dict], p: tuple, q: tuple, top_of_page: float) -> None:
    x0, x1 = sorted((p[0], q[0]))
    top, bottom = sorted((top_of_page - p[1], top_of_page - q[1]))
    if bottom - top < 1 and x1 - x0 >= 1:
        orientation = "h"
    elif x1 - x0 < 1 and bottom - top >= 1:
        orientation = "v"
    else:
        return  # a point or a slanted stroke: not a ruling line
    edges.append(
        {
            "object_type": "line",
            "orientation": orientation,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "doctop": top,
        }
    )


def table_bounds(rows: list) -> tuple[float, float, float, float]:
    boxes = [c for r in rows for c in r if c]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def inside(bounds: list, x: float, y: float) -> int:
    for k, (x0, top, x1, bottom) in enumerate(bounds):
        if x0 <= x <= x1 and top <= y <= bottom:
            return k
    return -1


def cell_at(cells: list, k: int, x: float, y: float) -> tuple[int, int, int] | None:
    for ti, ri, ci, (x0, top, x1, bottom) in cells:
        if ti == k and x0 <= x <= x1 and top <= y <= bottom:
            return ti, ri, ci
    return None


def table_block(rows: list, k: int, cell_text: dict, page: int) -> Block | None:
    """Rows of cell text; empty rows and columns dropped; a one-cell 'table' is just a box."""
    out = []
    for ri, row in enumerate(rows):
        cells = tuple(clean_text("".join(cell_text.get((k, ri, ci), []))) for ci in range(len(row)))
        if any(cells):
            out.append(cells)
    if not out:
        return None
    width = max(len(r) for r in out)
    keep = [c for c in range(width) if any(c < len(r) and r[c] for r in out)]
    norm = tuple(tuple(r[c] if c < len(r) else "" for c in keep) for r in out)
    if len(keep) < 2 and len(norm) < 2:
        return Block("paragraph", " ".join(" ".join(r) for r in norm), page=page)
    return Block("table", "", page=page, rows=norm)


def clean_text(text: str) -> str:
    text = text.replace("\x02", "").replace("\u00ad", "").replace("\u00a0", " ").replace("\ufffe", "")
    return re.sub(r"\s+", " ", text).strip()

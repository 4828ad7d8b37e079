"""Exports of a comparison table open in their tools: CSV parses, XLSX loads, HTML escapes, JSON keeps shape."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from index.compare import Cell, Citation, Table
from index.export import FORMATS, render, source_link, table_json

NASTY = 'Op "Fire, Walk" <script>alert(1)</script>'


def _table() -> Table:
    c1 = Citation("d1", "https://example.gov.uk/papers/report.pdf", 4, "2.5", f"The council ran {NASTY} in 2022.", 7,
                  "Report", "2022-10-20", "Operations")
    c2 = Citation("d2", "corpus/paper.txt", None, None, "=HYPERLINK(\"x\") is not a formula", 3)
    cells = (Cell("Test Valley Borough Council", "asb", (NASTY,), (c1,)),
             Cell("Herefordshire Council", "asb", ("Anti-social behaviour",), (c2,)))
    return Table("theme", ("Test Valley Borough Council", "Herefordshire Council", "Hampshire County Council"),
                 ("asb", "vawg"), {"asb": "Anti-social behaviour", "vawg": "Violence against women and girls"},
                 cells, {"Test Valley Borough Council": 1, "Herefordshire Council": 2, "Hampshire County Council": 0})


def test_json_has_the_issue_shape_and_says_why_cells_are_empty() -> None:
    data = json.loads(render(_table(), "json"))
    assert data["rows"][0] == "Test Valley Borough Council" and data["columns"] == ["asb", "vawg"]
    cell = data["cells"][0]
    assert (cell["row"], cell["column"]) == ("Test Valley Borough Council", "asb")
    assert set(cell["citations"][0]) >= {"document", "source", "page", "paragraph", "quote"}
    assert cell["citations"][0]["page"] == 4 and cell["citations"][0]["link"].endswith("report.pdf#page=4")
    assert len(data["cells"]) == 2  # only filled cells
    empty = {(e["row"], e["column"]): e["reason"] for e in data["empty"]}
    assert empty[("Herefordshire Council", "vawg")] == "silent"
    assert empty[("Hampshire County Council", "asb")] == "no papers in range"


def test_csv_parses_with_quotes_commas_and_citations() -> None:
    rows = list(csv.reader(io.StringIO(render(_table(), "csv").decode())))
    assert rows[0] == ["council", "Anti-social behaviour", "Violence against women and girls"]
    assert rows[1] == ["Test Valley Borough Council", NASTY, "silent"]
    assert rows[3] == ["Hampshire County Council", "no papers in range", "no papers in range"]
    cites = rows[rows.index([]) + 2:]
    assert cites[0][:5] == ["Test Valley Borough Council", "asb", "d1", "https://example.gov.uk/papers/report.pdf", "4"]
    assert NASTY in cites[0][6]


def test_xlsx_loads_with_comments_links_and_a_citations_sheet(tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    path.write_bytes(render(_table(), "xlsx"))
    wb = load_workbook(path)
    ws, cs = wb["table"], wb["citations"]
    assert ws["A2"].value == "Test Valley Borough Council" and ws["B2"].value == NASTY
    assert "report.pdf (p. 4, para 2.5)" in ws["B2"].comment.text
    assert ws["B2"].hyperlink.target == "https://example.gov.uk/papers/report.pdf#page=4"
    assert ws["C3"].value == "silent" and ws["B4"].value == "no papers in range"
    assert cs["G3"].value.startswith("'=HYPERLINK")  # quoted, never run as a formula
    assert cs["H2"].hyperlink.target.endswith("#page=4")


def test_html_renders_with_everything_escaped() -> None:
    page = render(_table(), "html").decode()
    assert "<script>" not in page and "&lt;script&gt;" in page

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tds: list[str] = []
            self.links: list[str] = []
            self.scripts = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.scripts += tag == "script"
            if tag == "a":
                self.links.append(dict(attrs)["href"])

        def handle_data(self, data: str) -> None:
            self.tds.append(data)

    p = Cells()
    p.feed(page)
    assert p.scripts == 0 and NASTY in p.tds and "no papers in range" in p.tds
    assert "https://example.gov.uk/papers/report.pdf#page=4" in p.links


def test_markdown_and_text_show_cells_and_citations() -> None:
    md = render(_table(), "md").decode()
    assert "| Hampshire County Council | no papers in range | no papers in range |" in md
    assert "\\|" not in md.splitlines()[0] and "“The council ran" in md
    text = render(_table(), "table").decode()
    assert text.splitlines()[0].startswith("council") and "silent" in text


def test_every_format_renders_and_unknown_ones_are_refused() -> None:
    assert all(render(_table(), f) for f in FORMATS)
    with pytest.raises(ValueError, match="format 'pdf'"):
        render(_table(), "pdf")
    assert table_json(_table())["cols"] == "theme"
    assert source_link("corpus/a.txt", 3).startswith("file:///") and "#page" not in source_link("corpus/a.txt", 3)

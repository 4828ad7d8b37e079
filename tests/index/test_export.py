"""Exports of a comparison table open in their tools: pandas reads the tidy CSV, openpyxl finds the XLSX
formatting and links, Markdown and HTML escape, JSON keeps shape, nothing is cut."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from index.compare import Cell, Citation, Table
from index.export import FORMATS, TIDY_HEADER, render, table_json
from index.links import citation_link, published_link

NASTY = 'Op "Fire, Walk" <script>alert(1)</script> *bold* [x](y) _u_ | pipe'
LONG = "The partnership will " + "keep working with schools and youth services " * 8 + "to the end."


def _table() -> Table:
    c1 = Citation("d1", "/srv/store/papers/report.pdf", 4, "2.5", f"The council ran {NASTY} in 2022.", 7,
                  "Report to Cabinet", "2022-10-20", "Operations", "https://example.gov.uk/papers/report.pdf")
    c2 = Citation("d2", "corpus/paper.txt", None, None, "=HYPERLINK(\"x\") is not a formula", 3, "Minutes",
                  "2021-05-01")
    c3 = Citation("d2", "corpus/paper.txt", 2, "4", LONG, 5, "Minutes", "2021-05-01")
    cells = (Cell("Test Valley Borough Council", "asb", (NASTY,), (c1,)),
             Cell("Herefordshire Council", "asb", ("Anti-social behaviour", LONG), (c2,)),
             Cell("Herefordshire Council", "vawg", (), (c3,), state="discussed"))
    return Table("theme", ("Test Valley Borough Council", "Herefordshire Council", "Hampshire County Council"),
                 ("asb", "vawg"), {"asb": "Anti-social behaviour", "vawg": "Violence against women and girls"},
                 cells, {"Test Valley Borough Council": 1, "Herefordshire Council": 2, "Hampshire County Council": 0})


def test_json_has_the_shape_and_a_state_for_every_cell() -> None:
    data = json.loads(render(_table(), "json"))
    assert data["rows"][0] == "Test Valley Borough Council" and data["columns"] == ["asb", "vawg"]
    cell = data["cells"][0]
    assert (cell["row"], cell["column"], cell["state"]) == ("Test Valley Borough Council", "asb", "priority")
    assert set(cell["citations"][0]) >= {"document", "source", "page", "paragraph", "quote", "title", "meeting_date"}
    assert cell["citations"][0]["link"] == "https://example.gov.uk/papers/report.pdf#page=4"
    assert data["cells"][2]["state"] == "discussed"
    empty = {(e["row"], e["column"]): e["state"] for e in data["empty"]}
    assert empty[("Test Valley Borough Council", "vawg")] == "silent"
    assert empty[("Hampshire County Council", "asb")] == "no papers in range"


def test_pandas_reads_the_tidy_csv_one_row_per_council_and_column() -> None:
    import pandas as pd

    df = pd.read_csv(io.BytesIO(render(_table(), "csv")), keep_default_na=False)
    assert list(df.columns) == list(TIDY_HEADER)
    assert df.shape == (3 * 2, len(TIDY_HEADER))
    by = df.set_index(["council", "column"])
    tv = by.loc[("Test Valley Borough Council", "asb")]
    assert tv["state"] == "priority" and tv["items"] == NASTY and NASTY in tv["quote"]
    assert tv["paper_title"] == "Report to Cabinet" and tv["meeting_date"] == "2022-10-20"
    assert str(tv["page"]) == "4" and str(tv["paragraph"]) == "2.5"
    assert tv["url"] == "https://example.gov.uk/papers/report.pdf#page=4"
    assert by.loc[("Herefordshire Council", "vawg")]["state"] == "discussed"
    assert by.loc[("Herefordshire Council", "vawg")]["quote"] == LONG  # never cut
    assert by.loc[("Herefordshire Council", "asb")]["url"] == ""  # no published address: no link at all
    assert by.loc[("Hampshire County Council", "asb")]["state"] == "no papers in range"
    assert set(df["state"]) == {"priority", "discussed", "silent", "no papers in range"}


def test_the_wide_csv_is_one_table_with_full_text() -> None:
    rows = list(csv.reader(io.StringIO(render(_table(), "csv-wide").decode())))
    assert rows[0] == ["council", "Anti-social behaviour", "Violence against women and girls"]
    assert rows[1] == ["Test Valley Borough Council", NASTY, "silent"]
    assert rows[2] == ["Herefordshire Council", f"Anti-social behaviour; {LONG.strip()}", "discussed"]
    assert rows[3] == ["Hampshire County Council", "no papers in range", "no papers in range"]
    assert len(rows) == 4 and "\u2026" not in render(_table(), "csv-wide").decode()


def test_xlsx_has_a_formatted_table_and_citations_with_working_links(tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    path.write_bytes(render(_table(), "xlsx"))
    wb = load_workbook(path)
    ws, cs = wb["table"], wb["citations"]
    for sheet in (ws, cs):
        assert all(c.font.bold for c in sheet[1] if c.value)
        assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == sheet.dimensions
        assert all(sheet.column_dimensions[c].width >= 10 for c in "AB")
        assert sheet.cell(2, 2).alignment.wrap_text
    assert ws["A2"].value == "Test Valley Borough Council" and ws["B2"].value == NASTY
    assert "Report to Cabinet (2022-10-20, p. 4, para 2.5)" in ws["B2"].comment.text
    assert ws["B2"].hyperlink.target == "https://example.gov.uk/papers/report.pdf#page=4"
    assert ws["B3"].hyperlink is None  # a paper with no published address is not linked (never file://)
    assert ws["C3"].value == "discussed" and ws["C2"].value == "silent" and ws["B4"].value == "no papers in range"
    head = [c.value for c in cs[1]]
    quote, url = head.index("quote") + 1, head.index("url") + 1
    assert cs.cell(3, quote).value.startswith("'=HYPERLINK")  # quoted, never run as a formula
    assert cs.cell(4, quote).value == LONG
    assert cs.cell(2, url).hyperlink.target == "https://example.gov.uk/papers/report.pdf#page=4"
    links = [c.hyperlink.target for s in (ws, cs) for row in s.iter_rows() for c in row if c.hyperlink]
    assert links and all(x.startswith("https://") for x in links)


def test_html_renders_with_everything_escaped_and_states_shown() -> None:
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
    assert p.scripts == 0 and NASTY in p.tds and "no papers in range" in p.tds and "discussed" in p.tds
    assert p.links and all(x.startswith("https://example.gov.uk/") for x in p.links)


def test_markdown_escapes_what_papers_say_and_text_shows_states() -> None:
    md = render(_table(), "md").decode()
    assert "| Hampshire County Council | no papers in range | no papers in range |" in md
    row = next(line for line in md.splitlines() if line.startswith("| Test Valley"))
    assert r"\*bold\*" in row and r"\[x\]\(y\)" in row and r"\_u\_" in row and r"\| pipe" in row
    assert "<script>" not in md and r"\<script\>" in md
    assert "(discussed)" in md and "](<https://example.gov.uk/papers/report.pdf#page=4>)" in md
    text = render(_table(), "table").decode()
    assert text.splitlines()[0].startswith("council") and "silent" in text and LONG.strip() in text


def test_every_format_renders_and_unknown_ones_are_refused() -> None:
    assert all(render(_table(), f) for f in FORMATS)
    with pytest.raises(ValueError, match="format 'pdf'"):
        render(_table(), "pdf")
    assert table_json(_table())["cols"] == "theme"
    assert published_link("corpus/a.txt", 3) is None and published_link("/srv/a.pdf") is None
    assert published_link("https://x.gov.uk/a.pdf", 3) == "https://x.gov.uk/a.pdf#page=3"


def test_a_citation_links_to_the_published_copy_else_the_public_site_else_nowhere() -> None:
    published = citation_link("https://papers.example.org/", "d1", url="https://x.gov.uk/a.pdf", page=2, passage=7)
    assert published == "https://x.gov.uk/a.pdf#page=2"
    assert citation_link("https://papers.example.org/", "d1", passage=7) == "https://papers.example.org/app/papers/d1#p7"
    assert citation_link("", "d1", url="/srv/store/a.pdf", passage=7) is None
    assert citation_link("file:///srv", "d1", passage=7) is None

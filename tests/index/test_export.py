"""Exports of a comparison table open in their tools and read as a person would: headers in words, labels,
whole quotes, a link on every cited row; pandas reads the tidy CSV, openpyxl finds the XLSX formatting and
hyperlinks, Markdown and HTML escape, JSON keeps shape, nothing is cut, and no cell can start a formula."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser

import pytest

from index.compare import Cell, Citation, Table
from index.export import FORMATS, neutral, render, search_csv, search_rows, table_json, tidy_header
from index.links import citation_link, published_link

NASTY = 'Op "Fire, Walk" <script>alert(1)</script> *bold* [x](y) _u_ | pipe'
LONG = "The partnership will " + "keep working with schools and youth services " * 8 + "to the end."
PUBLIC = "https://papers.example.org"
HEADER = [
    "Council",
    "Theme",
    "State",
    "Stated priorities",
    "Quote",
    "Paper",
    "Meeting date",
    "Page",
    "Paragraph",
    "Link",
]


def _table() -> Table:
    c1 = Citation(
        "d1",
        "/srv/store/papers/report.pdf",
        4,
        "2.5",
        f"The council ran {NASTY} in 2022.",
        7,
        "Report to Cabinet",
        "2022-10-20",
        "Operations",
        "https://example.gov.uk/papers/report.pdf",
    )
    c2 = Citation(
        "d2", "corpus/paper.txt", None, None, '=HYPERLINK("x") is not a formula', 3, "Minutes", "2021-05-01"
    )
    c3 = Citation("d2", "corpus/paper.txt", 2, "4", LONG, 5, "Minutes", "2021-05-01", cut_after=True)
    cells = (
        Cell("Test Valley Borough Council", "asb", (NASTY,), (c1,)),
        Cell("Herefordshire Council", "asb", ("Anti-social behaviour", LONG), (c2,)),
        Cell("Herefordshire Council", "vawg", (), (c3,), state="discussed"),
    )
    return Table(
        "theme",
        ("Test Valley Borough Council", "Herefordshire Council", "Hampshire County Council"),
        ("asb", "vawg"),
        {"asb": "Anti-social behaviour", "vawg": "Violence against women and girls"},
        cells,
        {"Test Valley Borough Council": 1, "Herefordshire Council": 2, "Hampshire County Council": 0},
    )


def test_json_has_the_shape_and_a_state_for_every_cell() -> None:
    data = json.loads(render(_table(), "json", PUBLIC))
    assert data["rows"][0] == "Test Valley Borough Council" and data["columns"] == ["asb", "vawg"]
    cell = data["cells"][0]
    assert (cell["row"], cell["column"], cell["state"]) == ("Test Valley Borough Council", "asb", "priority")
    assert set(cell["citations"][0]) >= {
        "document",
        "source",
        "page",
        "paragraph",
        "quote",
        "title",
        "meeting_date",
    }
    assert cell["citations"][0]["link"] == "https://example.gov.uk/papers/report.pdf#page=4"
    assert data["cells"][1]["citations"][0]["link"] == f"{PUBLIC}/app/papers/d2#p3"  # this instance's copy
    assert data["cells"][2]["state"] == "discussed"
    assert data["cells"][2]["citations"][0]["quote_shown"] == LONG + "\u2026"
    empty = {(e["row"], e["column"]): e["state"] for e in data["empty"]}
    assert empty[("Test Valley Borough Council", "vawg")] == "silent"
    assert empty[("Hampshire County Council", "asb")] == "no papers in range"


def test_pandas_reads_the_tidy_csv_with_headers_in_words_and_a_link_on_every_cited_row() -> None:
    import pandas as pd

    df = pd.read_csv(io.BytesIO(render(_table(), "csv", PUBLIC)), keep_default_na=False)
    assert list(df.columns) == HEADER == list(tidy_header(_table()))
    assert df.shape == (3 * 2, len(HEADER))
    by = df.set_index(["Council", "Theme"])  # labels, never ids
    tv = by.loc[("Test Valley Borough Council", "Anti-social behaviour")]
    assert tv["State"] == "priority" and tv["Stated priorities"] == NASTY and NASTY in tv["Quote"]
    assert tv["Paper"] == "Report to Cabinet" and tv["Meeting date"] == "2022-10-20"
    assert str(tv["Page"]) == "4" and str(tv["Paragraph"]) == "2.5"
    assert tv["Link"] == "https://example.gov.uk/papers/report.pdf#page=4"
    discussed = by.loc[("Herefordshire Council", "Violence against women and girls")]
    assert (
        discussed["State"] == "discussed" and discussed["Quote"] == LONG + "\u2026"
    )  # cut: an ellipsis says so
    assert by.loc[("Herefordshire Council", "Anti-social behaviour")]["Link"] == f"{PUBLIC}/app/papers/d2#p3"
    assert by.loc[("Hampshire County Council", "Anti-social behaviour")]["State"] == "no papers in range"
    assert set(df["State"]) == {"priority", "discussed", "silent", "no papers in range"}
    cited = df[df["Quote"] != ""]
    assert len(cited) == 3 and all(cited["Link"].str.startswith("https://"))
    text = render(_table(), "csv", PUBLIC).decode()
    assert "/srv/" not in text and "corpus/" not in text and ",d1," not in text and ",asb," not in text


def test_without_a_public_url_only_published_papers_are_linked() -> None:
    import pandas as pd

    df = pd.read_csv(io.BytesIO(render(_table(), "csv")), keep_default_na=False).set_index(
        ["Council", "Theme"]
    )
    assert df.loc[("Herefordshire Council", "Anti-social behaviour")]["Link"] == ""  # never a server path
    assert df.loc[("Test Valley Borough Council", "Anti-social behaviour")]["Link"].startswith(
        "https://example"
    )


def test_the_wide_csv_is_one_table_with_full_text() -> None:
    rows = list(csv.reader(io.StringIO(render(_table(), "csv-wide").decode())))
    assert rows[0] == ["Council", "Anti-social behaviour", "Violence against women and girls"]
    assert rows[1] == ["Test Valley Borough Council", NASTY, "silent"]
    assert rows[2] == ["Herefordshire Council", f"Anti-social behaviour; {LONG.strip()}", "discussed"]
    assert rows[3] == ["Hampshire County Council", "no papers in range", "no papers in range"]
    assert len(rows) == 4


def test_xlsx_has_a_formatted_table_and_citations_with_hyperlinks(tmp_path) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    path.write_bytes(render(_table(), "xlsx", PUBLIC))
    wb = load_workbook(path)
    ws, cs = wb["table"], wb["citations"]
    for sheet in (ws, cs):
        assert all(c.font.bold for c in sheet[1] if c.value)
        assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == sheet.dimensions
        assert all(sheet.column_dimensions[c].width >= 10 for c in "AB")
        assert sheet.cell(2, 2).alignment.wrap_text
    assert ws["A1"].value == "Council" and ws["B1"].value == "Anti-social behaviour"
    assert ws["A2"].value == "Test Valley Borough Council" and ws["B2"].value == NASTY
    assert "Report to Cabinet (2022-10-20, p. 4, para 2.5)" in ws["B2"].comment.text
    assert ws["B2"].hyperlink.target == "https://example.gov.uk/papers/report.pdf#page=4"
    assert ws["B3"].hyperlink.target == f"{PUBLIC}/app/papers/d2#p3"  # every filled cell links
    assert (
        ws["C3"].value == "discussed"
        and ws["C2"].value == "silent"
        and ws["B4"].value == "no papers in range"
    )
    head = [c.value for c in cs[1]]
    assert head == [
        "Council",
        "Theme",
        "State",
        "Quote",
        "Paper",
        "Meeting date",
        "Page",
        "Paragraph",
        "Link",
    ]
    quote, link = head.index("Quote") + 1, head.index("Link") + 1
    formula = cs.cell(3, quote)
    assert formula.value.startswith("=HYPERLINK") and formula.data_type == "s" and formula.quotePrefix
    assert cs.cell(4, quote).value == LONG + "\u2026"
    assert [cs.cell(r, link).hyperlink.target for r in range(2, cs.max_row + 1)] == [
        "https://example.gov.uk/papers/report.pdf#page=4",
        f"{PUBLIC}/app/papers/d2#p3",
        f"{PUBLIC}/app/papers/d2#p5",
    ]


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
    text = render(_table(), "table", PUBLIC).decode()
    assert text.splitlines()[0].startswith("Council") and "silent" in text and LONG.strip() in text
    assert f"{PUBLIC}/app/papers/d2#p3" in text


def test_every_format_renders_and_unknown_ones_are_refused() -> None:
    assert all(render(_table(), f) for f in FORMATS)
    with pytest.raises(ValueError, match="format 'pdf'"):
        render(_table(), "pdf")
    assert table_json(_table())["cols"] == "theme"
    assert published_link("corpus/a.txt", 3) is None and published_link("/srv/a.pdf") is None
    assert published_link("https://x.gov.uk/a.pdf", 3) == "https://x.gov.uk/a.pdf#page=3"


def test_a_citation_links_to_the_published_copy_else_the_public_site_else_nowhere() -> None:
    published = citation_link(
        "https://papers.example.org/", "d1", url="https://x.gov.uk/a.pdf", page=2, passage=7
    )
    assert published == "https://x.gov.uk/a.pdf#page=2"
    assert (
        citation_link("https://papers.example.org/", "d1", passage=7)
        == "https://papers.example.org/app/papers/d1#p7"
    )
    assert citation_link("", "d1", url="/srv/store/a.pdf", passage=7) is None
    assert citation_link("file:///srv", "d1", passage=7) is None


# ---- formulas: no exported cell can start one (issue 30, item 2) -------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/","click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "@SUM(1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "- Domestic Abuse",
]
NUMBERS = ["-12", "+3.5%", "-£1,200", "12"]


def _hostile_table() -> Table:
    """A table whose every text comes from hostile manifest fields and quotes."""
    cells, columns, labels = [], [], {}
    for n, bad in enumerate(HOSTILE):
        col = f"c{n}"
        columns.append(col)
        labels[col] = bad
        cite = Citation(f"d{n}", bad, n + 1, bad, bad, n, bad, bad, bad, None)
        cells.append(Cell(bad, col, (bad,), (cite,)))
    rows = tuple(dict.fromkeys(HOSTILE))
    return Table("theme", rows, tuple(columns), labels, tuple(cells), dict.fromkeys(rows, 1))


def _formula_start(v: object) -> bool:
    return isinstance(v, str) and v.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("fmt", ["csv", "csv-wide"])
def test_no_csv_cell_starts_a_formula(fmt: str) -> None:
    cells = [
        v
        for row in csv.reader(io.StringIO(render(_hostile_table(), fmt, PUBLIC).decode(), newline=""))
        for v in row
    ]
    assert cells and not [v for v in cells if _formula_start(v)]
    assert '\'=HYPERLINK("http://evil.example/","click")' in cells and "'@SUM(1)" in cells
    assert all(neutral(x) == x for x in NUMBERS)  # numbers stay numbers
    assert (
        neutral("- Domestic Abuse") == "'- Domestic Abuse" and neutral("Domestic Abuse") == "Domestic Abuse"
    )


def test_no_xlsx_cell_is_a_formula_and_none_shows_an_apostrophe(tmp_path) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    data = render(_hostile_table(), "xlsx", PUBLIC)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)  # no formula element anywhere
    path = tmp_path / "h.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    seen = 0
    for sheet in wb:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith("'"), c.value  # written as text, not with an apostrophe
                    if _formula_start(c.value):
                        assert c.quotePrefix, (sheet.title, c.coordinate, c.value)
                        seen += 1
    assert seen > 20
    assert wb["table"]["A1"].value == "Council" and any(
        c.value == "- Domestic Abuse" for row in wb["citations"].iter_rows() for c in row
    )  # reads as written


def test_search_results_export_with_words_for_headers_whole_quotes_and_links() -> None:
    text = (
        "Burglary fell by 12% in 2023/24. "
        + "The partnership ran patrols in the town centre every weekend. " * 9
    )
    results = [
        {
            "document": "d1",
            "source": "/srv/papers/a.pdf",
            "title": "CSP annual report",
            "council": "Rushmoor",
            "committee": "=Overview",
            "meeting_date": "2024-06-12",
            "passage": 4,
            "page": 2,
            "paragraph": "2.1",
            "heading_path": ["Performance"],
            "text": text,
            "snippet_text": "\u2026patrols in the town",
            "matches": [[1, 8]],
        },
        {
            "document": "d2",
            "source": "/srv/papers/b.txt",
            "title": None,
            "council": None,
            "committee": None,
            "meeting_date": None,
            "passage": 0,
            "page": None,
            "paragraph": None,
            "heading_path": [],
            "text": "- Domestic Abuse remains a priority.",
            "snippet_text": "",
            "matches": [],
        },
    ]
    rows = search_rows(results, {"d1": "https://rushmoor.example.gov.uk/a.pdf"}, PUBLIC, query="patrols")
    out = list(csv.reader(io.StringIO(search_csv(rows, with_query=True))))
    assert out[0] == [
        "Query",
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
    ]
    first, second = out[1], out[2]
    assert first[3] == "'=Overview" and first[5] == "CSP annual report"
    assert first[9] == "The partnership ran patrols in the town centre every weekend."  # the whole sentence
    assert first[10] == "https://rushmoor.example.gov.uk/a.pdf#page=2"
    assert second[5] == "b.txt" and second[9] == "Domestic Abuse remains a priority."
    assert second[10] == f"{PUBLIC}/app/papers/d2#p0"
    assert "/srv/" not in search_csv(rows, with_query=True)

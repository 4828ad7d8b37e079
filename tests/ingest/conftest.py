"""Shared fixtures for ingest tests: small PDFs made in the test with fpdf2 (the `test` extra).

Each page is laid out line by line at fixed positions, so a test knows exactly which
line breaks, running headers and footers the reader will see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

# (text, font size, bold) for one printed line of body text; None leaves a paragraph gap
BodyLine = tuple[str, float, bool] | None


def make_pdf(
    pages: Sequence[Sequence[BodyLine]],
    header: str = "",
    footer: str = "",
    marking: str = "",
    page_numbers: bool = True,
) -> bytes:
    """An A4 PDF: per page the given body lines, with a running header, marking and footer."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    n = len(pages)
    for i, lines in enumerate(pages, start=1):
        pdf.add_page()
        if marking:
            pdf.set_font("Helvetica", "B", 10)
            pdf.text(270, 30, marking)
        if header:
            pdf.set_font("Helvetica", "", 9)
            pdf.text(60, 48, header)
        y = 110.0
        for line in lines:
            if line is None:
                y += 14
                continue
            text, size, bold = line
            pdf.set_font("Helvetica", "B" if bold else "", size)
            pdf.text(60, y, text)
            y += size * 1.3
        pdf.set_font("Helvetica", "", 9)
        if footer:
            pdf.text(60, 800, footer)
        if page_numbers:
            pdf.text(280, 815, f"Page {i} of {n}")
    return bytes(pdf.output())


def make_table_pdf(rows: Sequence[Sequence[str]], intro: str, outro: str) -> bytes:
    """A ruled table with a heading row, long enough to continue over a page break."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 16, intro)
    pdf.ln(8)
    with pdf.table(col_widths=(60, 220, 120), repeat_headings=1, line_height=16) as table:
        for row in rows:
            r = table.row()
            for cell in row:
                r.cell(cell)
    pdf.ln(8)
    pdf.multi_cell(0, 16, outro)
    return bytes(pdf.output())


@pytest.fixture
def pdf_maker() -> Callable[..., bytes]:
    return make_pdf


@pytest.fixture
def table_pdf_maker() -> Callable[..., bytes]:
    return make_table_pdf


@pytest.fixture
def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.text(20, 20, "Confidential annex to the report.")
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    return bytes(pdf.output())


@pytest.fixture
def scanned_pdf() -> bytes:
    """A PDF whose pages hold only drawing, as a scan holds only an image: no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())

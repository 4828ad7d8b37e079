from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.model import Document
from ingest.parse import parse_bytes
from ingest.pdf import read_pdf
from ingest.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BODY = 11.0
HEADER = "Northshire District Council - Licensing Committee - 4 March 2025"
FOOTER = "Report reference LIC/2025/07"


def _line(text: str, size: float = BODY, bold: bool = False) -> tuple[str, float, bool]:
    return (text, size, bold)


def _report_pages() -> list[list]:
    return [
        [
            _line("Review of Street Trading Policy", 18, True),
            None,
            _line("Background", 12, True),
            _line("1.1 The council last reviewed its street trading policy in 2019 and the"),
            _line("market has changed since then. Officers propose to consult on the develop-"),
            _line("ment of a new policy over the summer."),
            None,
            _line("1.2 Traders have asked for longer pitch licences."),
            None,
        ],
        [
            _line("Recommendations", 12, True),
            _line("2.5.3 The committee is asked to approve a twelve week consultation on the"),
            _line("draft policy, starting in April."),
            None,
            _line("The consultation will cover:"),
            _line("- pitch fees and their review;"),
            _line("- hours of trading in the town centre."),
        ],
        [
            _line("Financial implications", 12, True),
            _line("3.1 The consultation will be met from existing budgets."),
            None,
        ],
    ]


@pytest.fixture
def report(pdf_maker) -> Document:
    data = pdf_maker(_report_pages(), header=HEADER, footer=FOOTER, marking="OFFICIAL")
    return parse_bytes(data, "report.pdf", Settings())


def _passage(doc: Document, phrase: str):
    found = [p for p in doc.passages if phrase in p.text]
    assert found, f"{phrase!r} not in any passage: {[p.text for p in doc.passages]}"
    return found[0]


def test_page_furniture_removed(report: Document) -> None:
    assert report.page_count == 3
    for furniture in ("Northshire District Council", "LIC/2025/07", "OFFICIAL", "Page 1 of 3", "Page 3 of 3"):
        assert furniture not in report.text
    assert _passage(report, "met from existing budgets").pages == (3,)


def test_hyphenated_word_joined_and_lines_of_a_paragraph_joined(report: Document) -> None:
    p = _passage(report, "development of a new policy")
    assert p.text.startswith("The council last reviewed its street trading policy in 2019 and the market")
    assert p.paragraph == "1.1"
    assert "develop-" not in report.text


def test_numbered_paragraph_carries_number_page_and_heading(report: Document) -> None:
    p = _passage(report, "twelve week consultation")
    assert p.paragraph == "2.5.3"
    assert p.pages == (2,)
    assert p.text.startswith("The committee is asked")
    assert p.heading_path[-1] == "Recommendations"
    assert report.title == "Review of Street Trading Policy"


def test_bullets_are_list_items_with_their_lead_in(report: Document) -> None:
    p = _passage(report, "The consultation will cover:")
    assert p.kind == "list"
    assert "- pitch fees and their review;" in p.text
    assert "- hours of trading in the town centre." in p.text


def test_table_over_page_break_is_one_table_without_duplicated_text(table_pdf_maker) -> None:
    rows = [("No.", "Scheme", "Ward")] + [
        (str(i), f"Resurfacing scheme {i}", f"Ward {i % 7}") for i in range(1, 61)
    ]
    data = table_pdf_maker(rows, "The schemes in the programme are listed below.", "Delivery starts in May.")
    doc = parse_bytes(data, "programme.pdf", Settings())
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.pages == (1, 2)
    assert table.rows[0] == ("No.", "Scheme", "Ward")
    assert table.rows[1:] == tuple(rows[1:])  # heading row repeated on page 2 is not a data row
    cells_in_text = [p for p in doc.passages if p.kind != "table" and "Resurfacing scheme" in p.text]
    assert cells_in_text == []
    assert _passage(doc, "Delivery starts in May.").pages == (2,)


def test_encrypted_pdf_is_refused(encrypted_pdf: bytes) -> None:
    with pytest.raises(IngestError, match=r"^secret.pdf: encrypted PDF: "):
        read_pdf(encrypted_pdf, "secret.pdf", Settings())


def test_truncated_pdf_is_refused(pdf_maker) -> None:
    data = pdf_maker(_report_pages())
    with pytest.raises(IngestError, match=r"^cut.pdf: corrupt or truncated PDF"):
        read_pdf(data[: len(data) // 2], "cut.pdf", Settings())
    with pytest.raises(IngestError, match=r"corrupt or truncated PDF"):
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 50, "junk.pdf", Settings())


def test_pdf_without_text_layer_is_refused(scanned_pdf: bytes) -> None:
    with pytest.raises(IngestError, match=r"^scan.pdf: no text layer: scanned\?"):
        read_pdf(scanned_pdf, "scan.pdf", Settings())


def test_page_limit_names_the_setting(pdf_maker) -> None:
    data = pdf_maker(_report_pages())
    with pytest.raises(IngestError, match=r"3 pages, over the limit of 2 \(COUNCILPAPERS_MAX_PAGES\)"):
        read_pdf(data, "long.pdf", Settings(max_pages=2))


def test_real_committee_report() -> None:
    path = CORPUS / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
    doc = parse_bytes(path.read_bytes(), str(path), Settings())
    p = _passage(doc, "annual levy charge is currently £550")
    assert p.pages == (2,)
    assert p.paragraph == "4"
    assert p.text.startswith("Nottingham’s annual levy charge")
    assert "Version January 2024" not in doc.text  # the running header
    assert "OFFICIAL" not in doc.text
    recs = _passage(doc, "Stage One Development and OBC costs to be funded through CAZ funding")
    assert recs.paragraph == "2" and recs.pages == (3,)


def test_real_forward_plan_tables() -> None:
    path = CORPUS / "src-bcc-0016_transport-connectivity-policy-committee-forward-plan-2026-01-21.pdf"
    doc = parse_bytes(path.read_bytes(), str(path), Settings())
    plan = [t for t in doc.tables if t.rows[0][:2] == ("Lead Officer", "Title and summary of Decision")]
    assert len(plan) == 1
    assert plan[0].pages[:2] == (5, 6) and len(plan[0].pages) >= 8
    assert any("Streetspace 2: Denmark St and Rosemary Lane" in row[1] for row in plan[0].rows)
    assert "- 2 -" not in doc.text  # printed page numbers

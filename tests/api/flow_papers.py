"""A small, realistic paper of a council outside the development set, as a two-page PDF published at a URL:
a community safety partnership's annual report with its headline figures (made here with fpdf2)."""

from __future__ import annotations

from pathlib import Path

COUNCIL = "Rushmoor Borough Council"
URL = "https://democracy.rushmoor.example.gov.uk/documents/s12345/CSP%20Annual%20Report%202023-24.pdf"
PAGES = [
    [
        "Rushmoor Borough Council",
        "Community Safety Partnership Annual Report 2023/24",
        "Report to the Overview and Scrutiny Committee, 12 June 2024",
        "",
        "1. Purpose",
        "1.1 This report sets out the performance of the Rushmoor Community Safety Partnership in",
        "2023/24 and its priorities for the coming year.",
        "",
        "2. Performance in 2023/24",
        "2.1 Recorded crime in the borough fell by 4% in 2023/24. Burglary fell by 12% compared with",
        "2022/23, the lowest level for a decade.",
        "",
        "2.2 Anti-social behaviour incidents reported to the police fell by 18% over the same period,",
        "following the town centre patrols.",
    ],
    [
        "2.3 During the national knife amnesty, Operation Sceptre removed 86 knives from the streets",
        "through surrender bins at four police stations.",
        "",
        "2.4 Reports of domestic abuse rose by 7%, which the partnership attributes to greater",
        "confidence in reporting.",
        "",
        "3. Funding",
        "3.1 The partnership received a Safer Streets grant of 250,000 pounds for 2023/24, and the budget",
        "for 2024/25 is 180,000 pounds, which includes 40,000 pounds for the youth diversion scheme.",
        "",
        "4. Recommendation",
        "4.1 The Committee is asked to note the report.",
    ],
]


def write_pdf(folder: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for n, lines in enumerate(PAGES, 1):
        pdf.add_page()
        y = 90.0
        for line in lines:
            bold = line[:2].rstrip(".").isdigit() and len(line) < 40
            pdf.set_font("Helvetica", "B" if bold else "", 11)
            if line:
                pdf.text(60, y, line)
            y += 20 if line else 10
        pdf.set_font("Helvetica", "", 9)
        pdf.text(280, 815, f"Page {n} of {len(PAGES)}")
    path = folder / "csp-annual-report-2023-24.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def given(path: Path) -> tuple[tuple[str, str], ...]:
    return (
        ("council", COUNCIL),
        ("committee", "Overview and Scrutiny Committee"),
        ("meeting_date", "2024-06-12"),
        ("url", URL),
    )

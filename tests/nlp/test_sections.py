"""Section roles: report templates, run-in labels, ModernGov decision blocks, minutes, papers with no
headings; a role for every passage; and the gold gate."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.sections import heading_role, layout, passage_roles, roles, section_roles
from tests.nlp.decision_papers import PAPERS

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def parsed(tmp_path: Path, text: str, name: str = "paper.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, Settings())


def by_start(doc: Document) -> dict[str, str]:
    """Role by the first 24 characters of each passage."""
    return {p.text[:24]: r for p, r in zip(doc.passages, section_roles(doc), strict=True)}


@pytest.mark.parametrize(("heading", "role"), [
    ("6 Financial Implications", "financial"),
    ("7.  EQUALITIES IMPLICATIONS", "equalities"),
    ("Legal implications", "legal"),
    ("Risk Management", "risk"),
    ("Environmental Impact", "climate"),
    ("Consultees", "consultation"),
    ("10 Data Protection Implications", "implications"),
    ("4 Options considered and dismissed, and associated risk", "options"),
    ("Recommendation(s):", "recommendations"),
    ("Officer Recommendations:", "recommendations"),
    ("Purpose of Report:", "purpose"),
    ("Appendix A – Equality Impact Assessment", "appendix"),
    ("Background Papers", "appendix"),
    ("2 Background", "background"),
    ("3 Declarations of Interest", "declarations"),
    ("Reasons for the decision", "resolution"),
    ("Decision status: Recommendations Approved", "resolution"),
    ("Decision type", "other"),  # a cover-sheet field, not a decision
    ("Wards affected: All", "other"),
    ("Contact Details", "other"),
    ("Director of Public Health Annual Report", None),  # a title, not the "Director:" field
    ("Open Spaces Strategy", None),
    ("Priority 1 – The threat of radical extremism", None),
])
def test_heading_roles(heading: str, role: str | None) -> None:
    assert heading_role(heading) == role


def test_report_sections_and_numbered_children(tmp_path: Path) -> None:
    doc = parsed(tmp_path, (
        "Report to Cabinet, 4 March 2025\n\nSummary: This report seeks approval of the Safer Streets plan.\n\n"
        "1 Introduction\n\n1.1 Street drinking in the town centre rose last year.\n\n"
        "2 Financial Implications\n\n2.1 The scheme costs £40,000 from reserves.\n\n"
        "2.2 No further growth is needed.\n\n3 Recommendations\n\n3.1 Cabinet is asked to approve the plan.\n"))
    got = by_start(doc)
    assert got["Summary: This report see"] == "purpose"
    assert got["Street drinking in the t"] == "background"
    assert got["The scheme costs £40,000"] == "financial"
    assert got["No further growth is nee"] == "financial"  # a numbered child inherits its section
    assert got["Cabinet is asked to appr"] == "recommendations"


def test_labels_carry_over_within_a_section(tmp_path: Path) -> None:
    doc = parsed(tmp_path, (
        "Professional comments section\n\nFinance advice: The levy would raise £9m a year.\n\n"
        "Income would be ring-fenced for transport.\n\nLegal advice: The Transport Act 2000 gives the power.\n\n"
        "A consultation must be carried out first.\n"))
    got = by_start(doc)
    assert got["Finance advice: The levy"] == "financial"
    assert got["Income would be ring-fen"] == "financial"
    assert got["Legal advice: The Transp"] == "legal"
    assert got["A consultation must be c"] == "legal"


def test_a_report_with_no_headings(tmp_path: Path) -> None:
    """A short web report: the passages' own words decide; the rest is the report's body, never no role."""
    doc = parsed(tmp_path, (
        "Northvale Borough Council\n\n"
        "This report updates the Panel on the work of the Community Safety Partnership during 2024.\n\n"
        "Anti-social behaviour reports fell by 12% across the borough, with the largest fall in the town "
        "centre after the dispersal order was renewed.\n\n"
        "The Panel is asked to note the report and comment on the draft priorities for 2025/26.\n\n"
        "A Diversity Impact Assessment has been completed and no adverse impact on any group was found.\n\n"
        "There are no direct financial implications arising from this report.\n\n"
        "Contact officer: Jo Bell, Community Safety Manager, jo.bell@northvale.gov.uk\n"), "web-report.txt")
    assert layout(doc) == "report"
    got = by_start(doc)
    assert got["This report updates the "] == "purpose"
    assert got["Anti-social behaviour re"] == "background"
    assert got["The Panel is asked to no"] == "recommendations"
    assert got["A Diversity Impact Asses"] == "equalities"
    assert got["There are no direct fina"] == "financial"
    assert got["Contact officer: Jo Bell"] == "other"
    assert None not in got.values()


def test_asked_to_note_under_a_background_heading(tmp_path: Path) -> None:
    doc = parsed(tmp_path, ("Report to the Health and Wellbeing Board\n\nPurpose of report\n\nTo update the Board.\n\n"
                            "Background\n\nThe strategy was adopted in 2022.\n\n"
                            "The Board is asked to note the progress made.\n"))
    got = by_start(doc)
    assert got["The strategy was adopted"] == "background"
    assert got["The Board is asked to no"] == "recommendations"


def test_moderngov_decision_page(tmp_path: Path) -> None:
    name, text, _ = next(p for p in PAPERS if p[0] == "decision-page.txt")
    doc = parsed(tmp_path, text, name)
    assert layout(doc) == "decision"
    got = by_start(doc)
    assert got["Decision status: Recomme"] == "resolution"
    assert got["To adopt the refreshed C"] == "purpose"  # under its label "Purpose:"
    assert got["The Cabinet agreed to ad"] == "resolution"  # under "Decision:"
    assert got["Not adopting the plan wa"] == "options"  # "rejected" in the options considered is no decision
    assert got["Date of decision: 12/03/"] == "other"


def test_minutes_resolution_discussion_declarations(tmp_path: Path) -> None:
    doc = parsed(tmp_path, (
        "Minutes of the Community Safety Panel, 12 June 2024\n\nPresent: Councillors Smith and Jones\n\n"
        "1 Apologies for Absence\n\nApologies were received from Councillor Patel.\n\n"
        "2 Declarations of Interest\n\nThere were none.\n\n"
        "3 Anti-social Behaviour Update\n\nThe Panel considered a report on anti-social behaviour in parks.\n\n"
        "Members asked about the number of dispersal orders.\n\n"
        "RESOLVED – that the report be noted and a further update be brought in six months.\n\n"
        "4 PSPO Review\n\nOn being put to the vote the recommendation was LOST.\n"), "minutes.txt")
    assert layout(doc) == "minutes"
    got = by_start(doc)
    assert got["Apologies were received "] == "procedural"
    assert got["There were none."] == "declarations"
    assert got["The Panel considered a r"] == "discussion"
    assert got["Members asked about the "] == "discussion"
    assert got["RESOLVED – that the repo"] == "resolution"
    assert got["On being put to the vote"] == "resolution"


def test_minutes_without_item_headings(tmp_path: Path) -> None:
    doc = parsed(tmp_path, (
        "Minutes of the meeting of the Licensing Sub-Committee held on 3 April 2024\n\n"
        "The Chair welcomed everyone to the meeting.\n\n"
        "Councillor Reid declared a personal interest as a member of the licensed premises' darts team.\n\n"
        "The Licensing Officer summarised the application and the representations received.\n\n"
        "It was AGREED that the licence be granted subject to the conditions agreed with the police.\n"),
        "sub-committee.txt")
    got = by_start(doc)
    assert list(got.values()) == ["procedural", "declarations", "discussion", "resolution"]


@pytest.mark.parametrize(("name", "text", "kind"), [
    (p[0], p[1], k) for p, k in zip(PAPERS, ["minutes", "minutes", "minutes", "minutes", "minutes", "decision",
                                               "decision", "decision", "minutes", "minutes", "report", "report",
                                               "minutes", "minutes"],
                                      strict=True)])
def test_layouts_of_many_councils(tmp_path: Path, name: str, text: str, kind: str) -> None:
    doc = parsed(tmp_path, text, name)
    assert layout(doc) == kind
    assert all(r.role in roles() for r in passage_roles(doc))  # a role for every passage, from the vocabulary


def test_vocabulary_is_data() -> None:
    assert {"purpose", "recommendations", "background", "options", "financial", "legal", "equalities", "risk",
            "climate", "consultation", "implications", "appendix", "resolution", "discussion",
            "declarations", "procedural", "other"} <= set(roles())


@pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="needs the shared development corpus beside the repo")
def test_gold_accuracy() -> None:
    """Measured 0.942 on 378 passages of 14 papers, 0.939 on the 263 first judged (0.948 and 0.937 on 388 and
    271 before the text reader kept wrapped papers' headings and paragraphs apart: rows whose passage merged
    were dropped); no passage without one. Gated below."""
    spec = importlib.util.spec_from_file_location("bench_sections", ROOT / "benchmarks" / "bench_sections.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pairs = bench.judge(SHARED)
    assert len(pairs) >= 370 and len({r["document"] for r, _ in pairs}) >= 14
    assert all(p is not None for _, p in pairs)
    assert bench.accuracy(pairs) >= 0.92
    assert bench.accuracy([(r, p) for r, p in pairs if r.get("judged") == "first"]) >= 0.91

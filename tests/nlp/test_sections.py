"""Section roles: report templates, run-in labels, ModernGov decision blocks, minutes; and the gold gate."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.sections import heading_role, layout, roles, section_roles

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def parsed(tmp_path: Path, text: str, name: str = "paper.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, Settings())


def by_start(doc: Document) -> dict[str, str | None]:
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
    ("Purpose of Report:", "purpose"),
    ("Appendix A – Equality Impact Assessment", "appendix"),
    ("Background Papers", "appendix"),
    ("2 Background", "background"),
    ("3 Declarations of Interest", "declarations"),
    ("Reasons for the decision", "resolution"),
    ("Decision type", None),  # a cover-sheet field, not a decision
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


def test_moderngov_decision_notice(tmp_path: Path) -> None:
    doc = parsed(tmp_path, (
        "Record of decision\n\nDecision maker: Cabinet Member for Transport\n\n"
        "Decision: To approve the Public Spaces Protection Order for the town centre.\n\n"
        "Reasons for the decision: Street drinking complaints rose by 40%.\n\n"
        "Alternative options considered: To take no action, which was rejected.\n"), "notice.txt")
    assert layout(doc) == "decision"
    got = by_start(doc)
    assert got["Decision: To approve the"] == "resolution"
    assert got["Reasons for the decision"] == "resolution"
    assert got["Alternative options cons"] == "options"


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


def test_vocabulary_is_data() -> None:
    assert {"purpose", "recommendations", "background", "options", "financial", "legal", "equalities", "risk",
            "climate", "consultation", "implications", "appendix", "resolution", "discussion",
            "declarations"} <= set(roles())


@pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="needs the shared development corpus beside the repo")
def test_gold_accuracy() -> None:
    """Measured 0.938 on 388 passages of 14 papers (held-out fold first measured at 0.838); gate below."""
    spec = importlib.util.spec_from_file_location("bench_sections", ROOT / "benchmarks" / "bench_sections.py")
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(bench)
    pairs = bench.judge(SHARED)
    assert len(pairs) >= 300 and len({r["document"] for r, _ in pairs}) >= 8
    assert bench.accuracy(pairs) >= 0.90

"""Decisions from minutes, decision notices and decision pages: one per resolution, each with its outcome,
its words, its item and the passages that record it; proposals and earlier decisions are not decisions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.decisions import collect_decisions, outcome_of
from nlp.model import Decision
from nlp.resolutions import resolutions
from nlp.sections import section_roles
from tests.nlp.decision_papers import PAPERS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SHARED = Path(__file__).resolve().parents[3] / "shared"


def decisions_of(doc: Document) -> tuple[Decision, ...]:
    return collect_decisions(doc, section_roles(doc))


def parsed(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, Settings())


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("RESOLVED – that the report be noted.", "noted"),
        ("It was APPROVED that the Task and Finish Group be set up.", "approved"),
        ("The Cabinet agreed to adopt the refreshed Climate Change Action Plan.", "approved"),
        ("The Committee agrees that a further report be brought in the autumn.", "agreed"),
        ("The Committee agreed to receive a further update in February.", "agreed"),
        ("It was AGREED that the Policy Committee note the petition.", "noted"),
        (
            "On being put to the vote the amendment FELL. The substantive recommendations were CARRIED.",
            "approved",
        ),
        ("The recommendation as amended was approved.", "amended"),
        ("On being put to the vote the recommendation was LOST (4 in favour, 5 against).", "rejected"),
        ("That planning permission be REFUSED.", "rejected"),
        ("RESOLVED that consideration of the item be deferred to the next meeting.", "deferred"),
        ("The Committee agreed to continue consideration of the report to its next meeting.", "deferred"),
        ("The Committee resolved to refer the matter to Full Council for review.", "referred"),
        ("Refer consideration of linear charging to the Parking Strategy Task and Finish Group.", "referred"),
        ("RESOLVED to recommend to Council that the Council Tax Reduction Scheme be adopted.", "recommended"),
        ("The Scrutiny Committee agreed that the decision be called in.", "called_in"),
        ("Recommendations approved (subject to call-in)", "approved"),
        ("Authorised the Executive Director to award the contract.", "approved"),
        ("To request that officers circulate the review to members.", "agreed"),
        ("Members present: Councillors Smith and Jones", None),
        ("For Determination", None),
    ],
)
def test_outcomes(text: str, outcome: str | None) -> None:
    assert outcome_of(text) == outcome


@pytest.mark.parametrize(("name", "text", "expected"), PAPERS, ids=[p[0] for p in PAPERS])
def test_decisions_in_many_council_styles(
    tmp_path: Path, name: str, text: str, expected: list[tuple[str | None, str]]
) -> None:
    doc = parsed(tmp_path, name, text)
    got = decisions_of(doc)
    assert [(d.item_number, d.outcome) for d in got] == expected
    for d in got:  # each cited at a passage holding its words (or the passage after a heading holding them)
        assert d.passages and d.text
        cited = " ".join(doc.passages[i].text for i in d.passages)
        assert d.text[:20] in cited or doc.text.index(d.text) < doc.passages[d.passages[0]].start


def test_the_items_and_words(tmp_path: Path) -> None:
    name, text, _ = PAPERS[0]
    got = decisions_of(parsed(tmp_path, name, text))
    assert got[0].item == "Serious Violence Duty Strategy"
    assert got[0].text == "Cabinet approved the Serious Violence Duty Strategy 2024-2027."
    assert [d.text for d in got[1:4]] == [
        "(i) noted the objections received to the proposed Orders;",
        "(ii) approved the making of the Orders as advertised; and",
        "(iii) authorised the Head of Highways to implement the scheme.",
    ]
    assert all(d.item == "Traffic Regulation Orders - Town Centre" for d in got[1:4])
    assert not any("report recommended" in d.text for d in got)  # the proposal is not a decision


def test_a_decision_page_cites_its_status(tmp_path: Path) -> None:
    name, text, _ = next(p for p in PAPERS if p[0] == "decision-status.txt")
    doc = parsed(tmp_path, name, text)
    (d,) = decisions_of(doc)
    assert (
        d.text.startswith("Decision status: Recommendations approved")
        and d.item == "Household Support Fund Round Five"
    )


def test_proposals_and_earlier_decisions_are_not_decisions() -> None:
    text = (
        "The report recommended that the Council resolved to approve the budget.\n"
        "The Committee is asked to note the report.\n"
        "In March 2023 Cabinet approved the Strategy for 2023-2026.\n"
        "It was clarified that the decision had been approved by the previous administration.\n"
        "Councillor Wilcox moved an amendment to read as follows:\n"
        "c. Approve the price alignment over two years.\n"
        "On being put to the vote the amendment was LOST.\n"
        "RESOLVED that the budget be approved.\n"
    )
    got = resolutions(text)
    assert [(r.text, r.outcome) for r in got] == [("RESOLVED that the budget be approved.", "approved")]


def test_every_resolution_in_the_bundled_minutes() -> None:
    """Bristol's printed minutes of 15 May 2025, judged resolution by resolution against the minutes."""
    doc = parse_file(
        CORPUS / "src-bcc-0036_printed-minutes-transport-and-connectivity-policy-committee-15-may-2025.pdf",
        Settings(),
    )
    got = decisions_of(doc)
    by_item = Counter((d.item_number, d.outcome) for d in got)
    assert by_item == Counter(
        {
            ("4", "agreed"): 1,  # the minutes of the previous meeting "were agreed as accurate"
            ("7", "noted"): 5,
            ("8", "noted"): 1,  # annual business report (five items noted); petition debate
            ("9", "approved"): 1,
            ("10", "approved"): 2,  # item 10: the amendment FELL, the substantive ones CARRIED
            ("11", "approved"): 3,
            ("12", "approved"): 3,
            ("13", "approved"): 4,
            ("14", "approved"): 1,
            ("15", "noted"): 1,
            ("15", "approved"): 2,
            ("16", "approved"): 2,
            ("18", "noted"): 1,
            ("18", "agreed"): 1,
            ("19", "noted"): 1,
            ("20", "noted"): 1,
        }
    )
    bond = [d for d in got if d.item_number == "10"]
    assert bond[0].item and bond[0].item.startswith("City Centre Transport Corridor")
    assert bond[0].text.startswith("Approved submission of the Bond St Full Business Case")
    assert all(
        doc.passages[i].text in doc.text[doc.passages[i].start : doc.passages[i].end]
        for i in bond[0].passages
    )


@pytest.mark.skipif(
    not (SHARED / "corpus" / "pdf").exists(), reason="needs the shared corpus beside the repo"
)
def test_decision_notice_agrees_with_the_minutes() -> None:
    """The notice of the same meeting records the same outcomes for the items it lists."""
    notice = parse_file(
        SHARED
        / "corpus"
        / "pdf"
        / "src-bcc-0035_decision-notice-transport-and-connectivity-policy-committee-15-may-2025.pdf",
        Settings(),
    )
    got = decisions_of(notice)
    assert {(d.item_number, d.item, d.outcome) for d in got if d.item_number == "9"} == {
        ("9", "Policy Decision on Cycleway Legibility", "approved")
    }
    assert {d.outcome for d in got if d.item_number == "14"} == {"approved"}
    assert {d.outcome for d in got if d.item_number in ("17", "19", "20")} == {"noted"}


def test_reference_and_minutes_text(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        "minutes.txt",
        "Minutes of the Cabinet, 4 March 2025\n\nPresent: Councillors Smith and Jones\n\n"
        "5 Future of Family Hubs\n\nCabinet reconsidered Decision 24/00093 in light of the call-in.\n\n"
        "RESOLVED that Decision 24/00093 be confirmed.\n\n"
        "6 Street Drinking PSPO\n\nRESOLVED that consideration be deferred to April.\n",
    )
    assert [(d.item_number, d.item, d.outcome, d.reference) for d in decisions_of(doc)] == [
        ("5", "Future of Family Hubs", "approved", "24/00093"),
        ("6", "Street Drinking PSPO", "deferred", None),
    ]


@pytest.mark.skipif(
    not (SHARED / "corpus" / "more").exists(), reason="needs the shared corpus beside the repo"
)
@pytest.mark.parametrize("stem", ["26_kent", "28_bristol", "31_kent", "32_kent", "33_kent"])
def test_reports_record_no_decision_of_their_own(tmp_path: Path, stem: str) -> None:
    """Key-decision reports, a committee report and a call-in report: what they say of earlier decisions
    (23/00092, "Cabinet resolved the following") is not theirs."""
    body = (SHARED / "corpus" / "more" / f"{stem}.txt").read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    assert decisions_of(parsed(tmp_path, f"{stem}.txt", body)) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It was resolved that the report be noted and the recovery actions be endorsed.",
            ["noted", "approved"],
        ),
        (
            "The Committee RESOLVED to note the report and approve the revised terms of reference.",
            ["noted", "approved"],
        ),
        (
            "The Cabinet agreed to adopt the strategy and delegated authority to the Director to make minor changes.",
            ["approved", "approved"],
        ),
        ("Agreed with the approach and noted the risks set out in the report.", ["agreed", "noted"]),
        # one resolution: 'and' inside a name, a subject or an object is no second decision
        ("That the Director of Growth and Regeneration is authorised to award the contract.", ["approved"]),
        ("RESOLVED that the minutes be approved as a correct record and signed by the Chair.", ["approved"]),
        ("Decision: That the Issues and Options document be approved for public consultation.", ["approved"]),
        ("The Committee noted this report and accepted that works may cause delays.", ["noted", "approved"]),
        ("Members discussed whether the scheme should be approved and the budget agreed.", []),
    ],
)
def test_one_decision_per_resolution_joined_by_and(text: str, expected: list[str]) -> None:
    assert [r.outcome for r in resolutions(text)] == expected

"""Decisions from minutes and decision notices: item, outcome, reference and the passages that record them."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.decisions import collect_decisions, outcome_of
from nlp.sections import section_roles

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SHARED = Path(__file__).resolve().parents[3] / "shared"


def decisions(doc: Document) -> dict[str | None, str]:
    return {d.item_number: d.outcome for d in collect_decisions(doc, section_roles(doc))}


@pytest.mark.parametrize(("text", "outcome"), [
    ("RESOLVED – that the report be noted.", "noted"),
    ("On being put to the vote the recommendation was CARRIED unanimously. It was APPROVED that;", "approved"),
    ("On being put to the vote the amendment FELL. The substantive recommendations were CARRIED.", "approved"),
    ("On being put to the vote the amendment was CARRIED. The recommendation as amended was approved.",
     "approved_as_amended"),
    ("On being put to the vote the recommendation was LOST (4 in favour, 5 against).", "rejected"),
    ("RESOLVED that consideration of the item be deferred to the next meeting.", "deferred"),
    ("The Committee resolved to refer the matter to Full Council for review.", "referred"),
    ("The Scrutiny Committee agreed that the decision be called in.", "called_in"),
    ("Authorised the Executive Director to award the contract.", "approved"),
    ("The minutes of the previous meeting were agreed as accurate.", "approved"),
    ("Members present: Councillors Smith and Jones", None),
])
def test_outcomes(text: str, outcome: str | None) -> None:
    assert outcome_of(text) == outcome


def test_every_resolution_in_the_bundled_minutes() -> None:
    """Bristol's printed minutes of 15 May 2025, judged item by item against the minutes themselves."""
    doc = parse_file(CORPUS / "src-bcc-0036_printed-minutes-transport-and-connectivity-policy-committee-15-may-2025.pdf",
                     Settings())
    assert decisions(doc) == {
        "4": "approved",  # the minutes of the previous meeting
        "7": "noted", "8": "noted",  # annual business report; petition debate
        "9": "approved", "10": "approved",  # item 10: the amendment FELL, the substantive recommendations CARRIED
        "11": "approved", "12": "approved", "13": "approved", "14": "approved", "15": "approved", "16": "approved",
        "18": "noted", "19": "noted", "20": "noted",
    }
    bond = next(d for d in collect_decisions(doc, section_roles(doc)) if d.item_number == "10")
    assert bond.item and bond.item.startswith("City Centre Transport Corridor")
    assert "substantive recommendations were CARRIED" in bond.text
    assert all(doc.passages[i].text in bond.text for i in bond.passages)


@pytest.mark.skipif(not (SHARED / "corpus" / "pdf").exists(), reason="needs the shared corpus beside the repo")
def test_decision_notice_agrees_with_the_minutes() -> None:
    """The notice of the same meeting records the same outcomes for the items it lists."""
    notice = parse_file(SHARED / "corpus" / "pdf" /
                        "src-bcc-0035_decision-notice-transport-and-connectivity-policy-committee-15-may-2025.pdf",
                        Settings())
    got = {d.item_number: (d.item, d.outcome) for d in collect_decisions(notice, section_roles(notice))}
    assert got["9"] == ("Policy Decision on Cycleway Legibility", "approved")
    assert got["14"][1] == "approved" and got["17"][1] == "noted" and got["20"][1] == "noted"


def test_reference_and_minutes_text(tmp_path: Path) -> None:
    path = tmp_path / "minutes.txt"
    path.write_text(
        "Minutes of the Cabinet, 4 March 2025\n\nPresent: Councillors Smith and Jones\n\n"
        "5 Future of Family Hubs\n\nCabinet reconsidered Decision 24/00093 in light of the call-in.\n\n"
        "RESOLVED that Decision 24/00093 be confirmed.\n\n"
        "6 Street Drinking PSPO\n\nRESOLVED that consideration be deferred to April.\n", encoding="utf-8")
    doc = parse_file(path, Settings())
    got = collect_decisions(doc, section_roles(doc))
    assert [(d.item_number, d.item, d.outcome, d.reference) for d in got] == [
        ("5", "Future of Family Hubs", "approved", "24/00093"), ("6", "Street Drinking PSPO", "deferred", None)]

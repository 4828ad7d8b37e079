"""Metadata of committee web pages saved as papers (ModernGov issue, agenda-item, decision and meeting pages)
and of cover sheets in English, Welsh, Scottish and Northern Irish styles: made-up councils, real layouts."""

from __future__ import annotations

import pytest

from ingest.parse import parse_bytes
from ingest.settings import Settings
from nlp.metadata import extract_metadata
from nlp.metadata_pages import is_standing_item, not_a_title, page_title

CASES = [
    (
        "Issue - meetings\n\nSerious Violence Duty Strategy\n\nMeeting: 12/03/2024 - Cabinet (Item 45)\n\n"
        "45 Serious Violence Duty Strategy\n\nPDF 312 KB\n\nPurpose: To approve the strategy for Northwood.\n\n"
        "Decision:\n\nCabinet Approved the Serious Violence Duty Strategy and delegated authority to the Director.\n",
        ("Cabinet", "2024-03-12", "Serious Violence Duty Strategy"),
    ),
    (
        "Agenda and minutes\n\nVenue: Council Chamber, Town Hall, Northwood. View directions\n\nContact: Jane Smith, "
        "Democratic Services Officer\n\nItems\nNo. Item\n\n1. Apologies and Deputy Members\n\nMinutes:\nApologies were "
        "received from Councillor Brown.\n\n2. Community Safety Partnership Annual Report\n\nMinutes:\nThe Committee "
        "received the annual report.\n",
        (None, None, "Community Safety Partnership Annual Report"),
    ),
    (
        "Agenda item\n\nCommunity Safety Plan 2024-27\n\nMeeting of Cabinet, Tuesday, 12th March, 2024 7.00 pm (Item 45.)"
        "\n\nTo consider the report of the Director of Communities.\n\nDecision:\nRESOLVED that the plan be approved.\n",
        ("Cabinet", "2024-03-12", "Community Safety Plan 2024-27"),
    ),
    (
        "Cabinet\n\nTuesday, 5th November, 2024 6.30 pm\n\nAgenda and minutes\n\nVenue: Committee Room 1, Civic Centre\n\n"
        "Items\nNo. Item\n\n56. Declarations of Interest\n\nThere were none.\n\n57. Minutes of the previous meeting\n\n"
        "58. Safer Eastmere Partnership Plan 2024/25\n\nThe Cabinet considered the report of the Head of Community Safety.\n",
        ("Cabinet", "2024-11-05", "Safer Eastmere Partnership Plan 2024/25"),
    ),
    (
        "Decision details\n\nApproval of the Domestic Abuse Strategy\n\nDecision Maker: Executive Member for Communities\n\n"
        "Decision status: Recommendations Approved\n\nDecision:\nThe Executive Member approved the strategy.\n\n"
        "Date of decision: 03/10/2024\n",
        ("Executive Member for Communities", "2024-10-03", "Approval of the Domestic Abuse Strategy"),
    ),
    (
        "Issue - items at meetings - Anti-Social Behaviour Policy\n\nMeeting: 21/01/2025 - Overview and Scrutiny Committee "
        "(Item 8)\n\n8 Anti-Social Behaviour Policy\n\nPDF 180 KB\n\nMinutes:\nThe Committee considered the draft policy.\n",
        ("Overview and Scrutiny Committee", "2025-01-21", "Anti-Social Behaviour Policy"),
    ),
    (
        "EASTMERE BOROUGH COUNCIL\n\nCABINET\n\n14 MARCH 2024\n\nCOMMUNITY SAFETY STRATEGY 2024-2027\n\nREPORT OF THE "
        "DIRECTOR OF COMMUNITIES\n\n1. PURPOSE OF THE REPORT\n\n1.1 To seek approval of the new strategy.\n",
        ("Cabinet", "2024-03-14", "Community Safety Strategy 2024-2027"),
    ),
    (
        "To seek approval of the Community Safety Strategy 2024-27 and to note the priorities of the Partnership.\n\n"
        "Report to: Cabinet, 14 March 2024\n",
        ("Cabinet", "2024-03-14", None),
    ),
    (
        "ITEM No ...5.........\n\nREPORT TO: COMMUNITY SAFETY AND PUBLIC PROTECTION COMMITTEE – 12 FEBRUARY 2024\n\n"
        "REPORT ON: SAFE ZONE – FESTIVE PERIOD 2023\n\nREPORT BY: EXECUTIVE DIRECTOR OF NEIGHBOURHOOD SERVICES\n\n"
        "1.0 PURPOSE OF REPORT\n\n1.1 To advise Committee of the outcome of the festive Safe Zone.\n",
        ("Community Safety and Public Protection Committee", "2024-02-12", "Safe Zone – Festive Period 2023"),
    ),
    (
        "MINUTE OF MEETING OF THE COMMUNITY SAFETY AND PUBLIC PROTECTION COMMITTEE held remotely on 12th February, 2024.\n\n"
        "Present:-\n\nCouncillor John SMITH (Convener)\n\nI DECLARATION OF INTEREST\n\nNo declarations were made.\n",
        (
            "Community Safety and Public Protection Committee",
            "2024-02-12",
            "Minute of Meeting of the Community Safety and Public Protection Committee",
        ),
    ),
    (
        "Adroddiad i / Report to: Cabinet\n\nDyddiad / Date: 14 March 2024\n\nTeitl / Title: Community Safety "
        "Partnership Annual Report\n\nAwdur / Author: Sian Evans, Community Safety Manager\n",
        ("Cabinet", "2024-03-14", "Community Safety Partnership Annual Report"),
    ),
    (
        "Meeting of the Cabinet held on Tuesday 12 March 2024 at 7.00 pm\n\nPresent: Councillor A Smith (Leader)\n\n"
        "45. Serious Violence Duty Strategy\n\nRESOLVED that the strategy be approved.\n",
        ("Cabinet", "2024-03-12", None),
    ),
]


@pytest.mark.parametrize(("text", "want"), CASES)
def test_committee_date_and_title_of_pages_and_cover_sheets(text: str, want: tuple) -> None:
    md = extract_metadata(parse_bytes(text.encode(), "page.txt", Settings(workers=1)))
    committee, date, title = want
    assert (md.committee, md.meeting_date) == (committee, date)
    if title is not None:
        assert md.title == title
    assert md.title is None or not not_a_title(md.title)  # never the page's heading or a purpose sentence


def test_standing_items_and_page_furniture() -> None:
    assert is_standing_item("1. Apologies and Deputy Members") and is_standing_item(
        "Declarations of Interest"
    )
    assert not is_standing_item("Community Safety Partnership Annual Report")
    assert not_a_title("Issue - meetings") and not_a_title("Agenda and minutes") and not_a_title("PDF 312 KB")
    assert not_a_title("To seek approval of the Community Safety Strategy.")
    assert not not_a_title("Community Safety Strategy 2024-2027")
    assert page_title(["Agenda and minutes", "1. Apologies", "2. Minutes of the last meeting"]) is None

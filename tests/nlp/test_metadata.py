"""Metadata from cover sheets in the styles councils print, the gazetteer, and given metadata winning."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Document, Passage
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.councils import find_council, lookup
from nlp.metadata import clean_committee, extract_metadata, iso_date, person_name

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def paper(text: str, given: tuple[tuple[str, str], ...] = ()) -> Document:
    body = "The report sets out the work of the partnership over the year."
    full = f"{text}\n\n{body}"
    start = full.index(body)
    passage = Passage(0, body, (), ("Summary",), None, start, start + len(body))
    return Document("t1", "paper.txt", "text", None, 0, full, (passage,), given=given)


def test_labelled_cover_sheet_in_table_cells() -> None:
    md = extract_metadata(
        paper(
            "NORTHSHIRE TEST PAPER\nDecision Maker: | Cabinet\nDate: | 3 March 2021\n"
            "Title: | Safer Streets Update\nReport From: | Director of Public Health\n\n"
            "Contact name: Dr Jane Smith-Jones\n\nTel: 0370 779 6752 Email: j.smith@example.gov.uk\n\n"
            "Basingstoke and Deane Borough Council"
        )
    )
    assert (md.committee, md.meeting_date, md.title) == ("Cabinet", "2021-03-03", "Safer Streets Update")
    assert md.author == "Jane Smith-Jones"  # the honorific and the role line are not the name
    assert (md.council, md.council_code, md.council_type) == (
        "Basingstoke and Deane Borough Council",
        "E07000084",
        "district",
    )


def test_unlabelled_header_lines_in_capitals() -> None:
    md = extract_metadata(
        paper(
            "OVERVIEW AND SCRUTINY PERFORMANCE BOARD 14 JULY 2023\n\n"
            "LANCASHIRE COUNTY COUNCIL ANNUAL COMMUNITY SAFETY REPORT\n\n"
            "Contact Point\n\nMary O'Neill, Senior Officer (01772) 123456"
        )
    )
    assert md.committee == "Overview and Scrutiny Performance Board"
    assert md.meeting_date == "2023-07-14"
    assert md.council == "Lancashire County Council" and md.council_type == "county"
    assert md.title == "Annual Community Safety Report"
    assert md.author == "Mary O'Neill"


def test_footer_labels_and_abbreviated_council() -> None:
    md = extract_metadata(
        paper(
            "Report on the work of the Community Safety Group\n\nOfficers from NFDC and Hampshire police attend "
            "the group; NFDC chairs it in the New Forest. The FBC was approved.\n\n"
            "Author: | Sam Patel | Ext: | 8640\nReport to: | Overview & Scrutiny | Date: | 10 November 2020"
        )
    )
    assert md.committee == "Overview and Scrutiny Committee"
    assert md.meeting_date == "2020-11-10"
    assert md.author == "Sam Patel"
    assert md.title == "Report on the work of the Community Safety Group"
    assert md.council == "New Forest District Council"  # "NFDC": the initials of one council only
    assert find_council("The FBC and the OBC were approved.", 0) is None  # initials alone name no council


def test_given_metadata_wins_and_extracted_is_kept() -> None:
    md = extract_metadata(
        paper(
            "Meeting: Cabinet\nMeeting date: 16 September 2024\nTitle of report: Budget Monitoring",
            given=(("council", "Leeds City Council"), ("committee", "Executive Board")),
        )
    )
    assert md.committee == "Executive Board"
    assert md.council == "Leeds City Council" and md.council_code == "E08000035"
    assert ("committee", "Cabinet") in md.extracted
    assert md.meeting_date == "2024-09-16" and md.title == "Budget Monitoring"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("24th November 2020", "2020-11-24"),
        ("Date: 16/09/2024", "2024-09-16"),
        ("2025-01-30", "2025-01-30"),
        ("Tel: 0370 779 6752", None),
        ("in 2020/21", None),
    ],
)
def test_iso_date(text: str, want: str | None) -> None:
    assert iso_date(text) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("Superintendent Helen Wain", "Helen Wain"),
        ("ANDY STOVOLD, Head of Community Partnerships", "Andy Stovold"),
        ("Director of Adults' Health and Care", None),
        ("Community Engagement Manager", None),
        ("N/A", None),
    ],
)
def test_person_name(value: str, want: str | None) -> None:
    assert person_name(value) == want


def test_committee_drops_place_date_and_minutes_wording() -> None:
    council = lookup("Three Rivers District Council")
    assert (
        clean_committee("THREE RIVERS LOCAL STRATEGIC PARTNERSHIP", council) == "Local Strategic Partnership"
    )
    assert (
        clean_committee("Minutes of the Audit Committee, 12 May 2022 at 7.00 pm", None) == "Audit Committee"
    )
    assert clean_committee("Sue Chandler, Cabinet Member for Integrated Children's Services", None) is None


def test_council_mentions_weigh_header_over_body() -> None:
    text = (
        "THREE RIVERS LOCAL STRATEGIC PARTNERSHIP\n\nHertfordshire County Council and Watford Borough "
        "Council attend. The Hertfordshire strategy was agreed."
    )
    council = find_council(text, header_end=40)
    assert council is not None and council.name == "Three Rivers District Council"
    assert lookup("after reading the report") is None  # a place only as a capitalised name


def test_seed_paper_metadata() -> None:
    md = extract_metadata(parse_file(CORPUS / "003_794c45cd6cb377ca.txt", Settings()))
    assert md.council == "Herefordshire Council" and md.council_type == "unitary"
    assert md.committee == "Health and Wellbeing Board"
    assert (md.meeting_date, md.author) == ("2024-09-16", "Helen Wain")


def test_report_with_to_and_from_headers_joined_into_one_paragraph() -> None:
    md = extract_metadata(
        paper(
            "From: Jane Doe, Cabinet Member for Roads, John Roe, Director of Highways To: Cabinet, 30 January 2025 "
            "Decision Number: 24/00115 : Safer Roads Delivery Plan Classification: Unrestricted Past Pathway : "
            "Environment Cabinet Committee Summary: The plan sets out how Northshire County Council will act.\n\n"
            "Contact details: Author: Dr Sam Patel, Interim Strategic Lead for Roads sam.patel@example.gov.uk"
        )
    )
    assert (md.committee, md.meeting_date, md.title) == ("Cabinet", "2025-01-30", "Safer Roads Delivery Plan")
    assert md.author == "Sam Patel"  # the report author, not the member the report is from


def test_bare_value_lines_after_to_full_council() -> None:
    md = extract_metadata(
        paper(
            "From: Jane Doe, Champion\n\nTo: Full Council : 13 March 2025 : 2024 Annual Report on the Covenant "
            "Classification: Unrestricted\n\nReport Authors: Relevant Director Canon Peter Smith CC David Jones"
        )
    )
    assert (md.committee, md.meeting_date) == ("Full Council", "2025-03-13")
    assert md.title == "2024 Annual Report on the Covenant"
    assert md.author == "Peter Smith"


def test_minutes_are_titled_by_their_heading() -> None:
    md = extract_metadata(
        paper(
            "Bristol City Council Minutes of the Transport Policy Committee\n\n"
            "12 September 2024 at 5.00 pm\n\n1 Welcome, Introductions and Safety Information"
        )
    )
    assert md.title == "Minutes of the Transport Policy Committee"
    assert (md.committee, md.meeting_date) == ("Transport Policy Committee", "2024-09-12")


def test_decision_notice_and_forward_plan_name_their_committee_in_a_sentence() -> None:
    notice = extract_metadata(
        paper(
            "Decision Recording Form\n\nDecision determined at Transport & Connectivity "
            "Policy Committee meeting on 12 September 2024\n\nCommittee Members present:"
        )
    )
    assert (notice.committee, notice.meeting_date) == (
        "Transport and Connectivity Policy Committee",
        "2024-09-12",
    )
    plan = extract_metadata(
        paper(
            "Forward plan\n\nThis update published 20 January 2026\n\nTHIS DOCUMENT GIVES NOTICE OF ANTICIPATED KEY "
            "DECISIONS TO BE TAKEN AT TRANSPORT & CONNECTIVITY POLICY COMMITTEE\n\n"
            "BRISTOL CITY COUNCIL - FORWARD PLAN INDEX OF PROPOSED KEY DECISIONS"
        )
    )
    assert plan.committee == "Transport and Connectivity Policy Committee"
    assert plan.meeting_date is None  # its publication date is not a meeting's


def test_council_named_as_the_paper_heads_itself() -> None:
    md = extract_metadata(paper("Merton Council Audit Committee\n\nDate: 22 October 2009"))
    assert md.council == "Merton Council" and md.council_code == "E09000024"


def test_moderngov_decision_page() -> None:
    md = extract_metadata(
        paper(
            "Decision details\n\nSafer Streets Fund Round Five\n\nDecision Maker: Cabinet\n\nDecision status: Recommendations "
            "Approved\n\nIs Key decision?: Yes\n\nDate of decision: 12/03/2025\n\nContact: Jane Doe, Community Safety Manager"
        )
    )
    assert (md.committee, md.meeting_date, md.title, md.author) == (
        "Cabinet",
        "2025-03-12",
        "Safer Streets Fund Round Five",
        "Jane Doe",
    )


def test_moderngov_issue_item_page() -> None:
    md = extract_metadata(
        paper(
            "Issue - items at meetings - Youth Violence Reduction Plan\n\nMeeting: 04/02/2025 - Cabinet (Item 7)\n\n"
            "Contact: Sam Patel, Head of Community Safety"
        )
    )
    assert (md.committee, md.meeting_date, md.author) == ("Cabinet", "2025-02-04", "Sam Patel")
    assert md.title == "Youth Violence Reduction Plan"


@pytest.mark.parametrize("layout", ["{d}", "Thursday, {d} at 7.00 pm", "Meeting:\n{d}"])
def test_a_date_on_a_line_of_its_own_is_the_meeting_date_one_in_a_sentence_is_not(layout: str) -> None:
    header = (
        "From: Jane Doe, Corporate Director of Children and Education\n\nTo: Cabinet Member for Children\n\n"
        "Subject: Commissioned Family Hub Contracts\n\nDecision no: 24/00093\n\nClassification: Unrestricted\n\n"
        "Past Pathway of report: N/A\n\nFuture Pathway of report: Cabinet Member Decision\n\n"
        "Electoral Division: Sheppey\n\nIs the decision eligible for call-in? Yes\n\n"
        "Summary: The Family Hub service is delivered from sixteen sites across the county, three of them run "
        "under contracts with voluntary sector providers.\n\n"
    )
    sentence = "The current contracts come to an end on 31 March 2025 and will not be renewed.\n\n"
    assert extract_metadata(paper(header + sentence)).meeting_date is None
    dated = extract_metadata(paper(header + layout.format(d="12 March 2025") + "\n\n" + sentence))
    assert dated.meeting_date == "2025-03-12"

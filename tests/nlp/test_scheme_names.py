"""Scheme names found by general patterns, not by lists of names: the noun after a capitalised name
("accreditation", "funding", "training"), a verb of running it ("operated", "has worked with"), a round or an
awareness week; and committee, portfolio and work-programme names left out. Made-up places, real wording."""

from __future__ import annotations

import pytest

from ingest.assemble import assemble
from ingest.model import Block, Document
from nlp.acronyms import find_acronyms
from nlp.names_merge import collect_named


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    from nlp.pipeline import build_pipeline

    return build_pipeline()


def _operations(nlp, text: str) -> list[str]:  # noqa: ANN001
    text_, passages, tables = assemble([Block("paragraph", text, page=1)])
    doc = Document(
        id="s",
        source="s.txt",
        format="text",
        title=None,
        page_count=1,
        text=text_,
        passages=passages,
        tables=tables,
    )
    docs = list(nlp.pipe(p.text for p in doc.passages))
    return [n.name for n in collect_named(doc, docs, find_acronyms(doc.text))[1]]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "The council secured £750,000 of Safer Streets funding for lighting in the town centre.",
            ["Safer Streets"],
        ),
        (
            "The town centre retained its Purple Flag accreditation for the night-time economy.",
            ["Purple Flag"],
        ),
        (
            "The Family Drug and Alcohol Court has worked with 24 families this year.",
            ["Family Drug and Alcohol Court"],
        ),
        (
            "Safe Zone Eastmere operated on Friday and Saturday nights over the festive period.",
            ["Safe Zone Eastmere"],
        ),
        ("Prevent for Schools training was delivered to 40 teachers.", ["Prevent for Schools"]),
        (
            "The Eastmere Partnership delivered Friends Against Scams sessions to 300 residents.",
            ["Friends Against Scams"],
        ),
        ("A further bid for Safer Streets Round 5 was submitted in March.", ["Safer Streets"]),
        (
            "The Hate Crime Awareness Week ran in October with events across the district.",
            ["Hate Crime Awareness Week"],
        ),
        (
            "Ask for ANGELA and Safe Spaces have been rolled out to 30 venues.",
            ["Ask for ANGELA", "Safe Spaces"],
        ),
        (
            "Officers supported Operation Monument, a week of action against knife crime.",
            ["Operation Monument"],
        ),
    ],
)
def test_schemes_named_by_what_is_said_of_them(nlp, text: str, want: list[str]) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "The Stronger Communities Portfolio Holder introduced the report and the Scrutiny Work Programme was noted.",
        "The council received Home Office funding and Public Health funding for the year.",
        "Hampshire Constabulary training was delivered to 20 officers.",
        "HCSP has sought to use OPCC CSP grant to fund the Coordinator role.",
        "The Department for Education funded the places and Kent Police supported the events.",
        "Referrals for Right Wing extremism rose and the Established MSA status was discussed.",
    ],
)
def test_bodies_funders_and_committee_business_are_not_schemes(nlp, text: str) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Funding was agreed for the Mentors in Violence Prevention programme.",
            ["Mentors in Violence Prevention programme"],
        ),
        (
            "Pubwatch and Shopwatch schemes meet monthly with police licensing officers.",
            ["Pubwatch", "Shopwatch"],
        ),
        (
            "Crucial Crew, Junior Citizen and Safety Zone events were held for Year 6 pupils.",
            ["Crucial Crew", "Junior Citizen", "Safety Zone"],
        ),
        (
            "Operations Sceptre and Makesafe ran during the summer.",
            ["Operation Sceptre", "Operation Makesafe"],
        ),
        ("GET SAFE continues to support children at risk of criminal exploitation.", ["GET SAFE"]),
        ("Ask for Angela has been promoted in licensed premises across the borough.", ["Ask for Angela"]),
        ("The Home Office Safer Streets Fund awarded £500,000 to the council.", ["Safer Streets Fund"]),
        (
            "Officers completed Stage Two of the Northam Parking Levy project in May.",
            ["Northam Parking Levy project"],
        ),
    ],
)
def test_scheme_names_of_more_shapes(nlp, text: str, want: list[str]) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == want


@pytest.mark.parametrize(
    "text",
    [
        "HCSP has sought to use OPCC CSP grant to fund the Coordinator role.",
        "Additional DfE funding was secured for the places.",
        "Eastmere Police, Northshire County Council and Eastmere Fire and Rescue Service events were held in May.",
    ],
)
def test_runs_of_initials_funders_and_bodies_are_not_schemes(nlp, text: str) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == []


def _paper_operations(nlp, text: str) -> list[str]:  # noqa: ANN001
    from ingest.parse import parse_bytes
    from ingest.settings import Settings
    from nlp.pipeline import extract

    return [o.name for o in extract(parse_bytes(text.encode(), "p.txt", Settings(workers=1)), nlp).operations]


def test_names_in_headings(nlp) -> None:  # noqa: ANN001
    text = (
        "Community safety update\n\nThe partnership met four times this year.\n\nSafer Nights Out\n\n"
        "The scheme provides trained volunteers in the town centre on Friday nights.\n\n"
        "Sanctuary Scheme\n\nForty households were made safer at home.\n\n"
        "Governance Framework\n\nThe board reports to Cabinet.\n\nContents\n\n"
        "Northam Project Team ........ 33\n\nThe report ends here.\n"
    )
    assert _paper_operations(nlp, text) == ["Safer Nights Out", "Sanctuary Scheme"]

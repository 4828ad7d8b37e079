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
    doc = Document(id="s", source="s.txt", format="text", title=None, page_count=1, text=text_,
                   passages=passages, tables=tables)
    docs = list(nlp.pipe(p.text for p in doc.passages))
    return [n.name for n in collect_named(doc, docs, find_acronyms(doc.text))[1]]


@pytest.mark.parametrize(("text", "want"), [
    ("The council secured £750,000 of Safer Streets funding for lighting in the town centre.", ["Safer Streets"]),
    ("The town centre retained its Purple Flag accreditation for the night-time economy.", ["Purple Flag"]),
    ("The Family Drug and Alcohol Court has worked with 24 families this year.", ["Family Drug and Alcohol Court"]),
    ("Safe Zone Eastmere operated on Friday and Saturday nights over the festive period.", ["Safe Zone Eastmere"]),
    ("Prevent for Schools training was delivered to 40 teachers.", ["Prevent for Schools"]),
    ("The Eastmere Partnership delivered Friends Against Scams sessions to 300 residents.", ["Friends Against Scams"]),
    ("A further bid for Safer Streets Round 5 was submitted in March.", ["Safer Streets"]),
    ("The Hate Crime Awareness Week ran in October with events across the district.", ["Hate Crime Awareness Week"]),
    ("Ask for ANGELA and Safe Spaces have been rolled out to 30 venues.", ["Ask for ANGELA", "Safe Spaces"]),
    ("Officers supported Operation Monument, a week of action against knife crime.", ["Operation Monument"]),
])
def test_schemes_named_by_what_is_said_of_them(nlp, text: str, want: list[str]) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == want


@pytest.mark.parametrize("text", [
    "The Stronger Communities Portfolio Holder introduced the report and the Scrutiny Work Programme was noted.",
    "The council received Home Office funding and Public Health funding for the year.",
    "Hampshire Constabulary training was delivered to 20 officers.",
    "HCSP has sought to use OPCC CSP grant to fund the Coordinator role.",
    "The Department for Education funded the places and Kent Police supported the events.",
    "Referrals for Right Wing extremism rose and the Established MSA status was discussed.",
])
def test_bodies_funders_and_committee_business_are_not_schemes(nlp, text: str) -> None:  # noqa: ANN001
    assert _operations(nlp, text) == []

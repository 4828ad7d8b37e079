"""Metadata of committee-paper excerpts in the layouts councils print (tests/nlp/excerpts/metadata_layouts.jsonl):
ModernGov pages, cover sheets of the four nations in label, table, flattened and capitals styles, minutes,
decision records, councils named only in running text, a domain or a URL. Each field the excerpt states is
scored as the shared scorer scores it (a name 85% alike, a date exactly)."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from ingest.parse import parse_bytes
from ingest.settings import Settings
from nlp.councils import find_council
from nlp.metadata import extract_metadata, printed_name

CASES = [
    json.loads(x)
    for x in (Path(__file__).parent / "excerpts" / "metadata_layouts.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if x.strip() and not x.startswith('{"_source"')
]


def _norm(s: str) -> str:
    s = re.sub(r"[^a-z0-9' ]+", " ", s.lower().replace("&", " and ").replace("’", "'"))
    return " ".join(re.sub(r"^\s*the\s+", "", s).split())


def _right(field: str, got: str | None, want: str) -> bool:
    if got is None:
        return False
    if field == "meeting_date":
        return got[:10] == want[:10]
    a, b = (" ".join(sorted(_norm(x).split())) for x in (got, want))
    return 100 * SequenceMatcher(None, a, b).ratio() >= 85


@pytest.mark.parametrize("case", CASES, ids=[c["layout"] for c in CASES])
def test_excerpt_metadata(case: dict) -> None:
    md = extract_metadata(parse_bytes(case["text"].encode(), f"{case['layout']}.txt", Settings(workers=1)))
    wrong = {k: (getattr(md, k), v) for k, v in case["want"].items() if not _right(k, getattr(md, k), v)}
    assert not wrong, wrong


def test_the_council_from_its_domain_in_the_forms_councils_use() -> None:
    for text, want in [
        ("Email: a.b@wyreforestdc.gov.uk", "Wyre Forest District Council"),
        ("See www.southend.gov.uk/meetings", "Southend-on-Sea City Council"),
        ("Contact a.b@rctcbc.gov.uk", "Rhondda Cynon Taf County Borough Council"),
        ("https://democracy.belfastcity.gov.uk/ieListDocuments.aspx", "Belfast City Council"),
        ("Email: jo.bloggs@hants.gov.uk", "Hampshire County Council"),
    ]:
        council = find_council(text, len(text))
        assert council is not None and council.name == want, (text, council)


def test_a_region_is_not_its_council_and_county_hall_is_a_county_councils() -> None:
    text = (
        "Report of the Head of Environmental Services\n\nThe North Worcestershire Community Safety Partnership "
        "met in May. Contact: www.wyreforestdc.gov.uk"
    )
    assert find_council(text, 80).name == "Wyre Forest District Council"
    minutes = (
        "MINUTES of the meeting of the Scrutiny Panel held at County Hall, Lewes on 11 January 2024\n\n"
        "The Panel considered the report on the East Sussex Safer Communities Partnership."
    )
    assert find_council(minutes, 100).name == "East Sussex County Council"


def test_the_council_is_named_as_the_paper_prints_it() -> None:
    bradford = find_council("Bradford Council's duties under the Serious Violence Duty", 60)
    assert bradford is not None and printed_name(bradford, "Bradford Council's duties") == "Bradford Council"
    kent = find_council("Kent County Council", 30)
    assert (
        kent is not None
        and printed_name(kent, "KCC met Kent Council Leaders in Kent.") == "Kent County Council"
    )


def test_a_generic_body_names_no_committee_and_a_meeting_date_is_read_from_a_sentence() -> None:
    md = extract_metadata(
        parse_bytes(
            b"and partners.\n\nThe Committee is asked to note the report. At its meeting on 12 March 2024 the "
            b"Board agreed the plan.\n",
            "x.txt",
            Settings(workers=1),
        )
    )
    assert md.committee is None and md.meeting_date == "2024-03-12"

"""cp_dates: date forms of council papers normalised to ISO ranges, and the traps that are not dates."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.dates import collect_dates, find_dates

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def spans(text: str) -> list[tuple[str, str, str, str]]:
    return [(text[h.start_char : h.end_char], h.kind, h.start, h.end) for h in find_dates(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The meeting on 24 November 2020 agreed", ("24 November 2020", "date", "2020-11-24", "2020-11-24")),
        (
            "OVERVIEW AND SCRUTINY BOARD 20 OCTOBER 2022",
            ("20 OCTOBER 2022", "date", "2022-10-20", "2022-10-20"),
        ),
        ("became live 16/07/2020.", ("16/07/2020", "date", "2020-07-16", "2020-07-16")),
        (
            "first meeting is due on 16th October 2022.",
            ("16th October 2022", "date", "2022-10-16", "2022-10-16"),
        ),
        ("was (re) established in July 2018 and", ("July 2018", "month", "2018-07-01", "2018-07-31")),
        ("This reported in Oct. 2019 noting", ("Oct. 2019", "month", "2019-10-01", "2019-10-31")),
        ("February 2020 has 29 days", ("February 2020", "month", "2020-02-01", "2020-02-29")),
        ("In 2020 the group developed", ("2020", "year", "2020-01-01", "2020-12-31")),
        (
            "a knife was involved between 2016 and 2019.",
            ("between 2016 and 2019", "period", "2016-01-01", "2019-12-31"),
        ),
        ("The priority areas for 2020/21 are:", ("2020/21", "financial_year", "2020-04-01", "2021-03-31")),
        ("In 2022/3 and later", ("2022/3", "financial_year", "2022-04-01", "2023-03-31")),
        ("agreed new priorities for 2024-27 in", ("2024-27", "period", "2024-04-01", "2027-03-31")),
        ("RRSG Action Plan - 2021 to 2024", ("2021 to 2024", "period", "2021-01-01", "2024-12-31")),
        ("rates per 1000 population 2018-2022 (Date", ("2018-2022", "period", "2018-01-01", "2022-12-31")),
        (
            "peak of 1,234 incidents in Quarter 2 of 2011,",
            ("Quarter 2 of 2011", "quarter", "2011-04-01", "2011-06-30"),
        ),
        (
            "fallen to 350 in Quarter 4 of 2019/20.",
            ("Quarter 4 of 2019/20", "quarter", "2020-01-01", "2020-03-31"),
        ),
        (
            "report back to OSCOM in autumn 2021 to give",
            ("autumn 2021", "season", "2021-09-01", "2021-11-30"),
        ),
        (
            "completed in the autumn term of 2019, however",
            ("autumn term of 2019", "season", "2019-09-01", "2019-11-30"),
        ),
        ("Activity over winter 2020 was", ("winter 2020", "season", "2020-12-01", "2021-02-28")),
        (
            "In the second half of 2019 12 homeless people",
            ("second half of 2019", "period", "2019-07-01", "2019-12-31"),
        ),
        (
            "rose by 6.5% in the quarter from April – June 2020,",
            ("April – June 2020", "period", "2020-04-01", "2020-06-30"),
        ),
        (
            "fell by 10% in the year from July 2019 – June 2020.",
            ("July 2019 – June 2020", "period", "2019-07-01", "2020-06-30"),
        ),
        (
            "Between March and May 2024 30% of",
            ("Between March and May 2024", "period", "2024-03-01", "2024-05-31"),
        ),
        (
            "did not re-present, 01/12/2020 to 30/11/2021",
            ("01/12/2020 to 30/11/2021", "period", "2020-12-01", "2021-11-30"),
        ),
        (
            "£2.7m national funding from 2022/23 to 2024/25, through",
            ("from 2022/23 to 2024/25", "period", "2022-04-01", "2025-03-31"),
        ),
        ("Service area Jan – Mar 24 |", ("Jan – Mar 24", "period", "2024-01-01", "2024-03-31")),
    ],
)
def test_date_forms_are_normalised_to_iso_ranges(text: str, expected: tuple[str, str, str, str]) -> None:
    assert spans(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "under s.17 of the Crime and Disorder Act 1998 the council",
        "Background Papers (Local Government Act 1972 Section 100D)",
        "the Serious Violence Strategy 2018 and Community Strategy 2018-23",
        "Tel: 0370 779 6752 and extension 2020 1234",
        "during Covid-19 and Covid 19 restrictions",
        "see https://example.gov.uk/wp-content/uploads/2024/06/Strategy-24.27-Final.docx",
        "the previous year and last year, the Government's 10-year drug strategy",
    ],
)
def test_names_relative_references_and_codes_are_not_dates(text: str) -> None:
    assert spans(text) == []


def test_an_impossible_day_falls_back_to_its_month() -> None:
    assert spans("on 31 February 2021") == [("February 2021", "month", "2021-02-01", "2021-02-28")]


def test_a_comparison_of_two_years_reports_both_years_as_well_as_the_range() -> None:
    found = spans("an increase in intra youth SV from 2021-22 to 2022-23, the reason for which")
    assert ("2021-22", "financial_year", "2021-04-01", "2022-03-31") in found
    assert ("2022-23", "financial_year", "2022-04-01", "2023-03-31") in found


def test_years_listed_with_and_are_separate_years() -> None:
    assert [s[0] for s in spans("for 2019/20 and 2020-21 and in 2018 and 2019")] == [
        "2019/20",
        "2020-21",
        "2018",
        "2019",
    ]


def test_collect_dates_merges_mentions_and_reads_headings() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("cp_dates")
    doc = parse_file(CORPUS / "001_ad86c27f65599044.txt", Settings())
    dates = collect_dates(doc, list(nlp.pipe(p.text for p in doc.passages)))
    by_range = {(d.start, d.end): d for d in dates}
    assert len(by_range) == len(dates)  # one item per distinct span
    fy = by_range[("2019-04-01", "2020-03-31")]
    assert fy.kind == "financial_year" and len(fy.evidence) >= 3  # "2019/20" x3 and "2019-20"
    assert {e.text for e in fy.evidence} >= {"2019/20", "2019-20"}
    ev = fy.evidence[0]
    assert doc.text[ev.start : ev.end] == ev.text
    # the cover table's "Date: 10 November 2020" and no date from "Local Government Act 1972"
    assert ("2020-11-10", "2020-11-10") in by_range
    assert not any(d.start.startswith("1972") for d in dates)


def test_dates_in_headings_outside_passages_are_found() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("cp_dates")
    doc = parse_file(CORPUS / "004_ff393e8c3870aa40.txt", Settings())
    dates = collect_dates(doc, list(nlp.pipe(p.text for p in doc.passages)))
    meeting = [d for d in dates if d.start == "2019-03-13"]
    assert meeting and meeting[0].text == "13 MARCH 2019"


def test_academic_years_run_september_to_august() -> None:
    from nlp.dates import find_dates

    text = "places needed by the start of academic year 2025/26, and in the school year 2023-24"
    assert [(h.start, h.end) for h in find_dates(text)] == [
        ("2025-09-01", "2026-08-31"),
        ("2023-09-01", "2024-08-31"),
    ]

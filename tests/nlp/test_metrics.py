"""cp_metrics: figures that quantify amounts, their units and ranges, and the numbers that are not metrics."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.dates import find_dates
from nlp.metrics import collect_metrics, figures

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def found(text: str) -> list[tuple[str, float, str, float | None]]:
    dates = [(h.start_char, h.end_char) for h in find_dates(text)]
    return [
        (text[h.start_char : h.end_char].strip(), h.value, h.unit, h.value_max) for h in figures(text, dates)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It also includes £2.7m national funding for treatment", ("£2.7m", 2_700_000, "GBP", None)),
        ("A further £642k has been allocated", ("£642k", 642_000, "GBP", None)),
        ("The Council has also contributed £15,000 to a six-month trial", ("£15,000", 15_000, "GBP", None)),
        ("at a cost of £3 million over", ("£3 million", 3_000_000, "GBP", None)),
        ("98.5% of the participants rated the event", ("98.5%", 98.5, "percent", None)),
        ("an operating margin of 2 per cent", ("2 per cent", 2, "percent", None)),
        ("Removed 201,510 illicit cigarettes", ("201,510", 201_510, "count", None)),
        ("and 57kg of illegal tobacco", ("57kg", 57, "kg", None)),
        ("to fund 150 hours of specialist support", ("150 hours", 150, "other", None)),
        ("are currently between 15 and 20% above the level", ("15 and 20%", 15, "percent", 20)),
        ("a rise of 15-20% on last year", ("15-20%", 15, "percent", 20)),
        ("a crime rate of 25.7 per 1,000 population", ("25.7", 25.7, "rate", None)),
        ("These are Alamein (17 knife crimes) and", ("17", 17, "count", None)),
    ],
)
def test_amounts_get_value_unit_and_range(text: str, expected: tuple) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "responsibilities are set out under s.17 of the Crime and Disorder Act 1998.",
        "Background Papers (Local Government Act 1972 Section 100D)",
        "as set out in paragraph 3.5.24 of the constitution and section 149(7) of the Act",
        "Tel: 0370 779 6752 Email: someone@council.gov.uk",
        "Contact Point (01905) 846550",
        "Author: | Andrew Pilley | Ext: | 8640",
        "an annual event open to over 55s and those who may be isolated",
        "where the death of a person aged over 16 resulted from violence",
        "an offender or aggrieved under 25 and a knife was involved",
        "will be heard at a case conference within 7 days.",
        "did not re-present within 6 months",
        "Community Accommodation Service Tier 3 implementation is due",
        "The Government's new 10-year drug strategy",
        "DHRs 9 and 10 were presented to HCSP. DHR10 has recommendations",
        "the impact of Covid-19 and Covid 19 on services",
        "Priority 2 - The increase in serious violence",
        "Appendix 1 and Annex 2 set out the plan",
        "two tier Local Government and twelve months",
        "the 11-19 Strategy Group met",
        "the meeting starts at 5.00 pm",
        "specialist 1 2 1 support",
        "the HCSP Strategy 2024-27 and Community Strategy 2018-23",
        "rates per 1000 population",
    ],
)
def test_identifiers_citations_contacts_ages_and_names_are_not_metrics(text: str) -> None:
    assert found(text) == []


def test_a_year_before_a_count_does_not_hide_the_count() -> None:
    assert found("In the second half of 2019 12 homeless people were supported") == [
        ("12", 12, "count", None)
    ]


def test_about_and_direction_come_from_the_sentence() -> None:
    t = "overall reports of ASB to Police rose by 6.5% in the quarter from April – June 2020"
    (hit,) = figures(t, [(h.start_char, h.end_char) for h in find_dates(t)])
    assert hit.direction == "rise"
    (hit,) = figures("In the South, reports reduced by 18.9%.", [])
    assert hit.direction == "fall" and hit.value == 18.9
    (hit,) = figures("27 young people attended the bulk of the sessions", [])
    assert hit.about == "young people attended"


def _metrics(name: str):
    nlp = spacy.blank("en")
    nlp.add_pipe("cp_dates")
    nlp.add_pipe("cp_metrics")
    doc = parse_file(CORPUS / name, Settings())
    return doc, collect_metrics(doc, list(nlp.pipe(p.text for p in doc.passages)))


def test_table_cells_are_metrics_with_row_and_column_labels_and_periods() -> None:
    doc, metrics = _metrics("002_d6bc79f1cfe1ff45.txt")
    rates = [m for m in metrics if m.unit == "rate"]
    assert sorted(m.value for m in rates) == [19, 20, 21, 21, 25.7, 29.1, 30.4, 30.8]
    west_2019 = next(m for m in rates if m.value == 29.1)
    assert west_2019.period is not None and west_2019.period.start == "2019-01-01"
    assert "West Mercia data" in (west_2019.about or "")
    climb = [m for m in metrics if m.about and "Accepted" in m.about]
    assert sorted(m.value for m in climb) == [10, 15, 19, 21, 27, 30, 116]
    pct = {m.value for m in metrics if m.unit == "percent"}
    assert pct == {6, 5, 37, 34, 41, 36}
    # the years heading the rate table and "within 6 months" in its caption are not metrics
    assert not any(m.value in (2018, 2022, 1000) for m in metrics)
    ev = west_2019.evidence[0]
    assert doc.text[ev.start : ev.end] == "29.1"


def test_numbering_columns_and_headings_are_not_metrics() -> None:
    _, metrics = _metrics("004_ff393e8c3870aa40.txt")
    values = sorted(m.value for m in metrics)
    assert values == [2, 4, 4, 10, 10, 21, 50, 60, 150, 950, 5000, 24000]
    rise = next(m for m in metrics if m.value == 950)
    assert rise.unit == "percent" and rise.direction == "rise"

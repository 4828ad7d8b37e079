"""The one date module: full dates in text, dates users give, financial years, the month table."""

from __future__ import annotations

import pytest

from ingest.dates import (
    MONTHS,
    financial_year,
    financial_year_end,
    given_date,
    is_iso_day,
    iso_date,
    month_number,
)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Meeting date: 24th November 2020", "2020-11-24"),
        ("Wednesday, 15th January, 2025 10.00 am", "2025-01-15"),
        ("Date: 16/09/2024", "2024-09-16"),
        ("16.09.2024", "2024-09-16"),
        ("2025-01-30T10:00:00", "2025-01-30"),
        ("4 Sept. 2023", "2023-09-04"),
        ("1 JUNE 2021", "2021-06-01"),
        ("31/02/2025 then 3 March 2025", "2025-03-03"),  # no 31 February: the next date is read
        ("Tel: 0370 779 6752", None),
        ("in 2020/21", None),
        ("15 Janus 2025", None),
    ],
)
def test_iso_date_reads_the_first_real_date(text: str, want: str | None) -> None:
    assert iso_date(text) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2025-01-15", "2025-01-15"),
        ("2025-1-5", "2025-01-05"),
        (" 15/01/2025 ", "2025-01-15"),
        ("15 January 2025", None),
        ("2025-02-30", None),
        ("soon", None),
        ("15/01/25", None),
    ],
)
def test_given_date_takes_only_whole_values(value: str, want: str | None) -> None:
    assert given_date(value) == want


def test_iso_day_and_months() -> None:
    assert is_iso_day("2025-01-15") and not is_iso_day("1700000000") and not is_iso_day("2025-1-15")
    assert month_number("Sept.") == 9 and month_number("may") == 5 and month_number("maybe") is None
    assert sorted(set(MONTHS.values())) == list(range(1, 13))


@pytest.mark.parametrize(
    ("start", "written", "end"),
    [(2019, "20", 2020), (2022, "3", 2023), (2024, "27", 2027), (2019, "2020", 2020), (2099, "00", 2100)],
)
def test_financial_years(start: int, written: str, end: int) -> None:
    assert financial_year_end(start, written) == end
    first, last = financial_year(start, end)
    assert (first.month, first.day, last.month, last.day, last.year) == (4, 1, 3, 31, end)

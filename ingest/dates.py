"""Dates as UK councils write them, read into ISO: the one month table and the one date parser.

- `MONTHS`: month words of British English (names and the abbreviations papers print) -> number;
- `iso_date(text)`: the first full date in a text ("24th November 2020", "Wednesday, 15th January,
  2025 10.00 am", "16/09/2024", "16.09.2024", "2025-01-30T10:00:00"; failing those "12/03/24") as
  YYYY-MM-DD, None if none;
- `given_date(value)`: a date a user or a manifest gives (YYYY-MM-DD or DD/MM/YYYY, nothing else);
- `is_iso_day(value)`: whether a value is written exactly YYYY-MM-DD;
- two-digit years ("Dec 23") and financial years ("2019/20", "2022/3", "2024-27": 1 April - 31 March).
The grammar of dates inside running text (ranges, quarters, seasons) is extraction's: nlp/dates.py,
built on this module.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from types import MappingProxyType

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# the short forms papers print, by month ("Sept" as well as "Sep"; May has none)
_SHORT = (
    ("jan",),
    ("feb",),
    ("mar",),
    ("apr",),
    (),
    ("jun",),
    ("jul",),
    ("aug",),
    ("sept", "sep"),
    ("oct",),
    ("nov",),
    ("dec",),
)
MONTHS = MappingProxyType(
    {
        word: n
        for n, (name, short) in enumerate(zip(MONTH_NAMES, _SHORT, strict=True), 1)
        for word in (name, *short)
    }
)
MONTH_ABBREVIATIONS = tuple(word for short in _SHORT for word in short)
# any month word, longest first so that "june" is not read as "jun" (match case-insensitively)
MONTH_PATTERN = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
# a month's full name only ("June"), and a word opening with a month's first three letters ("Sept", "Mayor":
# the looser test some layout rules were tuned with)
MONTH_NAME_PATTERN = "(?:" + "|".join(MONTH_NAMES) + ")"
MONTH_PREFIX_PATTERN = "(?:" + "|".join(name[:3] for name in MONTH_NAMES) + r")[a-z]*"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_PATTERN = "(?:" + "|".join(WEEKDAY_NAMES) + ")"

FULL_DATE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<m>{MONTH_PATTERN})\.?,?\s+(?P<y>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)"
    r"|\b(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# a date with a two-digit year, read only where a text has no full date ("Date: 12/03/24")
SHORT_YEAR_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/.](\d{1,2})[/.](\d\d)(?![\d/])")
_GIVEN = re.compile(
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>\d{4})"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def month_number(word: str) -> int | None:
    """ "Sept." -> 9, "june" -> 6; None for a word that is not a month."""
    return MONTHS.get(word.lower().rstrip("."))


def _day(m: re.Match[str]) -> str | None:
    """The ISO day of one match of `FULL_DATE` or `_GIVEN`, None if no such day (31 February)."""
    if m.group("iy"):
        y, mo, d = m.group("iy"), m.group("im"), m.group("id")
    elif m.group("ny"):  # UK order: day/month/year
        y, mo, d = m.group("ny"), m.group("nm"), m.group("nd")
    else:
        y, mo, d = m.group("y"), str(month_number(m.group("m"))), m.group("d")
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def iso_date(text: str) -> str | None:
    """The first full date in `text` as YYYY-MM-DD (a day that does not exist is passed over); failing one,
    the first date with a two-digit year."""
    for m in FULL_DATE.finditer(text):
        if day := _day(m):
            return day
    if m := SHORT_YEAR_DATE.search(text):
        try:
            return date(full_year(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def given_date(value: str) -> str | None:
    """ "2025-01-15", "2025-1-5" or "15/01/2025" (the whole value) -> "2025-01-15"; None otherwise."""
    m = _GIVEN.fullmatch(value.strip())
    return _day(m) if m else None


def is_iso_day(value: str) -> bool:
    """Whether `value` is written YYYY-MM-DD (a form that is only a date, never a count or a time)."""
    return bool(_ISO_DAY.fullmatch(value))


def full_year(two_digits: str) -> int:
    """A year written with two digits ("Dec 23", "Apr-24"): this century's."""
    return 2000 + int(two_digits)


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_year_end(start_year: int, written: str) -> int:
    """The year a financial year or run of them ends: 2019/20 -> 2020, 2022/3 -> 2023, 2024-27 -> 2027,
    2019/2020 -> 2020 (`written` is what follows the stroke or dash)."""
    if len(written) == 4:
        return int(written)
    base = start_year - start_year % 10 ** len(written)
    end = base + int(written)
    return end + 10 ** len(written) if end <= start_year else end


def financial_year(start_year: int, end_year: int) -> tuple[date, date]:
    """First and last day of the financial years from April `start_year` to March `end_year`."""
    return date(start_year, 4, 1), date(end_year, 3, 31)

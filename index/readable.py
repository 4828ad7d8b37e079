"""Dates and times as UK readers write them, for pages, e-mails and CLI lines (one way for all of them).

"2020-11-24" -> "24 November 2020"; "2026-12-07T16:53:54+00:00" -> "7 December 2026, 16:53" (in UK time:
GMT in winter, BST in summer); anything else is returned as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.dates import MONTH_NAMES

# month names from the one month table, not strftime's %B, which follows the process's locale
MONTHS = tuple(name.capitalize() for name in MONTH_NAMES)


def _uk_zone() -> Any:
    """Europe/London (ZoneInfo keeps each zone it has read)."""
    try:
        return ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # no time zone data on this machine: UTC is GMT, right half the year
        return UTC


def uk_date(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(_uk_zone())
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"

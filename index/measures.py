"""Measures a figure can be compared on: index/data/measures.jsonl (a measure, its label, a pattern over
what the figure counts and the units it comes in), and period labels for comparison columns."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.datafiles import rule_rows


@lru_cache(maxsize=1)
def _measures() -> tuple[tuple[str, str, re.Pattern[str], frozenset[str]], ...]:
    rows = []
    for _, row in rule_rows(Path(__file__).parent / "data" / "measures.jsonl", "measure"):
        rows.append((row["measure"], row["label"], re.compile(row["pattern"], re.I), frozenset(row.get("units", ()))))
    return tuple(rows)


def measure_of(about: str | None, unit: str | None = None) -> tuple[str, str] | None:
    """A metric's `about` -> (measure id, label): 'reports of ASB to Police' -> ('asb_reports', ...)."""
    if not about:
        return None
    for measure, label, pattern, units in _measures():
        if pattern.search(about) and (not units or unit in units):
            return measure, label
    return None  # an unknown measure is not compared: two different things would share a column


def period_label(period: dict[str, Any] | None) -> str:
    """'2019-04-01..2020-03-31' -> '2019/20'; a calendar year -> '2019'; none -> ''."""
    if not period:
        return ""
    s, e = period["start"], period["end"]
    if s[4:] == "-04-01" and e[4:] == "-03-31" and int(e[:4]) == int(s[:4]) + 1:
        return f"{s[:4]}/{e[2:4]}"
    if s[4:] == "-01-01" and e[4:] == "-12-31" and s[:4] == e[:4]:
        return s[:4]
    return f"{s}..{e}"

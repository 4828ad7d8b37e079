"""Measures a figure can be compared on: index/data/measures.jsonl (a measure, its label, a pattern over
what the figure counts and the units it comes in), period labels for comparison columns, and what a
figure counts ("about") as a readable noun phrase."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.datafiles import rule_rows

NEAR_CHARS = 60  # a measure named in the figure's sentence counts when it ends this close before the figure


@lru_cache(maxsize=1)
def _measures() -> tuple[tuple[str, str, re.Pattern[str], frozenset[str]], ...]:
    rows = []
    for _, row in rule_rows(Path(__file__).parent / "data" / "measures.jsonl", "measure"):
        rows.append((row["measure"], row["label"], re.compile(row["pattern"], re.I), frozenset(row.get("units", ()))))
    return tuple(rows)


def measure_of(about: str | None, unit: str | None = None, before: str = "") -> tuple[str, str] | None:
    """A metric's `about` -> (measure id, label): 'reports of ASB to Police' -> ('asb_reports', ...).

    When `about` names no measure, `before` (the words of the figure's sentence before it: "Anti-social
    behaviour incidents reported to the police fell by") is tried: the measure named nearest the figure,
    within NEAR_CHARS, so that "burglary fell by 12% and ASB incidents by 18%" gives each its own."""
    for text in (about, before):
        if not text:
            continue
        best: tuple[int, str, str] | None = None
        for measure, label, pattern, units in _measures():
            if units and unit not in units:
                continue
            if text is about:
                if pattern.search(text):
                    return measure, label
                continue
            ends = [m.end() for m in pattern.finditer(text)]
            gap = len(text) - ends[-1] if ends else None
            if gap is not None and gap <= NEAR_CHARS and (best is None or gap < best[0]):
                best = (gap, measure, label)
        if best:
            return best[1], best[2]
    return None  # an unknown measure is not compared: two different things would share a column


def sentence_before(text: str, at: int) -> str:
    """The words of the sentence (or clause after a semicolon) of `text` before offset `at`."""
    head = text[max(0, at - 200):at]
    return re.split(r"(?<=[.!?;:])\s+|\n", head)[-1]


def period_label(period: dict[str, Any] | None) -> str:
    """A figure's period as a comparison column reads it: '2019-04-01..2020-03-31' -> '2019/20'; a calendar
    year -> '2019'; a single day (a figure "as at", a deadline) and a month fold into their financial year
    ('2025-10-31' -> '2025/26'); several whole financial years -> '2022/23-2024/25'; other spans by month,
    'Dec 2020-Nov 2021'; none -> ''."""
    if not period:
        return ""
    try:
        s, e = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    except (KeyError, TypeError, ValueError):
        return ""
    if (s.month, s.day, e.month, e.day) == (4, 1, 3, 31) and e.year > s.year:
        return _fy(s) if e.year == s.year + 1 else f"{_fy(s)}-{_fy(date(e.year - 1, 4, 1))}"
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
        return str(s.year)
    if s == e or (s.year, s.month) == (e.year, e.month):
        return _fy(s)
    return f"{s:%b %Y}-{e:%b %Y}"


def _fy(day: date) -> str:
    """The UK financial year (April to March) holding `day`: '2025/26'."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


# words that cannot end (or start) a label of what a figure counts: "budget for is which includes" -> "budget"
_EDGE = frozenset("""a an the of for to in on at by with and or but from into over under up about around than
is are was were be been being has have had will would could should may might can which that who whom whose
this these those it its their there here as per any some further additional more less also only just
currently approximately nearly almost around circa including includes include included
k m bn million billion thousand""".split())
_CLAUSE = frozenset("is are was were has have had will would could should may might can which that who "
                    "includes including".split())


def about_label(about: str | None) -> str | None:
    """What a figure counts as a readable noun phrase: the words before the first clause word ('is', 'which'
    ...), with function words and the left-overs of amounts ('k', 'm') trimmed from both ends; None when
    nothing readable is left."""
    if not about:
        return None
    words = [w for w in about.split() if w.strip(",;")]
    for i, w in enumerate(words):
        if i and w.lower().strip(",;") in _CLAUSE:
            words = words[:i]
            break
    while words and words[-1].lower().strip(",;") in _EDGE:
        words.pop()
    while words and words[0].lower().strip(",;") in _EDGE:
        words.pop(0)
    if len(words) > 2 and words[0].lower().endswith("ed") and words[1].lower() in ("a", "an", "the"):
        words = words[2:]  # "received a Safer Streets grant" -> "Safer Streets grant"
    label = " ".join(words).strip(" ,;")
    return label if re.search(r"[A-Za-z]{3}", label) else None

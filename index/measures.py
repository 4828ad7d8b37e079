"""Measures a figure can be compared on: index/data/measures.jsonl (a measure, its label, a pattern over
what the figure counts and the units it comes in), period labels for comparison columns, what a
figure counts ("about") as a readable noun phrase, and the column every figure goes in (`figure_column`):
its measure's, else one of its own words, never left out."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ingest.datafiles import rule_rows

NEAR_CHARS = 60  # a measure named in the figure's sentence counts when it ends this close before the figure


MEASURES = Path(__file__).parent / "data" / "measures.jsonl"


@lru_cache(maxsize=4)
def _measures(path: Path = MEASURES) -> tuple[tuple[str, str, re.Pattern[str], frozenset[str]], ...]:
    """(id, label, pattern, units) of each measure of a rules file, read once a file."""
    rows = []
    for _, row in rule_rows(path, "measure"):
        rows.append(
            (row["measure"], row["label"], re.compile(row["pattern"], re.I), frozenset(row.get("units", ())))
        )
    return tuple(rows)


def measure_ids() -> list[str]:
    """The known measures' ids, in their file's order."""
    return [m[0] for m in _measures()]


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
    head = text[max(0, at - 200) : at]
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
_EDGE = frozenset(
    """a an the of for to in on at by with and or but from into over under up about around than
is are was were be been being has have had will would could should may might can which that who whom whose
this these those it its their there here as per any some further additional more less also only just
currently approximately nearly almost around circa including includes include included
k m bn million billion thousand""".split()
)
_CLAUSE = frozenset(
    "is are was were has have had will would could should may might can which that who "
    "includes including".split()
)


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


UNIT_WORDS = MappingProxyType(
    {"percent": "%", "GBP": "\u00a3", "count": "number", "rate": "rate", "kg": "kg", "other": "other unit"}
)
_CHANGE = re.compile(
    r"^(?:an?\s+|the\s+)?(?:overall\s+)?(?:fall|drop|reduction|decrease|decline|rise|increase|"
    r"growth|uplift|improvement|change)s?\s+(?:in|of)\s+(?:the\s+)?(?:number\s+of\s+)?",
    re.I,
)
_CLAUSE_END = re.compile(
    r"[,;:.()]|\s(?:and|but|while|whilst|compared|from|since|between|over|during|when|which|"
    r"to|against|across|in the (?:last|past|year|period|quarter))\s",
    re.I,
)


def words_after(text: str, at: int) -> str:
    """What a figure counts when the words after it say ("38% fall in anti-social behaviour in the town
    centre, and ..." -> "anti-social behaviour in the town centre"); '' when they do not open with a change
    word and "in"/"of"."""
    tail = text[at : at + 160].lstrip()
    m = _CHANGE.match(tail)
    if not m:
        return ""
    return _CLAUSE_END.split(tail[m.end() :], maxsplit=1)[0].strip()


_CHANGED = re.compile(
    r"(?:^|[,;:(]\s*|\band\s+|\bwhile\s+|\bwhilst\s+)((?:[\w'\u2019/-]+\s+){0,9}?[\w'\u2019/-]+)\s+"
    r"(?:has\s+|have\s+)?(?:fell|fallen|rose|risen|increased|decreased|reduced|dropped|grew|"
    r"declined|went\s+(?:up|down))(?:\s+by)?\s*$",
    re.I,
)


def words_before(before: str) -> str:
    """What a figure counts when the words before it say ("... 120 offenders, and proven reoffending fell by"
    -> "proven reoffending"): the clause's subject before a word of change; '' when there is none."""
    m = _CHANGED.search(before.strip())
    return m.group(1).strip() if m else ""


def figure_column(
    about: str | None, unit: str, period: dict[str, Any] | None, before: str = "", after: str = ""
) -> tuple[str, str, str | None]:
    """(column id, label, what it counts) of a figure: its measure of measures.jsonl when one is named (in
    `about`, the words before it or after it), else what it counts in its own words (the sentence's own
    construction first: "a 38% fall in X", "X fell by 9%"; else extraction's `about`), else 'Other
    figures'; each column with its unit and period, so none mixes units or periods."""
    when = period_label(period)
    what = about_label(after) or about_label(words_before(before)) or about_label(about)
    measure = measure_of(about, unit, before) or (measure_of(after, unit) if after else None)
    if measure is None:
        measure = (
            ("about:" + re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-"), what[:1].upper() + what[1:])
            if what
            else ("other", "Other figures")
        )
    label = f"{measure[1]} ({UNIT_WORDS.get(unit, unit)}{', ' + when if when else ''})"
    return "|".join((measure[0], unit, when)), label, what

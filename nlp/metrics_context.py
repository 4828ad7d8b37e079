"""Context of a figure: what it counts, the change it reports, its period, and table cells.

Helpers of `nlp.metrics`, kept apart so each module stays short. Word lists are data files in
`nlp/data/` (units, money magnitudes, identifier words, words of change).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ingest.datafiles import csv_rows, word_set

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class MetricHit:
    start_char: int
    end_char: int
    value: float
    unit: str
    value_max: float | None = None
    about: str | None = None
    direction: str | None = None
    period: tuple[int, int] | None = None  # char offsets of the date span in the same doc


# words that end the noun phrase after a figure ("12 homeless people | were supported")
STOP = frozenset(
    """a an the was were is are be been being have has had in on at to for from by with and or
which that who whom this these those than since during per as into over under across between it its will
would can could may might should shall when where while but so not also we they our their his her he she
compared against above below after before within each every of since so far respectively whilst such
including""".split()
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(£\d\"'‘“])|\n+")


@dataclass(frozen=True)
class Context:
    """What a figure's surroundings say when its own words do not: table row/column labels, rate."""

    label: str | None = None
    rate: bool = False
    unit: tuple[str, float] | None = None  # a column headed "%" or "£000" gives its bare figures a unit


# "% of ...", "Percentage", "£000", "Cost (£m)": a column header's unit for the bare figures under it
_HEADER_PERCENT = re.compile(r"%|\bper\s?cent|\bpercentage\b", re.I)
_HEADER_MONEY = re.compile(r"£\s?(?P<mult>000s?|k|m|million|bn)?\b|\bGBP\b", re.I)


def header_unit(header: str) -> tuple[str, float] | None:
    if _HEADER_PERCENT.search(header):
        return "percent", 1.0
    if m := _HEADER_MONEY.search(header):
        mult = (m.group("mult") or "").lower()
        return "GBP", {"000": 1e3, "000s": 1e3, "k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}.get(mult, 1.0)
    return None


@lru_cache(maxsize=2)
def unit_words(path: Path = DATA / "units_metrics.csv") -> MappingProxyType[str, tuple[str, float]]:
    return MappingProxyType({r["word"]: (r["unit"], float(r["factor"])) for r in csv_rows(path)})


@lru_cache(maxsize=2)
def money_factors(path: Path = DATA / "units_money.csv") -> MappingProxyType[str, float]:
    return MappingProxyType({r["word"]: float(r["factor"]) for r in csv_rows(path)})


@lru_cache(maxsize=2)
def not_after_words(path: Path = DATA / "metrics_not_after.txt") -> frozenset[str]:
    return word_set(path)


@lru_cache(maxsize=2)
def _direction_words(
    path: Path = DATA / "metrics_direction.csv",
) -> tuple[re.Pattern[str], MappingProxyType[str, str]]:
    words = {r["word"]: r["direction"] for r in csv_rows(path)}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    return pattern, MappingProxyType(words)


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of `text` (a sorted list beginning with 0)."""
    return [0] + [m.end() for m in SENTENCE_END.finditer(text)]


def _sentence(bounds: list[int], pos: int, length: int) -> tuple[int, int]:
    k = bisect_right(bounds, pos) - 1
    return bounds[k], bounds[k + 1] if k + 1 < len(bounds) else length


def direction_near(text: str, start: int, end: int, bounds: list[int]) -> str | None:
    """rise or fall, from the word of change nearest the figure in its sentence."""
    lo, hi = _sentence(bounds, start, len(text))
    pattern, words = _direction_words()
    best: tuple[int, str] | None = None
    for m in pattern.finditer(text, lo, hi):
        distance = start - m.end() if m.end() <= start else m.start() - end
        if distance < 0 or distance > 80:
            continue
        if best is None or distance < best[0]:
            best = (distance, words[m.group(0).lower()])
    return best[1] if best else None


def nearest_period(
    text: str, pos: int, dates: list[tuple[int, int]], bounds: list[int] | None = None
) -> tuple[int, int] | None:
    """The date span nearest a figure within its sentence, if any."""
    lo, hi = _sentence(bounds or sentence_bounds(text), pos, len(text))
    inside = [d for d in dates if lo <= d[0] < hi]
    return min(inside, key=lambda d: abs(d[0] - pos)) if inside else None


# a word after a figure that does not begin what it counts: a verb, a participle, a new sentence's capital
_NOT_NOUN = re.compile(
    r"^(?:[A-Z][a-z]+|\w+(?:ing|ed)|is|are|was|were|has|have|had|will|would|can|could|may|might|"
    r"pertain|relate|remain|show|shows|represent|represents|compared|against|to|from|in|on|at|by|"
    r"for|with|and|or|but)$"
)


def about_after(text: str, start: int, end: int) -> str | None:
    """The few words that say what a figure counts: after it ("12 homeless people"), else before it."""
    tail = text[end : end + 80]
    m = re.match(r"[ \t]*(?:of\s+(?:the\s+|all\s+)?)?", tail)
    words = []
    first = WORD.match(tail, m.end() if m else 0)
    of = bool(m and "of" in m.group(0))
    if first is None or (_NOT_NOUN.match(first.group(0)) and not (of and first.group(0)[:1].isupper())):
        tail = ""  # "43.1%. Whereas", "50.7%, surpassing", "13 pertain to": the noun phrase is before it
    for w in WORD.finditer(tail, m.end() if m else 0):
        gap = tail[(words[-1].end() if words else (m.end() if m else 0)) : w.start()]
        if w.group(0).lower() in STOP or (words and gap.strip()) or len(words) == 5:
            break
        words.append(w)
    if words:
        return " ".join(w.group(0) for w in words)
    head = text[max(0, start - 80) : start]
    head = re.split(r"[.;:!?\n|]", head)[-1]
    before = WORD.findall(head)
    _, direction = _direction_words()
    while before and (
        before[-1].lower() in STOP or before[-1].lower() in direction or before[-1].endswith("ed")
    ):
        before.pop()
    before = before[-5:]
    while before and before[0].lower() in STOP:
        before.pop(0)
    return " ".join(before) or None


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in line.split(" | "):
        out.append((offset + pos, part))
        pos += len(part) + 3
    return out


def _is_label(cell: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", cell))


Figures = Callable[..., list[MetricHit]]


def table_figures(text: str, dates: list[tuple[int, int]], figures: Figures) -> list[MetricHit]:
    """Metrics of a table passage: caption lines as prose, each row cell with its row and column labels."""
    hits: list[MetricHit] = []
    caption = " ".join(ln for ln in text.splitlines() if " | " not in ln)
    rate = bool(RATE_CAPTION.search(caption))
    caption_dates = [d for d in dates if " | " not in _line_at(text, d[0])]
    header: list[tuple[int, str]] | None = None
    row_label = None
    offset = 0
    for line in text.split("\n"):
        if " | " not in line:
            hits += _shift(figures(line, _local(dates, offset, len(line))), offset)
        else:
            cells = _cells(line, offset)
            if header is None and sum(_is_label(c) for _, c in cells[1:]) >= max(1, len(cells[1:]) - 1):
                header = cells
            elif header is None and all(_is_year_or_label(c, o, dates) for o, c in cells):
                header = cells  # a row of years is the header: "Year | 2018 | 2019"
            else:
                row_label = cells[0][1].strip() if _is_label(cells[0][1]) else row_label
                hits += _row(cells, header, row_label, dates, caption, rate, caption_dates, figures)
        offset += len(line) + 1
    return hits


RATE_CAPTION = re.compile(r"\brates?\b[^|\n]*\bper\b|\bper\s+(?:1,?000|10,?000|100,?000)\b", re.IGNORECASE)


def _line_at(text: str, pos: int) -> str:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo : hi if hi >= 0 else len(text)]


def _is_year_or_label(cell: str, offset: int, dates: list[tuple[int, int]]) -> bool:
    return _is_label(cell) or not cell.strip() or any(offset <= d[0] < offset + len(cell) for d in dates)


def _row(
    cells: list[tuple[int, str]],
    header: list[tuple[int, str]] | None,
    row_label: str | None,
    dates: list[tuple[int, int]],
    caption: str,
    rate: bool,
    caption_dates: list[tuple[int, int]],
    figures: Figures,
) -> list[MetricHit]:
    out: list[MetricHit] = []
    texts = [c for _, c in cells]
    caption_unit = (
        header_unit(caption) if header_unit(caption) == ("percent", 1.0) else None
    )  # "Indicator: % of ..."
    for j, (offset, cell) in enumerate(cells):
        if (
            j == 0
            and re.fullmatch(r"\s*\d{1,2}\.?\s*", cell)
            and any(len(t) > 3 and _is_label(t) for t in texts[1:])
        ):
            continue  # a numbering column ("1 | The partnership fails to ...")
        if j and re.search(r"\bp\s?a\s?g\s?e\s*$", texts[j - 1], re.I):
            continue  # a page footer read as a row: "P a g e | 58"
        if j + 1 < len(texts) and _NUMBERS_END.search(cell) and _PERSON.match(texts[j + 1]):
            continue  # "Order of Receipt 74 & 75 | Councillor Jane Doe": public forum statement numbers
        col = header[j][1].strip() if header and j < len(header) else ""
        if _identifier_column(col):
            continue  # a "Ref No" / "Item" / "Page" column numbers the rows, it counts nothing
        label = ", ".join(x for x in (row_label if j else None, col) if x) or caption[:60] or None
        unit = header_unit(col) or (caption_unit if re.fullmatch(r"\s*\d+\.\d+\s*", cell) else None)
        found = figures(
            cell, _local(dates, offset, len(cell)), Context(label=label, rate=rate, unit=unit), cell=True
        )
        period = _column_date(header, j, dates) or (caption_dates[0] if caption_dates else None)
        out += [replace(h, period=h.period or period) for h in _shift(found, offset)]
    return out


_NUMBERS_END = re.compile(r"\d{1,3}(?:\s*(?:,|&|and)\s*\d{1,3})*\s*$")
_PERSON = re.compile(
    r"^\s*(?:(?:Cllr|Councillor|Dr|Mr|Mrs|Ms)\.?\s+)?[A-Z][A-Za-z'-]+(?:\s+[A-Z]\.?)?\s+[A-Z][A-Za-z'-]+"
    r"(?:,\s*[A-Z][\w ]+)?\s*$"
)


def _identifier_column(header: str) -> bool:
    words = re.findall(r"[A-Za-z]+", header.lower().replace("(s)", ""))
    return bool(words) and len(words) <= 3 and words[-1].rstrip("s") in not_after_words() | {"ref", "no"}


def _column_date(
    header: list[tuple[int, str]] | None, j: int, dates: list[tuple[int, int]]
) -> tuple[int, int] | None:
    if not header or j >= len(header):
        return None
    offset, cell = header[j]
    return next((d for d in dates if offset <= d[0] < offset + len(cell)), None)


def _local(dates: list[tuple[int, int]], offset: int, length: int) -> list[tuple[int, int]]:
    return [(s - offset, e - offset) for s, e in dates if offset <= s < offset + length]


def _shift(hits: list[MetricHit], offset: int) -> list[MetricHit]:
    return [
        replace(
            h,
            start_char=h.start_char + offset,
            end_char=h.end_char + offset,
            period=(h.period[0] + offset, h.period[1] + offset) if h.period else None,
        )
        for h in hits
    ]

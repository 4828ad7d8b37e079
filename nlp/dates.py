"""Dates: calendar references in a paper, each normalised to an ISO start and end.

`cp_dates` is a spaCy component: `match()` runs the regular expressions of
`patterns/dates.jsonl` once over each passage, keeps the longest of overlapping matches and
normalises each (financial years run 1 April - 31 March, quarters are calendar quarters unless
tied to a financial year, seasons follow `data/dates_calendar.csv`); `set_annotations()` writes
`doc.spans["dates"]` (label = kind) with the ISO range on `span._.iso`. `collect_dates` merges
the spans of a paper into one `DateSpan` per distinct (start, end), keeping every mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.datafiles import csv_rows, rule_rows, word_set
from ingest.dates import MONTH_ABBREVIATIONS, MONTHS, financial_year, financial_year_end, full_year, last_day
from ingest.model import Document
from nlp.evidence import HitComponent, evidence_for
from nlp.model import DateSpan, Evidence
from nlp.rules import fired

HERE = Path(__file__).parent
PATTERNS = HERE / "patterns" / "dates.jsonl"
CALENDAR = HERE / "data" / "dates_calendar.csv"
NAME_WORDS = HERE / "data" / "dates_name_words.txt"
SPAN_KEY = "dates"

# Web addresses and e-mail addresses hold digit runs ("uploads/2024/06") that are not dates.
MASK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# A word of change before "from A to B" makes it a comparison of two years, not one span.
CHANGE_CUE = re.compile(
    r"\b(?:increas\w*|decreas\w*|ris[ei]\w*|rose|f[ae]ll\w*|grow\w*|grew|reduc\w*|"
    r"declin\w*|drop\w*|chang\w*|compar\w*)\b[^.;]{0,60}$",
    re.IGNORECASE,
)
ORDINALS = MappingProxyType({"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4})


@dataclass(frozen=True)
class DatePattern:
    label: str
    kind: str
    regex: re.Pattern[str]
    split: bool = False
    anchor: str = "year"  # what the text must hold near a match (ANCHORS)  # a "from A to B" after a word of change also yields A and B


@dataclass(frozen=True)
class DateHit:
    start_char: int
    end_char: int
    kind: str
    start: str  # ISO
    end: str


@lru_cache(maxsize=2)
def calendar_words(path: Path = CALENDAR) -> MappingProxyType[str, tuple[int, int]]:
    """month (ingest/dates.py) or season word (`path`) -> (first month, last month)."""
    months = {word: (n, n) for word, n in MONTHS.items()}
    seasons = {r["word"]: (int(r["first_month"]), int(r["last_month"])) for r in csv_rows(path)}
    return MappingProxyType(months | seasons)


@lru_cache(maxsize=2)
def name_words(path: Path = NAME_WORDS) -> frozenset[str]:
    return word_set(path)


def _placeholders() -> dict[str, str]:
    words = calendar_words()
    months = sorted((w for w, (a, b) in words.items() if a == b), key=len, reverse=True)
    seasons = sorted((w for w, (a, b) in words.items() if a != b), key=len, reverse=True)
    return {
        "MONTH": r"(?:" + "|".join(months) + r")\.?",
        "SEASON": r"(?:" + "|".join(seasons) + r")",
        # abbreviated months, which tables pair with a two-digit year ("Apr-24", "Jan – Mar 24")
        "MONABBR": "(?:" + "|".join(MONTH_ABBREVIATIONS) + ")",
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
        "YEAR": r"(?:19[5-9]\d|20[0-5]\d)",
        "WEEKDAY": r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?",
        "SEP": r"\s*(?:-|–|—|to|until|till)\s*",
        "L": r"(?<![\w£$#/.,\-])",
        "R": r"(?![\w%£+]|[/.,\-]\d)",  # "2000+ care leavers" is a count
    }


@lru_cache(maxsize=1)
def load_patterns(path: Path = PATTERNS) -> tuple[DatePattern, ...]:
    subs = _placeholders()
    out = []
    for _, row in rule_rows(path, "pattern"):
        source = re.sub(r"\{([A-Z]+)\}", lambda m: subs[m.group(1)], row["pattern"])
        # case-insensitive so "20 OCTOBER 2022" and "Oct. 2019" match; the patterns spell out
        # the few places where case matters
        out.append(
            DatePattern(
                row["label"],
                row["kind"],
                re.compile(source, re.IGNORECASE),
                bool(row.get("split")),
                row.get("anchor", "year"),
            )
        )
    return tuple(out)


def _month_number(word: str) -> int:
    w = word.lower().rstrip(".")
    return int(w) if w.isdigit() else MONTHS[w]


def _sub_range(first: date, months: int, index: int) -> tuple[date, date]:
    """The `index`-th (0-based) block of `months` months counted from `first`."""
    m0 = first.month - 1 + index * months
    y, m = first.year + m0 // 12, m0 % 12 + 1
    m_last = m0 + months - 1
    return date(y, m, 1), last_day(first.year + m_last // 12, m_last % 12 + 1)


def _point(g: dict[str, str | None], i: int, year_hint: int | None) -> tuple[date, date] | None:
    """One end of a match (groups d/m/y/f/e/q/s/h with suffix i) -> its first and last day."""
    d, m, y, f, e = (g.get(f"{k}{i}") for k in "dmyfe")
    if not y and g.get(f"c{i}"):
        y = str(full_year(g[f"c{i}"]))  # "Dec 23"
    q, s, h = g.get(f"q{i}"), g.get(f"s{i}"), g.get(f"h{i}")
    if a := g.get(f"a{i}"):  # an academic year runs 1 September - 31 August
        end_year = financial_year_end(int(a), e or "")
        return (date(int(a), 9, 1), date(end_year, 8, 31)) if end_year == int(a) + 1 else None
    if f:
        first = date(int(f), 4, 1)
        end_year = financial_year_end(int(f), e or "")
        if not 0 < end_year - int(f) <= 10:
            return None
        if q:
            return _sub_range(first, 3, (ORDINALS.get(q.lower()) or int(q)) - 1)
        if s:
            lo, hi = calendar_words()[s.lower()]
            year = int(f) if lo >= 4 else int(f) + 1
            return _season(year, lo, hi)
        return financial_year(int(f), end_year)
    year = int(y) if y else year_hint
    if year is None:
        return None
    if q:
        return _sub_range(date(year, 1, 1), 3, (ORDINALS.get(q.lower()) or int(q)) - 1)
    if s:
        lo, hi = calendar_words()[s.lower()]
        return _season(year, lo, hi)
    if h:
        return _sub_range(date(year, 1, 1), 6, 0 if h.lower() in ("first", "early") else 1)
    if m:
        month = _month_number(m)
        if d:
            day = date(year, month, int(re.sub(r"\D", "", d)))
            return day, day
        return date(year, month, 1), last_day(year, month)
    return date(year, 1, 1), date(year, 12, 31)


def _season(year: int, lo: int, hi: int) -> tuple[date, date]:
    # winter 2020 runs December 2020 to February 2021
    return date(year, lo, 1), last_day(year + 1 if hi < lo else year, hi)


def date_range(g: dict[str, str | None]) -> tuple[date, date] | None:
    """Groups of one match -> (first day, last day) of the whole span, or None if not a real date."""
    try:
        hint = int(g["y2"]) if g.get("y2") else (full_year(g["c2"]) if g.get("c2") else None)
        p2 = _point(g, 2, None) if any(g.get(f"{k}2") for k in "dmyfc") else None
        p1 = _point(g, 1, hint)
        if p1 is None:
            return None
        if p2 is None:
            return p1
        if (
            p2[0] < p1[0] and not g.get("y1") and not g.get("f1") and not g.get("c1")
        ):  # "December - February 2021"
            p1 = _point(g, 1, (hint or 0) - 1)
        if p1 is None or p2[1] <= p1[0] or p2[1].year - p1[0].year > 20:
            return None
        return p1[0], p2[1]
    except (ValueError, KeyError):  # 31 February, an unknown word: not a date
        return None


def _kind(pattern: DatePattern, span: tuple[date, date]) -> str:
    if pattern.label in ("financial_year", "financial_year_long") and span[1].year - span[0].year > 1:
        return "period"  # "2024-27": a run of financial years
    return pattern.kind


# "the 2006 Act", "the 2013 Regulations": a year before a legislation word is part of its title
LEGISLATION_AFTER = re.compile(r"^\s+(?:Acts?|Regulations|Order|Rules|Bill)\b")
# "Acts 1964 and 1970", "Orders 1807 to 1998": a year listed after a name's year belongs to a name too
NAME_YEAR_LIST_BEFORE = re.compile(r"\b([A-Za-z]+)\s+\d{4}\s*(?:,|and|&|to|-|–)\s*$")


def _is_name(text: str, start: int, end: int | None = None) -> bool:
    """A year right after "Act", "Strategy"... belongs to a name ("Crime and Disorder Act 1998")."""
    m = re.search(r"([A-Za-z]+)\s*$", text[max(0, start - 30) : start])
    if m and m.group(1).lower() in name_words():
        return True
    listed = NAME_YEAR_LIST_BEFORE.search(text[max(0, start - 40) : start])
    if listed and (
        listed.group(1).lower() in name_words() or listed.group(1).lower().rstrip("s") in name_words()
    ):
        return True
    return end is not None and end - start == 4 and bool(LEGISLATION_AFTER.match(text[end : end + 20]))


def _hits_of(pattern: DatePattern, m: re.Match[str], text: str) -> list[DateHit]:
    g = m.groupdict()
    span = date_range(g)
    if span is None or (
        m.group(0)[0].isdigit() and _is_name(text, m.start(), m.end()) and fired("dates: year in a name")
    ):
        return []
    if not fired(f"dates: {pattern.label}"):
        return []
    hits = [DateHit(m.start(), m.end(), _kind(pattern, span), span[0].isoformat(), span[1].isoformat())]
    if pattern.split and CHANGE_CUE.search(text[max(0, m.start() - 80) : m.start()]):
        for i, name in ((1, "f1" if g.get("f1") else "y1"), (2, "f2" if g.get("f2") else "y2")):
            part = _point(g, i, None)
            if part:
                kind = "financial_year" if name.startswith("f") else "year"
                hits.append(
                    DateHit(
                        m.start(name),
                        m.end(f"e{i}" if name.startswith("f") else name),
                        kind,
                        part[0].isoformat(),
                        part[1].isoformat(),
                    )
                )
    return hits


# Every date has a year in it; the regular expressions (slow to scan: they open with a look-behind)
# run only in windows around the places a fast scan finds one.
_SHORT_MONTHS = "|".join(
    [m.capitalize() for m in MONTH_ABBREVIATIONS] + [m.upper() for m in MONTH_ABBREVIATIONS]
)
ANCHORS = MappingProxyType(
    {
        "year": re.compile(r"(?:19[5-9]|20[0-5])\d"),
        "short_year": re.compile(rf"(?:{_SHORT_MONTHS})\.?[\s-]?[1-4]\d(?!\d)"),
    }
)
BEFORE, AFTER = 90, 60  # the longest reach of a pattern before and after its year


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for name, anchor in ANCHORS.items():
        merged: list[tuple[int, int]] = []
        for m in anchor.finditer(text):
            lo, hi = max(0, m.start() - BEFORE), min(len(text), m.end() + AFTER)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        out[name] = merged
    return out


def find_dates(text: str) -> list[DateHit]:
    """All date references in `text`, the longest of overlapping matches kept, in text order."""
    masked = MASK.sub(lambda m: " " * len(m.group(0)), text) if "/" in text or "@" in text else text
    windows = _windows(masked)
    candidates: list[tuple[DatePattern, re.Match[str]]] = []
    for pattern in load_patterns():
        for lo, hi in windows[pattern.anchor]:
            candidates.extend((pattern, m) for m in pattern.regex.finditer(masked, lo, hi))
    # longest first; on equal length the earlier pattern in the file wins (sort is stable)
    candidates.sort(key=lambda c: c[1].start() - c[1].end())
    taken = bytearray(len(masked))  # 1 where a kept match lies
    hits: list[DateHit] = []
    for pattern, m in candidates:
        if taken.find(1, m.start(), m.end()) != -1:
            continue
        found = _hits_of(pattern, m, masked)
        if found:
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            hits.extend(found)
    return sorted(hits, key=lambda h: (h.start_char, -h.end_char))


def doc_text(doc: Doc) -> str:
    """doc.text, read once per Doc: spaCy rebuilds it from the tokens on every access."""
    text = doc.user_data.get("cp_text")
    if text is None:
        text = doc.user_data["cp_text"] = doc.text
    return text


if not Span.has_extension("date"):
    Span.set_extension("date", default=None)  # the DateHit of a span in doc.spans["dates"]


class DateFinder(HitComponent):
    """spaCy component: finds dates in a Doc and writes them to doc.spans["dates"]."""

    extension = "date"

    def __init__(self, nlp: Language, name: str = "cp_dates", span_key: str = SPAN_KEY) -> None:
        super().__init__(name, span_key)
        load_patterns()  # fail at build time, not on the first document

    def match(self, doc: Doc) -> list[DateHit]:
        return find_dates(doc_text(doc))

    def label_of(self, hit: DateHit) -> str:
        return hit.kind


@Language.factory("cp_dates", default_config={"span_key": SPAN_KEY})
def make_date_finder(nlp: Language, name: str, span_key: str) -> DateFinder:
    return DateFinder(nlp, name, span_key)


def uncovered(document: Document) -> list[tuple[int, int, int]]:
    """Stretches of Document.text outside every passage (headings, cover lines such as
    "Meeting date: 16 September 2024"), as (start, end, index of the passage that follows)."""
    out, pos = [], 0
    passages = sorted(document.passages, key=lambda p: p.start)
    for p in passages:
        if p.start > pos and document.text[pos : p.start].strip():
            out.append((pos, p.start, p.index))
        pos = max(pos, p.end)
    if pos < len(document.text) and document.text[pos:].strip() and passages:
        out.append((pos, len(document.text), passages[-1].index))
    return out


def gap_evidence(document: Document, passage_index: int, start: int, end: int) -> Evidence | None:
    """Evidence for text outside passages (a heading): cited to the passage it heads, the first from
    `passage_index` on whose heading path holds the line; None when no passage holds it."""
    line_start = document.text.rfind("\n", 0, start) + 1
    line_end = document.text.find("\n", end)
    line = document.text[line_start : line_end if line_end >= 0 else len(document.text)].strip()
    for p in document.passages[passage_index : passage_index + 3]:
        if any(line == h.strip() or (line in h and document.text[start:end] in h) for h in p.heading_path):
            return Evidence(
                passage=p.index,
                page=p.page,
                paragraph=None,
                start=start,
                end=end,
                text=document.text[start:end],
            )
    return None


def collect_dates(document: Document, docs: list[Doc]) -> tuple[DateSpan, ...]:
    """One DateSpan per distinct (start, end) in the paper, every mention kept as evidence (a cover line
    that no passage holds counts, without evidence)."""
    found: list[tuple[tuple[str, str], str, str, int, Evidence | None]] = []
    for i, doc in enumerate(docs):
        for span in doc.spans.get(SPAN_KEY, []):
            h: DateHit | None = span._.date
            if h is not None:
                ev = evidence_for(document, i, h.start_char, h.end_char)
                found.append(((h.start, h.end), ev.text, h.kind, ev.start, ev))
    for lo, hi, index in uncovered(document):
        for h in find_dates(document.text[lo:hi]):
            a, b = lo + h.start_char, lo + h.end_char
            found.append(
                ((h.start, h.end), document.text[a:b], h.kind, a, gap_evidence(document, index, a, b))
            )
    found.sort(key=lambda f: f[3])
    first: dict[tuple[str, str], tuple[str, str]] = {}
    evidence: dict[tuple[str, str], list[Evidence]] = {}
    for iso, text, kind, _pos, ev in found:
        first.setdefault(iso, (text, kind))
        evidence.setdefault(iso, []).extend([ev] if ev else [])
    return tuple(
        DateSpan(text=text, start=iso[0], end=iso[1], kind=kind, evidence=tuple(evidence[iso]))
        for iso, (text, kind) in first.items()
    )

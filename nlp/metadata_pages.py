"""Metadata by the conventions of councils' committee web pages saved as papers (ModernGov, CMIS, Jadu).

A page heads itself "Issue - meetings", "Agenda item", "Decision details" or "Agenda and minutes": that
heading is the page's, never the paper's title (nlp/data/web_pages.json). The paper's title is the item
heading after it; on a meeting's page, the first agenda item that is not a standing one ("Apologies",
"Declarations of interest", "Minutes"). The committee is in the page's meeting line: "Meeting: 12/03/2024
- Cabinet (Item 45)", "Meeting of Cabinet, Tuesday, 12th March, 2024 7.00 pm (Item 45.)", "Decided at
meeting: 12/03/2024 - Cabinet", "Agenda for Cabinet on ...", or a meeting page's "Cabinet" / "Tuesday, 5th
November, 2024" heading lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.datafiles import json_data
from ingest.dates import WEEKDAY_PATTERN
from ingest.model import Document

DATA = Path(__file__).parent / "data" / "web_pages.json"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
# the meeting line of an issue, agenda-item or decision page, and a meeting page's own heading
MEETING_LINE = re.compile(
    rf"^(?:Meeting|Decided at meeting|Decision taken at|Considered at)\s*:\s*(?:{_NUMERIC_DATE}|\S+\s+\S+\s+\d{{4}})"
    rf"\s*[-–]\s*(?P<a>.+?)(?:\s*\((?:Item|Agenda item)\b[^)]*\))?\s*$"
    rf"|^Meeting of (?:the\s+)?(?P<b>.+?)(?:,?\s+{WEEKDAY_PATTERN}\b|\s+held\b|\s+on\s+(?:{WEEKDAY_PATTERN},?\s+)?\d)"
    rf"|^Agenda (?:for|of) (?:the\s+)?(?P<c>.+?) on\b"
    rf"|^(?P<d>[A-Z][\w&,' -]{{2,80}}?)\s*[-–,]\s*{WEEKDAY_PATTERN},?\s+\d{{1,2}}",
    re.I,
)
# an item heading with its number: "45 Serious Violence Duty Strategy", "2. Community Safety Report"
_ITEM = re.compile(r"^(?:(?:item|agenda item)\s+)?(?P<num>\d{1,3}[a-z]?)[.):]?\s+(?P<t>[A-Z\"'‘“(].{2,150})$")
_FILE_SIZE = re.compile(r"\b(?:PDF|DOC|DOCX|XLSX?|PPTX?|HTML?)\s+\d+(?:\.\d+)?\s*[KMG]B\b", re.I)
_FILE_LINK = re.compile(r"\s*\b(?:PDF|DOC|DOCX|XLSX?|PPTX?|HTML?)\s+\d+(?:\.\d+)?\s*[KMG]B\s*$", re.I)


@dataclass(frozen=True)
class PageWords:
    page_titles: frozenset[str]
    meeting_pages: frozenset[str]
    standing_items: frozenset[str]
    not_titles: frozenset[str]


@lru_cache(maxsize=2)
def page_words(path: Path = DATA) -> PageWords:
    raw = json_data(path)
    return PageWords(**{k: frozenset(v) for k, v in raw.items() if not k.startswith("_")})


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip(" :").lower())


def page_title_line(line: str) -> str | None:
    """The page's own heading, as data ("Issue - meetings"), or None. "Issue - items at meetings - X" -> the
    heading part only."""
    key = _key(line)
    if key in page_words().page_titles:
        return key
    m = re.match(
        r"^(issue - items at meetings|issue - meetings|agenda item|decision details|decision|issue)\s*[-–:]\s*\S",
        key,
    )
    return m.group(1) if m else None


def is_standing_item(heading: str) -> bool:
    """ "Apologies and Deputy Members", "3. Declarations of Interest": an item every agenda carries."""
    key = _key(re.sub(r"^\d{1,3}[a-z]?[.):]?\s+", "", heading))
    key = re.sub(r"\s*\(.*?\)\s*$", "", key)
    return key in page_words().standing_items or any(
        key.startswith(w + " ") for w in ("minutes of", "apologies", "declarations of")
    )


def not_a_title(line: str) -> bool:
    """A page heading, a label, a file link or a purpose sentence: never a paper's title."""
    key = _key(line)
    return (
        page_title_line(line) is not None
        or key in page_words().not_titles
        or bool(_FILE_SIZE.search(line))
        or is_purpose(line)
        or bool(re.match(r"^(?:agenda\s+)?item\s*(?:no\.?|number)?\s*[.:\d]", key))
    )


def is_purpose(line: str) -> bool:
    """ "To seek approval of the strategy.", "This report updates members on ...": what a report is for."""
    return bool(
        re.match(
            r"^(?:(?:purpose(?: of (?:the |this )?report)?|summary)\s*:?\s*)?(?:to\s+[a-z]+\b|"
            r"this\s+(?:report|paper)\b|the\s+purpose\b)",
            line.strip(),
            re.I,
        )
    ) or (line.rstrip().endswith(".") and len(line.split()) > 12)


def page_lines(document: Document, chars: int) -> list[str]:
    """The lines of the paper's first `chars` characters in reading order, each passage's with its printed
    number ("58 Safer Streets Plan"): an agenda item's heading keeps the number that marks it an item."""
    out: list[str] = []
    pos = 0
    for p in document.passages:
        if p.start >= chars:
            break
        out += [x.strip() for x in document.text[pos : p.start].split("\n") if x.strip()]
        lines = [x.strip() for x in p.text.split("\n") if x.strip()]
        if lines and p.paragraph and not lines[0].startswith(p.paragraph):
            lines[0] = f"{p.paragraph} {lines[0]}"
        out += lines
        pos = p.end
    if pos < chars:
        out += [x.strip() for x in document.text[pos:chars].split("\n") if x.strip()]
    return out


def page_committee(lines: list[str]) -> tuple[str, str] | None:
    """(the line, the committee it names) from a page's meeting line."""
    for s in lines:
        m = MEETING_LINE.match(s.strip())
        if m:
            name = next(g for g in m.groups() if g)
            return s, re.sub(r"\s*\((?:Item|Agenda item)\b[^)]*\)\s*$", "", name, flags=re.I).strip(" ,-–")
    return None


def page_title(lines: list[str]) -> str | None:
    """The paper's title on a committee web page: the heading after the page's own, or on a meeting's page
    the first item that is not a standing one. None when the text is not such a page."""
    kinds = [(k, page_title_line(s)) for k, s in enumerate(lines) if page_title_line(s)]
    if not kinds:
        return None
    k, kind = kinds[0]
    first = lines[k]
    inline = re.match(
        r"^(?:issue\s*-\s*items at meetings|issue\s*-\s*meetings|agenda item|decision details|decision|"
        r"issue)\s*[-–:]\s*(?P<t>\S.+)$",
        first.strip(),
        re.I,
    )
    if inline and page_title_line(first) != _key(first):
        return inline.group("t").strip()
    if kind in page_words().meeting_pages:
        for s in lines[k + 1 :]:
            m = _ITEM.match(
                _FILE_LINK.sub("", s.strip())
            )  # "3. Annual Report PDF 540 KB": the item, not its file
            if m and not is_standing_item(m.group("t")) and not not_a_title(m.group("t")):
                return m.group("t").strip()
        return None
    for s in lines[k + 1 :]:
        t = s.strip()
        if not t or not_a_title(t) or MEETING_LINE.match(t) or re.match(r"^[\w ?'()/-]{2,40}\s*:", t):
            continue
        m = _ITEM.match(t)
        return (m.group("t") if m else t).strip()
    return None

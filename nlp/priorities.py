"""The strategic priorities a paper states, each with its themes (nlp/themes.py).

The rules read the parser's structure (list passages, their lead-in sentence, headings, numbered
paragraphs, tables), so a list is found however it is typed: any bullet or numbering glyph, blank lines
or none, a lead-in sentence or only a heading. What names priorities is data (nlp/data/priority_cues.json).
The shapes, by rule id (the extraction benchmark counts the councils each fires on):
- "list": the items of a list whose lead-in sentence, or else its heading, names priorities
  ("Our strategic priorities are:", "The following six priorities were identified :-", "Our Priorities");
- "paragraphs": the short paragraphs after such a lead-in ("1. ...", "2. ..."; a title and its text), or
  the numbered ones right under such a heading;
- "numbered": "Priority N - text" headings or paragraph openings ("Objective 2:", "Strategic Priority 3");
  a bare "Priority N" heading takes the first sentence under it;
- "table": a priorities column, a row headed "Priority N", or the rows of a table introduced as priorities;
- "inline": an enumeration after a cue ("three priorities: a, b and c", "priority areas include a and b");
- "in passing": "Tackling hate crime is a priority of the Community Safety Plan";
- "headings": a heading per priority under a cue heading that has no text of its own ("Our Priorities" /
  "Domestic Abuse" / its text / "Serious Violence" / its text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.assemble import list_items, render_rows
from ingest.datafiles import json_data
from ingest.model import Document, Passage
from ingest.text import LEAD_IN_END
from nlp.dates import uncovered
from nlp.evidence import evidence_for
from nlp.model import Evidence, Priority
from nlp.rules import fired
from nlp.themes import themes_for

if TYPE_CHECKING:
    from spacy.tokens import Doc

CUES = Path(__file__).parent / "data" / "priority_cues.json"
RULES = (
    "list",
    "paragraphs",
    "numbered",
    "table",
    "inline",
    "in passing",
    "headings",
)  # the shapes, as `Found.rule`
MAX_ITEM_WORDS = 45  # a longer item is a paragraph of argument, not a priority
MAX_PARAGRAPH_ITEMS = 15  # the longest priority list of the dev gold has 13
MAX_INLINE_ITEM_WORDS = 12  # an inline enumeration's parts are short noun phrases


@dataclass(frozen=True)
class Cues:
    """The compiled cue patterns of nlp/data/priority_cues.json."""

    stated: re.Pattern[str]  # a phrase naming priorities: "priorities", "strategic aims", "four key themes"
    heading: re.Pattern[
        str
    ]  # a heading that is such a phrase: "Our Priorities", "Key areas of focus 2024/25"
    not_lead_in: re.Pattern[str]  # progress against priorities, the report's purpose, a consultation
    open_end: re.Pattern[str]  # a lead-in running into its list without a colon: "... for 2024/25 are"
    inline: re.Pattern[str]  # an enumeration after a cue in a sentence


@dataclass(frozen=True)
class Found:
    """One priority as a rule found it."""

    text: str
    evidence: tuple[Evidence, ...]
    rule: str
    context: str = (
        ""  # the whole entry (a title's description, a heading's text): its themes when the title names none
    )


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=2)
def cues(path: Path = CUES) -> Cues:
    raw = json_data(path)
    strong, weak, mods = (_alternation(raw[k]) for k in ("strong_nouns", "weak_nouns", "modifiers"))
    names = rf"(?:(?:{mods})\s+(?:(?:{mods})\s+)?(?:{weak}|{strong})|{strong})"
    verbs = r"(?:are|include|includes|including|namely|were|will\s+be)"
    inline = (
        rf"\b{names}\b(?!\s*\d{{1,2}}\b)(?P<mid>(?:(?!\b{names}\b)[^.:;\n]){{0,80}}?)(?P<sep>\s*:-?|\s+[-–—]\s+|\s+(?:{verbs}|of)\s+"
        r"(?!(?:set|listed|shown|detailed|outlined|regarded|being|as|to\s+(?:be|the|a|an|this|its|our|their)|not|also|in|at|on|that|reflected|"
        r"aligned|identified|agreed|based|considered|reviewed|the\s+same)\b))[ \t]*(?P<items>[^.\n:]{3,1500})"
    )
    return Cues(
        stated=re.compile(rf"\b{names}\b(?!\s*\d{{1,2}}\b)", re.I),
        heading=re.compile(
            rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:[\w'’&-]+\s+){{0,3}}{names}"
            rf"(?:\s+(?:for|of|in|to|from)\s+.{{0,40}}|\s*[-–(]\s*.{{0,30}}|\s+(?:19|20)\d\d(?:\s*[-–/]\s*\d{{2,4}})?)?"
            rf"\s*:?\s*[-–]?$",
            re.I,
        ),
        not_lead_in=re.compile(rf"\b(?:{_alternation(raw['not_lead_in'])})\b", re.I),
        open_end=re.compile(rf"\b(?:{_alternation(raw['open_ends'])})\s*[.:;,-]?\s*$", re.I),
        inline=re.compile(inline, re.I),
    )


# "Priority" in a proper name ("the Devolution Priority Programme") names no priorities
_PROPER = re.compile(r"\bPriority\s+[A-Z][a-z]+")
_NUMBERED = re.compile(
    r"^\s*(?:strategic\s+|key\s+)?(?:priority|objective|aim|ambition|theme)(?:\s+area)?\s*"
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|[a-h])\b\s*"
    r"(?:[-–—:.)]\s*(?P<text>\S.{2,300}?))?\s*$",
    re.I,
)
_PREFIX = re.compile(
    r"^(?:[-*•·]\s*)?(?:\(?\d{1,2}[.)]|\(?[a-h]\)|[ivx]{1,4}\))?\s*"
    r"(?:(?:strategic\s+|key\s+)?(?:priority|theme|objective|aim|ambition|outcome|strand)(?:\s+area)?\s*"
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s*[-–—:.]\s*)?",
    re.I,
)
# an entry that is a sentence about the paper, not a priority
_NOT_ITEM = re.compile(
    r"^(?:members|the committee|cabinet|it is recommended|this report|see |note\b|appendix)", re.I
)
_COUNTER_CELL = re.compile(r"^\(?(?:\d{1,2}|[a-h]|[ivx]{1,4})[.)]?$", re.I)


def _clean(item: str) -> str:
    text = _PREFIX.sub("", item.strip())
    text = re.sub(r"\*\*|__", "", text)
    return re.sub(r"(?:[;,]|\s+and|\s+or)\s*$", "", text).strip()


def _last_sentence(text: str) -> str:
    return _PROPER.sub("", re.split(r"(?<=[.!?])\s+", text.strip())[-1]) if text.strip() else ""


def names_priorities(lead_in: str) -> bool:
    """True when a lead-in sentence or heading introduces the body's priorities."""
    return bool(cues().stated.search(lead_in)) and not cues().not_lead_in.search(lead_in)


def introduces(lead_in: str) -> bool:
    """A lead-in sentence ending with a colon (":-") or running into its list, naming priorities."""
    lead_in = _last_sentence(lead_in)
    ends = bool(LEAD_IN_END.search(lead_in) or cues().open_end.search(lead_in))
    return ends and names_priorities(lead_in)


def cue_heading(heading: str) -> bool:
    """A heading that names priorities ("Our Priorities", "Strategic aims 2024-27:")."""
    heading = _PROPER.sub("", heading).strip()
    return (
        len(heading.split()) <= 12
        and (bool(cues().heading.match(heading)) or introduces(heading))
        and names_priorities(heading)
    )


def _item(document: Document, p: Passage, text: str, offset: int, rule: str) -> Found | None:
    """An entry as a priority (`priority_text`), with its evidence in passage `p` from `offset` on."""
    cleaned = priority_text(text)
    if cleaned is None:
        return None
    off = p.text.find(cleaned, offset)
    off = off if off >= 0 else offset
    return Found(cleaned, (evidence_for(document, p.index, off, off + len(cleaned)),), rule, text)


# a title before a colon that is only a label ("Aim: to reduce ...") is no title
_LABEL = re.compile(
    r"^(?:aim|objective|priority|theme|outcome|goal|area|focus|strand|action|purpose|description|"
    r"lead|status|rationale|why|what|how)$",
    re.I,
)


def priority_text(entry: str) -> str | None:
    """An entry of a list, a paragraph or a heading as the priority it states, however it is presented:
    its title before a colon or dash when a description follows ("Domestic abuse: working with the refuge
    ..." -> "Domestic abuse"), else the whole entry, or its first sentence when the entry is long."""
    text = _clean(entry)
    m = re.match(r"^(.{3,120}?)(?::|\s[-–—]\s)\s*\S", text)
    if m and 1 <= len(m.group(1).split()) <= 14 and not _LABEL.match(m.group(1).strip()):
        text = _clean(m.group(1))
    elif len(text.split()) > MAX_ITEM_WORDS:
        text = _clean(re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0])
    if not text or len(text.split()) > MAX_ITEM_WORDS or _NOT_ITEM.match(text):
        return None
    return text


def _lead_of(document: Document, p: Passage, first_item: int) -> str:
    """The sentence that introduces a list: the passage's text before its first item, or the paragraph
    before it (a list split from its lead-in), or else the heading it sits under."""
    lead = p.text[:first_item].rsplit("\n", 1)[0] if "\n" in p.text[:first_item] else ""
    if lead.strip():
        return lead
    prev = document.passages[p.index - 1] if p.index else None
    if prev is not None and prev.heading_path == p.heading_path and LEAD_IN_END.search(prev.text):
        return prev.text
    return p.heading_path[-1] if p.heading_path else ""


def _list_items(document: Document, p: Passage) -> Iterator[Found]:
    items = list_items(p.text)
    if not items:
        return
    lead = _lead_of(document, p, items[0][1])
    if not (introduces(lead) or cue_heading(lead)):
        return
    for text, offset in items:
        if (found := _item(document, p, text, offset, "list")) is not None:
            yield found


def _paragraph_items(document: Document, i: int) -> Iterator[Found]:
    """Priorities spread over the short paragraphs after a lead-in, or numbered under a cue heading."""
    p = document.passages[i]
    if p.kind != "paragraph":
        return
    numbered_under_heading = (
        p.paragraph in ("1", "1.", "a", "a)")
        and bool(p.heading_path)
        and (i == 0 or document.passages[i - 1].heading_path != p.heading_path)
        and cue_heading(p.heading_path[-1])
    )
    if numbered_under_heading:
        run = document.passages[i : i + MAX_PARAGRAPH_ITEMS]
    elif LEAD_IN_END.search(p.text) and introduces(p.text):
        run = document.passages[i + 1 : i + 1 + MAX_PARAGRAPH_ITEMS]
    else:
        return
    shape = _entry_shape(run[0]) if run else ""
    for q in run:
        if q.kind != "paragraph" or q.heading_path != p.heading_path or _entry_shape(q) != shape:
            return  # a run of "1." (or "Priority 1 -") entries ends at the first paragraph without one
        found = _item(document, q, q.text, 0, "paragraphs")
        if found is None:
            return
        yield found


def _entry_shape(p: Passage) -> str:
    """How an entry is marked: by a printed number, by "Priority N", or not at all."""
    return "number" if p.paragraph else "label" if _NUMBERED.match(p.text.split(" - ")[0][:40]) else ""


def _split_enumeration(items_text: str) -> list[str]:
    """ "a, b and c"; "a; b; and c" (items with commas or "and" of their own); "• a • b"."""
    by = (
        r"\s*;\s*(?:and\s+)?"
        if ";" in items_text
        else r"\s*[•·]\s*"
        if re.search(r"[•·]", items_text)
        else r",\s+(?:and\s+)?"
    )
    parts = [x for x in re.split(by, items_text) if x.strip()]
    if by.startswith(",") and " and " in parts[-1]:
        parts[-1:] = parts[-1].rsplit(" and ", 1)
    if parts and len(parts) > 1:
        parts[0] = re.sub(
            r"^to\s+(?=[a-z])", "", parts[0]
        )  # "priorities are to reduce a, tackle b and protect c"
    return [_clean(x) for x in parts]


def _inline_items(document: Document, p: Passage) -> Iterator[Found]:
    """ "It has three priorities: a, b and c." -> a, b, c; "priorities including a" -> a."""
    masked = _PROPER.sub(lambda x: "#" * len(x.group(0)), p.text)
    for m in cues().inline.finditer(masked):
        if cues().not_lead_in.search(p.text[m.start() : m.start("items")]):
            continue
        if not m.group("sep").strip().startswith(":") and (
            len(m.group("mid")) > 40 or re.search(r"\bto\b", m.group("mid"))
        ):
            continue  # "priorities for the year are", not "priorities to deliver the plan are"
        items_text = p.text[m.start("items") : m.end("items")]
        if m.group("sep").strip() == "of" and (lead := re.match(r"^\w+\s+[-–—:]\s+", items_text)):
            items_text = items_text[lead.end() :]  # "key areas of focus - a, b and c": the cue ran past "of"
        parts = _split_enumeration(items_text)
        sep = m.group("sep").strip()
        if sep == "of" and (m.group("mid") or len(parts) < 3):
            continue  # "themes of a, b and c" is an enumeration; "priorities of the partnership" is not
        single = len(parts) == 1 and (sep.startswith(":") or sep == "including")
        if not (len(parts) >= 2 or (single and 3 <= len(parts[0].split()) <= 25)):
            continue
        longest = MAX_ITEM_WORDS if ";" in items_text else MAX_INLINE_ITEM_WORDS
        if len(parts) >= 2 and any(not x or len(x.split()) > longest for x in parts):
            continue
        for x in parts:
            if (found := _item(document, p, x, m.start("items"), "inline")) is not None:
                yield found


# "Tackling hate crime is a priority of the Community Safety Plan", "... remains one of the Partnership's
# key priorities": a priority stated in passing, of a named plan or body
_IN_PASSING = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:[A-Z][\w ,]{0,60}?\bthat\s+)?(?P<subj>(?!(?:It|This|That|These|Those|There|Which|What|"
    r"Safety|Everything|it|this|there|which)\b)[A-Za-z][^.;:!?\n]{3,110}?)\s+(?:is|are|remains?|has\s+been|continues\s+to\s+be|will\s+be)\s+"
    r"(?:(?:a|an|the)\s+(?:(?:key|main|top|major|strategic|continuing|local|core)\s+)?priority\s+(?:of|for|in|within|under)"
    r"|one\s+of\s+(?:the|our)\s+(?:[A-Z][\w'’]*\s+){0,4}?(?:(?:key|main|top|strategic|core)\s+)?priorities(?:\s+(?:of|for|in))?)"
    r"\s+(?:the\s+|our\s+)?(?P<body>(?:[A-Z][\w'’-]*\s*)+|partnership|board|council|plan|strategy)"
    r"|(?:^|(?<=[.!?]\s))(?P<subj2>(?!(?:It|This|That|These|Those|There|Which|What|Everything)\b)[A-Z][^.;:!?\n]{3,80}?)\s+"
    r"(?:is|remains|has\s+been|continues\s+to\s+be|will\s+be)\s+(?:our|its|their|the\s+[\w'’ ]{2,40}?['’]s)\s+"
    r"(?:top|main|key|number\s+one|first|highest|biggest|overriding)\s+priority\b"
)
# an enumeration before the cue: "identified a, b and c as the partnership's priorities", "a, b and c remain the
# key priorities of the Board"
_BEFORE_CUE = re.compile(
    r"(?:(?:^|(?<=[.!?]\s))|\b(?:identified|agreed|confirmed|selected|chose|adopted|named|set)\s+)"
    r"(?P<items>(?!(?:It|This|That|These|Those|There|They|We|Our|Its|Which)\b)[A-Za-z][^.;:!?\n]{3,300}?)\s+"
    r"(?:as|remain|were|are|will\s+be|have\s+been)\s+(?:the|our|its|their|the\s+[\w'’ ]{2,40}?['’]s)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:priorities|priority\s+areas|strategic\s+priorities)\b"
)


def _in_passing(document: Document, p: Passage) -> Iterator[Found]:
    for m in _BEFORE_CUE.finditer(p.text):
        items = re.split(
            r"\b(?:identified|agreed|confirmed|selected|chose|adopted|named|set)\s+", m.group("items")
        )[-1]
        parts = _split_enumeration(items)
        if (
            len(parts) >= 2
            and all(x and len(x.split()) <= MAX_INLINE_ITEM_WORDS for x in parts)
            and fired("priorities: an enumeration before its cue")
        ):
            for x in parts:
                if (found := _item(document, p, x, m.start("items"), "inline")) is not None:
                    yield found
    for m in _IN_PASSING.finditer(p.text):
        group = "subj" if m.group("subj") else "subj2"
        subj = m.group(group).strip()
        if len(subj.split()) > 12 or re.match(r"^(?:The|Our)\s+(?:report|paper|plan|strategy)\b", subj):
            continue
        if (found := _item(document, p, subj, m.start(group), "in passing")) is not None:
            yield found


def _headings(document: Document) -> Iterator[tuple[str, int, int]]:
    """Every heading line outside the passages, as (text, offset in Document.text, the passage after it);
    a heading replaced by the next at its level is on no passage's heading path but is here."""
    for lo, hi, index in uncovered(document):
        for m in re.finditer(r"[^\n]+", document.text[lo:hi]):
            if m.group(0).strip():
                yield m.group(0).strip(), lo + m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), index


def _numbered(document: Document) -> Iterator[Found]:
    """ "Priority 1 – The threat of radical extremism" as a heading or at the start of a paragraph;
    a bare "Priority 1" heading takes the first sentence under it."""
    for heading, start, index in _headings(document):
        if not (m := _NUMBERED.match(heading)):
            continue
        p = document.passages[index]
        if m.group("text"):
            if (text := priority_text(m.group("text"))) is None:
                continue
            a = start + m.start("text")
            ev = Evidence(passage=p.index, page=p.page, paragraph=None, start=a, end=a + len(text), text=text)
            yield Found(text, (ev,) if document.text[a : a + len(text)] == text else (), "numbered")
        elif p.kind == "paragraph" and p.heading_path and p.heading_path[-1] == heading:
            first = re.split(r"(?<=[.!?])\s+", p.text, maxsplit=1)[
                0
            ]  # the text under it describes the priority
            if (found := _item(document, p, first, 0, "numbered")) is not None:
                yield found
    for p in document.passages:
        first = (
            p.text
            if len(p.text.split()) <= MAX_ITEM_WORDS
            else re.split(r"(?<=[.!?])\s+|\n", p.text, maxsplit=1)[0]
        )
        if p.kind != "table" and (m := _NUMBERED.match(first)) and m.group("text"):
            if (found := _item(document, p, m.group("text"), m.start("text"), "numbered")) is not None:
                yield found


def _subheadings(document: Document) -> Iterator[Found]:
    """ "Our Priorities" with no text of its own, then a heading per priority, each over its text ("Domestic
    Abuse" / "We will work with partners ..."): the headings that name a theme, up to the first that names none
    ("Delivering the plan")."""
    heads = list(_headings(document))
    for k, (heading, _start, index) in enumerate(heads):
        if not cue_heading(heading) or k + 1 >= len(heads) or heads[k + 1][2] != index:
            continue  # a cue heading over text of its own heads no sub-headings
        for text, start, at in heads[k + 1 : k + 1 + MAX_PARAGRAPH_ITEMS]:
            entry = priority_text(text)
            if entry is None or len(entry.split()) > 10 or not themes_for(entry) or cue_heading(text):
                break
            p = document.passages[at]
            ev = Evidence(
                passage=p.index, page=p.page, paragraph=None, start=start, end=start + len(text), text=text
            )
            yield Found(entry, (ev,), "headings", p.text)


_COLUMN = re.compile(
    r"^(?:priority|priorities|objectives?|aims?|themes?|priority areas?|strategic priorit(?:y|ies))$", re.I
)


def _table_cells(document: Document, rows: tuple[tuple[str, ...], ...], p: Passage) -> list[str]:
    """A priorities column; the cell after a "Priority N" cell; or each row's first text cell when the
    table's caption, lead-in or heading names priorities."""
    cells: list[str] = []
    if rows and (cols := [k for k, c in enumerate(rows[0]) if _COLUMN.match(c.strip(" :*"))]):
        cells += [r[cols[0]] for r in rows[1:] if cols[0] < len(r)]
    for r in rows:
        for k, c in enumerate(r[:-1]):
            if (m := _NUMBERED.match(c.strip())) and not m.group("text") and r[k + 1].strip():
                cells.append(r[k + 1])
    if not cells and rows and all(_COUNTER_CELL.match(r[0].strip()) for r in rows if r):
        caption = p.text[: max(p.text.find(render_rows(rows[:1])), 0)]
        if introduces(caption) or (
            not caption.strip()
            and _lead_of(document, p, 0)
            and (
                introduces(_lead_of(document, p, 0))
                or cue_heading(p.heading_path[-1] if p.heading_path else "")
            )
        ):
            cells += [next((c for c in r[1:] if c.strip()), "") for r in rows]
    return cells


def _table_items(document: Document) -> Iterator[Found]:
    for t in document.tables:
        p = document.passages[t.passage_index]
        for c in _table_cells(document, t.rows, p):
            text = priority_text(c)
            if text is None or not re.search(r"[A-Za-z]{3}", text):
                continue
            off = p.text.find(text)
            yield Found(
                text, (evidence_for(document, p.index, off, off + len(text)),) if off >= 0 else (), "table"
            )


def _same(a: str, b: str) -> bool:
    """One priority written twice ("promoting the council's status ..." in the summary and in the body)."""
    wa, wb = set(a.split()), set(b.split())
    short, long = sorted((len(wa), len(wb)))
    return a == b or (short >= 4 and short >= 0.5 * long and len(wa & wb) >= 0.8 * short)


def find_priorities(document: Document) -> list[Found]:
    """Every priority each rule finds, before one written twice is merged."""
    found: list[Found] = (
        list(_numbered(document)) + list(_table_items(document)) + list(_subheadings(document))
    )
    for p in document.passages:
        if p.kind == "table":
            continue
        if p.kind == "list":
            found += _list_items(document, p)
        found += _paragraph_items(document, p.index)
        found += _inline_items(document, p)
        found += _in_passing(document, p)
    return found


def collect_priorities(document: Document, docs: list[Doc] | None = None) -> tuple[Priority, ...]:
    """Every priority the paper states, once each, in reading order. `docs` are unused: rules read passages."""
    out: dict[str, Priority] = {}
    for f in find_priorities(document):
        if not fired(f"priorities: {f.rule}"):
            continue
        key = re.sub(r"[^a-z0-9]+", " ", f.text.lower()).strip()
        if key and not any(_same(key, k) for k in out):
            described = re.split(r"(?<=[.!?])\s+", f.context.strip(), maxsplit=1)[0] if f.context else ""
            themes = themes_for(f.text) or (
                themes_for(described) if described and fired("priorities: themes of the description") else ()
            )
            out[key] = Priority(text=f.text, themes=themes, evidence=f.evidence)
    return tuple(sorted(out.values(), key=lambda pr: pr.evidence[0].start if pr.evidence else 0))

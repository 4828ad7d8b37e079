"""Labelled cover-sheet fields: "Decision Maker: Cabinet", "Report to: | Cabinet", "Contact name:" on its own
line with the name below, and cover sheets a converter joined into one paragraph. Labels are data
(nlp/data/metadata_labels.csv); nlp/metadata.py decides between them and the header lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ingest.datafiles import csv_rows
from nlp.rules import fired

HEADER_CHARS = 1500  # the cover sheet: where an unlabelled council, committee, date and title are printed
BODY = re.compile(
    r"\b(?:cabinet|committee|board|council|panel|partnership|executive|forum|commission|group|"
    r"assembly|scrutiny|sub-committee)\b",
    re.I,
)
LABELS = Path(__file__).parent / "data" / "metadata_labels.csv"
LABEL = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z /&'()-]{0,40}?)\s*:\s*(?P<value>.*)$")
# labels a value can run into when a converter joins the cover sheet's lines
_STOP_LABELS = (
    "time",
    "venue",
    "place",
    "ward(s)",
    "wards",
    "wards affected",
    "classification",
    "status",
    "decision no",
    "decision number",
    "key decision",
    "purpose",
    "summary",
    "electoral division",
    "past pathway",
    "future pathway",
    "past pathway of report",
    "future pathway of report",
    "recommendation",
    "recommendations",
    "tel",
    "email",
    "job title",
    "ext",
    "file ref",
)
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+| {3,}")


@dataclass(frozen=True)
class Field:
    """A labelled value found in the paper: which field, from which label rank, where."""

    field: str
    value: str
    rank: int
    pos: int


@lru_cache(maxsize=2)
def labels(path: Path = LABELS) -> MappingProxyType[str, tuple[str, int]]:
    return MappingProxyType({r["label"]: (r["field"], int(r["rank"])) for r in csv_rows(path)})


@lru_cache(maxsize=2)
def _embedded_label(path: Path = LABELS) -> re.Pattern[str]:
    names = sorted(set(labels(path)) | set(_STOP_LABELS), key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\s(?:{alternation})\s*:", re.I)


def _cut(value: str) -> str:
    """A value up to the next label run into it ("Workplace Parking Levy Ward(s): All wards")."""
    m = _embedded_label().search(value)
    return value[: m.start()].strip() if m else value.strip()


def label_key(label: str) -> str | None:
    """The key of a printed label in the label table, or None: case and spacing ignored, "Author(s)" read as
    "Authors", a bilingual label by its English half ("Adroddiad i / Report to"), "Lead Officer name" as
    "Lead Officer"."""
    key = re.sub(
        r"\s+", " ", re.sub(r"\s*\((?!s\))[^)]*\)", "", label).strip(" :").lower().replace("(s)", "s")
    )
    candidates = [key] + ([k.strip() for k in key.split("/")] if "/" in key else [])
    for k in candidates:
        for form in (k, re.sub(r"\s+(?:name|names|details)$", "", k)):
            if form in labels():
                return form
    return None


def _label_of(cell: str) -> tuple[str, int, str] | None:
    m = LABEL.match(cell)
    if not m or (key := label_key(m.group("label"))) is None:
        return None
    field, rank = labels()[key]
    return field, rank, _cut(m.group("value"))


def is_label_line(line: str) -> bool:
    """ "Venue: Council Chamber", "Key Decision: Yes", "Report Author: ...": a cover sheet's label and its value
    (a known label, a label the cover sheet prints beside them, or a one-word label), not a title with a colon
    ("Serious Violence Duty: Local Strategy")."""
    m = LABEL.match(line)
    if not m:
        return False
    label = re.sub(r"\s+", " ", m.group("label").strip().lower())
    words = label.split()
    return (
        label_key(label) is not None
        or label in _STOP_LABELS
        or len(words) <= 1
        or not m.group("value").strip()
        or words[-1] in _LABEL_WORDS
    )


# last words of cover-sheet labels that are not in the label table ("Portfolio Holder", "Lead Director")
_LABEL_WORDS = frozenset(
    {
        "member",
        "members",
        "holder",
        "holders",
        "officer",
        "officers",
        "director",
        "directors",
        "lead",
        "ward",
        "wards",
        "division",
        "divisions",
        "decision",
        "date",
        "time",
        "venue",
        "contact",
        "tel",
        "telephone",
        "email",
        "e-mail",
        "ref",
        "reference",
        "no",
        "number",
        "classification",
        "status",
        "portfolio",
        "author",
        "item",
        "type",
        "affected",
        "area",
        "areas",
        "appendices",
        "papers",
        "implications",
        "consultation",
        "exemption",
        "service",
        "department",
        "directorate",
        "meeting",
        "committee",
        "report",
        "title",
        "subject",
    }
)


def _bare_label(cell: str) -> tuple[str, int] | None:
    """A cell that is a label without its colon ("Report Author" in a table row)."""
    key = label_key(cell) if len(cell) <= 45 else None
    return labels()[key] if key else None


def _run_on_label(line: str) -> tuple[str, int, str] | None:
    """A cover-sheet line whose label lost its colon and cell border: "Date of Meeting Tuesday, 19th March
    2024", "REPORT TO THE CABINET", a contact block run into one line ("Contact details Author Dr Jane Smith
    Community Safety Manager ..."). Labels of two words or more, a value in capitals or figures, a short line
    (a contact block's may be longer: the name is cut from its role)."""
    words = line.split()
    if line.rstrip().endswith((".", ";", ",")) or ":" in line:
        return None
    for n in (4, 3, 2):
        key = label_key(" ".join(words[:n])) if len(words) > n else None
        if not key or " " not in key or key == "report on":
            continue
        field, rank = labels()[key]
        rest = _drop_labels(words[n:]) if field == "author" else words[n:]
        if rest and rest[0].lower() == "the" and len(rest) > 1:
            rest = rest[1:]
        if (
            rest
            and (rest[0][:1].isupper() or rest[0][:1].isdigit())
            and len(words) <= (40 if field == "author" else 16)
        ):
            value = _cut(" ".join(rest))
            if field == "committee" and not BODY.search(
                re.sub(r"[\s,–-]*\d.*$", "", value).split()[-1:][0] if value else ""
            ):
                return None  # "Report to Cabinet on the Safer Streets bid" is a sentence, not a label
            return field, rank, value
    return None


def _author_heading(cell: str) -> bool:
    """ "Report Author and Relevant Director", "Contact Officer & Background Papers": a contact block's heading
    joining the author's label to another, the name on the line below."""
    parts = re.split(r"\s+(?:and|&|/)\s+", cell.strip(" :"), flags=re.I)
    return (
        2 <= len(parts) <= 3
        and len(cell.split()) <= 8
        and any(labels().get(label_key(x) or "", ("", 1)) == ("author", 0) for x in parts)
    )


def _drop_labels(words: list[str]) -> list[str]:
    """A contact block's inner labels before the name: "Author", "Name", "Report Author"."""
    while words:
        n = next(
            (
                n
                for n in (2, 1)
                if len(words) > n
                and labels().get(label_key(" ".join(words[:n])) or "", ("", 1))[0] == "author"
            ),
            0,
        )
        if not n and words[0].lower() != "name":
            return words
        words = words[max(n, 1) :]
    return words


def _value_below(lines: list[str], i: int) -> str:
    """The value printed under a label: the next line, without a "Name:" label of its own ("Officer
    contact:" / "Name: Jane Smith")."""
    below = re.sub(r"^name\s*(?:[:|]\s*)+", "", _next_nonblank(lines, i), flags=re.I)
    m = LABEL.match(below)
    return "" if m and label_key(m.group("label")) else below


def _continuation(lines: list[str], i: int) -> str:
    """Hard-wrapped value lines that follow a label line (no blank line, no label of their own)."""
    out = []
    for line in lines[i + 1 : i + 4]:
        if not line.strip() or LABEL.match(line) or "|" in line or "\t" in line:
            break
        out.append(line.strip())
    return " ".join(out)


def _name_end(value: str, lines: list[str], i: int) -> str:
    """The end of a body's name wrapped onto the next line, or ""."""
    more = _continuation(lines, i)
    words = more.split()
    if (
        BODY.search(value.split()[-1])
        or not words
        or len(words) > 6
        or not BODY.fullmatch(words[-1].strip(",."))
    ):
        return ""
    return more


def _next_nonblank(lines: list[str], i: int) -> str:
    for line in lines[i + 1 : i + 3]:
        if line.strip():
            return line.strip()
    return ""


@lru_cache(maxsize=2)
def _joined_label(path: Path = LABELS) -> re.Pattern[str]:
    """A capitalised cover-sheet label run into the line before it ("... Public Health To: Cabinet")."""
    # a label that can end a body's name ("Full Council : 13 March") splits nothing
    names = sorted(
        {n for n in set(labels(path)) | set(_STOP_LABELS) if not BODY.fullmatch(n) and n != "authority"},
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(n[:1].upper() + n[1:]) for n in names)
    return re.compile(rf"(?<=\S)[ \t]+(?=(?:{alternation})[ \t]*:)")


def unjoin(text: str) -> str:
    """The cover sheet one label to a line, when a converter has joined its lines into one paragraph:
    "From: A To: Cabinet, 30 January 2025 Decision Number: 24/1 : Title" -> "From: A\nTo: Cabinet, ...
    \nDecision Number: 24/1\n: Title" (a value whose label was lost keeps its colon)."""
    head, rest = text[:HEADER_CHARS], text[HEADER_CHARS:]
    lines = []
    for line in _joined_label().sub("\n", head).split("\n"):
        label, colon, value = line.partition(":")
        if colon and LABEL.match(line):
            value = re.sub(r"[ \t]+:[ \t]+", "\n: ", value)
        lines.append(label + colon + value)
    return "\n".join(lines) + rest


def labelled_fields(text: str) -> list[Field]:
    """Every `Label: value` (in one cell, or label and value in adjacent cells, the colon printed or not)
    the paper prints, and labels alone on their line with the value below."""
    out: list[Field] = []
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        out += [Field(field, value, rank, pos) for field, rank, value in _row_fields(lines, i)]
        pos += len(line) + 1
    return out


def _row_fields(lines: list[str], i: int) -> list[tuple[str, int, str]]:
    """The (field, rank, value) of line `i`'s labels."""
    cells = [c for c in _CELL_SPLIT.split(lines[i].strip().strip("|")) if c.strip()]
    if len(cells) == 1 and _label_of(cells[0]) is None and _bare_label(cells[0]) is None:
        found = _run_on_label(cells[0])
        if found is None and _author_heading(cells[0]) and (value := _value_below(lines, i)):
            found = ("author", 0, value)
        return [found] if found and fired("metadata: label without its colon") else []
    # a label without its colon in a row of label and value cells, not a table's column headings
    bare_ok = len(cells) <= 2 or sum(1 for c in cells[::2] if _label_of(c) or _bare_label(c)) >= 2
    out = []
    for j, cell in enumerate(cells):
        found = _label_of(cell)
        bare = found is None
        if bare and bare_ok and (b := _bare_label(cell)) is not None:
            found = (*b, "")
        if found is None:
            continue
        field, rank, value = found
        if (
            not value
            and j + 1 < len(cells)
            and _label_of(cells[j + 1]) is None
            and _bare_label(cells[j + 1]) is None
        ):
            value = cells[j + 1].strip()
        elif not value and len(cells) == 1 and (not bare or rank == 0 or " " in cell.strip()):
            value = _value_below(lines, i)
        elif field == "title" and len(cells) == 1:
            value = f"{value} {_continuation(lines, i)}".strip()
        elif field == "committee" and len(cells) == 1 and value and (more := _name_end(value, lines, i)):
            value = f"{value} {more}"  # "Communities, Housing and Environment Overview" / "and Scrutiny Committee"
        if (value := _cut(value)) and (not bare or fired("metadata: label without its colon")):
            out.append((field, rank, value))
    return out

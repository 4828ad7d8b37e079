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

HEADER_CHARS = 1500  # the cover sheet: where an unlabelled council, committee, date and title are printed
BODY = re.compile(r"\b(?:cabinet|committee|board|council|panel|partnership|executive|forum|commission|group|"
                  r"assembly|scrutiny|sub-committee)\b", re.I)
LABELS = Path(__file__).parent / "data" / "metadata_labels.csv"
LABEL = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z /&'()-]{0,40}?)\s*:\s*(?P<value>.*)$")
# labels a value can run into when a converter joins the cover sheet's lines
_STOP_LABELS = ("time", "venue", "place", "ward(s)", "wards", "wards affected", "classification", "status",
                "decision no", "decision number", "key decision", "purpose", "summary", "electoral division",
                "past pathway", "future pathway", "past pathway of report", "future pathway of report",
                "recommendation", "recommendations", "tel", "email", "job title", "ext", "file ref")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+")
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
    return value[:m.start()].strip() if m else value.strip()


def _label_of(cell: str) -> tuple[str, int, str] | None:
    m = LABEL.match(cell)
    if not m:
        return None
    key = re.sub(r"\s+", " ", m.group("label").strip().lower())
    if key not in labels():
        # a bilingual label, Welsh and English: "Adroddiad i / Report to", "Dyddiad / Date"
        key = next((k for k in (x.strip() for x in key.split("/")) if k in labels()), "") if "/" in key else ""
        if not key:
            return None
    field, rank = labels()[key]
    return field, rank, _cut(m.group("value"))


def _continuation(lines: list[str], i: int) -> str:
    """Hard-wrapped value lines that follow a label line (no blank line, no label of their own)."""
    out = []
    for line in lines[i + 1:i + 4]:
        if not line.strip() or LABEL.match(line) or "|" in line or "\t" in line:
            break
        out.append(line.strip())
    return " ".join(out)


def _next_nonblank(lines: list[str], i: int) -> str:
    for line in lines[i + 1:i + 3]:
        if line.strip():
            return line.strip()
    return ""


@lru_cache(maxsize=2)
def _joined_label(path: Path = LABELS) -> re.Pattern[str]:
    """A capitalised cover-sheet label run into the line before it ("... Public Health To: Cabinet")."""
    # a label that can end a body's name ("Full Council : 13 March") splits nothing
    names = sorted({n for n in set(labels(path)) | set(_STOP_LABELS) if not BODY.fullmatch(n) and n != "authority"},
                   key=len, reverse=True)
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
    """Every `Label: value` (in one cell, or label and value in adjacent cells) the paper prints."""
    out: list[Field] = []
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        cells = [c for c in _CELL_SPLIT.split(line.strip().strip("|")) if c.strip()]
        for j, cell in enumerate(cells):
            found = _label_of(cell)
            if found is None:
                # "Contact Point" alone on its line, the name on the next: author labels only
                key = cell.strip().lower()
                if len(cells) == 1 and labels().get(key, ("", 1)) == ("author", 0):
                    out.append(Field("author", _next_nonblank(lines, i), 0, pos))
                continue
            field, rank, value = found
            if not value and j + 1 < len(cells) and _label_of(cells[j + 1]) is None:
                value = cells[j + 1].strip()
            if not value and len(cells) == 1:
                value = _next_nonblank(lines, i)
            elif field == "title" and len(cells) == 1:
                value = f"{value} {_continuation(lines, i)}".strip()
            if value := _cut(value):
                out.append(Field(field, value, rank, pos))
        pos += len(line) + 1
    return out

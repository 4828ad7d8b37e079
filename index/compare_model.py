"""What a comparison table is made of (index.compare builds it, index.compare_facts fills its cells): the
papers compared, the facts and citations in a cell, the table, and the constants both share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from index.quotes import shown
from index.store import Store
from nlp.model import Evidence, Metric, Priority
from nlp.themes import theme_labels

ColumnType = Literal["theme", "partnership-kind", "operation", "metric", "section"]
COLUMN_TYPES: tuple[str, ...] = ("theme", "partnership-kind", "operation", "metric", "section")
# what one column of each table type is, in words (export headers, page captions)
COLUMN_NAMES = MappingProxyType(
    {
        "theme": "Theme",
        "partnership-kind": "Partnership kind",
        "operation": "Operation or scheme",
        "metric": "Measure",
        "section": "Report section",
    }
)
# the report sections a `section` table compares (nlp/data/section_roles.jsonl), in report order
COMPARED_SECTIONS = (
    "purpose",
    "recommendations",
    "options",
    "financial",
    "legal",
    "equalities",
    "risk",
    "climate",
    "consultation",
    "implications",
    "resolution",
)
SILENT, NO_PAPERS = "silent", "no papers in range"
PRIORITY, DISCUSSED = "priority", "discussed"
STATES = (PRIORITY, DISCUSSED, SILENT, NO_PAPERS)
MAX_CITATIONS = 3  # per item: the first mentions in the paper
DISCUSSED_CANDIDATES = 8  # best passages looked at for a `discussed` cell
MIN_SENTENCE_WORDS = 12  # a shorter passage is a title or a heading: cited only when nothing longer is
# A priority whose words name no theme takes its passage's theme when it is at least this share of the
# passage: then the passage is the priority (a list item, a heading), not a paragraph about several things.
# Set by that reasoning, not tuned: every priority of the development gold names its theme in its words.
PRIORITY_SHARE = 0.5


@dataclass(frozen=True)
class Paper:
    id: str
    source: str
    title: str | None
    council: str
    council_code: str | None
    council_type: str | None
    meeting_date: str | None
    priorities: tuple[Priority, ...]  # typed (index.reads.stated)
    metrics: tuple[Metric, ...]
    url: str | None = None  # where the paper is published (given with it, or its http(s) source)


@dataclass(frozen=True)
class Citation:
    document: str
    source: str
    page: int | None
    paragraph: str | None
    quote: str
    passage: int  # Passage.index within the document
    title: str | None = None
    meeting_date: str | None = None
    heading: str = ""  # the passage's heading path, " > " joined
    url: str | None = None  # the published paper (never a path on the server)
    cut_before: bool = False  # the quote's sentence goes on before it (shown with an ellipsis)
    cut_after: bool = False  # ... and after it

    @property
    def shown(self) -> str:
        """The quote as a reader sees it: whole sentences, or an ellipsis where one was cut."""
        return shown(self.quote, self.cut_before, self.cut_after)


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    items: tuple[str, ...]  # what filled it: priorities, partnership names, operations, figures
    citations: tuple[Citation, ...]
    values: tuple[float, ...] = ()  # metric columns: the figures, in paper order
    state: str = PRIORITY  # priority (what the papers state or name) | discussed (theme columns)


@dataclass(frozen=True)
class Table:
    cols: str  # the column type
    rows: tuple[str, ...]  # council names as in paper metadata
    columns: tuple[str, ...]  # column ids
    labels: dict[str, str]  # column id -> display label
    cells: tuple[Cell, ...]
    papers: dict[str, int]  # council -> papers in range (0: no papers in range)
    date_from: str | None = None
    date_to: str | None = None
    units: dict[str, str] = field(default_factory=dict)  # metric column id -> unit

    def cell(self, row: str, column: str) -> Cell | None:
        return self._index().get((row, column))

    def _index(self) -> dict[tuple[str, str], Cell]:
        return {(c.row, c.column): c for c in self.cells}

    def empty_reason(self, row: str) -> str:
        return SILENT if self.papers.get(row) else NO_PAPERS

    def state(self, row: str, column: str) -> str:
        """priority | discussed | silent | no papers in range."""
        cell = self.cell(row, column)
        return cell.state if cell is not None else self.empty_reason(row)


@dataclass(frozen=True)
class Fact:
    """One thing a paper says that fills one cell."""

    column: str
    label: str
    item: str
    evidence: tuple[Evidence, ...]
    value: float | None = None
    unit: str | None = None


def passage_rows(store: Store, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    return store.cited_passages(wanted)


def theme_label(theme: str, names: dict[str, str] | None = None) -> str:
    """A theme's short label: the head of its description ("Anti-social behaviour", not its id)."""
    if names is None:
        names = theme_labels()
    return re.split(r" \(|[,:]", names.get(theme, theme.replace("_", " ").capitalize()))[0]

"""Councils side by side: a councils-by-X table built from the store, every filled cell cited.

Columns are themes of the councils' stated priorities (`theme`), kinds of the partnerships their
papers name (`partnership-kind`), named operations, projects and schemes (`operation`, one column per
canonical entity resolved at ingest, same-named local schemes together), figures (`metric`: every
figure extraction finds, in its measure's column of index/data/measures.jsonl, else one of what it
counts in its own words; each with its unit and period, so one column never mixes two) or report
sections (`section`: what each council's papers say in their financial, legal, equalities ...
implications, recommendations and resolutions, by the section roles of nlp.sections; with a theme, only
passages about it). What fills a cell is found by index.compare_facts. A cell cites the passages its
items were found in: document, source, page, paragraph and a quote that is words of the passage (whole
sentences, or marked where cut: index.quotes). Form guidance and template fields (index.guidance) never
make a cell. A theme cell is `priority` when a stated priority of the council has the theme, else
`discussed` when a passage of its papers is about the theme (index.resolve, at ingest: the best such
passage that is not template text is cited). An empty cell is `silent` when the council has papers in
range (and none of them discusses it), else `no papers in range`. Council names are resolved by
index.names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from index.compare_facts import facts_of, kind_labels
from index.compare_model import COLUMN_NAMES as COLUMN_NAMES  # compare's names, as callers import them
from index.compare_model import COLUMN_TYPES as COLUMN_TYPES
from index.compare_model import (
    COMPARED_SECTIONS,
    DISCUSSED,
    DISCUSSED_CANDIDATES,
    MIN_SENTENCE_WORDS,
    Cell,
    Citation,
    Fact,
    Paper,
    Table,
    passage_rows,
    theme_label,
)
from index.compare_model import STATES as STATES
from index.guidance import is_form_text, template_subject
from index.measures import measure_ids
from index.names import resolve_names
from index.quotes import quote_around as quote_around  # where precedents and the pages have imported it from
from index.quotes import quote_span, sentence_spans
from index.reads import stated
from index.store import Store
from index.store.analysis import URL_SQL as URL_SQL  # where precedents has imported it from
from nlp.model import Evidence
from nlp.passage_themes import rule_themes
from nlp.themes import theme_labels

# ---- papers ---------------------------------------------------------------------------------------


def load_papers(
    store: Store, date_from: str | None = None, date_to: str | None = None, council: str | None = None
) -> list[Paper]:
    """Papers with a council and an extraction, in range, oldest first."""
    return [
        Paper(
            r.id,
            r.source,
            r.title,
            r.council,
            r.council_code,
            r.council_type,
            r.meeting_date,
            *stated(r.extraction),
            r.url,
        )
        for r in store.compared_papers(date_from, date_to, council)
    ]


def published_urls(store: Store, doc_ids: Iterable[str]) -> dict[str, str]:
    """Document id -> the published URL of the paper, for those that have one."""
    return store.published_urls(doc_ids)


def all_councils(store: Store) -> list[str]:
    return store.names_of("council")


def _rows(store: Store, councils: Iterable[str] | None) -> list[str]:
    """The table's rows: every council, or those named (each resolved by index.names: exact, an unambiguous
    part, else UnknownName with a suggestion)."""
    if not councils:
        return all_councils(store)
    return resolve_names(store, "council", [c for c in councils if c and c.strip()])


# ---- citations ------------------------------------------------------------------------------------


def _citation(paper: Paper, ev: Evidence, passages: dict[tuple[str, int], Any]) -> Citation | None:
    """The citation of one piece of evidence, or None when its words are not in the passage or the passage is
    a form's guidance or a template's fields (index.guidance: never what a council says)."""
    p = passages.get((paper.id, ev.passage))
    if p is None or is_form_text(p["text"], p["section"]):
        return None
    text, words = p["text"], ev.text
    at, end = _find_words(text, words, ev.start - p["start"])
    if at >= 0:
        q = quote_span(text, at, end)
    elif words.strip() and _in_heading(words, p["heading"]):
        q = quote_span(text, 0, 0)  # a heading ("Priority 1 - ..."): cite the passage under it
    else:
        return None
    if not q.text or q.text not in text:
        return None
    return _cite(paper, p, ev.passage, q, ev.page, ev.paragraph)


def _find_words(text: str, words: str, at: int) -> tuple[int, int]:
    """Where `words` are in `text`: at the evidence offset, else anywhere (offsets drifted), else with any
    white space between them (a line break where extraction read a space); (-1, -1) when not there."""
    if not words.strip():
        return -1, -1
    if text[at : at + len(words)] == words:
        return at, at + len(words)
    if (found := text.find(words)) >= 0:
        return found, found + len(words)
    m = re.search(r"\s+".join(re.escape(w) for w in words.split()), text)
    return (m.start(), m.end()) if m else (-1, -1)


def _cite(
    paper: Paper, p: Any, passage: int, q: Any, page: int | None = None, paragraph: str | None = None
) -> Citation:
    return Citation(
        paper.id,
        paper.source,
        page or p["page"],
        paragraph or p["paragraph"],
        q.text,
        passage,
        paper.title,
        paper.meeting_date,
        p["heading"],
        paper.url,
        q.cut_before,
        q.cut_after,
    )


def _in_heading(words: str, heading: str) -> bool:
    def squash(s: str) -> str:
        return re.sub(r"\W+", " ", s).lower().strip()

    return bool(heading) and squash(words) in squash(heading)


# ---- the table --------------------------------------------------------------------------------------


def _column_order(cols: str, present: set[str]) -> list[str]:
    if cols == "theme":
        order = list(theme_labels())
    elif cols == "partnership-kind":
        order = list(kind_labels())
    elif cols == "section":
        order = list(COMPARED_SECTIONS)
    elif cols == "metric":  # the known measures in their file's order, then figures by their own words
        rank = {m: i for i, m in enumerate(measure_ids())}
        return sorted(
            present, key=lambda c: (rank.get(c.split("|")[0], len(rank)), c.startswith("other|"), c.lower())
        )
    else:
        order = []
    return [c for c in order if c in present] + sorted(present - set(order))


def compare(
    store: Store,
    cols: str = "theme",
    *,
    councils: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_councils: int = 1,
    theme: str | None = None,
) -> Table:
    """The councils-by-`cols` table over papers in [date_from, date_to]; columns filled for fewer than
    `min_councils` councils are left out (metric tables compare best with 2). `theme` narrows a section
    table to passages about that theme (each council's financial implications of its serious-violence work)."""
    if theme and cols != "section":
        raise ValueError(f"theme {theme!r}: only a section table (cols section) is narrowed to a theme")
    rows = _rows(store, councils)
    wanted = {r.lower() for r in rows}
    papers = [p for p in load_papers(store, date_from, date_to) if p.council.lower() in wanted]
    row_of = {r.lower(): r for r in rows}
    facts = facts_of(store, cols, papers, theme)
    passages = passage_rows(
        store, {(p.id, ev.passage) for p in papers for f in facts[p.id] for ev in f.evidence}
    )
    grouped: dict[tuple[str, str], list[tuple[Paper, Fact]]] = {}
    labels: dict[str, str] = {}
    units: dict[str, str] = {}
    for p in papers:
        for f in facts[p.id]:
            grouped.setdefault((row_of[p.council.lower()], f.column), []).append((p, f))
            labels.setdefault(f.column, f.label)
            if f.unit:
                units[f.column] = f.unit
    cells = [c for (row, col), pf in grouped.items() if (c := _cell(row, col, pf, passages)) is not None]
    if cols == "theme":
        cells += _discussed(store, papers, row_of, {(c.row, c.column) for c in cells}, labels)
    per_column: dict[str, set[str]] = {}
    for c in cells:
        per_column.setdefault(c.column, set()).add(c.row)
    keep = {col for col, rs in per_column.items() if len(rs) >= min_councils}
    columns = _column_order(cols, keep)
    papers_in = {r: sum(1 for p in papers if row_of[p.council.lower()] == r) for r in rows}
    order = {c: i for i, c in enumerate(columns)}
    cells = sorted((c for c in cells if c.column in keep), key=lambda c: (rows.index(c.row), order[c.column]))
    return Table(
        cols,
        tuple(rows),
        tuple(columns),
        {c: labels[c] for c in columns},
        tuple(cells),
        papers_in,
        date_from,
        date_to,
        {c: u for c, u in units.items() if c in keep},
    )


def _cell(
    row: str, column: str, found: list[tuple[Paper, Fact]], passages: dict[tuple[str, int], Any]
) -> Cell | None:
    """A cell is filled only when at least one of its items has a citation that checks out."""
    items: list[str] = []
    cites: list[Citation] = []
    values: list[float] = []
    for paper, fact in found:
        got = [c for ev in fact.evidence if (c := _citation(paper, ev, passages)) is not None]
        if not got:
            continue
        items.append(fact.item)
        cites += got
        if fact.value is not None:
            values.append(fact.value)
    if not cites:
        return None
    unique = tuple(dict.fromkeys(cites))
    return Cell(row, column, tuple(dict.fromkeys(items)), unique, tuple(values))


def _discussed(
    store: Store,
    papers: list[Paper],
    row_of: dict[str, str],
    filled: set[tuple[str, str]],
    labels: dict[str, str],
) -> list[Cell]:
    """`discussed` cells: themes a council's papers are about without stating them as priorities, each
    citing its best passage (of its best few, the first that is a sentence rather than a title). Template
    text (`_template`) is passed over: it is not the council discussing anything."""
    by_id = {p.id: p for p in papers}
    best: dict[tuple[str, str], list[Any]] = {}
    for h in store.passage_themes(list(by_id)):
        cell = (row_of[by_id[h.document_id].council.lower()], h.theme)
        if cell not in filled and len(best.setdefault(cell, [])) < DISCUSSED_CANDIDATES:
            best[cell].append(h)
    passages = passage_rows(store, {(h.document_id, h.passage) for hs in best.values() for h in hs})
    names = theme_labels()
    out = []
    for (row, theme), hs in best.items():
        found = [
            (h, p)
            for h in hs
            if (p := passages.get((h.document_id, h.passage))) is not None and not template_text(p, theme)
        ]
        if not found:
            continue
        h, p = next(((h, p) for h, p in found if _prose(p["text"])), found[0])
        labels.setdefault(theme, theme_label(theme, names))
        out.append(
            Cell(
                row,
                theme,
                (),
                (_cite(by_id[h.document_id], p, h.passage, _best_quote(p["text"], theme)),),
                state=DISCUSSED,
            )
        )
    return out


def template_text(p: Any, theme: str) -> bool:
    """Template text a `discussed` cell for `theme` never cites: a form's guidance or a template's fields,
    procedural boilerplate (flagged at ingest, index.boilerplate), or a statutory section of a report on the
    theme it talks about by template (the equality duty section on inclusion: index.guidance)."""
    return (
        bool(p["boilerplate"])
        or template_subject(p["section"], theme)
        or is_form_text(p["text"], p["section"])
    )


def _prose(text: str) -> bool:
    """A sentence or more rather than a title: enough words, not all in capitals."""
    return len(text.split()) >= MIN_SENTENCE_WORDS and text != text.upper()


def _best_quote(text: str, theme: str) -> Any:
    """The sentence of a passage where a keyword rule names the theme, else its opening sentence."""
    for a, b in sentence_spans(text):
        if theme in rule_themes(text[a:b]):
            return quote_span(text, a, a)
    return quote_span(text, 0, 0)


# ---- canonical entities -------------------------------------------------------------------------------


def entities(
    store: Store, type: str | None = None, kind: str | None = None, council: str | None = None
) -> tuple[Any, ...]:
    """Canonical partnerships and operations (resolved at ingest), filtered by type, partnership kind and a
    council (part of its name) that names them: what the CLI, the HTTP API and the web pages list."""
    return tuple(store.canonical_entities(type, council, kind))

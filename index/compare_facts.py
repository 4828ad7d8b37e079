"""What each paper says that fills a comparison cell, by column type (index.compare builds the table).

- theme: a paper's stated priorities, each under the themes its words name (nlp.themes), else the theme of
  the written priorities its vector is nearest (nlp.passage_themes), else, when the priority is most of its
  passage, the theme the passage classifier gave that passage at ingest;
- partnership-kind: the partnerships it names, by kind (nlp.kinds);
- operation: its operations, projects and schemes, by canonical entity (resolved at ingest);
- metric: every figure extraction found, in its measure's column (index.measures);
- section: its passages of each compared report section (nlp.sections), form text left out.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from index.compare_model import (
    COLUMN_TYPES,
    COMPARED_SECTIONS,
    MAX_CITATIONS,
    PRIORITY_SHARE,
    Fact,
    Paper,
    passage_rows,
    theme_label,
)
from index.guidance import is_form_text
from index.measures import figure_column, sentence_before, words_after
from index.quotes import quote_around
from index.store import Store
from nlp.kinds import DATA, kind_of
from nlp.model import Evidence
from nlp.namekey import name_key as key
from nlp.sections import role_labels
from nlp.themes import theme_labels, themes_for

KINDS = DATA / "kinds.json"


def _theme_facts(store: Store, papers: list[Paper]) -> dict[str, list[Fact]]:
    """Paper id -> a fact per theme of each stated priority: the themes the keyword rules find in its words
    (nlp.themes, as extraction gives them) or, at ingest, the theme of the written priorities its sentence
    vector is nearest (index.resolve.priority_themes; none when other council business is nearer), else, for a
    priority neither names ("Keeping residents safe at home"), the best theme the passage classifier gave its
    passage at ingest, when the priority is most of that passage (a list item, a heading, a one-line
    statement: there the passage's theme is the priority's, PRIORITY_SHARE)."""
    labels = theme_labels()
    named = {(p.id, n): pr.themes or themes_for(pr.text) for p in papers for n, pr in enumerate(p.priorities)}
    bare = {
        (p.id, pr.evidence[0].passage)
        for p in papers
        for n, pr in enumerate(p.priorities)
        if pr.evidence and not named[p.id, n]
    }
    passages = passage_rows(store, bare) if bare else {}
    best: dict[tuple[str, int], str] = {}
    for h in store.passage_themes(sorted({d for d, _ in bare})) if bare else ():
        if (h.document_id, h.passage) in bare:
            best.setdefault((h.document_id, h.passage), h.theme)  # hits come best first
    out: dict[str, list[Fact]] = {p.id: [] for p in papers}
    for paper in papers:
        for n, pr in enumerate(paper.priorities):
            themes = named[paper.id, n]
            if not themes and pr.evidence:
                where = (paper.id, pr.evidence[0].passage)
                row = passages.get(where)
                if (
                    row is not None
                    and where in best
                    and len(pr.text) >= PRIORITY_SHARE * len(row["text"].strip())
                ):
                    themes = (best[where],)
            out[paper.id] += [
                Fact(t, theme_label(t, labels), pr.text, pr.evidence[:MAX_CITATIONS]) for t in themes
            ]
    return out


def _kind_facts(store: Store, papers: list[Paper]) -> dict[str, list[Fact]]:
    labels = kind_labels()
    out: dict[str, list[Fact]] = {p.id: [] for p in papers}
    for n in store.entity_facts([p.id for p in papers], "partnership"):
        k = n.kind or kind_of(n.name)
        out[n.document_id].append(Fact(k, labels.get(k, k), n.name, n.evidence[:MAX_CITATIONS]))
    return out


@lru_cache(maxsize=4)
def kind_labels(path: Path = KINDS) -> dict[str, str]:
    """Kind id -> a short label: the head of its description in nlp/data/kinds.json."""
    about = json.loads(path.read_text(encoding="utf-8"))["kinds"]
    return {
        k: ("Other partnership" if k == "other" else v.split(" (")[0].split(",")[0]) for k, v in about.items()
    }


def _metric_facts(store: Store, papers: list[Paper]) -> dict[str, list[Fact]]:
    """Paper id -> every figure its extraction found, each in its column (index.measures.figure_column: a
    known measure, else what it counts in its own words; with its unit and period). A figure whose own
    `about` names no measure ("18% | incidents reported to the police") is placed by the words of its
    sentence before it ("Anti-social behaviour incidents reported to the police fell by") or after it
    ("a 38% fall in anti-social behaviour")."""
    texts = passage_rows(
        store, {(p.id, m.evidence[0].passage) for p in papers for m in p.metrics if m.evidence}
    )
    out: dict[str, list[Fact]] = {p.id: [] for p in papers}
    for paper in papers:
        for m in paper.metrics:
            before = after = ""
            if m.evidence and (row := texts.get((paper.id, m.evidence[0].passage))) is not None:
                at = m.evidence[0].start - row["start"]
                before = sentence_before(row["text"], at)
                after = words_after(row["text"], at + len(m.evidence[0].text))
            period = {"start": m.period.start, "end": m.period.end} if m.period else None
            col, label, what = figure_column(m.about, m.unit, period, before, after)
            value = -m.value if m.direction == "fall" and m.unit == "percent" else m.value
            item = " ".join(x for x in (m.text, m.direction or "", f"\u2013 {what}" if what else "") if x)
            out[paper.id].append(Fact(col, label, item, m.evidence[:1], value, m.unit))
    return out


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _operation_facts(store: Store, papers: list[Paper]) -> dict[str, list[Fact]]:
    """Paper id -> its operations, each under its canonical entity's column (same-named local schemes
    share one: two councils' "Sanctuary Scheme" are compared, though not the same body)."""
    out: dict[str, list[Fact]] = {p.id: [] for p in papers}
    for n in store.entity_facts([p.id for p in papers], "operation"):
        col = slug(key(n.canonical_name) if n.scope == "local" else n.canonical_name)
        out[n.document_id].append(Fact(col, n.canonical_name, n.name, n.evidence[:MAX_CITATIONS]))
    return out


def _section_facts(store: Store, papers: list[Paper], theme: str | None) -> dict[str, list[Fact]]:
    """Paper id -> its passages in each compared section (the opening ones, or with a theme those most about
    it), each citing the passage's first sentence."""
    labels = role_labels()
    out: dict[str, list[Fact]] = {p.id: [] for p in papers}
    taken: dict[tuple[str, str], int] = {}
    for r in store.section_passages([p.id for p in papers], COMPARED_SECTIONS, theme):
        key = (r.document_id, r.section)
        if taken.get(key, 0) >= MAX_CITATIONS or is_form_text(r.text, r.section):
            continue
        taken[key] = taken.get(key, 0) + 1
        words = quote_around(r.text, 0, 0)
        heading = r.heading.split(" > ")[-1] if r.heading else labels[r.section]
        out[r.document_id].append(
            Fact(
                r.section,
                labels[r.section],
                heading,
                (Evidence(r.idx, r.page, r.paragraph, r.start, r.start + len(words), words),),
            )
        )
    return out


def facts_of(store: Store, cols: str, papers: list[Paper], theme: str | None = None) -> dict[str, list[Fact]]:
    if cols == "section":
        return _section_facts(store, papers, theme)
    if cols == "operation":
        return _operation_facts(store, papers)
    if cols == "partnership-kind":
        return _kind_facts(store, papers)
    if cols == "metric":
        return _metric_facts(store, papers)
    if cols == "theme":
        return _theme_facts(store, papers)
    raise ValueError(f"columns {cols!r}: must be one of {', '.join(COLUMN_TYPES)}")

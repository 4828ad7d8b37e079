"""Cross-validation of the section-role classifier over passage vectors (nlp.section_model), for bench_sections.py.

The vectors are the ones ingest stores for a passage (index.pipeline.paper_items / embed_groups: the
passage, or the length-weighted mean of its sentences), computed through an embedding cache kept in
`cache` so that a second run reads the model only for new texts. Training rows are the hand-judged
passages of tests/nlp/eval/section_roles_gold.jsonl and, as silver, the passages of the other
development papers whose role a heading or label names. Evaluation is on judged passages only, held
out by paper and by council (the silver of a held-out council is left out of its training too).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.model import Document
from ingest.settings import Settings
from nlp.section_model import SectionModel, refine, train
from nlp.sections import BODY_ROLE, cue_role, layout, passage_roles

THRESHOLDS = (0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.01)  # 1.01: the body role always stands


@dataclass
class Row:
    paper: str
    council: str
    layout: str
    role: str  # the judged role (gold) or the heading's (silver)
    rule: str  # what the rules give it
    source: str  # what decided the rule's role
    gold: bool
    vector: np.ndarray
    text: str


def paper_vectors(docs: dict[str, Document], cache: Path) -> dict[str, np.ndarray]:
    """Each paper's passage vectors (their own vector, as ingest stores it), through an embedding cache."""
    from index.pipeline import embed_groups, paper_items
    from index.store import Store

    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    with Store.open(Settings(store=cache)) as store:
        for stem, doc in docs.items():
            groups = paper_items([p.text for p in doc.passages])
            _, vectors = embed_groups(store, groups, Settings(store=cache))
            starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
            out[stem] = vectors[starts]
    return out


def rows_of(docs: dict[str, Document], vectors: dict[str, np.ndarray], councils: dict[str, str],
            gold: dict[tuple[str, int], str]) -> list[Row]:
    """Judged passages (gold) and, from papers with no judged passage, heading- or label-named ones (silver)."""
    judged = {stem for stem, _ in gold}
    out = []
    for stem, doc in docs.items():
        kind = layout(doc)
        for p, found in zip(doc.passages, passage_roles(doc), strict=True):
            role = gold.get((stem, p.index))
            if role is None and (stem in judged or found.source not in ("heading", "label")):
                continue
            out.append(Row(stem, councils.get(stem, stem), kind, role or found.role, found.role, found.source,
                           role is not None, vectors[stem][p.index], p.text))
    return out


def fit(rows: list[Row], roles: tuple[str, ...]) -> SectionModel:
    x = np.stack([r.vector for r in rows])
    w, b = train(x, [r.role for r in rows], roles)
    allowed = {k: tuple(sorted({r.role for r in rows if r.layout == k})) for k in BODY_ROLE}
    return SectionModel(roles, w, b, allowed, 0.5, "", x.shape[1])


def predicted(model: SectionModel, rows: list[Row], threshold: float, headless: bool) -> list[str]:
    """The role each row gets: with the rules (the model only where the rule's role is the layout's body
    role) or, `headless`, as if the paper had no heading or label (the passage's cue words, else the model,
    else the body role)."""
    todo = [r for r in rows if headless or r.source == "layout"]
    found = dict(zip(map(id, todo), refine(model, np.stack([r.vector for r in todo]) if todo else np.zeros((0, model.dim)),
                                           [r.layout for r in todo], threshold), strict=True))
    if headless:
        return [cue_role(r.text, r.layout) or found.get(id(r)) or BODY_ROLE[r.layout] for r in rows]  # type: ignore[arg-type]
    return [(found.get(id(r)) or BODY_ROLE[r.layout]) if r.source == "layout" else r.rule for r in rows]


def cross_validate(rows: list[Row], roles: tuple[str, ...], group: Callable[[Row], str]) -> dict[str, Any]:
    """Accuracy on held-out judged passages, each group (paper or council) held out in turn: with the
    rules, and headless (no headings), for each threshold; `chosen` is the threshold each fold picks
    on its training papers (by the mean of the two accuracies, in an inner hold-out by paper)."""
    keys = sorted({group(r) for r in rows if r.gold})
    hits: dict[tuple[str, float], int] = {}
    chosen_hits = {"rules": 0, "headless": 0}
    picked = []
    total = 0
    for key in keys:
        test = [r for r in rows if r.gold and group(r) == key]
        train_rows = [r for r in rows if group(r) != key]
        model = fit(train_rows, roles)
        for t in THRESHOLDS:
            for mode in ("rules", "headless"):
                got = predicted(model, test, t, mode == "headless")
                hits[(mode, t)] = hits.get((mode, t), 0) + sum(g == r.role for g, r in zip(got, test, strict=True))
        t = _choose(train_rows, roles)
        picked.append(t)
        for mode in ("rules", "headless"):
            got = predicted(model, test, t, mode == "headless")
            chosen_hits[mode] += sum(g == r.role for g, r in zip(got, test, strict=True))
        total += len(test)
    return {"folds": len(keys), "passages": total, "by_threshold": {k: v / total for k, v in hits.items()},
            "chosen": {k: v / total for k, v in chosen_hits.items()}, "thresholds": picked}


INNER_FOLDS = 3


def _choose(rows: list[Row], roles: tuple[str, ...]) -> float:
    """The threshold with the best accuracy with the rules (what ingest does), then headless, on these rows,
    in an inner cross-validation of INNER_FOLDS folds of whole papers."""
    papers = sorted({r.paper for r in rows if r.gold})
    score = {t: [0, 0] for t in THRESHOLDS}
    for fold in range(INNER_FOLDS):
        held = set(papers[fold::INNER_FOLDS])
        test = [r for r in rows if r.gold and r.paper in held]
        model = fit([r for r in rows if r.paper not in held], roles)
        for t in THRESHOLDS:
            for n, headless in enumerate((False, True)):
                score[t][n] += sum(g == r.role for g, r in zip(predicted(model, test, t, headless), test, strict=True))
    return max(THRESHOLDS, key=lambda t: (score[t][0], score[t][1], -t))

"""Cross-validation of the section-role classifier (nlp.section_model), held out by council, for bench_sections.py.

The vectors are the ones ingest stores for a passage (index.pipeline.paper_items / embed_groups: the
passage, or the length-weighted mean of its sentences), computed through an embedding cache kept in
`cache` so that a second run reads the model only for new texts. Training rows are every passage of the
development papers whose role is known (`section_excerpts.truth_of`: hand-judged in
tests/nlp/eval/section_roles_gold.jsonl, else named by a heading or label of its paper, else the body role
under a topical heading: distant supervision). Evaluation is on the papers of one council at a time, the
model trained on the other councils' papers: `whole` the judged passages of whole papers (what ingest does
on the development papers), `natural` and `headless` the paragraphs of excerpts (section_excerpts). The
model only decides passages whose role the rules left to the layout's body role.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from section_excerpts import Excerpt, Paper

from ingest.model import Document
from ingest.settings import Settings
from nlp.section_model import SectionModel, feature_rules, inputs, refine, train
from nlp.sections import BODY_ROLE, layout, passage_roles

THRESHOLDS = (0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.01)  # 1.01: the body role always stands
VARIANTS = ("whole", "natural", "headless")


@dataclass
class Row:
    paper: str
    council: str
    variant: str  # whole | natural | headless
    layout: str
    role: str  # the judged role, else the distant one
    rule: str  # what the rules give it
    source: str  # what decided the rule's role
    gold: bool  # judged by hand
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
            if not doc.passages:
                out[stem] = np.zeros((0, 384), dtype=np.float32)
                continue
            groups = paper_items([p.text for p in doc.passages])
            _, vectors = embed_groups(store, groups, Settings(store=cache))
            starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
            out[stem] = vectors[starts]
    return out


def rows_of(papers: list[Paper], excerpts: list[Excerpt], cache: Path) -> list[Row]:
    """The rows of the whole papers (every passage whose role is known) and of the excerpts' scored paragraphs."""
    whole = paper_vectors({p.stem: p.doc for p in papers}, cache)
    cut = paper_vectors({f"{e.paper}#{n}": e.doc for n, e in enumerate(excerpts)}, cache)
    out = []
    for p in papers:
        kind = layout(p.doc)
        for passage, found in zip(p.doc.passages, passage_roles(p.doc), strict=True):
            if passage.index in p.truth:
                out.append(
                    Row(
                        p.stem,
                        p.council,
                        "whole",
                        kind,
                        p.truth[passage.index],
                        found.role,
                        found.source,
                        passage.index in p.judged,
                        whole[p.stem][passage.index],
                        passage.text,
                    )
                )
    for n, e in enumerate(excerpts):
        kind = layout(e.doc)
        for held, role, judged in e.scored:
            found = e.found[held]
            out.append(
                Row(
                    e.paper,
                    e.council,
                    e.variant,
                    kind,
                    role,
                    found.role,
                    found.source,
                    judged,
                    cut[f"{e.paper}#{n}"][held],
                    e.doc.passages[held].text,
                )
            )
    return out


def fit(rows: list[Row], roles: tuple[str, ...]) -> SectionModel:
    """The classifier trained on these whole-paper rows (vector, word features, layout)."""
    rows = [r for r in rows if r.variant == "whole"]
    shape = SectionModel(
        roles,
        np.zeros(0),
        np.zeros(0),
        {},
        0.5,
        "",
        rows[0].vector.shape[0],
        tuple(name for name, _ in feature_rules()),
    )
    x = inputs(shape, np.stack([r.vector for r in rows]), [r.text for r in rows], [r.layout for r in rows])
    w, b = train(x, [r.role for r in rows], roles)
    allowed = {k: tuple(sorted({r.role for r in rows if r.layout == k})) for k in BODY_ROLE}
    return SectionModel(roles, w, b, allowed, 0.5, "", shape.dim, shape.features)


def predicted(model: SectionModel | None, rows: list[Row], threshold: float) -> list[str]:
    """The role each row gets: the rules' role, and where it is the layout's body role the model's, if sure."""
    todo = [r for r in rows if r.source == "layout"]
    if model is None or not todo:
        return [r.rule for r in rows]
    found = refine(
        model, np.stack([r.vector for r in todo]), [r.text for r in todo], [r.layout for r in todo], threshold
    )
    by_row = dict(zip(map(id, todo), found, strict=True))
    return [by_row.get(id(r)) or r.rule for r in rows]


def _scored(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.variant != "whole" or r.gold]


def cross_validate(rows: list[Row], roles: tuple[str, ...]) -> dict[str, Any]:
    """Accuracy by variant on each council's rows, the model trained on the others': at each threshold, with
    the rules alone, and at the threshold each fold chose on its training councils (`_choose`)."""
    councils = sorted({r.council for r in rows})
    hits: Counter[tuple[str, float]] = Counter()
    chosen: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    total: Counter[str] = Counter()
    per_council: dict[str, dict[str, float]] = {}
    picked = []
    for council in councils:
        test = _scored([r for r in rows if r.council == council])
        train_rows = [r for r in rows if r.council != council]
        model = fit(train_rows, roles)
        t = _choose(train_rows, roles)
        picked.append(t)
        per_council[council] = {}
        for variant in VARIANTS:
            part = [r for r in test if r.variant == variant]
            total[variant] += len(part)
            rules[variant] += sum(r.rule == r.role for r in part)
            for th in THRESHOLDS:
                hits[(variant, th)] += sum(
                    g == r.role for g, r in zip(predicted(model, part, th), part, strict=True)
                )
            got = sum(g == r.role for g, r in zip(predicted(model, part, t), part, strict=True))
            chosen[variant] += got
            if part:
                per_council[council][variant] = got / len(part)
    share = {v: max(total[v], 1) for v in VARIANTS}
    return {
        "councils": councils,
        "passages": dict(total),
        "rules": {v: rules[v] / share[v] for v in VARIANTS},
        "by_threshold": {k: v / share[k[0]] for k, v in hits.items()},
        "chosen": {v: chosen[v] / share[v] for v in VARIANTS},
        "thresholds": picked,
        "per_council": per_council,
    }


def _choose(rows: list[Row], roles: tuple[str, ...]) -> float:
    """The threshold with the best accuracy on excerpts (natural and headless together, then whole papers) in
    an inner hold-out of each of these councils in turn; the highest on a tie (the model changes least)."""
    score = {t: [0, 0] for t in THRESHOLDS}
    for council in sorted({r.council for r in rows}):
        test = _scored([r for r in rows if r.council == council])
        model = fit([r for r in rows if r.council != council], roles)
        for t in THRESHOLDS:
            for r, g in zip(test, predicted(model, test, t), strict=True):
                score[t][r.variant == "whole"] += g == r.role
    return max(THRESHOLDS, key=lambda t: (score[t][0], score[t][1], t))

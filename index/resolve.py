"""What ingest adds to a stored paper besides its passages: passage themes, section roles and canonical entities.

`priority_themes` gives a stated priority whose words no keyword row names ("Keeping residents safe at
home") the theme of the written priorities its vector is nearest (nlp.passage_themes.nearest_themes),
before the paper is stored, so every reader (compare, the theme filter) sees the same themes.
`classify_passages` runs on the vectors ingest has just computed (nothing is embedded twice) and
stores each passage's themes (nlp.passage_themes); the passages whose section role is only their
layout's body role (no heading, label or cue named one) get the role the classifier over their vectors
and words finds, where it is sure enough (nlp.section_model). `resolve_entities` makes a new paper's
partnerships and operations canonical (nlp.normalise) incrementally: only the scopes the paper
touches are clustered again (its national entities, the places it names, its council's own
bodies), from the typed entity rows in the store, and their members are rewritten in one
transaction. Every reader (CLI, HTTP, web pages, compare, precedents) reads those tables.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from index.embed import load_embedder, model_name
from index.store import Store
from index.vectors import WINDOW_SHIFT
from ingest.settings import Settings
from nlp.model import Extraction
from nlp.normalise import council_place, normalise, scope_of
from nlp.passage_themes import classify, load_priority_model, nearest_themes, theme_descriptions
from nlp.section_model import load_model, refine
from nlp.themes import themes_for

if TYPE_CHECKING:
    import numpy as np

    from nlp.normalise import Sighting
    from nlp.section_model import SectionModel


def priority_themes(extraction: Extraction | None, settings: Settings) -> Extraction | None:
    """The extraction with a theme for each priority no keyword row names, where the saved priority model
    (made with this embedding model) finds one near enough; unchanged when there is no such model."""
    if extraction is None:
        return None
    bare = [n for n, pr in enumerate(extraction.priorities) if not (pr.themes or themes_for(pr.text))]
    model = load_priority_model() if bare else None
    if model is None or model.model != model_name(settings):
        return extraction
    found = nearest_themes(
        model, load_embedder(settings).encode([extraction.priorities[n].text for n in bare])
    )
    priorities = list(extraction.priorities)
    for n, themes in zip(bare, found, strict=True):
        priorities[n] = replace(priorities[n], themes=themes)
    return replace(extraction, priorities=tuple(priorities))


def theme_vectors(settings: Settings) -> tuple[tuple[str, ...], np.ndarray]:
    """(theme ids, the embedded theme descriptions): what passages are compared with."""
    ids, descriptions = theme_descriptions()
    return ids, load_embedder(settings).encode(list(descriptions))


def classify_passages(
    store: Store,
    vector_ids: list[int],
    vectors: np.ndarray,
    texts: list[str],
    settings: Settings,
    themes: tuple[tuple[str, ...], np.ndarray] | None = None,
) -> int:
    """Store the themes of the passages among `vector_ids` (their own vectors, not sentence windows);
    `themes` is `theme_vectors(settings)` when the caller classifies many batches."""
    import numpy as np

    vids = np.asarray(vector_ids, dtype=np.int64)
    own = np.flatnonzero((vids >> WINDOW_SHIFT) == 0)
    if not len(own):
        return 0
    ids, described = themes or theme_vectors(settings)
    found = classify([texts[i] for i in own], vectors[own], described, ids)
    rows = [(int(vids[i]), t.theme, t.score) for i, themes in zip(own, found, strict=True) for t in themes]
    store.put_passage_themes([int(vids[i]) for i in own], rows)
    refine_sections(store, [int(vids[i]) for i in own], vectors[own], settings, texts=[texts[i] for i in own])
    return len(rows)


def refine_sections(
    store: Store,
    passage_ids: list[int],
    vectors: np.ndarray,
    settings: Settings,
    model: SectionModel | None = None,
    texts: list[str] | None = None,
) -> int:
    """Give the passages among `passage_ids` (their vectors and `texts`, in the same order) whose section role is
    their layout's body role the role the classifier over their vectors and words finds (`model`, default the
    saved nlp.section_model), where it reaches its threshold; the number changed. Nothing changes when there
    is no model or it was trained on another embedding model."""
    model = model or load_model()
    todo = store.body_role_passages(passage_ids)
    if model is None or not todo or model.model != model_name(settings) or vectors.shape[1] != model.dim:
        return 0
    row = {pid: n for n, pid in enumerate(passage_ids)}
    layouts = [_layout(kind) for _, kind in todo]
    rows = [row[pid] for pid, _ in todo]
    if model.features and (texts is None or len(texts) != len(passage_ids)):
        raise ValueError(
            f"refine_sections: the section model reads {len(model.features)} word features; "
            f"{0 if texts is None else len(texts)} texts given for {len(passage_ids)} passages"
        )
    found = refine(model, vectors[rows], [texts[n] for n in rows] if texts else [""] * len(rows), layouts)
    changes = [(pid, role, "vector") for (pid, _), role in zip(todo, found, strict=True) if role]
    store.set_sections(changes)
    return len(changes)


def _layout(kind: str | None) -> str:
    """A stored paper kind as a section layout (nlp.sections.layout)."""
    kind = (kind or "").lower()
    return "decision" if "decision" in kind else "minutes" if "minute" in kind else "report"


def _sightings(rows: list[tuple[int, Sighting]]) -> tuple[list[int], list[Sighting]]:
    return [r[0] for r in rows], [r[1] for r in rows]


def buckets_of(s: Sighting) -> tuple[str, set[str]]:
    """(the sighting's own bucket, the buckets it may join across scopes)."""
    scope, where = scope_of(s)
    own = f"{s.type}|{scope}|{where}"
    related: set[str] = set()
    if scope == "local":
        place = council_place(s.council)
        if place:
            related.add(f"{s.type}|placed|%{place}%")  # a LIKE pattern: placed bodies of its own place
    return own, related


def resolve_entities(store: Store, doc_id: str) -> int:
    """Resolve a stored paper's entities into canonical ones; returns the canonical entities touched."""
    new = store.entity_sightings(document=doc_id)
    if not new:
        return 0
    buckets: set[str] = set()
    patterns: set[str] = set()
    for _, s in new:
        own, related = buckets_of(s)
        buckets.add(own)
        patterns |= related
    for pattern in patterns:
        buckets |= store.entity_buckets(pattern)
    buckets |= _local_buckets_placed_in(store, buckets)
    old = store.entity_sightings(buckets=buckets)
    seen = {i for i, _ in new}
    ids, sightings = _sightings(new + [r for r in old if r[0] not in seen])
    canon = normalise(sightings)
    index = {id(s): i for i, s in zip(ids, sightings, strict=True)}
    members = [(index[id(s)], c.id, "|".join((s.type, *_scope(s)))) for c in canon for s in c.members]
    store.put_canonical(canon, members)
    return len(canon)


def _local_buckets_placed_in(store: Store, buckets: set[str]) -> set[str]:
    """Local buckets of the councils whose place a placed bucket names (they may join its bodies)."""
    places: dict[str, set[str]] = {}
    for b in buckets:
        type_, scope, where = b.split("|", 2)
        if scope == "placed":
            places.setdefault(type_, set()).update(where.split("|"))
    out = set()
    for type_, wanted in places.items():
        for b in store.entity_buckets(f"{type_}|local|%"):
            if council_place(b.split("|", 2)[2]) in wanted:
                out.add(b)
    return out


def resolve_unresolved(store: Store) -> int:
    """Resolve the papers whose entities have no canonical entity yet (a store made before entities were
    resolved at ingest, or a run cut short between storing a paper and resolving it)."""
    docs = store.unresolved_documents()
    for doc_id in docs:
        resolve_entities(store, doc_id)
    return len(docs)


def _scope(s: Sighting) -> tuple[str, str]:
    return scope_of(s)

"""Bulk load: Parquet shards (`index.shards`) into the store, without parsing, extracting or embedding.

The same writes as `ingest` (`Store.put_document` rows, the vectors added under the passages' ids,
a paper `pending` until the vector file holding it is saved), but a shard at a time in one
transaction, under the store's write lock. A paper whose content is already stored only gains its
source, so loading the same shards twice changes nothing; a changed file replaces its old version.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.embed import model_name
from index.pipeline import (
    CHECKPOINT_SECONDS,
    document_items,
    model_items,
    papers_stored,
    pool_groups,
    reconcile,
)
from index.resolve import classify_passages, priority_themes, resolve_entities, theme_vectors
from index.shards import Paper, find_shards, read_failures, read_shard, shard_model
from index.store import Store
from index.vectors import VectorIndex, vector_ids
from ingest.settings import Settings

if TYPE_CHECKING:
    from ingest.model import Document
    from nlp.model import Extraction


@dataclass
class LoadSummary:
    shards: int = 0
    papers: int = 0
    passages: int = 0
    entities: int = 0
    skipped: int = 0  # papers already stored (their source recorded)
    failures: list[str] = field(default_factory=list)  # bad shards, and the files the shards could not read
    warnings: list[str] = field(
        default_factory=list
    )  # what did not stop the load (saved searches not evaluated)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.shards} shards: {self.papers} papers, {self.passages} passages, {self.entities} entities"
            f" loaded; {self.skipped} already stored; {len(self.failures)} failed; {self.seconds:.1f} s"
        )


def embed_papers(items: list[tuple[Document, Extraction | None]], embedder: Any) -> list[Paper]:
    """Embed parsed papers as ingest does (`document_items`, `pool_groups`), in one batch: the papers a shard holds."""
    groups = [document_items(doc) for doc, _ in items]
    vecs = pool_groups(
        [g for doc_groups in groups for g in doc_groups],
        embedder.encode([t for doc_groups in groups for _, t in model_items(doc_groups)]),
    )
    out, pos = [], 0
    for (doc, ex), doc_groups in zip(items, groups, strict=True):
        n = sum(len(g) for g in doc_groups)
        out.append(Paper(doc, ex, tuple(len(g) - 1 for g in doc_groups), vecs[pos : pos + n]))
        pos += n
    return out


def load_shards(paths: list[Path], settings: Settings, progress: bool = True) -> LoadSummary:
    """Load shard folders (or folders of shards) into the store; a bad shard is one failure line."""
    from tqdm import tqdm

    started = time.monotonic()
    summary = LoadSummary()
    shards, problems = find_shards(paths)
    summary.failures += problems
    model = model_name(settings)
    with Store.open(settings) as store, store.write_lock():
        vectors = VectorIndex.open(store.folder, model, None)
        reconcile(store, vectors, settings)
        pending: list[str] = []
        loaded: list[str] = []
        themes = theme_vectors(settings)  # embedded once for the whole load
        saved_at = time.monotonic()
        for folder in tqdm(
            shards, unit="shard", file=sys.stderr, disable=not progress, desc="load", leave=False
        ):
            try:
                made_by = shard_model(folder)
                if made_by != model:
                    raise ValueError(f"{folder}: vectors made by model {made_by!r}, the store uses {model!r}")
                papers = list(read_shard(folder))
            except ValueError as e:
                summary.failures.append(str(e))
                continue
            summary.shards += 1
            summary.failures += read_failures(folder)
            added = _load_papers(store, vectors, papers, summary, settings, themes)
            pending += added
            loaded += added
            if pending and time.monotonic() - saved_at > CHECKPOINT_SECONDS:
                _save(store, vectors, pending, settings)
                pending, saved_at = [], time.monotonic()
        if pending:
            _save(store, vectors, pending, settings)
        # as an ingest does once its papers are stored: links among each council's papers, saved searches
        _, summary.warnings = papers_stored(store, settings, loaded, store.councils_of(loaded))
    summary.seconds = time.monotonic() - started
    return summary


def _load_papers(
    store: Store, vectors: Any, papers: list[Paper], summary: LoadSummary, settings: Settings, themes: Any
) -> list[str]:
    """Write one shard's new papers in one transaction and add their vectors; their ids (pending).

    As at ingest, each paper's passages get their themes (from the vectors it carries) and its entities
    are resolved into canonical ones."""

    new: list[Paper] = []
    seen: set[str] = set()
    for paper in papers:
        doc = paper.document
        if doc.id in seen or store.has_document(doc.id):  # known content: this is one more source of it
            store.add_source(doc.id, doc.source, doc.given)
            summary.skipped += 1
        else:
            seen.add(doc.id)
            new.append(paper)
    olds = [store.document_for_source(p.document.source) for p in new]
    ids = store.put_documents(
        [(p.document, priority_themes(p.extraction, settings), list(p.windows)) for p in new]
    )
    for paper, passage_ids, old in zip(new, ids, olds, strict=True):
        vids = vector_ids(passage_ids, list(paper.windows))
        vectors.add(vids, paper.vectors)
        texts = [
            t
            for p, w in zip(paper.document.passages, paper.windows, strict=True)
            for t in [p.text] + [""] * w
        ]
        classify_passages(store, vids.tolist(), paper.vectors, texts, settings, themes)
        resolve_entities(store, paper.document.id)
        if old and old != paper.document.id and not store.has_sources(old):
            vectors.remove(store.delete_document(old))  # a changed file replaces its old version
        ex = paper.extraction
        summary.papers += 1
        summary.passages += len(passage_ids)
        summary.entities += (len(ex.partnerships) + len(ex.operations)) if ex else 0
    return [p.document.id for p in new]


def _save(store: Store, vectors: Any, doc_ids: list[str], settings: Settings) -> None:
    vectors.maybe_upgrade(settings.ann_threshold, settings.compress_threshold)
    vectors.save()
    store.mark_indexed(doc_ids)

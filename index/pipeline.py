"""Ingest: parse + extract (worker processes) -> store (one transaction a paper) -> embed -> save vectors.

A paper is `pending` in SQLite until the FAISS file holding its vectors has been saved
(temporary file + rename), then `indexed`. `reconcile` runs first on every ingest: it drops
vectors whose passages are gone and embeds passages that have no vector, so a rerun after a
crash or Ctrl-C finishes the job. Unchanged files are recognised by their content hash
before parsing; the same content from a second source is stored once with both sources.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.alerts import after_ingest
from index.embed import load_embedder, model_name
from index.embedcache import content_key, embed_cached
from index.history import refresh_links
from index.indexing import PaperFailed, Queued, fail_paper, failure_line, index_paper
from index.resolve import priority_themes, resolve_entities, resolve_unresolved
from index.store import Store
from index.vectors import VectorIndex
from ingest.assemble import split_sentences
from ingest.errors import IngestError
from ingest.model import Document, content_id
from ingest.parse import ParseStatus, parse_each, walk_papers
from ingest.settings import Settings
from nlp.pipeline import COMPONENTS, build_pipeline, extract

if TYPE_CHECKING:
    import numpy as np

    from index.embedcache import Embedded
    from nlp.model import Extraction

EMBED_BATCH = 512  # passages embedded and added together
CHECKPOINT_SECONDS = 30.0  # save the vector index at least this often during a long ingest
# The embedding cache keeps the texts of replaced and removed passages (a paper's next version finds
# them) until it holds more than CACHE_GROWTH times the store's vectors and CACHE_SLACK rows more:
# then an ingest keeps only what the store's passages use (`prune_cache`). A row is about 1.5 KB.
CACHE_GROWTH, CACHE_SLACK = 2, 20_000


@dataclass
class IngestSummary:
    papers: int = 0
    pages: int = 0
    passages: int = 0
    entities: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: int = 0  # unchanged files (and known content from a new source) not parsed again
    removed: int = 0  # old versions replaced
    warnings: list[str] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)  # new matches of saved searches (index.alerts.Match)
    # seconds in each stage (STAGES; read, parse and extract summed over the parse workers); "cpu workers": the
    # workers' CPU seconds; "cpu STAGE": this process's (all its threads) in the stages it runs
    stages: dict[str, float] = field(default_factory=dict)
    embedded: int = 0  # texts the model embedded; the other vectors came from the embedding cache
    vectors: int = 0  # vectors added to the index
    pruned: int = 0  # cached vectors no passage uses any more, dropped (CACHE_GROWTH)
    passed_over: list[str] = field(
        default_factory=list
    )  # "path: reason" of each file not read (not a paper ...)

    def line(self) -> str:
        return (
            f"{self.papers} papers, {self.pages} pages, {self.passages} passages, {self.entities} entities"
            f" ingested; {self.skipped} unchanged; {len(self.failures)} failed; {self.seconds:.1f} s"
        )


MAX_WINDOWS = 16  # sentence vectors per passage at most


CONTEXT_CHARS = 300  # of the passage before, in the passage's context vector
CONTEXT_MAX_CHARS = 300  # passages longer than this get no context vector

# The kinds of vector a passage gets (its own is always first; see `embedding_items`).
VECTOR_KINDS: tuple[str, ...] = ("passage", "sentence", "context")
POOLED = "pooled"  # the kind of a passage's own vector when it is made from its sentence vectors
POOL_SENTENCES = True  # False: a passage of several sentences is embedded whole as well (as before)


def embedding_items(
    text: str, before: str = "", kinds: tuple[str, ...] | None = None
) -> list[tuple[str, str]]:
    """What is embedded for a passage, as (kind, text): the passage ("passage"), or, when it has
    several sentences, the mean of their vectors weighted by length ("pooled", made by
    `pool_groups`, not by the model), then each sentence ("sentence"); and a short passage
    (CONTEXT_MAX_CHARS) after the end of the one before it ("context", `before` being the previous
    passage of the paper). `kinds` (default VECTOR_KINDS) leaves out sentences or context.

    A query usually matches one sentence of a long paragraph: scoring a passage by its best
    vector raised dense nDCG@10 on the development set from 0.67 to 0.77. The context vector lets
    a table row or list item be found by what the paragraph before it says it is. Measured by
    benchmarks/bench_vector_kinds.py on the 49 development queries (README: "Vector kinds"): every
    passage embedded whole, its sentences, and context for every passage (before issue 19): all-query
    nDCG@10 0.825, dense alone 0.781, 294k tokens read by the model; pooled passages with context up to
    300 characters: 0.849, dense 0.806, 138k tokens (47%). The limit is what 4 of 5 folds chose on
    their training queries (the fifth 450); the cross-validated figures of the sets (0.78-0.82) move
    with the fusion constants each fold picks more than with the set.
    Putting the paper's title or heading path in front of the text lowered dense nDCG@10 (0.77
    without; 0.73 with the nearest heading, 0.70 title and path), so headings are left to keyword search.
    """
    kinds = VECTOR_KINDS if kinds is None else kinds
    sentences: list[str] = []
    if "sentence" in kinds:
        sentences = split_sentences(" ".join(text.split()))
    out = (
        [("passage", text)]
        if len(sentences) < 2
        else [(POOLED if POOL_SENTENCES else "passage", text)]
        + [("sentence", s) for s in sentences[:MAX_WINDOWS]]
    )
    if "context" in kinds and before.strip() and len(text) <= CONTEXT_MAX_CHARS:
        tail = before[-CONTEXT_CHARS:]
        tail = tail[tail.find(" ") + 1 :] if len(before) > CONTEXT_CHARS and " " in tail else tail
        out.append(("context", f"{tail} {text}"))
    return out


def vector_policy() -> str:
    """What decides a passage's vectors besides the model (recorded in the store; `reconcile` re-makes
    the vectors of a store made under another, so a store never mixes two)."""
    return (
        f"kinds={','.join(VECTOR_KINDS)};pooled={int(POOL_SENTENCES)};context<={CONTEXT_MAX_CHARS};"
        f"tail={CONTEXT_CHARS};windows={MAX_WINDOWS};one-text-a-run"
    )


def model_items(groups: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The (kind, text) items of passages' `embedding_items` that the model embeds (all but the pooled)."""
    return [item for group in groups for item in group if item[0] != POOLED]


def pool_groups(groups: list[list[tuple[str, str]]], vectors: np.ndarray) -> np.ndarray:
    """Every vector of the groups, in order, given `vectors`: the model's of `model_items(groups)`.
    A pooled vector is the mean of its group's sentence vectors weighted by their length, normalised."""
    import numpy as np

    wanted = sum(k != POOLED for group in groups for k, _ in group)
    if wanted != len(vectors):
        raise ValueError(f"pool_groups: {len(vectors)} vectors for {wanted} embedded items")
    out = np.zeros((sum(len(g) for g in groups), vectors.shape[1]), dtype=np.float32)
    row = pos = 0
    for group in groups:
        pooled = []
        for kind, _ in group:
            if kind == POOLED:
                pooled.append(row)
            else:
                out[row] = vectors[pos]
                pos += 1
            row += 1
        if pooled:
            start = row - len(group)
            weights = np.array([len(t) if k == "sentence" else 0 for k, t in group], dtype=np.float32)
            vec = weights @ out[start:row]
            out[pooled] = vec / max(float(np.linalg.norm(vec)), 1e-12)
    return out


def embed_groups(
    store: Store, groups: list[list[tuple[str, str]]], settings: Settings, threads: int | None = None
) -> tuple[Embedded, np.ndarray]:
    """Every vector of the passages' `embedding_items` (`groups`), in order, the model's through the
    store's embedding cache (index.embedcache; `threads` texts at a time); and what the cache returned
    (its `embedded`: the texts the model read)."""
    items = model_items(groups)
    done = embed_cached(store, load_embedder(settings), [t for _, t in items], [k for k, _ in items], threads)
    return done, pool_groups(groups, done.vectors)


def document_items(document: Document) -> list[list[tuple[str, str]]]:
    """`embedding_items` of each passage of a paper, in order."""
    return paper_items([p.text for p in document.passages])


def paper_items(texts: list[str]) -> list[list[tuple[str, str]]]:
    """`embedding_items` of the passages of one paper, given their texts in order."""
    return [embedding_items(t, b) for t, b in zip(texts, ["", *texts[:-1]], strict=True)]


def prune_cache(store: Store, settings: Settings) -> int:
    """Drop the cached vectors no passage of the store uses now (under this policy and model); the
    number dropped. Reads every passage once: an ingest runs it only past CACHE_GROWTH."""
    model, keep = model_name(settings), set()
    for _, rows in groupby(store.passages_in_order(), key=lambda r: r[0]):
        keep.update(content_key(model, kind, t) for kind, t in model_items(paper_items([r[1] for r in rows])))
    return store.keep_cached(keep)


# ---- vectors -------------------------------------------------------------------------------------


def load_vectors(store: Store, settings: Settings) -> VectorIndex:
    """The store's vector index, read from disk (for writing: hold `store.write_lock()` meanwhile; for
    searching, `index.runtime.Runtime.vectors` keeps it until a writer saves a new one)."""
    return VectorIndex.open(store.folder, model_name(settings), load_embedder(settings).dim)


def open_vectors(store: Store, settings: Settings) -> VectorIndex:
    """The store's vector index for one search made without a runtime (read from disk)."""
    return load_vectors(store, settings)


def query_vector(query: str, settings: Settings) -> np.ndarray:

    return load_embedder(settings).encode([query])[0]


# ---- ingest -------------------------------------------------------------------------------------

STAGES = ("read", "parse", "extract", "wait", "embed", "store", "index")


@contextmanager
def _timed(stages: dict[str, float], name: str) -> Iterator[None]:
    """Add the block's seconds to stages[name], and the CPU seconds this process spent in it to stages["cpu " + name]."""
    t, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - t
        stages["cpu " + name] = stages.get("cpu " + name, 0.0) + time.process_time() - cpu


@dataclass
class _Job:
    """State of one ingest run: what waits to be embedded, and when vectors were last saved."""

    store: Store
    vectors: VectorIndex
    settings: Settings
    queue: list[Queued] = field(default_factory=list)  # stored papers waiting for their vectors
    pending_docs: list[str] = field(default_factory=list)
    saved_at: float = field(default_factory=time.monotonic)
    stored: list[str] = field(
        default_factory=list
    )  # papers this run stored: their councils' links are rebuilt
    parsing: ParseStatus | None = None  # the parse workers running beside this job
    stages: dict[str, float] = field(default_factory=dict)  # seconds in each stage (STAGES)
    embedded: int = 0  # texts the model embedded (the others came from the embedding cache)
    vector_count: int = 0  # vectors added
    failed: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # marked failed after parsing: id -> (source, why)

    def queued(self) -> int:
        return sum(len(q.items) for q in self.queue)

    def threads(self) -> int:
        """Texts the embedder runs at once (each a one-thread ONNX Runtime call): Settings.embed_threads,
        within the CPU count. The parse workers share the cores meanwhile; measured on 2 idle cores
        (benchmarks/bench_ingest.py, corpus/pdf), one thread while the workers ran, then two, was
        slower than two throughout (56 s against 39 s, with batched calls; the workers finish early),
        so `parsing` (ParseStatus: the workers busy now) is kept for reporting, not to take threads away."""
        return max(1, min(self.settings.embed_threads, os.cpu_count() or 1))

    def embed(self, groups: list[list[tuple[str, str]]]) -> tuple[Embedded, np.ndarray]:
        with _timed(self.stages, "embed"):
            return embed_groups(self.store, groups, self.settings, self.threads())

    def flush(self, force: bool = False) -> None:
        """Index the queued papers, each within Settings.index_timeout (index.indexing: one that runs past
        it or fails is marked failed); save the vectors when forced or a checkpoint is due."""
        while self.queue:
            paper = self.queue.pop(0)
            try:
                self.embedded += index_paper(self.store, self.vectors, self.settings, paper, self.embed)
                self.vector_count += paper.texts()
            except PaperFailed as e:
                fail_paper(self.store, self.vectors, paper.doc_id, paper.source, e.reason)
                self.failed[paper.doc_id] = (paper.source, e.reason)
        if self.pending_docs and (force or time.monotonic() - self.saved_at > CHECKPOINT_SECONDS):
            with _timed(self.stages, "index"):
                self.vectors.maybe_upgrade(self.settings.ann_threshold, self.settings.compress_threshold)
                self.vectors.save()
                mark_links_pending(self.store, self.store.councils_of(self.pending_docs))
                self.store.mark_indexed(self.pending_docs)
            self.pending_docs, self.saved_at = [], time.monotonic()


def ingest_document(
    document: Document,
    settings: Settings,
    store: Store,
    *,
    job: _Job | None = None,
    extracted: tuple[Extraction | None, list[str]] | None = None,
) -> tuple[int, list[str]]:
    """Store, embed and index one parsed paper. Returns (entities found, warnings).

    Without a `job` (one upload) this takes the store's write lock (waiting up to
    `settings.write_timeout`, else `index.lock.StoreBusy`), saves the vectors and rebuilds the decision
    links of its council, then runs the saved searches over it (`papers_stored`); within `ingest_paths`,
    which holds the lock for its whole run, vectors are saved in batches and that is done once at the end.
    `extracted` is the paper's `_extract` when a parse worker has already run it.
    """
    if store.has_document(document.id):  # the same content from another source: stored once
        store.add_source(document.id, document.source, document.given)
        return 0, []
    extraction, warnings = extracted if extracted is not None else _extract(document)
    if job is None:
        with store.write_lock(settings.write_timeout):
            own = _Job(store, load_vectors(store, settings), settings)
            if store.has_document(document.id):  # stored by another writer while this one waited
                store.add_source(document.id, document.source, document.given)
                return 0, []
            _store_document(document, extraction, own)
            own.flush(force=True)
            if document.id in own.failed:  # indexing it failed: it is not stored
                raise IngestError(document.source, own.failed[document.id][1])
            rebuild_links(store, store.councils_of([document.id]))
        warnings = warnings + after_ingest(store, [document.id], settings)[1]  # outside the lock
    else:
        with _timed(job.stages, "store"):
            _store_document(document, extraction, job)
        if job.queued() >= EMBED_BATCH:
            job.flush()
    return (len(extraction.partnerships) + len(extraction.operations)) if extraction else 0, warnings


def _extract(document: Document) -> tuple[Extraction | None, list[str]]:
    """The paper's extraction (None, with a warning, when extraction fails); runs in a parse worker too."""
    try:
        return extract(document, extraction_pipeline()), []
    except Exception as e:  # an extraction bug must not keep a paper out of search
        return None, [
            f"{document.source}: extraction failed ({type(e).__name__}: {str(e)[:120]}); "
            "stored without entities"
        ]


extract_paper = (
    _extract  # a paper's extraction, run in a parse worker after parsing (uploads: ingest.isolated)
)


def _store_document(document: Document, extraction: Extraction | None, job: _Job) -> None:
    """Write the paper to SQLite (pending) and queue its passages for embedding; the caller holds the lock."""
    store = job.store
    old = store.document_for_source(document.source)
    items = document_items(document)
    ids = store.put_document(document, priority_themes(extraction, job.settings), [len(g) - 1 for g in items])

    resolve_entities(store, document.id)  # canonical entities, incrementally
    if old and old != document.id and not store.has_sources(old):
        job.vectors.remove(store.delete_document(old))  # a changed file replaces its old version
    job.queue.append(Queued(document.id, document.source, ids, items))
    job.pending_docs.append(document.id)
    job.stored.append(document.id)


@lru_cache(maxsize=2)
def extraction_pipeline(components: tuple[str, ...] = COMPONENTS) -> Any:
    """The spaCy extraction pipeline of these components (nlp.pipeline), built once in each process that
    extracts: parse workers (ingest.parse, ingest.isolated) and Ray tasks are processes of their own."""
    nlp = build_pipeline()
    if tuple(nlp.pipe_names) != components:
        raise ValueError(f"extraction pipeline: components {nlp.pipe_names} are not {list(components)}")
    return nlp


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    given: Callable[[Path], tuple[tuple[str, str], ...]] = lambda p: (),
    progress: bool = True,
) -> IngestSummary:
    """Ingest files (folders expanded); failures are one line each, the rest still ingested.

    The parse workers read, parse and extract the next papers while this process stores and embeds
    the ones before (the embedder on the cores they leave free: `_Job.threads`)."""
    started = time.monotonic()
    summary = IngestSummary()
    found = walk_papers(paths)
    files = found.files
    summary.failures += [str(e) for e in found.errors]
    summary.passed_over += found.skipped
    with Store.open(settings) as store, store.write_lock():
        job = _Job(store, load_vectors(store, settings), settings, parsing=ParseStatus())
        with _timed(job.stages, "store"):
            reconcile(store, job.vectors, settings, job.failed)
            to_parse = [f for f in files if not _known(job, f, given(f), summary)]
        added: list[str] = []  # papers new to the store: what saved searches are matched against
        counted: dict[str, tuple[int, int, int]] = {}  # pages, passages, entities of each paper stored
        bar = _progress(len(to_parse), progress)
        try:
            parsed = parse_each(to_parse, settings, given, then=_extract, status=job.parsing)
            while True:
                with _timed(job.stages, "wait"):
                    item = next(parsed, None)
                if item is None:
                    break
                bar.update(1)
                for stage, seconds in item.seconds:
                    stage = {"then": "extract", "cpu": "cpu workers"}.get(stage, stage)
                    job.stages[stage] = job.stages.get(stage, 0.0) + seconds
                if isinstance(item.result, IngestError):
                    summary.failures.append(str(item.result) + _remember(store, item.path, item.result))
                    continue
                result = item.result
                new = not store.has_document(result.id)
                entities, warns = ingest_document(result, settings, store, job=job, extracted=item.after)
                added += [result.id] if new else []
                counted[result.id] = (result.page_count, len(result.passages), entities)
                summary.warnings += warns
        finally:
            bar.close()
            job.flush(force=True)
            _count(summary, counted, job.failed)
            added = [a for a in added if a not in job.failed]
            with _timed(job.stages, "store"):
                rebuild_links(store, store.councils_of(job.stored))

        with _timed(job.stages, "store"):
            summary.alerts, warning = after_ingest(store, added, settings)
            if store.cache_size() > CACHE_GROWTH * len(job.vectors) + CACHE_SLACK:
                summary.pruned = prune_cache(store, settings)
        summary.warnings += warning
    summary.seconds = time.monotonic() - started
    order = [*STAGES, "cpu workers", *(f"cpu {k}" for k in STAGES)]
    summary.stages = {k: round(job.stages[k], 3) for k in order if k in job.stages}
    summary.embedded, summary.vectors = job.embedded, job.vector_count
    return summary


def _remember(store: Store, path: Path, error: IngestError) -> str:
    """A file that failed at a cost (a time or memory limit: it would again) is recorded as failed, so that
    later ingests skip it instead of paying again; what to add to its line."""
    if not error.lasting:
        return ""
    try:
        doc_id = content_id(path.read_bytes())
    except OSError:
        return ""
    store.fail_document(doc_id, str(path), error.reason)
    return f"; skipped by later ingests (`councilpapers remove {doc_id}` to try again)"


def _count(
    summary: IngestSummary, counted: dict[str, tuple[int, int, int]], failed: dict[str, tuple[str, str]]
) -> None:
    """The papers stored into the summary; the papers that failed after parsing as failure lines."""
    for doc_id, (pages, passages, entities) in counted.items():
        if doc_id not in failed:
            summary.papers += 1
            summary.pages += pages
            summary.passages += passages
            summary.entities += entities
    summary.failures += [failure_line(doc_id, source, why) for doc_id, (source, why) in failed.items()]


def _known(job: _Job, path: Path, given: tuple[tuple[str, str], ...], summary: IngestSummary) -> bool:
    """True when the file's content is already stored (then this path is recorded as a source of it), or
    failed after parsing at an earlier ingest (then it is named among the files passed over)."""
    try:
        if path.stat().st_size > job.settings.max_file_bytes:
            return False  # not read into memory here: the parser reports it
        doc_id = content_id(path.read_bytes())
    except OSError:
        return False  # the parser reports it
    store = job.store
    if not store.has_document(doc_id):
        failed = store.failure_of(doc_id)
        if failed:
            summary.passed_over.append(
                f"{path}: failed at an earlier ingest ({failed}); `councilpapers remove "
                f"{doc_id}` to try it again"
            )
        return failed is not None
    old = store.document_for_source(str(path))
    store.add_source(doc_id, str(path), given)
    if old and old != doc_id and not store.has_sources(old):
        summary.removed += 1
        job.vectors.remove(store.delete_document(old))
        job.vectors.save()
    summary.skipped += 1
    return True


def reconcile(
    store: Store, vectors: VectorIndex, settings: Settings, failed: dict[str, tuple[str, str]] | None = None
) -> int:
    """Make SQLite and FAISS agree after an interrupted run; returns the number of vectors changed.
    Passages without vectors take them from the embedding cache where it has them, paper by paper within
    Settings.index_timeout: a paper that runs past it (the one that stalled the run before) is marked
    failed, and added to `failed`, not embedded again on every run. A store whose vectors were made under
    another `vector_policy` (an older version) has them all made again."""
    import numpy as np

    orphans = store.orphan_documents()
    for doc_id in orphans:  # a replaced version whose removal was cut short
        store.delete_document(doc_id)
    mark_links_pending(store, store.councils_of(store.pending_documents()))  # their links were never rebuilt

    resolve_unresolved(store)  # canonical entities of papers stored before they were resolved at ingest
    in_sql = np.asarray(store.passage_ids(), dtype=np.int64)
    policy = vector_policy()
    if len(in_sql) and store.meta("vector_policy") != policy:  # made under another policy: made again
        print(
            f"councilpapers: vectors of {len(in_sql)} passages made again for this version's vector policy"
            f" ({policy}); cached texts are not embedded again",
            file=sys.stderr,
        )
        vectors.remove(in_sql)
    in_faiss = vectors.passage_ids()
    extra = np.setdiff1d(in_faiss, in_sql, assume_unique=True)
    missing = np.setdiff1d(in_sql, in_faiss, assume_unique=True)
    vectors.remove(extra)
    for paper in _missing_papers(store, [int(x) for x in missing]):
        store.set_windows(paper.passage_ids, [len(g) - 1 for g in paper.items])  # the policy may have changed
        try:
            index_paper(store, vectors, settings, paper, lambda groups: embed_groups(store, groups, settings))
        except PaperFailed as e:
            fail_paper(store, vectors, paper.doc_id, paper.source, e.reason)
            if failed is not None:
                failed[paper.doc_id] = (paper.source, e.reason)
    if len(extra) or len(missing):
        vectors.maybe_upgrade(settings.ann_threshold, settings.compress_threshold)
        vectors.save()
    store.set_meta("vector_policy", policy)  # after the vectors are saved: a crash before makes them again
    store.mark_indexed(store.pending_documents())
    rebuild_links(store, set())  # of the councils an interrupted run (or the papers pending above) left
    return int(len(extra) + len(missing))


# meta key: councils whose decision links are to be rebuilt. Set before a run marks its papers indexed and
# cleared once their links are rebuilt, so a run stopped in between (killed, a full disk) has the next one
# rebuild them, though its papers are no longer pending; `check` names councils left in it.
LINKS_PENDING = "links_pending"


def links_pending(store: Store) -> set[str]:
    return set(json.loads(store.meta(LINKS_PENDING) or "[]"))


def mark_links_pending(store: Store, councils: set[str]) -> None:
    if councils - links_pending(store):
        store.set_meta(LINKS_PENDING, json.dumps(sorted(links_pending(store) | councils)))


def papers_stored(
    store: Store, settings: Settings, added: list[str], councils: set[str]
) -> tuple[int, list[str]]:
    """What an ingest does once its papers are stored and indexed (files, an upload, a bulk load of shards
    made here or by Ray): rebuild the decision links of their councils, then run the saved searches over
    the new papers; (papers the saved searches matched, warnings)."""
    rebuild_links(store, councils)
    return after_ingest(store, added, settings)


def rebuild_links(store: Store, councils: set[str]) -> None:
    """Rebuild the decision links of `councils` and of every council still pending, then clear the mark."""
    todo = councils | links_pending(store)
    if todo:
        refresh_links(store, todo)
    if store.meta(LINKS_PENDING) not in (None, "[]"):
        store.set_meta(LINKS_PENDING, "[]")


def _missing_papers(store: Store, missing: list[int]) -> Iterator[Queued]:
    """The passages without vectors (sorted ids), paper by paper (a paper's passage ids are consecutive),
    each with its embedding_items; read EMBED_BATCH passages at a time."""
    doc: str | None = None
    ids: list[int] = []
    items: list[list[tuple[str, str]]] = []
    for i in range(0, len(missing), EMBED_BATCH):
        chunk = missing[i : i + EMBED_BATCH]
        rows = store.passages_by_id(chunk + [c - 1 for c in chunk])  # a passage and the one before it
        for c in chunk:
            row = rows[c]
            if doc is not None and row.document_id != doc:
                yield _queued(store, doc, ids, items)
                ids, items = [], []
            doc = row.document_id
            before = rows[c - 1].text if c - 1 in rows and rows[c - 1].document_id == doc else ""
            ids.append(c)
            items.append(embedding_items(row.text, before))
    if doc is not None:
        yield _queued(store, doc, ids, items)


def _queued(store: Store, doc_id: str, ids: list[int], items: list[list[tuple[str, str]]]) -> Queued:
    rows = store.list_documents_by_id([doc_id])
    return Queued(doc_id, rows[0].source if rows else doc_id, ids, items)


def remove_document(
    store: Store, doc_id: str, settings: Settings | None = None, timeout: float | None = None
) -> bool:
    """Delete a paper everywhere (SQLite first, then its vectors), holding the store's write lock (waiting
    up to `timeout` seconds, else `index.lock.StoreBusy`); for a paper that failed after parsing, forget the
    failure (the next ingest of it tries again). False when there is no such paper."""
    with store.write_lock(timeout):
        if not store.has_document(doc_id):
            return store.forget_failure(doc_id)  # a paper that failed after parsing: only its record is kept
        ids = store.delete_document(doc_id)
        vectors = VectorIndex.open(store.folder, model_name(settings or Settings(store=store.folder)), None)
        if vectors.remove(ids):
            vectors.save()
    return True


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="paper",
        file=sys.stderr,
        disable=not enabled or total == 0,
        desc="ingest",
        leave=False,
    )

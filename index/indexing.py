"""One paper's vectors, within a time limit: the stage after parsing that a hostile file must not stall.

Each paper is embedded and indexed on its own, in chunks of at most `CHUNK_TEXTS` texts for the model,
with `Settings.index_timeout` seconds for all of them. A paper that runs past it, or whose embedding
fails (an error of the paper's own, not a full disk), is marked failed: everything stored of it is
deleted and one row of `failed_papers` says why, so that later ingests skip it (naming it) instead of
embedding it again on every run; `check` names it and `remove` forgets it. Its vectors added so far are
dropped, so the store stays consistent.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.lock import StoreBusy
from index.resolve import classify_passages
from index.vectors import vector_ids

if TYPE_CHECKING:
    from index.store import Store
    from index.vectors import VectorIndex
    from ingest.settings import Settings

# texts the model embeds between two looks at the clock: about a second of embedding on 2 cores
CHUNK_TEXTS = 256


class PaperFailed(Exception):
    """One paper could not be indexed; `reason` is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def environment_errors() -> tuple[type[BaseException], ...]:
    """Errors of the machine, not of the paper (a full disk, a busy store): they end the run, the paper stays."""
    return (OSError, sqlite3.Error, StoreBusy)


@dataclass(frozen=True)
class Queued:
    """A stored paper's passages waiting for their vectors."""

    doc_id: str
    source: str
    passage_ids: list[int]
    items: list[list[tuple[str, str]]]  # each passage's embedding_items (index.pipeline)

    def texts(self) -> int:
        return sum(len(g) for g in self.items)


def chunks(items: list[list[tuple[str, str]]], limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) ranges of passages holding at most `limit` items each (at least one passage)."""
    start, count = 0, 0
    for i, group in enumerate(items):
        if count and count + len(group) > limit:
            yield start, i
            start, count = i, 0
        count += len(group)
    if start < len(items):
        yield start, len(items)


def index_paper(
    store: Store,
    vectors: VectorIndex,
    settings: Settings,
    paper: Queued,
    embed: Callable[[list[list[tuple[str, str]]]], tuple[Any, Any]],
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Embed, add and classify one paper's passages, chunk by chunk, within `settings.index_timeout`;
    the texts the model read. PaperFailed (its vectors added here removed again) when it runs past the
    limit or fails; errors of the machine propagate as they are."""
    deadline = clock() + settings.index_timeout
    ids = vector_ids(paper.passage_ids, [len(g) - 1 for g in paper.items])
    offsets = [0]
    for group in paper.items:
        offsets.append(offsets[-1] + len(group))
    added: list[int] = []
    embedded = 0
    try:
        for n, (start, end) in enumerate(chunks(paper.items, CHUNK_TEXTS)):
            if n and clock() > deadline:
                raise PaperFailed(
                    f"indexing took over {settings.index_timeout:g} s and was stopped"
                    f" (COUNCILPAPERS_INDEX_TIMEOUT); {paper.texts()} texts to embed"
                )
            groups = paper.items[start:end]
            done, vecs = embed(groups)
            chunk_ids = ids[offsets[start] : offsets[end]]
            vectors.add(chunk_ids, vecs)
            added += paper.passage_ids[start:end]
            classify_passages(store, chunk_ids.tolist(), vecs, [t for g in groups for _, t in g], settings)
            embedded += done.embedded
    except environment_errors():
        _drop(vectors, added)
        raise
    except PaperFailed:
        _drop(vectors, added)
        raise
    except Exception as e:  # noqa: BLE001 - whatever the paper made the embedder or indexer do: this paper only
        _drop(vectors, added)
        raise PaperFailed(f"indexing failed ({type(e).__name__}: {str(e)[:120]})") from None
    return embedded


def _drop(vectors: VectorIndex, passage_ids: list[int]) -> None:
    if passage_ids:
        vectors.remove(passage_ids)


def fail_paper(store: Store, vectors: VectorIndex, doc_id: str, source: str, reason: str) -> None:
    """Mark a paper failed (index.store.fail_document) and drop any vectors of its passages."""
    _drop(vectors, store.fail_document(doc_id, source, reason))


def failure_line(doc_id: str, source: str, reason: str) -> str:
    """A failed paper, in one line for users."""
    return f"{source}: {reason}; not stored, and skipped by later ingests (`councilpapers remove {doc_id}` to try again)"

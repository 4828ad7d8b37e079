"""Embedding by content: a text's vector is kept in the store under a hash of (model, vector kind, text),
so an unchanged passage (a paper ingested again, a changed file's untouched paragraphs, a rerun after a
crash) is never embedded twice.

The cache is a table of the store's SQLite file (`embedding_cache`), written in one transaction
after each batch is embedded and before its vectors are added to the FAISS index, so a crash
leaves whole rows or none. A row is right whatever else happens to the store (it depends only on
its key), so removals leave it: the next version of a removed paper finds its passages there, until
the cache outgrows the store (index.pipeline.CACHE_GROWTH) and an ingest drops what no passage uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.store import Store

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Embedded:
    vectors: np.ndarray  # one row a text, in order
    embedded: int  # texts the model read (the rest came from the cache, or repeat a text of this batch)


def content_key(model: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\x1f{kind}\x1f{text}".encode()).digest()[:16]


def embed_cached(
    store: Store, embedder: Any, texts: list[str], kinds: list[str], threads: int | None = None
) -> Embedded:
    """The vectors of `texts` (each of the vector kind in `kinds`), from the cache where it has them;
    the rest embedded once each (on `threads` threads) and added to the cache."""
    import numpy as np

    keys = [content_key(embedder.name, k, t) for k, t in zip(kinds, texts, strict=True)]
    width = embedder.dim * 4
    have = {k: v for k, v in store.cached_vectors(list(dict.fromkeys(keys))).items() if len(v) == width}
    todo: dict[bytes, str] = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in have:
            todo.setdefault(k, t)
    fresh = embedder.encode(list(todo.values()), threads=threads) if todo else None
    if fresh is not None:
        rows = [
            (k, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for k, v in zip(todo, fresh, strict=True)
        ]
        store.cache_vectors(rows)
        have.update(rows)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = np.frombuffer(have[k], dtype=np.float32)
    return Embedded(out, len(todo))

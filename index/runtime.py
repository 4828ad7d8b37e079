"""The runtime: what one command-line call or one server holds while it runs, built once and passed down.

Settings, the embedding model, the vector index of each store (reloaded when a writer has saved a new
file), the threads the dense half of a search runs on, and read caches that last until the store
changes. `Runtime.start(settings)` builds it and sets the numeric libraries' thread counts once (a
query runs FAISS on one thread: one query gains nothing from more, and OpenMP's idle threads spin
after each parallel region, taking the core keyword search runs on beside it; p50 at 1M passages
18 ms -> 14 ms); `close()` (or leaving its `with` block) shuts its threads down. The FastAPI app
holds one (`api.deps.RuntimeDep`), each CLI command builds one; a library call given none builds
its own for that call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from index.embed import Embedder, load_embedder, model_name
from index.store import Store
from index.vectors import INDEX_NAME, VectorIndex
from ingest.settings import Settings

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
DENSE_THREADS = 2  # threads for the dense half of searches (they hold no connection and no per-query state)


@dataclass(eq=False)
class Runtime:
    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _vectors: dict[str, tuple[int, VectorIndex]] = field(default_factory=dict, repr=False)
    _memo: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    _pool: ThreadPoolExecutor | None = field(default=None, repr=False)
    _embedder: Embedder | None = field(default=None, repr=False)
    queries: bool = True  # it serves queries: FAISS on one thread (an ingest leaves it every core)
    _threads_set: bool = field(default=False, repr=False)

    @classmethod
    def start(cls, settings: Settings, *, queries: bool = True) -> Runtime:
        """A runtime; the numeric libraries' thread counts are set once, when it first loads vectors (so a
        command that asks a server never imports FAISS)."""
        return cls(settings, queries=queries)

    def _set_threads(self) -> None:
        """Called under the lock, once: FAISS on one thread for a runtime that serves queries."""
        if self.queries and not self._threads_set:
            import faiss

            faiss.omp_set_num_threads(1)
        self._threads_set = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Shut the search threads down (waiting for running searches) and drop the loaded indexes."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._vectors.clear()
            self._memo.clear()
        if pool is not None:
            pool.shutdown(wait=True)

    # ---- the model and the vectors ---------------------------------------------------------------

    def embedder(self) -> Embedder:
        """The embedding model of the settings, loaded on first use."""
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings)
            return self._embedder

    def query_vector(self, query: str) -> np.ndarray:
        return self.embedder().encode([query])[0]

    def load_vectors(self, store: Store) -> VectorIndex:
        """The store's vector index, read from disk (for writing: hold `store.write_lock()` meanwhile)."""
        dim = self.embedder().dim
        with self._lock:
            self._set_threads()
        return VectorIndex.open(store.folder, model_name(self.settings), dim)

    def vectors(self, store: Store) -> VectorIndex:
        """The store's vector index for searching: kept, and reloaded when a writer (in this process or
        another) has saved a new file, which it does by rename, so the file's inode and time change."""
        path = store.folder / INDEX_NAME
        try:
            st = path.stat()
            stamp = hash((st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stamp = 0
        key = str(path.resolve())
        kept = self._vectors.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        dim = self.embedder().dim
        with self._lock:  # one reload, not one per waiting thread
            self._set_threads()
            kept = self._vectors.get(key)
            if kept is None or kept[0] != stamp:
                kept = (stamp, VectorIndex.open(store.folder, model_name(self.settings), dim))
                self._vectors[key] = kept
            return kept[1]

    # ---- threads and caches ----------------------------------------------------------------------

    @property
    def pool(self) -> ThreadPoolExecutor:
        """Threads for the dense half of a search, made on first use and shut down by `close()`."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=DENSE_THREADS, thread_name_prefix="dense")
            return self._pool

    def memo(self, key: str, stamp: object, compute: Callable[[], T]) -> T:
        """`compute()`, kept under `key` until `stamp` (e.g. `Store.change_stamp()`) changes."""
        with self._lock:
            kept = self._memo.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._memo[key] = (stamp, value)
        return value

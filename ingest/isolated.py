"""A server's uploads parsed in a bounded pool of worker processes, apart from its request threads.

At most `Settings.upload_workers` files are parsed at once and `Settings.upload_queue` more wait; past
that `admit()` refuses at once (the server answers 503 with Retry-After) instead of a request thread
waiting. The workers come from a fork server (the server process has threads, which `fork` must not
copy) and are kept for the next file. Each parses and then runs `then` (the extraction) on the paper,
so the request threads only store and embed it. A file past `Settings.parse_timeout` is stopped in its
worker, or, stuck in C code, has the workers killed from outside; what a hostile file made a worker
allocate goes with the worker, which also runs under `Settings.max_worker_memory`. The workers end with
the server however it ends, `kill -9` included (`ingest.parse.die_with`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from ingest.errors import IngestError
from ingest.model import Document
from ingest.parse import KILL_AFTER, _kill_workers, _result, _time_limit, parse_bytes, start_worker
from ingest.settings import Settings

RETRY_AFTER = 10  # seconds a client refused for a full pool is asked to wait


class UploadsBusy(Exception):  # noqa: N818 - reads as what the server is
    """Every worker is busy and the queue is full; `str()` is one line."""


def _job(
    args: tuple[bytes, str, Settings, tuple[tuple[str, str], ...], Callable[[Document], Any] | None],
) -> tuple[Document, Any] | IngestError:
    """A worker's task: parse one upload within the time limit, then `then(document)`."""
    data, source, settings, given, then = args
    try:
        with _time_limit(settings.parse_timeout, source):
            doc = parse_bytes(data, source, settings, given)
    except IngestError as e:
        return e
    return doc, (then(doc) if then is not None else None)


class IsolatedParser:
    """See the module docstring. `parse` (blocking) and `parse_async` both take a place in the pool for the
    call; a caller that also stores the paper holds `admit()` around the whole upload, then `submit` and
    `collect` or `wait` inside it."""

    def __init__(self, settings: Settings, then: Callable[[Document], Any] | None = None) -> None:
        self.settings = settings
        self.then = then
        self.workers = max(1, settings.upload_workers)
        self.capacity = self.workers + max(0, settings.upload_queue)
        self._busy = 0
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @contextmanager
    def admit(self) -> Iterator[None]:
        """A place for one upload, from its arrival to its end; UploadsBusy when there is none."""
        with self._lock:
            if self._busy >= self.capacity:
                raise UploadsBusy(
                    f"the server is parsing {self.workers} upload(s) with {self._busy - self.workers}"
                    f" waiting (COUNCILPAPERS_UPLOAD_WORKERS, COUNCILPAPERS_UPLOAD_QUEUE); try again"
                    f" in {RETRY_AFTER} s"
                )
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1

    def submit(self, data: bytes, source: str, given: Iterable[tuple[str, str]] = ()) -> Future[Any]:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=start_worker,
                    initargs=(0, self.settings.max_worker_memory, os.getpid()),
                )
            return self._pool.submit(_job, (data, source, self.settings, tuple(given), self.then))

    def parse(self, data: bytes, source: str, given: Iterable[tuple[str, str]] = ()) -> Document:
        """One paper's bytes -> Document, blocking. Raises IngestError (one line) or UploadsBusy."""
        with self.admit():
            return self.collect(self.submit(data, source, given), source)[0]

    def collect(self, future: Future[Any], source: str) -> tuple[Document, Any]:
        """The (Document, what `then` made of it) of a submitted file, blocking; IngestError (one line)."""
        result, broken = _result(future, source, self.settings.parse_timeout * KILL_AFTER)
        if broken:
            self._restart()
        return _unpack(result)

    async def wait(self, future: Future[Any], source: str) -> tuple[Document, Any]:
        """`collect` without holding a thread: the request awaits the worker."""
        limit = self.settings.parse_timeout * KILL_AFTER
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), limit if limit > 0 else None)
        except TimeoutError:
            self._restart()
            raise IngestError(
                source, f"parsing took over {limit:g} s; its worker was killed (COUNCILPAPERS_PARSE_TIMEOUT)"
            ) from None
        except Exception as e:  # noqa: BLE001 - BrokenProcessPool: a worker died (memory, a crash in C)
            self._restart()
            raise IngestError(
                source,
                f"the parsing process died ({type(e).__name__}; out of memory?"
                " COUNCILPAPERS_MAX_WORKER_MEMORY)",
            ) from None
        return _unpack(result)

    def _restart(self) -> None:
        """Kill the workers (one is stuck or dead); the next upload starts new ones."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            _kill_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """End the workers now, busy or not (a server stopping does not wait for a parse)."""
        self._restart()


def _unpack(result: Any) -> tuple[Document, Any]:
    if isinstance(result, IngestError):
        raise result
    return result

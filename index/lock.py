"""One writer at a time across processes: an exclusive `flock` on `<store>/write.lock`.

Every write that touches the vector file (an ingest run, an upload, a removal) holds the lock
from loading the vectors to saving them, so no writer's save can drop another's vectors.
The kernel releases the lock when its holder dies (even by `kill -9`), so a crash never
leaves the store locked. Readers take no lock: SQLite (WAL) and the rename of a new vector
file give them a consistent view.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "write.lock"
POLL_SECONDS = 0.05


class StoreBusy(TimeoutError):
    """Another writer held the store for longer than the caller would wait."""


@contextmanager
def write_lock(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's write lock in this block; wait up to `timeout` seconds (None: as long as it takes).

    The lock is per open file, so two threads of one process exclude each other as two processes do."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(
                            f"{folder}: another writer (ingest, upload or remove) has held the store"
                            f" for over {timeout:.0f} s; try again later"
                        ) from None
                    time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

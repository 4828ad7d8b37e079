"""A store that cannot be written (the disk is full, a quota, a file-size limit): one line, nothing lost.

Every write of the store is crash-safe already (SQLite transactions; the vector file written aside and
renamed), so a write that fails leaves the store as it was before it, with its papers `pending`; the
next ingest finishes them (index.pipeline.reconcile). What is left to do here is to say so in one line
instead of a traceback, and to leave no temporary file behind (`index.vectors.VectorIndex.save`).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from pathlib import Path

# errors of a write that found no room: no space, over a quota, past a file-size limit (RLIMIT_FSIZE)
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StoreWriteError(OSError):
    """A write of the store failed for want of room; `str()` is one line naming the store and what to do."""

    def __init__(self, store: Path, what: str, reason: str) -> None:
        super().__init__(
            f"{store}: cannot write {what}: {reason}; the store is as it was before this write"
            " (papers not finished stay pending): free some space and run the command again"
        )


def write_failure(e: BaseException, store: Path, what: str) -> StoreWriteError | None:
    """`e` as a StoreWriteError when it is a write that found no room (OSError, SQLite's "database or disk is
    full", FAISS's write error naming the OS error), else None."""
    if isinstance(e, StoreWriteError):
        return e
    if isinstance(e, OSError) and e.errno in NO_ROOM:
        return StoreWriteError(store, what, e.strerror or str(e))
    text = str(e)
    if isinstance(e, sqlite3.OperationalError) and ("disk is full" in text or "disk I/O error" in text):
        return StoreWriteError(store, what, f"SQLite: {text}")
    if isinstance(e, RuntimeError):  # faiss: "... write error in <file>: 0 != 4096 (No space left on device)"
        m = re.search(r"\((No space left on device|Disk quota exceeded|File too large)\)", text)
        if m:
            return StoreWriteError(store, what, m[1])
    return None


def fsync(path: Path) -> None:
    """Flush a written file to the disk (before the rename that makes it the current one)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

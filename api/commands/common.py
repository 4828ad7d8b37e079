"""What several commands share: the store, date flags, and parsing inputs with one line per bad file."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from api.cli import CommandError
from ingest.errors import IngestError
from ingest.manifest import parse_date
from ingest.model import Document
from ingest.parse import find_papers, parse_many
from ingest.settings import Settings

if TYPE_CHECKING:
    from index.store import Store


def open_store(settings: Settings) -> Store:
    """The existing store of `settings` (a context manager), or a one-line error naming the folder."""
    from index.store import Store

    try:
        return Store.open(settings, create=False)
    except FileNotFoundError as e:
        raise CommandError(str(e)) from None


def date_arg(value: str | None, flag: str) -> str | None:
    """A --from/--to value, checked as `ingest --date` checks its date (and HTTP its `from`/`to`): a real
    YYYY-MM-DD (or DD/MM/YYYY) day, returned as YYYY-MM-DD; else a one-line error naming the flag."""
    if not value:
        return None
    try:
        return parse_date(value, flag, "date")
    except IngestError:
        raise CommandError(f"{flag} {value!r}: expected a date as YYYY-MM-DD") from None


def each_document(paths: Iterable[str], settings: Settings, handle: Callable[[Document], None]) -> int:
    """Parse every paper under `paths` (both cores) and hand each to `handle`; a bad file is one line on
    stderr and the others go on. Returns the exit status: 1 when any file failed."""
    files, errors = find_papers(paths)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    failed = len(errors)
    for _path, result in parse_many(files, settings):
        if isinstance(result, IngestError):
            print(f"error: {result}", file=sys.stderr)
            failed += 1
        else:
            handle(result)
    return 1 if failed else 0

"""What several commands share: date flags, and parsing inputs with one line per bad file."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable

from api.cli import CommandError
from ingest.errors import IngestError
from ingest.model import Document
from ingest.parse import find_papers, parse_many
from ingest.settings import Settings

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def date_arg(value: str | None, flag: str) -> str | None:
    """A --from/--to value: YYYY, YYYY-MM or YYYY-MM-DD, else a one-line error naming the flag."""
    if value and not _DATE.fullmatch(value):
        raise CommandError(f"{flag} {value!r}: expected a date as YYYY-MM-DD")
    return value


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

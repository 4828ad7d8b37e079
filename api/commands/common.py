"""What several commands share: the store, date flags, and parsing inputs with one line per bad file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from api.cli import CommandError
from api.client import ServerError, find_server
from index.diskfull import write_failure
from index.names import UnknownName, resolve_names
from index.store import Store
from ingest.errors import IngestError
from ingest.manifest import parse_date
from ingest.model import Document
from ingest.parse import find_papers, parse_many
from ingest.settings import Settings

if TYPE_CHECKING:
    from index.runtime import Runtime
    from index.store import Store


def open_store(settings: Settings) -> Store:
    """The existing store of `settings` (a context manager), or a one-line error naming the folder."""
    try:
        return Store.open(settings, create=False)
    except FileNotFoundError as e:
        raise CommandError(str(e)) from None


def resolved_names(settings: Settings, kind: str, names: Iterable[str | None]) -> list[str]:
    """Council or committee names as given on the command line, resolved against the store's (index.names:
    exact, an unambiguous part, else exit 2 with the closest names suggested)."""
    given = [n for n in names if n and n.strip()]
    if not given:
        return []
    with open_store(settings) as store:
        try:
            return resolve_names(store, kind, given)  # type: ignore[arg-type]
        except UnknownName as e:
            raise CommandError(str(e), status=2) from None


def server_for(args: object, settings: Settings) -> str | None:
    """The running server this command should ask (`--server URL`, else the one `serve` recorded in the
    store folder, if it answers), or None to work in this process."""
    try:
        return find_server(settings.store, getattr(args, "server", None))
    except ServerError as e:
        raise CommandError(str(e)) from None


def prepare_model(runtime: Runtime, after: float = 1.0) -> None:
    """Load the embedding model now, saying so on stderr when it takes more than `after` seconds (the
    first run converts it, some seconds; later runs load it in about a second)."""
    import threading
    import time

    began = time.monotonic()
    done = threading.Event()

    def say() -> None:
        if not done.wait(after):
            print(
                "councilpapers: preparing the embedding model (the first run converts it once; "
                "this takes a few seconds)...",
                file=sys.stderr,
                flush=True,
            )

    watcher = threading.Thread(target=say, daemon=True)
    watcher.start()
    try:
        runtime.embedder()
    except ValueError as e:  # not a model folder: one line
        raise CommandError(str(e)) from None
    finally:
        done.set()
        watcher.join()
    took = time.monotonic() - began
    if took > after:
        print(f"councilpapers: the embedding model is ready ({took:.1f} s)", file=sys.stderr, flush=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(s: object) -> str:
    """An ingest summary in words: "1 paper, 12 passages, ..." (a text paper has passages, no pages)."""
    g = lambda name: int(getattr(s, name, 0) or 0)  # noqa: E731
    parts = [
        plural(g("papers"), "paper"),
        *([plural(g("pages"), "page")] if g("pages") else []),
        plural(g("passages"), "passage"),
        plural(g("entities"), "entity").replace("entitys", "entities"),
    ]
    failures = len(getattr(s, "failures", []) or [])
    return (
        f"{', '.join(parts)} ingested; {g('skipped')} unchanged; {failures} failed; "
        f"{float(getattr(s, 'seconds', 0.0)):.1f} s"
    )


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


@contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """A command's writes to the store: one that finds no room (a full disk) ends it with one line
    (index.diskfull), not a traceback; the store is left as it was before that write."""
    try:
        yield
    except Exception as e:
        failure = write_failure(e, settings.store, "the store")
        if failure is None:
            raise
        raise CommandError(str(failure)) from None

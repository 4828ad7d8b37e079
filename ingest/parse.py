"""Parse papers: bytes -> `Document`, files and folders -> documents, using every core.

Parsing is bounded: file size, pages, passages, DOCX unpacked size (ingest.docx) and time.
A file over `Settings.parse_timeout` is stopped inside its worker (a signal between Python
steps) and, should the worker be stuck in C code, the worker is killed from outside. Workers
die with the process that started them (`PR_SET_PDEATHSIG`), so a `kill -9` of an ingest
leaves none behind.
"""

from __future__ import annotations

import ctypes
import errno
import multiprocessing
import os
import resource
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ingest.assemble import assemble
from ingest.detect import detect_format
from ingest.docx import read_docx
from ingest.errors import IngestError
from ingest.html import read_html
from ingest.model import Document, Reading, content_id
from ingest.pdf import read_pdf
from ingest.settings import Settings
from ingest.text import read_text

# Files a folder walk passes over: our own manifests and hidden files.
MANIFEST_NAMES = frozenset({"manifest.csv", "manifest.json", "README.md"})
PAPER_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".text", ""})


def _reader(fmt: str) -> Callable[[bytes, str, Settings], Reading]:
    # the readers load their libraries (pypdfium2, pdfplumber, python-docx, bs4) when first called
    return {"pdf": read_pdf, "docx": read_docx, "html": read_html}.get(fmt, read_text)


def parse_bytes(
    data: bytes, source: str, settings: Settings, given: Iterable[tuple[str, str]] = ()
) -> Document:
    """One paper's bytes -> Document. Raises IngestError with a one-line reason."""
    if len(data) > settings.max_file_bytes:
        raise IngestError(
            source,
            f"file is {len(data) / 1e6:.1f} MB, over the limit of "
            f"{settings.max_file_bytes / 1e6:.1f} MB (COUNCILPAPERS_MAX_FILE_BYTES)",
        )
    fmt = detect_format(data, source)
    try:
        reading = _reader(fmt)(data, source, settings)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(source, OUT_OF_MEMORY, lasting=True) from None
    except Exception as e:  # a reader library choking on a damaged file: one line, no traceback
        raise IngestError(source, f"cannot read {fmt.upper()}: {type(e).__name__}: {str(e)[:160]}") from e
    text, passages, tables = assemble(reading.blocks)
    if not passages:
        raise IngestError(source, "no text found in the file")
    if len(passages) > settings.max_passages:
        raise IngestError(
            source,
            f"{len(passages)} passages, over the limit of {settings.max_passages}"
            " (COUNCILPAPERS_MAX_PASSAGES)",
        )
    # pages read by OCR travel in the metadata, so that their passages can be shown as such
    ocr = (("ocr_pages", ",".join(map(str, reading.ocr_pages))),) if reading.ocr_pages else ()
    return Document(
        id=content_id(data),
        source=source,
        format=fmt,
        title=reading.title,  # type: ignore[arg-type]
        page_count=reading.page_count,
        text=text,
        passages=passages,
        tables=tables,
        given=(*given, *ocr),
    )


def read_file(path: str | Path, settings: Settings) -> bytes:
    """A paper's bytes, within the size limit. Raises IngestError with a one-line reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError(
                str(p),
                f"file is {size / 1e6:.1f} MB, over the limit of "
                f"{settings.max_file_bytes / 1e6:.1f} MB (COUNCILPAPERS_MAX_FILE_BYTES)",
            )
        return p.read_bytes()
    except OSError as e:
        raise IngestError(str(p), f"cannot read file: {e.strerror or e}") from None


def parse_file(path: str | Path, settings: Settings, given: Iterable[tuple[str, str]] = ()) -> Document:
    return parse_bytes(read_file(path, settings), str(path), settings, given)


@dataclass(frozen=True)
class Found:
    """What a walk over files and folders found: papers to read, paths that are errors (one line each),
    and the files passed over, each "path: reason"."""

    files: list[Path]
    errors: list[IngestError]
    skipped: list[str]


# what a folder's file that is not a paper is, by its suffix (named alone, it is refused by its content)
_NOT_PAPERS = MappingProxyType(
    {
        ".xlsx": "a spreadsheet",
        ".xls": "a spreadsheet",
        ".ods": "a spreadsheet",
        ".csv": "a data table",
        ".png": "an image",
        ".jpg": "an image",
        ".jpeg": "an image",
        ".gif": "an image",
        ".tif": "an image",
        ".tiff": "an image",
        ".zip": "an archive",
        ".doc": "a legacy Word file: save it as .docx or PDF",
        ".pptx": "a slide deck",
        ".ppt": "a slide deck",
        ".msg": "an e-mail",
        ".eml": "an e-mail",
    }
)


def find_papers(inputs: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand files and folders (recursively) into paper paths, sorted; missing inputs, links that lead
    nowhere and names that are not UTF-8 are errors (one line each), the rest go on."""
    found = walk_papers(inputs)
    return found.files, found.errors


def walk_papers(inputs: Iterable[str | Path]) -> Found:
    """`find_papers`, and the files of the folders that are passed over, each with the reason: a file whose
    kind is not a paper (.xlsx, .csv, .png ...), a hidden file or folder (named once, its files not), a
    README. Manifests are read (ingest.manifest), not passed over."""
    files: list[Path] = []
    errors: list[IngestError] = []
    skipped: list[str] = []
    for item in inputs:
        p = Path(item)
        problem = _path_problem(p)
        if problem:
            errors.append(problem)
        elif p.is_dir():
            hidden: list[Path] = []
            for f in sorted(p.rglob("*")):
                why = _passed_over(f, hidden)
                if why is not None:
                    skipped += [f"{f}: {why}"] if why else []
                    continue
                problem = _path_problem(f)
                if problem:
                    errors.append(problem)
                elif f.is_file():
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            errors.append(IngestError(str(p), "no such file or folder"))
    return Found(files, errors, skipped)


def _passed_over(f: Path, hidden: list[Path]) -> str | None:
    """Why a folder walk does not read `f` as a paper: a reason to name, "" to pass over without a word (a
    folder, a manifest, what a hidden folder holds), None when it is read. `hidden` collects hidden folders."""
    if any(h in f.parents for h in hidden):
        return ""
    if f.name.startswith("."):
        if f.is_dir() and not f.is_symlink():
            hidden.append(f)
            return "a hidden folder, not read"
        return "a hidden file, not read"
    if f.is_dir() and not f.is_symlink():
        return ""
    if f.name == "README.md":
        return "a README, not a paper"
    if f.name in MANIFEST_NAMES:
        return ""
    suffix = f.suffix.lower()
    if suffix not in PAPER_SUFFIXES:
        return f"not a paper ({_NOT_PAPERS.get(suffix, f'a {suffix} file')}; papers are PDF, DOCX, HTML or text files)"
    return None


def _path_problem(path: Path) -> IngestError | None:
    """Why a path cannot be ingested although it is there: a name that is not UTF-8 (it could not be
    stored or cited), or a symbolic link to itself or to nothing."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        return IngestError(shown, "file name is not valid UTF-8; rename the file")
    if path.is_symlink() and not path.exists():
        try:
            path.resolve(strict=True)
            loops = False
        except RuntimeError:  # resolving it goes round in a circle
            loops = True
        except OSError as e:
            loops = e.errno == errno.ELOOP
        return IngestError(
            name,
            "symbolic link that leads back to itself (a loop)"
            if loops
            else "symbolic link to a file that does not exist",
        )
    return None


OUT_OF_MEMORY = (
    "needed more memory than a parse worker may take (COUNCILPAPERS_MAX_WORKER_MEMORY); "
    "a decompression or image bomb?"
)


class ParseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that readers' `except Exception` cannot swallow it."""


@contextmanager
def _time_limit(seconds: float, source: str) -> Iterator[None]:
    """Raise IngestError when the block runs past `seconds` (main thread only: signals go there)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ParseTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except ParseTimeout:
        raise IngestError(
            source,
            f"parsing took over {seconds:g} s and was stopped (COUNCILPAPERS_PARSE_TIMEOUT)",
            lasting=True,
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse_one(args: tuple[str, Settings, tuple[tuple[str, str], ...]]) -> Document | IngestError:
    path, settings, given = args
    try:
        with _time_limit(settings.parse_timeout, path):
            return parse_file(path, settings, given)
    except IngestError as e:
        return e


@dataclass(frozen=True)
class Parsed:
    """One file's outcome from `parse_many`: its Document (or why not), what `then` made of the Document
    in the same worker, and the seconds the worker spent reading, parsing and in `then` (and the CPU
    seconds of all three)."""

    path: Path
    result: Document | IngestError
    after: Any = None
    seconds: tuple[tuple[str, float], ...] = ()


@dataclass
class ParseStatus:
    """What `parse_each`'s workers are doing now: while they parse, the cores they use are not free
    for anything else (index.pipeline gives the embedder the others)."""

    workers: int = 0
    waiting: Any = None  # the futures of the files in hand, in order

    def running(self) -> int:
        """Workers busy now (files submitted and not finished, at most one a worker)."""
        return min(self.workers, sum(not f.done() for f in self.waiting)) if self.waiting else 0


def _work(
    args: tuple[str, Settings, tuple[tuple[str, str], ...], Callable[[Document], Any] | None],
) -> tuple[Document | IngestError, Any, tuple[tuple[str, float], ...]]:
    """A worker's task: read and parse one file (within the time limit), then `then(document)`."""
    path, settings, given, then = args
    cpu = time.process_time()
    t0 = time.perf_counter()
    try:
        with _time_limit(settings.parse_timeout, path):
            data = read_file(path, settings)
            t1 = time.perf_counter()
            doc = parse_bytes(data, str(path), settings, given)
    except IngestError as e:
        return e, None, ()
    except MemoryError:  # past the worker's address-space limit outside a reader (reading, assembling)
        return IngestError(path, OUT_OF_MEMORY, lasting=True), None, ()
    t2 = time.perf_counter()
    after = then(doc) if then is not None else None
    return (
        doc,
        after,
        (
            ("read", t1 - t0),
            ("parse", t2 - t1),
            ("then", time.perf_counter() - t2),
            ("cpu", time.process_time() - cpu),
        ),
    )


# a worker stuck in C code, where the signal cannot interrupt it, is killed at this many times its limit
KILL_AFTER = 2.0
AHEAD = 4  # files in hand per worker: the workers run ahead of the consumer, by this much at most


def parse_many(
    paths: list[Path],
    settings: Settings,
    given: Callable[[Path], tuple[tuple[str, str], ...]] = lambda p: (),
) -> Iterator[tuple[Path, Document | IngestError]]:
    """Parse files on `settings.workers` processes, yielding results in input order."""
    for item in parse_each(paths, settings, given):
        yield item.path, item.result


def parse_each(
    paths: list[Path],
    settings: Settings,
    given: Callable[[Path], tuple[tuple[str, str], ...]] = lambda p: (),
    then: Callable[[Document], Any] | None = None,
    status: ParseStatus | None = None,
) -> Iterator[Parsed]:
    """Parse files on `settings.workers` processes (and run `then`, a module-level function, on each
    Document in its worker), yielding results in input order. The workers keep `AHEAD` files each in
    hand, so they parse the next files while the consumer works on this one; `status.running()` says
    how many are busy."""
    status = status if status is not None else ParseStatus()
    jobs = [(str(p), settings, given(p), then) for p in paths]
    workers = max(1, min(settings.workers, len(jobs)))
    if workers == 1:
        for p, job in zip(paths, jobs, strict=True):
            doc, after, seconds = _work(job)
            yield Parsed(p, doc, after, seconds)
        return
    done = 0
    while done < len(jobs):  # a new pool after a worker was killed, for the files still to do
        # big files first would balance better, but callers want input order: one file a task keeps
        # both cores busy
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=start_worker,
            initargs=(os.getpid(), settings.max_worker_memory),
        )
        try:
            waiting: deque[Any] = deque()  # the futures of jobs[done:done + len(waiting)]
            status.workers, status.waiting = workers, waiting
            while done < len(jobs):
                _top_up(pool, waiting, jobs, done, workers * AHEAD)
                result, broken = _result(
                    waiting.popleft(), jobs[done][0], settings.parse_timeout * KILL_AFTER
                )
                if not broken:
                    _top_up(pool, waiting, jobs, done + 1, workers * AHEAD)
                doc, after, seconds = result if isinstance(result, tuple) else (result, None, ())
                yield Parsed(paths[done], doc, after, seconds)
                done += 1
                if broken:
                    _kill_workers(pool)
                    break
        finally:
            status.waiting = None
            pool.shutdown(wait=False, cancel_futures=True)


def _top_up(pool: ProcessPoolExecutor, waiting: deque[Any], jobs: list[Any], first: int, ahead: int) -> None:
    """Submit the next jobs (after `first` and those waiting) until `ahead` are in hand."""
    while len(waiting) < ahead and first + len(waiting) < len(jobs):
        waiting.append(pool.submit(_work, jobs[first + len(waiting)]))


def _result(future: object, path: str, timeout: float) -> tuple[Any, bool]:
    """The file's Document or error, and whether the pool must be replaced."""
    try:
        return future.result(timeout=timeout), False  # type: ignore[attr-defined]
    except FutureTimeout:
        return IngestError(
            path,
            f"parsing took over {timeout:g} s; its worker was killed (COUNCILPAPERS_PARSE_TIMEOUT)",
            lasting=True,
        ), True
    except BrokenProcessPool:
        return IngestError(
            path, "the parsing process died (out of memory? COUNCILPAPERS_MAX_WORKER_MEMORY)", lasting=True
        ), True


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # `_processes` is the executor's own table of its workers (CPython 3.11; there is no public way)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def start_worker(parent: int, memory: int = 0, watch: int = 0) -> None:
    """A parse worker's initializer: it dies with its parent (`_die_with_parent`) and with process `watch`
    (a server, whose workers come from a fork server), and may take `memory` bytes of address space more
    than it starts with (`limit_memory`)."""
    _die_with_parent(parent)
    if watch:
        die_with(watch)
    if memory > 0:
        limit_memory(memory)


def limit_memory(extra: int) -> None:
    """Limit this process's address space (RLIMIT_AS) to what it holds now plus `extra` bytes: past it an
    allocation fails (MemoryError, one line for the file) instead of the machine running out. Counted from
    now because a worker forked from an ingest starts with the ingest's address space (the model)."""
    try:
        now = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux: no limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = now + extra if hard == resource.RLIM_INFINITY else min(now + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def die_with(pid: int) -> None:
    """End this process as soon as process `pid` ends (a thread waits on its pidfd), however it ends: a
    worker of a fork server is the fork server's child, so PR_SET_PDEATHSIG cannot tie it to the server,
    and the fork server waits for its workers before it ends."""

    def wait() -> None:
        try:
            fd = os.pidfd_open(pid)

            select.select([fd], [], [])
        except (OSError, AttributeError):  # no pidfd (old kernel, not Linux): look once a second
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=wait, name="die-with-server", daemon=True).start()


def _die_with_parent(parent: int) -> None:
    """The kernel kills this worker when its parent dies, even by `kill -9` (`parent` 0: a fork server's
    worker, whose parent is the fork server)."""
    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers end when their task pipe closes
        return
    if parent and os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _context():  # noqa: ANN202
    # fork is fast, and safe enough here: a worker only parses, touching none of the locks that the
    # embedder's threads in the parent may hold (a server, with request threads, uses ingest.isolated)
    return multiprocessing.get_context("fork" if os.name == "posix" else "spawn")

"""Parse papers: bytes -> `Document`, files and folders -> documents, using every core."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ingest.assemble import assemble
from ingest.detect import detect_format
from ingest.errors import IngestError
from ingest.model import Document, Reading, content_id
from ingest.settings import Settings

# Files a folder walk passes over: our own manifests and hidden files.
MANIFEST_NAMES = {"manifest.csv", "manifest.json", "README.md"}
PAPER_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".text", ""}


def _reader(fmt: str) -> Callable[[bytes, str, Settings], Reading]:
    # imported here so that `councilpapers --help` does not load pdfplumber and friends
    if fmt == "pdf":
        from ingest.pdf import read_pdf

        return read_pdf
    if fmt == "docx":
        from ingest.docx import read_docx

        return read_docx
    if fmt == "html":
        from ingest.html import read_html

        return read_html
    from ingest.text import read_text

    return read_text


def parse_bytes(data: bytes, source: str, settings: Settings,
                given: Iterable[tuple[str, str]] = ()) -> Document:
    """One paper's bytes -> Document. Raises IngestError with a one-line reason."""
    if len(data) > settings.max_file_bytes:
        raise IngestError(source, f"file is {len(data) / 1e6:.1f} MB, over the limit of "
                                  f"{settings.max_file_bytes / 1e6:.1f} MB (COUNCILPAPERS_MAX_FILE_BYTES)")
    fmt = detect_format(data, source)
    try:
        reading = _reader(fmt)(data, source, settings)
    except IngestError:
        raise
    except Exception as e:  # a reader library choking on a damaged file: one line, no traceback
        raise IngestError(source, f"cannot read {fmt.upper()}: {type(e).__name__}: {str(e)[:160]}") from e
    text, passages, tables = assemble(reading.blocks)
    if not passages:
        raise IngestError(source, "no text found in the file")
    # pages read by OCR travel in the metadata, so that their passages can be shown as such
    ocr = (("ocr_pages", ",".join(map(str, reading.ocr_pages))),) if reading.ocr_pages else ()
    return Document(id=content_id(data), source=source, format=fmt, title=reading.title,  # type: ignore[arg-type]
                    page_count=reading.page_count, text=text, passages=passages, tables=tables,
                    given=(*given, *ocr))


def parse_file(path: str | Path, settings: Settings, given: Iterable[tuple[str, str]] = ()) -> Document:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError(str(p), f"file is {size / 1e6:.1f} MB, over the limit of "
                                      f"{settings.max_file_bytes / 1e6:.1f} MB (COUNCILPAPERS_MAX_FILE_BYTES)")
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(str(p), f"cannot read file: {e.strerror or e}") from None
    return parse_bytes(data, str(p), settings, given)


def find_papers(inputs: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand files and folders (recursively) into paper paths, sorted; missing inputs are errors."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (f.is_file() and not any(part.startswith(".") for part in rel)
                        and f.name not in MANIFEST_NAMES and f.suffix.lower() in PAPER_SUFFIXES):
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            errors.append(IngestError(str(p), "no such file or folder"))
    return files, errors


def _parse_one(args: tuple[str, Settings, tuple[tuple[str, str], ...]]) -> Document | IngestError:
    path, settings, given = args
    try:
        return parse_file(path, settings, given)
    except IngestError as e:
        return e


def parse_many(paths: list[Path], settings: Settings,
               given: Callable[[Path], tuple[tuple[str, str], ...]] = lambda p: (),
               ) -> Iterator[tuple[Path, Document | IngestError]]:
    """Parse files on `settings.workers` processes, yielding results in input order."""
    jobs = [(str(p), settings, given(p)) for p in paths]
    workers = max(1, min(settings.workers, len(jobs)))
    if workers == 1:
        for p, job in zip(paths, jobs, strict=True):
            yield p, _parse_one(job)
        return
    # big files first would balance better, but callers want input order: chunksize 1 keeps both cores busy
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        yield from zip(paths, pool.map(_parse_one, jobs, chunksize=1), strict=True)


def _context():  # noqa: ANN202
    import multiprocessing

    # fork is fast and safe here: workers only parse; no threads have been started yet
    return multiprocessing.get_context("fork" if os.name == "posix" else "spawn")

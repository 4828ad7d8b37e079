"""The original file of a paper: kept in the store folder by content hash, or found at its source.

Uploads are written to `<store>/originals/<id>.<ext>` (the name is the content hash, so no
client-supplied path touches the file system). Papers ingested from local files are served
from their recorded source path, but only when the file there still hashes to the id.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import MappingProxyType

from index.reads import DocumentDetail, DocumentRow
from ingest.model import content_id

FOLDER = "originals"
EXTENSIONS = MappingProxyType({"pdf": "pdf", "docx": "docx", "html": "html", "text": "txt"})
MEDIA_TYPES = MappingProxyType(
    {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html": "text/html; charset=utf-8",
        "text": "text/plain; charset=utf-8",
    }
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def original_path(store_folder: Path, doc_id: str, fmt: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{16}", doc_id):
        raise ValueError(f"not a document id: {doc_id!r}")
    return store_folder / FOLDER / f"{doc_id}.{EXTENSIONS.get(fmt, 'bin')}"


def keep_original(store_folder: Path, doc_id: str, fmt: str, data: bytes) -> Path:
    """Write the bytes under their content hash (temporary file, then rename); return the path."""
    path = original_path(store_folder, doc_id, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def find_original(store_folder: Path, doc: DocumentRow, max_bytes: int) -> Path | None:
    kept = original_path(store_folder, doc.id, doc.format)
    if kept.is_file():
        return kept
    for source in dict.fromkeys((doc.source, *doc.sources)):
        if "://" in source or source.startswith("upload:"):
            continue
        path = Path(source)
        try:
            if (
                path.is_file()
                and path.stat().st_size <= max_bytes
                and content_id(path.read_bytes()) == doc.id
            ):
                return path
        except OSError:
            continue
    return None


def download_name(doc: DocumentRow) -> str:
    """A safe file name for Content-Disposition: the source's stem, tamed, and the format's extension."""
    stem = doc.source.rstrip("/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("_", stem).strip("._")[:80] or doc.id
    return f"{stem}.{EXTENSIONS.get(doc.format, 'bin')}"


def safe_upload_name(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE.sub("_", base).strip("._")[:120] or "upload"


def published_url(detail: DocumentDetail) -> str | None:
    """The council's published URL of a paper (`url` given with a source by a manifest or the harvester, or an
    http(s) source), or None when it was only ever a local file or an upload."""
    for source in (*detail.document.sources, detail.document.source):
        url = (detail.given.get(source) or {}).get("url") or source
        if url.startswith(("https://", "http://")):
            return url
    return None


def original_url(detail: DocumentDetail, page: int | None = None) -> str:
    """Where to open the original: the published URL, else this server's copy (GET /documents/{id}/file);
    for a PDF with `page`, at that page (`#page=N`, which browsers' PDF viewers follow)."""
    url = published_url(detail) or f"/documents/{detail.document.id}/file"
    if page and detail.document.format == "pdf":
        url = url.split("#", 1)[0] + f"#page={page}"
    return url

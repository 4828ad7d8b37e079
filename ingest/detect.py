"""Tell a file's format by its content, never by its name alone."""

from __future__ import annotations

import zipfile
from io import BytesIO

from ingest.errors import IngestError

# magic numbers of formats we refuse, so the message can say what the file really is
_OTHER = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls): save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def detect_format(data: bytes, source: str) -> str:
    """Return "pdf", "docx", "html" or "text"; raise IngestError for anything else."""
    if not data.strip():
        raise IngestError(source, "empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise IngestError(source, "corrupt DOCX (damaged zip archive)") from None
        if "word/document.xml" in names:
            return "docx"
        raise IngestError(source, "a zip archive that is not a Word document")
    for magic, what in _OTHER:
        if head.startswith(magic):
            ext = source.rsplit(".", 1)[-1].lower() if "." in source else ""
            named = f" named .{ext}" if ext else ""
            raise IngestError(source, f"content is {what}{named}, not a paper")
    if b"\x00" in head:
        raise IngestError(source, "binary content of unknown type, not a paper")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower():
        return "html"
    return "text"


def decode_text(data: bytes) -> str:
    """Text as written: UTF-8 (with or without BOM), else UTF-16 by BOM, else cp1252 (never mojibake)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")

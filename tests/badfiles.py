"""The bad inputs of the ingest issue, made in memory: shared by the parse and the upload tests."""

from __future__ import annotations

import zipfile
from io import BytesIO


def pdf_bytes(pages: int = 1, text: bool = True, encrypt: str | None = None) -> bytes:
    """A real PDF; `text=False` draws only marks, like a scan with no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=encrypt)
    for i in range(pages):
        if text:
            c.drawString(72, 750, f"{i + 1}. The committee noted the report on page {i + 1}.")
        else:
            c.rect(72, 500, 300, 200, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


def corrupt_docx() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")  # cut off
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40

BAD_FILES = {  # file name -> (bytes, a phrase the one-line reason must hold)
    "empty.txt": (b"", "empty file"),
    "truncated.pdf": (pdf_bytes(3)[:400], "corrupt or truncated PDF"),
    "locked.pdf": (pdf_bytes(encrypt="secret"), "encrypted PDF"),
    "scanned.pdf": (pdf_bytes(text=False), "no text layer: scanned?"),
    "picture.pdf": (PNG, "PNG image named .pdf"),
    "broken.docx": (corrupt_docx(), "corrupt DOCX"),
}

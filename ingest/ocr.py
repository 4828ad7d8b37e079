"""OCR of PDF pages that have no text layer (scans): pdfium renders the page, Debian's tesseract reads it.

A page is rendered within a pixel budget (`Settings.ocr_max_pixels`): a page too large for the set
resolution is rendered at a lower one, and one that would fall under `MIN_DPI` (a 14,400-point
poster) is given up, never rendered at 300 dpi into gigabytes.

Tesseract's TSV output gives each word with its box; words become the same `Line`s the PDF reader
builds from a text layer (positions in points, a size from the line's height), so page furniture,
paragraphs, numbering and headings are found the same way. Bounded: at most `ocr_max_pages` pages
and `ocr_seconds` seconds of OCR per file; a page that takes longer than what is left is given up.
Where tesseract is not installed, pages without text are left out, as before.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from ingest.model import Line
from ingest.settings import Settings

LANGUAGE = "eng"
# below this, the page's type is too small in pixels to read: 1 pixel a point (a 10-point line 10 pixels high)
MIN_DPI = 72


def tesseract() -> str | None:
    """The tesseract program, when it is installed."""
    return shutil.which("tesseract")


def has_image(page: Any) -> bool:  # a pypdfium2.PdfPage
    import pypdfium2.raw as raw

    return any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


@dataclass
class Budget:
    """What is left of one file's OCR allowance; `given_up` lists pages skipped for it."""

    settings: Settings
    started: float = field(default_factory=time.monotonic)
    pages: int = 0
    given_up: list[int] = field(default_factory=list)
    why: dict[int, str] = field(default_factory=dict)  # pages given up for a reason of their own

    def seconds_left(self) -> float:
        return self.settings.ocr_seconds - (time.monotonic() - self.started)

    def allows(self) -> bool:
        return self.pages < self.settings.ocr_max_pages and self.seconds_left() > 1.0


def render_dpi(width_pt: float, height_pt: float, settings: Settings) -> int:
    """The resolution to render a page of this size at: `ocr_dpi`, lowered so that the image holds at most
    `ocr_max_pixels` pixels; under MIN_DPI the page is not rendered (0)."""
    dpi = settings.ocr_dpi
    area = max(width_pt, 1.0) * max(height_pt, 1.0) / 72**2  # square inches
    if area * dpi**2 > settings.ocr_max_pixels:
        dpi = int((settings.ocr_max_pixels / area) ** 0.5)
    return dpi if dpi >= MIN_DPI else 0


def ocr_page(page: Any, number: int, budget: Budget) -> list[Line] | None:
    """The page's printed lines read by OCR; None when the budget or the time ran out, the page is too
    large to render within the pixel budget, or tesseract failed."""
    exe = tesseract()
    if exe is None or not budget.allows():
        budget.given_up.append(number)
        return None
    width, height = page.get_size()
    dpi = render_dpi(width, height, budget.settings)
    if not dpi:
        budget.given_up.append(number)
        budget.why[number] = (
            f"page {number} is {width:.0f} x {height:.0f} points, too large to read by OCR"
            f" within {budget.settings.ocr_max_pixels / 1e6:.0f} million pixels"
            " (COUNCILPAPERS_OCR_MAX_PIXELS)"
        )
        return None
    budget.pages += 1
    gray = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    height, width = gray.shape[:2]
    image = f"P5\n{width} {height}\n255\n".encode() + gray.reshape(height, width).tobytes()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core a page: files are parsed in parallel already
    try:
        out = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "--psm", "3", "tsv"],
            input=image,
            capture_output=True,
            timeout=max(1.0, budget.seconds_left()),
            env=env,
            check=True,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError, OSError):
        budget.given_up.append(number)
        return None
    return lines_from_tsv(out.stdout.decode("utf-8", "replace"), number, 72 / dpi)


def lines_from_tsv(tsv: str, page: int, scale: float) -> list[Line]:
    """Tesseract TSV (level, page, block, par, line, word, left, top, width, height, conf, text) -> Lines.

    `scale` turns pixels into points. A line's size is the median height of its words in points
    (about the type's size), rounded, so that lines set alike compare equal."""
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, w, h, conf = (int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]), float(cols[10]))
        except ValueError:
            continue
        if conf < 0:
            continue
        words.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(
            (left, top, w, h, cols[11].strip())
        )
    lines = []
    for ws in words.values():  # tesseract's reading order (columns kept apart)
        ws = sorted(ws)
        size = round(statistics.median(h for _, _, _, h, _ in ws) * scale * 1.3 * 2) / 2
        lines.append(
            Line(
                page,
                " ".join(w[4] for w in ws),
                min(w[0] for w in ws) * scale,
                min(w[1] for w in ws) * scale,
                max(w[0] + w[2] for w in ws) * scale,
                max(w[1] + w[3] for w in ws) * scale,
                size,
                False,
            )
        )
    return lines

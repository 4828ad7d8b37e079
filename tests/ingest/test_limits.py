"""Limits past parsing and memory limits: a one-line file becomes passages of bounded length; a page too big to
render, a zip that lies about its sizes and a nested-<div> bomb are refused or scaled, in bounded memory."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.assemble import MAX_CHARS
from ingest.parse import parse_file
from ingest.settings import Settings


def one_line(words: int, seed: int = 3, stop: bool = False) -> str:
    """A single line of council-paper words (no line breaks; with full stops only when `stop`)."""
    vocab = (
        "council partnership committee scrutiny budget transport levy parking report members officers "
        "residents ward community safety funding review scheme consultation approval strategy"
    ).split()
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(words):
        word = rng.choice(vocab)
        if stop and (i == 0 or out[-1].endswith(".")):
            word = word.capitalize()
        out.append(word + ("." if stop and i % 17 == 16 else ""))
    return " ".join(out)


def test_a_one_line_file_becomes_passages_cut_at_word_boundaries(tmp_path: Path) -> None:
    text = one_line(40_000)  # about 330,000 characters with no full stop and no line break
    (tmp_path / "one-line.txt").write_text(text, encoding="utf-8")
    doc = parse_file(tmp_path / "one-line.txt", Settings(workers=1))
    assert len(doc.passages) > 100 and max(len(p.text) for p in doc.passages) <= MAX_CHARS
    assert " ".join(p.text for p in doc.passages).split() == text.split()  # no word cut or lost
    assert all(doc.text[p.start : p.end] == p.text for p in doc.passages)


def test_sentences_are_kept_whole_and_a_run_without_spaces_is_cut_at_the_limit(tmp_path: Path) -> None:
    text = one_line(40_000, stop=True)
    (tmp_path / "sentences.txt").write_text(text, encoding="utf-8")
    doc = parse_file(tmp_path / "sentences.txt", Settings(workers=1))
    assert all(p.text.endswith(".") for p in doc.passages[:-1])
    (tmp_path / "no-spaces.txt").write_text("x" * (MAX_CHARS * 3 + 5), encoding="utf-8")
    runs = parse_file(tmp_path / "no-spaces.txt", Settings(workers=1)).passages
    assert [len(p.text) for p in runs] == [MAX_CHARS, MAX_CHARS, MAX_CHARS, 5]


@pytest.mark.parametrize("limit", [MAX_CHARS, 500])
def test_cap_length_keeps_every_character_but_spaces(limit: int) -> None:
    from ingest.assemble import cap_length

    text = one_line(3_000, seed=limit, stop=True) + " " + "y" * (limit + 10) + "\n" + one_line(50)
    pieces = cap_length(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


# --- memory: pages rendered for OCR, DOCX members, HTML, parse workers ------------------------------------------


def test_a_page_is_rendered_for_ocr_within_the_pixel_budget() -> None:
    from ingest.ocr import MIN_DPI, render_dpi

    s = Settings()
    assert render_dpi(595, 842, s) == s.ocr_dpi  # A4 at 300 dpi: 8.7 million pixels
    wide = render_dpi(3000, 3000, s)  # 41.7 inches square: 300 dpi would be 156 million pixels
    assert MIN_DPI <= wide < s.ocr_dpi and (3000 * wide / 72) ** 2 <= s.ocr_max_pixels
    assert render_dpi(14400, 14400, s) == 0  # 200 inches square: not rendered at all


GIANT_PAGE = """
import io, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, resource.RLIM_INFINITY))  # 300 dpi would need 3.6 GB
from PIL import Image
from ingest.errors import IngestError
from ingest.parse import parse_bytes
from ingest.settings import Settings
out = io.BytesIO()
Image.new("L", (200, 200), 128).save(out, "PDF", resolution=1.0)  # a 200-inch (14,400-point) square page
try:
    parse_bytes(out.getvalue(), "poster.pdf", Settings())
except IngestError as e:
    print(e)
print(int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024)  # this process's peak MB
"""


@pytest.mark.skipif(__import__("shutil").which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_a_giant_image_page_is_refused_in_one_line_without_rendering_it() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", GIANT_PAGE], cwd=root, capture_output=True, text=True, timeout=120
    )
    message, peak_mb = done.stdout.strip().splitlines()
    assert message == (
        "poster.pdf: no text layer: scanned? (no page has extractable text; page 1 is 14400 x 14400"
        " points, too large to read by OCR within 40 million pixels (COUNCILPAPERS_OCR_MAX_PIXELS))"
    )
    assert int(peak_mb) < 600, done.stderr


def _lying_docx(padding: int) -> tuple[bytes, int]:
    """A DOCX whose word/document.xml inflates to `padding` bytes more than its zip directory (and local header)
    declares; the declared part and its CRC are a valid document, so zipfile reads it without complaint."""
    import struct
    import zipfile
    import zlib
    from io import BytesIO

    import docx

    buf = BytesIO()
    d = docx.Document()
    d.add_paragraph("The Licensing Committee noted the Pubwatch scheme.")
    d.save(buf)
    real = zipfile.ZipFile(BytesIO(buf.getvalue()))
    body = real.read("word/document.xml")
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in real.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, real.read(info.filename))
                continue
            with z.open(
                info.filename, "w", force_zip64=True
            ) as member:  # streamed: the padding is never in memory
                member.write(body)
                for _ in range(padding // 1_000_000):
                    member.write(b" " * 1_000_000)
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    crc = zlib.crc32(body)
    for sig, crc_at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, at + crc_at, crc)
                struct.pack_into("<I", data, at + crc_at + 8, len(body))  # the uncompressed size it declares
            at += 4
    return bytes(data), len(body)


LYING_DOCX = """
import resource, sys
from pathlib import Path
from ingest.parse import parse_bytes
from ingest.settings import Settings
doc = parse_bytes(Path(sys.argv[1]).read_bytes(), "lying.docx", Settings())
print(doc.passages[0].text)
print(int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) // 1024)  # this process's peak MB
"""


def test_a_docx_member_that_lies_about_its_size_is_inflated_in_bounded_memory(tmp_path: Path) -> None:
    import subprocess
    import sys

    data, declared = _lying_docx(600_000_000)  # 600 MB of padding, declared as a few KB
    assert len(data) < 2_000_000
    (tmp_path / "lying.docx").write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", LYING_DOCX, str(tmp_path / "lying.docx")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    text, peak_mb = done.stdout.strip().splitlines()
    assert text == "The Licensing Committee noted the Pubwatch scheme."  # the declared part, read as declared
    assert int(peak_mb) < 400, f"peak {peak_mb} MB"  # inflating it in one call took 600 MB more


def test_html_past_its_size_or_nested_too_deep_is_refused_in_one_line(tmp_path: Path) -> None:
    import time

    from ingest.parse import parse_many

    (tmp_path / "divs.html").write_bytes(b"<html><body>" + b"<div>" * 400_000 + b"Budget</body></html>")
    (tmp_path / "big.html").write_bytes(
        b"<html><body>" + b"<p>Members noted the report.</p>" * 400_000 + b"</body></html>"
    )
    (tmp_path / "good.html").write_bytes(
        b"<html><body><div><div><p>1. The budget was agreed.</p></div></div></body></html>"
    )
    started = time.monotonic()
    settings = Settings(workers=1, parse_timeout=30, max_html_bytes=5_000_000)
    got = {p.name: r for p, r in parse_many(sorted(tmp_path.iterdir()), settings)}
    assert (
        time.monotonic() - started < 20
    )  # the nested <div>s took minutes before, and ended in a RecursionError
    assert (
        str(got["divs.html"]) == f"{tmp_path / 'divs.html'}: HTML nests elements more than 128 deep"
        " (COUNCILPAPERS_MAX_HTML_DEPTH)"
    )
    assert (
        str(got["big.html"]) == f"{tmp_path / 'big.html'}: HTML page is 12.8 MB, over the limit of 5.0 MB"
        " (COUNCILPAPERS_MAX_HTML_BYTES)"
    )
    assert got["good.html"].passages[0].text == "The budget was agreed."  # type: ignore[union-attr]


def _greedy_reader(real):  # noqa: ANN001, ANN202
    """A reader that asks for 4 GB for one file (as a decompression or image bomb makes a library do), then reads
    it as usual. Zeroed pages are not touched, so without a limit this costs no real memory."""

    def read(data: bytes, source: str, settings: Settings):  # noqa: ANN202
        if source.endswith("greedy.txt"):
            import numpy as np

            np.zeros(4 * 1024**3, dtype=np.uint8)
        return real(data, source, settings)

    return read


def test_a_parse_worker_past_its_memory_limit_fails_that_file_and_the_good_paper_is_stored(
    tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    import ingest.parse
    from index.pipeline import ingest_paths
    from ingest.model import content_id

    real = ingest.parse._reader
    monkeypatch.setattr(
        ingest.parse, "_reader", lambda fmt: _greedy_reader(real(fmt))
    )  # forked workers inherit it
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "good.txt").write_text(
        "1. The Licensing Committee agreed the Pubwatch scheme.\n", encoding="utf-8"
    )
    (papers / "greedy.txt").write_text("1. The council noted the report.\n", encoding="utf-8")
    settings = Settings(store=tmp_path / "store", workers=2, max_worker_memory=512 * 1024**2)
    summary = ingest_paths([papers], settings, progress=False)
    greedy_id = content_id((papers / "greedy.txt").read_bytes())
    assert summary.failures == [
        f"{papers / 'greedy.txt'}: needed more memory than a parse worker may take "
        "(COUNCILPAPERS_MAX_WORKER_MEMORY); a decompression or image bomb?; skipped by later"
        f" ingests (`councilpapers remove {greedy_id}` to try again)"
    ]
    assert summary.papers == 1 and summary.passages == 1
    again = ingest_paths([papers], settings, progress=False)  # a failure at a cost is not paid again
    assert again.failures == [] and len(again.passed_over) == 1
    assert again.passed_over[0].startswith(
        f"{papers / 'greedy.txt'}: failed at an earlier ingest (needed more memory"
    )

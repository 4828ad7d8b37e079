"""OCR of scanned papers: word accuracy against the text layer, and pages per second.

    python benchmarks/bench_ocr.py [PATH...] [--pages N] [--dpi 200 300] [--items]

Each PDF (default: the bundled corpus/*.pdf) is rasterised by pdfium at each scan resolution
into an image-only PDF of its first N pages, as a scanner would make it, and read back by the
PDF reader (which sends pages without a text layer to tesseract: ingest.ocr). Word accuracy is
the share of the words of the text-layer reading of the same pages that the OCR reading has in the
same order (difflib's longest matching blocks over lower-cased words). With --items, the share of
extraction items (partnerships, operations, figures, dates) of the original also found on the scan.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.ocr import tesseract  # noqa: E402
from ingest.parse import parse_bytes  # noqa: E402
from ingest.settings import Settings  # noqa: E402

_WORD = re.compile(r"[a-z0-9£%]+(?:[.,'][a-z0-9]+)*")


def first_pages(data: bytes, n: int) -> bytes:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, list(range(min(n, len(src)))))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def scan(data: bytes, dpi: int) -> bytes:
    """An image-only PDF of every page of `data`, rendered in grey at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def accuracy(reference: list[str], read: list[str]) -> float:
    matcher = difflib.SequenceMatcher(None, reference, read, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / max(1, len(reference))


def items(document) -> set:  # noqa: ANN001
    from index.pipeline import extraction_pipeline
    from nlp.pipeline import extract

    ex = extract(document, extraction_pipeline())
    return (
        {(n.type, n.name.lower()) for n in (*ex.partnerships, *ex.operations)}
        | {("metric", m.value, m.unit) for m in ex.metrics}
        | {("date", d.start, d.end, d.kind) for d in ex.dates}
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "corpus")])
    ap.add_argument("--pages", type=int, default=3, help="first pages of each PDF (default 3)")
    ap.add_argument(
        "--dpi", type=int, nargs="+", default=[200, 300], help="scan resolutions (default 200 300)"
    )
    ap.add_argument("--items", action="store_true", help="also compare extraction items")
    args = ap.parse_args()
    if tesseract() is None:
        print("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)", file=sys.stderr)
        return 1
    files = [f for p in map(Path, args.paths) for f in (sorted(p.rglob("*.pdf")) if p.is_dir() else [p])]
    settings = Settings(workers=1)
    print(f"{len(files)} PDFs, first {args.pages} pages each; tesseract at {settings.ocr_dpi} dpi, one core")
    for dpi in args.dpi:
        ref_words = got_words = pages = 0
        matched = 0.0
        seconds = 0.0
        found = wanted = 0
        for f in files:
            original = first_pages(f.read_bytes(), args.pages)
            ref = parse_bytes(original, f.name, settings)
            scanned = scan(original, dpi)
            t = time.perf_counter()
            doc = parse_bytes(scanned, f"scan-{f.name}", settings)
            seconds += time.perf_counter() - t
            pages += doc.page_count
            a, b = words(ref.text), words(doc.text)
            acc = accuracy(a, b)
            matched += acc * len(a)
            ref_words, got_words = ref_words + len(a), got_words + len(b)
            line = f"  {dpi} dpi {f.name[:60]:60s} {doc.page_count} pages  word accuracy {acc:.3f}"
            if args.items:
                want, got = items(ref), items(doc)
                found, wanted = found + len(want & got), wanted + len(want)
                line += f"  items {len(want & got)}/{len(want)}"
            print(line, flush=True)
        print(
            f"{dpi} dpi: word accuracy {matched / max(1, ref_words):.3f} over {ref_words} words; "
            f"{pages / seconds:.2f} pages/s ({seconds / max(1, pages):.2f} s a page)"
            + (
                f"; extraction items found {found / max(1, wanted):.3f} ({found}/{wanted})"
                if args.items
                else ""
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Pages per second of the PDF reader, against pypdfium2's plain text on the same files.

    python benchmarks/bench_parse.py PATH... [--repeat N]

PATH is a PDF or a folder (searched recursively). Prints, for the same files in the same
run: this parser in one process (ingest.parse.parse_bytes: read + assemble), pypdfium2's
plain text extraction, their ratio, and a folder parse with ingest.parse.parse_many on
every core (settings.workers). Also prints text-quality figures for this parser's output:
the share of word tokens that look like dictionary words and the rate of glued words.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.parse import parse_bytes, parse_many  # noqa: E402
from ingest.settings import Settings  # noqa: E402

_WORD = re.compile(r"[A-Za-z]+")
# a lower-case letter run straight into an upper-case one ("CouncilThe") or a very long
# letter run: what words glued by a lost space look like
_GLUED = re.compile(r"^(?:[a-z]+[A-Z][a-z]+|[A-Za-z]{19,})$")


def pdf_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.rglob("*.pdf")) if p.is_dir() else [p])
    return files


def bench_ours(datas: list[tuple[Path, bytes]], settings: Settings) -> tuple[float, int, list[str]]:
    texts: list[str] = []
    pages = 0
    start = time.perf_counter()
    for path, data in datas:
        doc = parse_bytes(data, str(path), settings)
        pages += doc.page_count
        texts.append(doc.text)
    return time.perf_counter() - start, pages, texts


def bench_pdfium(datas: list[tuple[Path, bytes]]) -> tuple[float, int, list[str]]:
    import pypdfium2 as pdfium

    texts: list[str] = []
    pages = 0
    start = time.perf_counter()
    for _path, data in datas:
        doc = pdfium.PdfDocument(data)
        parts = []
        for page in doc:
            parts.append(page.get_textpage().get_text_range())
            pages += 1
        texts.append("\n".join(parts))
        doc.close()
    return time.perf_counter() - start, pages, texts


def bench_plumber(datas: list[tuple[Path, bytes]]) -> tuple[float, int, list[str]]:
    import io

    import pdfplumber

    texts: list[str] = []
    pages = 0
    start = time.perf_counter()
    for _path, data in datas:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            texts.append("\n".join(page.extract_text() or "" for page in pdf.pages))
            pages += len(pdf.pages)
    return time.perf_counter() - start, pages, texts


def quality(texts: list[str], vocabulary: set[str]) -> tuple[float, float]:
    """(share of tokens in the vocabulary, glued-word rate per 1000 tokens)."""
    tokens = [t for text in texts for t in re.findall(r"\S+", text)]
    words = [m for t in tokens for m in _WORD.findall(t)]
    known = sum(w.lower() in vocabulary for w in words)
    glued = sum(bool(_GLUED.match(t.strip(".,;:()'\"’‘“”"))) for t in tokens)
    return known / max(len(words), 1), 1000 * glued / max(len(tokens), 1)


def load_vocabulary() -> set[str]:
    """English words from spaCy's bundled lexical data when present, else the system word list."""
    for candidate in (Path("/usr/share/dict/words"), Path("/usr/share/dict/british-english")):
        if candidate.exists():
            return {w.strip().lower() for w in candidate.read_text(errors="ignore").splitlines()}
    try:
        from spacy.lang.en import English

        nlp = English()
        return {w.lower() for w in nlp.Defaults.stop_words} | _corpus_vocabulary()
    except ImportError:
        return _corpus_vocabulary()


def _corpus_vocabulary() -> set[str]:
    """Words of the bundled text papers: a stand-in dictionary written by people, not extractors."""
    words: set[str] = set()
    for f in (ROOT / "corpus").glob("*.txt"):
        words.update(w.lower() for w in _WORD.findall(f.read_text(errors="ignore")))
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    ap.add_argument("--plumber", action="store_true", help="also time pdfplumber's extract_text (slow)")
    args = ap.parse_args(argv)
    files = pdf_files(args.paths)
    if not files:
        print("no PDF files found", file=sys.stderr)
        return 1
    settings = Settings()
    datas = [(f, f.read_bytes()) for f in files]
    parse_bytes(datas[0][1], str(datas[0][0]), settings)  # warm up imports (pdfplumber, pdfminer)
    ours = min((bench_ours(datas, settings) for _ in range(args.repeat)), key=lambda r: r[0])
    base = min((bench_pdfium(datas) for _ in range(args.repeat)), key=lambda r: r[0])
    start = time.perf_counter()
    results = list(parse_many(files, settings))
    folder_s = time.perf_counter() - start
    folder_pages = sum(getattr(doc, "page_count", 0) for _, doc in results)
    failed = [str(doc) for _, doc in results if not hasattr(doc, "page_count")]

    ours_pps, base_pps = ours[1] / ours[0], base[1] / base[0]
    print(f"files: {len(files)}  pages: {ours[1]}")
    print(f"councilpapers (1 process):       {ours_pps:8.1f} pages/s  ({ours[0]:.2f} s)")
    print(f"pypdfium2 plain text:            {base_pps:8.1f} pages/s  ({base[0]:.2f} s)")
    print(f"ratio councilpapers / pypdfium2: {ours_pps / base_pps:8.3f}")
    print(
        f"parse_many, {settings.workers} workers:         {folder_pages / folder_s:8.1f} pages/s  ({folder_s:.2f} s)"
    )
    vocab = load_vocabulary()
    runs = [("councilpapers", ours[2]), ("pypdfium2", base[2])]
    if args.plumber:
        plumber = bench_plumber(datas)
        print(
            f"pdfplumber extract_text:         {plumber[1] / plumber[0]:8.1f} pages/s  ({plumber[0]:.2f} s)"
        )
        runs.append(("pdfplumber", plumber[2]))
    reference = Counter(w for text in base[2] for w in _WORD.findall(text))
    for name, texts in runs:
        known, glued = quality(texts, vocab)
        mine = Counter(w for text in texts for w in _WORD.findall(text))
        shared = sum((mine & reference).values()) / max(sum(mine.values()), 1)
        print(
            f"text quality {name:14s} dictionary-like tokens {known:6.1%}  glued words {glued:5.2f}/1000 tokens"
            f"  words also in pypdfium2's text {shared:6.1%}"
        )
    for f in failed:
        print(f"error: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction throughput on the bundled corpus, in words per second, in one process.

usage: python benchmarks/bench_extract.py [--passes N] [PATH ...]

Papers are parsed once (not timed); the pipeline is built once; every paper is then extracted
`--passes` times and the best pass is reported. The target is 30,000 words/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 30_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "corpus")])
    ap.add_argument("--passes", type=int, default=3)
    a = ap.parse_args(argv)

    from ingest.errors import IngestError
    from ingest.parse import find_papers, parse_file
    from ingest.settings import Settings
    from nlp.pipeline import build_pipeline, extract

    files, errors = find_papers(a.paths)
    docs = []
    for f in files:
        try:
            docs.append(parse_file(f, Settings()))
        except IngestError as e:
            errors.append(e)
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    if not docs:
        print("error: no papers to extract", file=sys.stderr)
        return 1
    words = sum(len(d.text.split()) for d in docs)
    nlp = build_pipeline()
    extract(docs[0], nlp)  # warm-up: lazy data files and pattern compilation are not throughput
    times = []
    for _ in range(max(1, a.passes)):
        t0 = time.perf_counter()
        for d in docs:
            extract(d, nlp)
        times.append(time.perf_counter() - t0)
    best = min(times)
    rate = words / best
    print(
        f"{len(docs)} papers, {words:,} words; best of {len(times)} passes {best:.3f}s "
        f"(mean {sum(times) / len(times):.3f}s)"
    )
    print(f"extraction: {rate:,.0f} words/s  (target {TARGET:,}: {'met' if rate >= TARGET else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

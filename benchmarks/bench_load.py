"""`load` of Parquet shards against `ingest` of the same papers: seconds and the ratio.

    python benchmarks/bench_load.py [PATH...] [--per-shard N]

PATH: papers or folders (default: the bundled corpus/). Prints, in one run: the embedded
`ingest` (parse + extract + embed + store) into one store; the shards made from the same
papers (parse + extract + embed, written as Parquet; not part of either figure); and
`load` of those shards into a second store, then `check` of it. Target: load >= 5x faster.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.bulk import load_shards  # noqa: E402
from index.check import check_store  # noqa: E402
from index.pipeline import ingest_paths  # noqa: E402
from index.ray_ingest import EmbedWriter, parse_extract, plan  # noqa: E402
from ingest.parse import find_papers  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "corpus"])
    ap.add_argument("--per-shard", type=int, default=8)
    args = ap.parse_args()
    files, _ = find_papers(args.paths)
    with tempfile.TemporaryDirectory() as tmp:
        a = Settings(store=Path(tmp) / "ingested")
        t = time.perf_counter()
        s = ingest_paths(files, a, progress=False)
        ingest_s = time.perf_counter() - t
        print(
            f"ingest: {s.papers} papers, {s.passages} passages in {ingest_s:.2f} s "
            f"({s.passages / ingest_s:.0f} passages/s)"
        )

        t = time.perf_counter()
        writer = EmbedWriter(a)
        rows = plan(files, lambda p: (), Path(tmp) / "shards", args.per_shard)
        for row in rows:
            writer({k: [v] for k, v in parse_extract(row, a).items()})
        print(f"shards: {len(rows)} written in {time.perf_counter() - t:.2f} s (not counted)")

        b = Settings(store=Path(tmp) / "loaded")
        t = time.perf_counter()
        s2 = load_shards([Path(tmp) / "shards"], b, progress=False)
        load_s = time.perf_counter() - t
        print(
            f"load:   {s2.papers} papers, {s2.passages} passages in {load_s:.2f} s "
            f"({s2.passages / load_s:.0f} passages/s)"
        )
        problems = check_store(b)
        print(f"check after load: {'clean' if not problems else problems}")
        print(f"load is {ingest_s / load_s:.1f}x faster than ingest (target >= 5x)")


if __name__ == "__main__":
    main()

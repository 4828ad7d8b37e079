"""Ray ingest throughput with 1 and with 2 workers, in one run, and the CPU rate of each stage.

    python benchmarks/bench_ray.py [PATH...] [--workers 1 2] [--per-shard N]

PATH: papers or folders (default: corpus/ and ../shared/corpus/more). For each worker count a
local Ray runtime with that many CPUs runs parse + extract (tasks) and embed (actors) over the
same files, one file a shard, every library on one thread a worker; shards are written to a
temporary folder and not loaded. Prints papers/s and passages/s (wall clock, model loading
included) and the ratio to one worker; then the CPU seconds each stage took, as per-core rates
(pages/s parsed, words/s extracted, passages/s embedded), which other load on the machine does
not change. Target: 2 workers >= 1.7x one.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.ray_ingest import connect, plan, run_shards  # noqa: E402
from ingest.parse import find_papers  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def main() -> None:
    import ray

    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "corpus", ROOT.parent / "shared/corpus/more"])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--per-shard", type=int, default=1)
    args = ap.parse_args()
    files, _ = find_papers([p for p in args.paths if p.exists()])
    print(f"{len(files)} files; load average before: {os.getloadavg()[0]:.1f}")
    rates: dict[int, tuple[float, float]] = {}  # workers -> (passages/s, passages per CPU-second)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.workers:
            settings = Settings(store=Path(tmp) / "unused", workers=n)
            rows = plan(files, lambda p: (), Path(tmp) / f"out{n}", args.per_shard)
            connect(None, n)
            try:
                t = time.perf_counter()
                results = run_shards(rows, settings, n, progress=False)
                wall = time.perf_counter() - t
            finally:
                ray.shutdown()
            papers = sum(int(r["papers"]) for r in results)
            passages = sum(int(r["passages"]) for r in results)
            rate = passages / wall
            print(f"{n} worker(s): {papers} papers, {passages} passages in {wall:.1f} s: {papers / wall:.2f} papers/s,"
                  f" {rate:.1f} passages/s (load average {os.getloadavg()[0]:.1f})")
            cpu = {k: sum(json.loads(r["cpu"])[k] for r in results) for k in ("parse", "extract", "embed")}
            pages = sum(int(r["pages"]) for r in results)
            words = sum(int(r["words"]) for r in results)
            total = sum(cpu.values())
            print(f"   CPU s: parse {cpu['parse']:.1f}, extract {cpu['extract']:.1f}, embed {cpu['embed']:.1f};"
                  f" per core: parse {pages / max(cpu['parse'], 1e-9):.1f} pages/s, extract"
                  f" {words / max(cpu['extract'], 1e-9):,.0f} words/s, embed {passages / max(cpu['embed'], 1e-9):.1f}"
                  f" passages/s; all stages {passages / total:.1f} passages per CPU-second;"
                  f" CPU busy {total / wall / n:.0%} of {n} core(s)")
            rates[n] = (rate, passages / total)
    if 1 in rates and 2 in rates:
        print(f"2 workers / 1 worker: {rates[2][0] / rates[1][0]:.2f}x wall-clock throughput (target >= 1.7);"
              f" work per CPU-second {rates[2][1] / rates[1][1]:.2f}x (1.0: no cost to splitting the work)")


if __name__ == "__main__":
    main()

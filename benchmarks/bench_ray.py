"""Ray ingest throughput with 1 and with 2 workers, in one run, and the CPU rate of each stage.

    nice -n 10 python benchmarks/bench_ray.py [PATH...] [--workers 1 2] [--repeat 3] [--per-shard 1]

PATH: papers or folders (default: corpus/ and ../shared/corpus/more). For each worker count N a
local Ray runtime with N CPUs runs parse + extract (tasks) and embed (actors) over the same files,
`--repeat` times over (each copy its own shards, so start-up is amortised), one file a shard, the
largest first (so the last shards are small and both workers finish together). Every process of
the run is pinned to N cores (CPU affinity, inherited by Ray's processes), and every library in a
worker to one thread, so N workers use N cores and no more. Shards are written to a temporary
folder and not loaded. Prints, for each N: papers/s and passages/s over the wall clock (Ray's
start-up and model loading included) and in steady state (from the first shard done to the last),
the CPU seconds each stage took as per-core rates (pages/s parsed, words/s extracted, passages/s
embedded; other load on the machine does not change these) and how busy the N cores were; then
the ratio of 2 workers to 1. Target: 2 workers >= 1.7x one. On a shared machine the ratio moves
with the other load (the load average is printed before and after each run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.ray_ingest import connect, plan, run_shards  # noqa: E402
from ingest.parse import find_papers  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def shards(files: list[Path], out: Path, repeat: int, per_shard: int) -> list[dict[str, Any]]:
    """The shard rows of `repeat` copies of the files, largest input first."""
    rows = [r for k in range(repeat) for r in plan(files, lambda p: (), out / f"copy{k}", per_shard)]
    return sorted(rows, key=lambda r: -sum(os.path.getsize(f[2]) for f in json.loads(r["files"])))


def run(n: int, rows: list[dict[str, Any]], settings: Settings) -> dict[str, float]:
    """One Ray runtime of n workers pinned to n cores over the rows; its figures."""
    import ray

    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, cores[:n])  # Ray's processes, started now, inherit it
    load = os.getloadavg()[0]
    try:
        t = time.perf_counter()
        start = time.time()
        connect(None, n)
        results = run_shards(rows, settings, n, progress=False)
        wall = time.perf_counter() - t
    finally:
        ray.shutdown()
        os.sched_setaffinity(0, cores)
    done = sorted(results, key=lambda r: float(r["finished"]))
    cpu = {k: sum(json.loads(r["cpu"])[k] for r in results) for k in ("parse", "extract", "embed")}
    later = done[1:]  # steady state: the shards finished after the first one
    span = float(done[-1]["finished"]) - float(done[0]["finished"]) if len(done) > 1 else wall
    return {
        "papers": sum(int(r["papers"]) for r in results),
        "passages": sum(int(r["passages"]) for r in results),
        "pages": sum(int(r["pages"]) for r in results),
        "words": sum(int(r["words"]) for r in results),
        "wall": wall,
        "first": float(done[0]["finished"]) - start,
        "steady": sum(int(r["passages"]) for r in later) / max(span, 1e-9),
        **cpu,
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "paths", nargs="*", type=Path, default=[ROOT / "corpus", ROOT.parent / "shared/corpus/more"]
    )
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument(
        "--repeat", type=int, default=3, help="copies of the file list (more work amortises start-up)"
    )
    ap.add_argument("--per-shard", type=int, default=1)
    args = ap.parse_args()
    files, _ = find_papers([p for p in args.paths if p.exists()])
    if max(args.workers) > len(os.sched_getaffinity(0)):
        sys.exit(f"--workers {max(args.workers)}: this machine has {len(os.sched_getaffinity(0))} cores")
    print(f"{len(files)} files x {args.repeat} copies; {len(os.sched_getaffinity(0))} cores")
    rates: dict[int, list[tuple[float, float, float]]] = {}  # workers -> (wall, steady passages/s, per CPU-s)
    with tempfile.TemporaryDirectory() as tmp:
        for i, n in enumerate(args.workers):
            settings = Settings(store=Path(tmp) / "unused", workers=n)
            f = run(n, shards(files, Path(tmp) / f"run{i}", args.repeat, args.per_shard), settings)
            total = f["parse"] + f["extract"] + f["embed"]
            print(
                f"{n} worker(s) on {n} core(s): {f['papers']:.0f} papers, {f['passages']:.0f} passages in "
                f"{f['wall']:.1f} s: {f['passages'] / f['wall']:.1f} passages/s over the wall clock "
                f"({f['papers'] / f['wall']:.2f} papers/s; first shard done after {f['first']:.1f} s), "
                f"{f['steady']:.1f} passages/s in steady state (load average {f['load_before']:.1f} before, "
                f"{f['load_after']:.1f} after)",
                flush=True,
            )
            print(
                f"   CPU s: parse {f['parse']:.1f}, extract {f['extract']:.1f}, embed {f['embed']:.1f}; per core: "
                f"parse {f['pages'] / max(f['parse'], 1e-9):.1f} pages/s, extract "
                f"{f['words'] / max(f['extract'], 1e-9):,.0f} words/s, embed {f['passages'] / max(f['embed'], 1e-9):.1f}"
                f" passages/s; all stages {f['passages'] / total:.1f} passages per CPU-second; the stages kept "
                f"the {n} core(s) {total / f['wall'] / n:.0%} busy",
                flush=True,
            )
            rates.setdefault(n, []).append((f["passages"] / f["wall"], f["steady"], f["passages"] / total))
    if 1 in rates and 2 in rates:

        def mean(n: int, k: int) -> float:
            return sum(r[k] for r in rates[n]) / len(rates[n])

        print(
            f"2 workers / 1 worker: {mean(2, 0) / mean(1, 0):.2f}x wall-clock throughput (target >= 1.7), "
            f"{mean(2, 1) / mean(1, 1):.2f}x in steady state; work per CPU-second {mean(2, 2) / mean(1, 2):.2f}x "
            f"(1.0: no cost to splitting the work)"
        )


if __name__ == "__main__":
    main()

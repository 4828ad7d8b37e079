"""The compressed index (index/ivfpq.py) on synthetic 384-d vectors: build, memory, latency, recall.

    python benchmarks/bench_ivfpq.py [--n 1000000] [--queries 200] [--opq] [--candidates 100]

The vectors are clustered like sentence embeddings (2,000 topics; a vector's cosine to its topic
about 0.7), made in batches from a seed, so no more than one batch is ever in memory. Prints the
build time (training on a 100k sample, adding in batches), the index's memory (PQ codes, row
numbers, centroids; the SQ8 copies used for re-scoring are a memory-mapped file, reported
apart), search latency p50/p95 on one thread for top-100 candidates re-scored to top 10, and
recall@10 against exact search over the float32 vectors.
Targets (at 10M): p95 <= 50 ms, recall@10 >= 0.9, index memory <= 2 GB.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.ivfpq import PQ_M, CompressedIndex, nlist_for  # noqa: E402

DIM = 384
TOPICS = 2000
BATCH = 100_000


def _normalise(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def topics() -> np.ndarray:
    return _normalise(np.random.default_rng(0).standard_normal((TOPICS, DIM)))


def batch(i: int, n: int, centres: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(1000 + i)
    which = rng.integers(0, TOPICS, n)
    return _normalise(centres[which] + rng.standard_normal((n, DIM)).astype(np.float32) / np.sqrt(DIM))


def batches(total: int, centres: np.ndarray):  # noqa: ANN201
    for i, start in enumerate(range(0, total, BATCH)):
        n = min(BATCH, total - start)
        yield np.arange(start, start + n, dtype=np.int64), batch(i, n, centres)


def main() -> None:
    import faiss

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--candidates", type=int, default=100)
    ap.add_argument("--opq", action="store_true")
    args = ap.parse_args()
    centres = topics()
    queries = batch(10**6, args.queries, centres)

    t = time.perf_counter()
    exact_d = np.full((args.queries, 10), -np.inf, dtype=np.float32)
    exact_i = np.zeros((args.queries, 10), dtype=np.int64)
    for ids, vecs in batches(args.n, centres):  # exact top 10, a batch at a time
        d = queries @ vecs.T
        top = np.argpartition(-d, 10, axis=1)[:, :10]
        cd = np.concatenate([exact_d, np.take_along_axis(d, top, 1)], axis=1)
        ci = np.concatenate([exact_i, ids[top]], axis=1)
        keep = np.argsort(-cd, axis=1)[:, :10]
        exact_d, exact_i = np.take_along_axis(cd, keep, 1), np.take_along_axis(ci, keep, 1)
    print(f"{args.n:,} synthetic {DIM}-d vectors; exact top 10 for {args.queries} queries in "
          f"{time.perf_counter() - t:.0f} s")

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        sample = batch(10**6 + 1, 100_000, centres)
        idx = CompressedIndex.build(Path(tmp), DIM, args.n, sample, batches(args.n, centres), opq=args.opq)
        build = time.perf_counter() - t
        idx.save()
        idx = CompressedIndex.open(Path(tmp))
        mem = idx.memory_bytes()
        print(f"build ({'OPQ+' if args.opq else ''}IVF{nlist_for(args.n)},PQ{PQ_M}, trained on 100k, added in batches of "
              f"{BATCH:,}): {build:.0f} s; index memory {mem / 1e6:.0f} MB ({mem / args.n:.0f} B/vector); "
              f"SQ8 file for re-scoring {idx.sq8.nbytes / 1e6:.0f} MB (memory-mapped)")
        faiss.omp_set_num_threads(1)
        times, hits, raw_hits = [], 0, 0
        for qi, q in enumerate(queries):
            t = time.perf_counter()
            got = idx.search(q, 10, args.candidates)
            times.append(time.perf_counter() - t)
            hits += len({g for g, _ in got} & set(exact_i[qi].tolist()))
            _, rows = idx.index.search(q.reshape(1, -1), 10)
            raw_hits += len(set(idx.ids[rows[0][rows[0] >= 0]].tolist()) & set(exact_i[qi].tolist()))
        ms = np.array(times) * 1000
        print(f"search (one thread, {args.candidates} candidates re-scored): p50 {np.percentile(ms, 50):.1f} ms, "
              f"p95 {np.percentile(ms, 95):.1f} ms; recall@10 {hits / (10 * args.queries):.3f} "
              f"(PQ alone: {raw_hits / (10 * args.queries):.3f})")
        per = mem / args.n
        for n in (10_000_000, 100_000_000, 500_000_000):
            print(f"  at {n / 1e6:.0f}M vectors: index memory about {(per * n + nlist_for(n) * DIM * 4) / 1e9:.1f} GB,"
                  f" SQ8 file {n * DIM / 1e9:.0f} GB")


if __name__ == "__main__":
    main()

"""The compressed index (index/ivfpq.py) on synthetic 384-d vectors: build, memory, latency, recall.

    nice -n 10 python benchmarks/bench_ivfpq.py [--vectors 10000000] [--queries 200] [--opq]
        [--rerank 100 200 400] [--nprobe 32 48 96]

The vectors are a normalised Gaussian mixture, clustered like sentence embeddings: 2,000 topic
centres drawn from N(0, I) and normalised; a vector is its topic's centre plus N(0, I/384) noise,
normalised (cosine to its topic about 0.7). They are made in batches of 100,000 from a seed, so
no more than one batch is ever in memory (the exact ground truth and the build each regenerate
them). Prints the build time (training on a 100k sample, adding in batches), the index's memory
(PQ codes, row numbers, centroids, id table; the SQ8 copies used for re-scoring are a
memory-mapped file on disk, reported apart and not counted) and the process RSS, then for each
`nprobe` x `rerank`: search latency p50/p95 on one thread of a top-100 candidate search (hybrid
search's size) whose `rerank` PQ candidates are re-scored on SQ8, and recall@10 of its first 10
against exact search over the float32 vectors (200 queries, ground truth computed in batches).
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
    return _normalise(
        centres[which] + rng.standard_normal((n, DIM), dtype=np.float32) / np.float32(np.sqrt(DIM))
    )


class Exact:
    """The exact top 10 of each query over every vector, kept up to date a batch at a time."""

    def __init__(self, queries: np.ndarray) -> None:
        self.queries = queries
        self.d = np.full((len(queries), 10), -np.inf, dtype=np.float32)
        self.i = np.zeros((len(queries), 10), dtype=np.int64)

    def update(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        d = self.queries @ vecs.T
        top = np.argpartition(-d, 10, axis=1)[:, :10]
        cd = np.concatenate([self.d, np.take_along_axis(d, top, 1)], axis=1)
        ci = np.concatenate([self.i, ids[top]], axis=1)
        keep = np.argsort(-cd, axis=1)[:, :10]
        self.d, self.i = np.take_along_axis(cd, keep, 1), np.take_along_axis(ci, keep, 1)


def batches(total: int, centres: np.ndarray, exact: Exact, spent: list[float]):  # noqa: ANN201
    """The vectors in batches of (ids, vectors); each also goes to the exact search. `spent` gathers the
    seconds spent making them and searching them exactly (not part of building the index)."""
    for i, start in enumerate(range(0, total, BATCH)):
        t = time.perf_counter()
        n = min(BATCH, total - start)
        ids, vecs = np.arange(start, start + n, dtype=np.int64), batch(i, n, centres)
        exact.update(ids, vecs)
        spent.append(time.perf_counter() - t)
        yield ids, vecs


def rss_mb() -> float:
    """Resident memory of this process now (Linux), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1000
    return float("nan")


def main() -> None:
    import faiss

    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", "--n", dest="n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--candidates", type=int, default=100, help="results a search returns (hybrid asks 100)")
    ap.add_argument(
        "--rerank",
        type=int,
        nargs="+",
        default=[100, 200, 400],
        help="PQ candidates re-scored on SQ8 (each value measured)",
    )
    ap.add_argument(
        "--nprobe", type=int, nargs="+", default=[48], help="inverted lists searched (each measured)"
    )
    ap.add_argument("--opq", action="store_true")
    ap.add_argument(
        "--folder", type=Path, default=None, help="where the index files go (default: a temp folder)"
    )
    args = ap.parse_args()
    centres = topics()
    queries = batch(10**6, args.queries, centres)

    exact, spent = Exact(queries), []
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        t = time.perf_counter()
        sample = batch(10**6 + 1, 100_000, centres)
        idx = CompressedIndex.build(
            Path(tmp), DIM, args.n, sample, batches(args.n, centres, exact, spent), opq=args.opq
        )
        build = time.perf_counter() - t - sum(spent)
        exact_i = exact.i
        print(
            f"{args.n:,} synthetic {DIM}-d vectors made, and searched exactly for {args.queries} queries' "
            f"top 10, in {sum(spent):.0f} s (not counted in the build)",
            flush=True,
        )
        idx.save()
        build_rss = rss_mb()
        del idx, sample
        idx = CompressedIndex.open(Path(tmp))
        mem = idx.memory_bytes()
        print(
            f"build ({'OPQ+' if args.opq else ''}IVF{nlist_for(args.n)},PQ{PQ_M}, trained on 100k, added in batches of "
            f"{BATCH:,}): {build:.0f} s; index memory {mem / 1e6:.0f} MB ({mem / args.n:.0f} B/vector); "
            f"SQ8 file for re-scoring {idx.sq8.nbytes / 1e6:.0f} MB (memory-mapped from disk, not counted); "
            f"RSS {build_rss:.0f} MB after building, {rss_mb():.0f} MB after reopening",
            flush=True,
        )
        faiss.omp_set_num_threads(1)
        for q in queries[:20]:  # warm the mapped file's pages a query touches
            idx.search(q, args.candidates, max(args.rerank))
        for nprobe in args.nprobe:
            idx.set_nprobe(nprobe)
            for rerank in args.rerank:
                times, hits, raw_hits = [], 0, 0
                for qi, q in enumerate(queries):
                    t = time.perf_counter()
                    got = idx.search(q, args.candidates, max(rerank, args.candidates))
                    times.append(time.perf_counter() - t)
                    truth = set(exact_i[qi].tolist())
                    hits += len({g for g, _ in got[:10]} & truth)
                    _, vids = idx.index.search(q.reshape(1, -1), 10)
                    raw_hits += len(set(vids[0].tolist()) & truth)
                ms = np.array(times) * 1000
                print(
                    f"nprobe {nprobe}, top {args.candidates} from {max(rerank, args.candidates)} PQ candidates "
                    f"re-scored (one thread): p50 {np.percentile(ms, 50):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms;"
                    f" recall@10 {hits / (10 * args.queries):.3f} (PQ alone: {raw_hits / (10 * args.queries):.3f})",
                    flush=True,
                )
        print(f"RSS after searching: {rss_mb():.0f} MB")
        per = (mem - nlist_for(args.n) * DIM * 4) / args.n
        print(f"bytes a vector in memory, less the centroids: {per:.1f}")
        for n in (10_000_000, 100_000_000, 500_000_000):
            print(
                f"  at {n / 1e6:.0f}M vectors: index memory about {(per * n + nlist_for(n) * DIM * 4) / 1e9:.1f} GB,"
                f" SQ8 file {n * DIM / 1e9:.0f} GB"
            )


if __name__ == "__main__":
    main()

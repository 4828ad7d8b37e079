"""Scale benchmark: build a store of N synthetic passages, then time hybrid search with filters.

usage: python benchmarks/bench_search_scale.py [--passages 1000000] [--store DIR] [--queries 200]
       python benchmarks/bench_search_scale.py --reuse DIR   (measure a store built before; no rebuild)

Passages are 2-5 sentences drawn from the bundled corpus papers; 50 passages a document, 40
councils, 6 committees, dates 2018-2025. Synthetic unit vectors stand in for embeddings (so the
build takes minutes, not hours; see `_vectors`); query embedding is real (the bundled model), so latency
includes it. Past Settings.ann_threshold the vector index is HNSW over 8-bit vectors.
Prints build time, store size, peak memory (build, and a fresh search process), p50/p95
latency of hybrid search with filters, and FAISS recall@10 against exact search.
Targets (2 cores): p50 <= 30 ms, p95 <= 100 ms, peak <= 2 GB, recall@10 >= 0.95.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PER_DOC = 50
CHUNK = 50_000
DIM = 384
QUERIES = [
    "county lines drug supply",
    "domestic abuse referrals",
    "anti-social behaviour in the town centre",
    "funding from the police and crime commissioner",
    "knife crime among young people",
    "hate crime reporting",
    "street drinking",
    "modern slavery",
    "cuckooing of vulnerable adults",
    "community safety partnership priorities",
    "violence against women and girls",
    "scams and fraud",
    "youth offending",
    "CCTV",
    '"serious violence duty"',
    "prevent radicalisation",
    "burglary rates",
    "MARAC",
    "night time economy",
    "reducing reoffending",
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sentences() -> list[str]:
    from ingest.assemble import split_sentences

    out: list[str] = []
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        for para in f.read_text(encoding="utf-8").split("\n\n"):
            out += [s for s in split_sentences(" ".join(para.split())) if 4 <= len(s.split()) <= 60]
    return out


LATENT = 64


def _vectors(seed: int, start: int, n: int):  # noqa: ANN202
    """Unit vectors with the structure of real embeddings: a 64-dimensional latent mapped into 384
    dimensions plus a little noise. (Isotropic random vectors have no near neighbours at all:
    ranks 2-10 of a query are ties within 0.02 of each other, and no index can keep their order;
    HNSW recall@10 on those is about 0.6 at efSearch 128.)"""
    import numpy as np

    mix = np.random.default_rng(seed).standard_normal((LATENT, DIM), dtype=np.float32) / np.sqrt(LATENT)
    rng = np.random.default_rng(seed * 1_000_003 + start)
    v = rng.standard_normal((n, LATENT), dtype=np.float32) @ mix
    v += 0.3 * rng.standard_normal((n, DIM), dtype=np.float32) / np.sqrt(DIM)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build(folder: Path, n: int, seed: int = 1) -> None:
    from index.embed import load_embedder, model_name
    from index.store import Store
    from index.vectors import VectorIndex
    from ingest.settings import Settings

    rnd = random.Random(seed)
    sentences = _sentences()
    councils = [f"Council {i:02d}" for i in range(40)]
    committees = [
        "Cabinet",
        "Scrutiny",
        "Community Safety Partnership",
        "Health and Wellbeing Board",
        "Full Council",
        "Police and Crime Panel",
    ]
    settings = Settings(store=folder)
    t0 = time.perf_counter()
    store = Store.open(settings)
    conn = store.conn
    conn.execute("PRAGMA synchronous=OFF")
    vi = VectorIndex.open(folder, model_name(settings), load_embedder(settings).dim)
    pid = 0
    for start in range(0, n, CHUNK):
        rows, docs = [], []
        for i in range(start, min(n, start + CHUNK)):
            if i % PER_DOC == 0:
                doc = f"{i // PER_DOC:016x}"
                date = f"{rnd.randint(2018, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                docs.append(
                    (
                        doc,
                        f"synthetic/{doc}.txt",
                        "text",
                        "",
                        rnd.choice(councils),
                        rnd.choice(committees),
                        date,
                        "indexed",
                        "2025-01-01",
                    )
                )
            text = " ".join(rnd.sample(sentences, rnd.randint(2, 5)))
            rows.append((f"{i // PER_DOC:016x}", i % PER_DOC, text, "Section", '["Section"]', 0, len(text)))
        with store.transaction():
            conn.executemany(
                "INSERT INTO documents (id, source, format, text, council, committee, meeting_date,"
                " state, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                docs,
            )
            conn.executemany(
                "INSERT INTO sources (source, document_id) SELECT source, id FROM documents WHERE id = ?",
                [(d[0],) for d in docs],
            )
            first = conn.execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0] + 1
            conn.executemany(
                "INSERT INTO passages (document_id, idx, text, heading, heading_path, start, end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            # each paper's passage id range, as Store.put_document records it (filters search by it)
            conn.executemany(
                "UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?",
                [
                    (
                        first + j - start,
                        min(first + j - start + PER_DOC, first + len(rows)) - 1,
                        f"{j // PER_DOC:016x}",
                    )
                    for j in range(start, start + len(rows), PER_DOC)
                ],
            )
        import numpy as np

        ids = np.arange(first, first + len(rows), dtype=np.int64)
        vi.add(ids, _vectors(seed, start, len(rows)))
        pid += len(rows)
        if vi.maybe_upgrade(settings.ann_threshold):
            print(f"  switched to HNSW at {len(vi)} vectors ({time.perf_counter() - t0:.0f} s)", flush=True)
        print(f"  {pid} passages, {time.perf_counter() - t0:.0f} s, peak {_peak_mb():.0f} MB", flush=True)
    vi.save()
    conn.execute("PRAGMA optimize")
    store.close()
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    print(
        f"build: {n} passages in {time.perf_counter() - t0:.0f} s; store {size / 1e9:.2f} GB; "
        f"peak memory {_peak_mb():.0f} MB; index {vi.kind}"
    )


def measure(folder: Path, n_queries: int, seed: int = 1) -> dict[str, float]:
    import numpy as np

    from index.runtime import Runtime
    from index.search import SearchFilters, search
    from index.store import Store
    from ingest.settings import Settings

    settings = Settings(store=folder)
    rnd = random.Random(seed)
    # one runtime, as a server holds: the model, the vector index and the search threads loaded once
    with Runtime.start(settings) as runtime, Store.open(settings, create=False) as store:
        search(store, "warm up", settings=settings, runtime=runtime)  # loads the model and the index once
        councils = [r[0] for r in store.conn.execute("SELECT DISTINCT council FROM documents")]
        times = []
        for i in range(n_queries):
            kind = i % 4  # no filter, council, council + dates, committee + dates
            f = SearchFilters(
                council=rnd.choice(councils) if kind in (1, 2) else None,
                committee="Cabinet" if kind == 3 else None,
                date_from="2021-01-01" if kind >= 2 else None,
                date_to="2023-12-31" if kind >= 2 else None,
            )
            t = time.perf_counter()
            search(store, rnd.choice(QUERIES), settings=settings, k=10, filters=f, runtime=runtime)
            times.append((time.perf_counter() - t) * 1000)
    peak = _peak_mb()  # before the recall check, which holds extra arrays a server never does
    from index.pipeline import open_vectors

    with Store.open(settings, create=False) as store:
        vi = open_vectors(store, settings)
        passages = store.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    return {
        "passages": passages,
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "recall@10": _recall(vi, seed),
        "search_peak_mb": peak,
        "kind": vi.kind,
    }


def _recall(vi, seed: int, n_queries: int = 50) -> float:  # noqa: ANN001
    """FAISS top 10 against exact search over the original float vectors (regenerated from the
    seed; passage ids are 1..N in a store this script built), for queries near stored vectors."""
    import numpy as np

    n = len(vi)
    rng = np.random.default_rng(seed + 7)
    picks = rng.choice(n, n_queries, replace=False)
    base = np.vstack(
        [_vectors(seed, (p // CHUNK) * CHUNK, min(CHUNK, n - (p // CHUNK) * CHUNK))[p % CHUNK] for p in picks]
    )
    q = base + 0.5 * rng.standard_normal(base.shape).astype(np.float32) / np.sqrt(DIM)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    best = np.full((n_queries, 10), -2.0, dtype=np.float32)
    best_ids = np.zeros((n_queries, 10), dtype=np.int64)
    for start in range(0, n, CHUNK):
        sims = q @ _vectors(seed, start, min(CHUNK, n - start)).T
        chunk_ids = np.arange(start + 1, start + 1 + sims.shape[1], dtype=np.int64)
        allsims = np.concatenate([best, sims], axis=1)
        allids = np.concatenate([best_ids, np.broadcast_to(chunk_ids, sims.shape)], axis=1)
        top = np.argsort(-allsims, axis=1)[:, :10]
        best, best_ids = np.take_along_axis(allsims, top, 1), np.take_along_axis(allids, top, 1)
    found = [
        len({i for i, _ in vi.search(q[j], 10)} & set(best_ids[j].tolist())) / 10 for j in range(n_queries)
    ]
    return float(np.mean(found))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=1_000_000)
    ap.add_argument("--store", type=Path, help="build here (default: a temporary folder); reused if built")
    ap.add_argument(
        "--reuse", type=Path, metavar="DIR", help="measure the store this script built in DIR; never build"
    )
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure_only:
        print(json.dumps(measure(a.store, a.queries)))
        return 0
    if a.reuse and not (a.reuse / "store.sqlite").exists():
        print(f"{a.reuse}: no store here to reuse (build one with --store DIR)", file=sys.stderr)
        return 2
    folder = a.reuse or a.store or Path(tempfile.mkdtemp(prefix="cp-scale-"))
    if not (folder / "store.sqlite").exists():
        build(folder, a.passages)
    # search in a fresh process, so its peak memory is what a server answering queries needs
    out = subprocess.run(
        [sys.executable, __file__, "--measure-only", "--store", str(folder), "--queries", str(a.queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"hybrid search with filters over {r['passages']} passages ({r['kind']}): p50 {r['p50_ms']:.1f} ms, "
        f"p95 {r['p95_ms']:.1f} ms; search process peak {r['search_peak_mb']:.0f} MB; "
        f"FAISS recall@10 vs exact {r['recall@10']:.3f}"
    )
    print(f"store: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Precedents latency at scale: a store of N papers, then `precedents(query)` timed.

usage: python benchmarks/bench_precedents.py [--papers 1000] [--queries 20]

The bundled seed papers are ingested for real (extraction, embeddings, passage themes, canonical
entities), then copied in SQL under new ids and councils (with their vectors, themes and entities)
until the store holds N papers. Each query runs the hybrid search, the relevance floors and the
grouping with the canonical entities read from the store (nothing is clustered per request).
Prints p50 and p95 latency. Target: p50 under 100 ms at 1,000 papers (2 cores).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUERIES = ["Tackling antisocial behaviour in town centres", "young people groomed into drug supply",
           "domestic abuse support for victims", "scams targeting older people", "knife crime and serious violence",
           "street drinking in a town centre", "hate crime reporting", "modern slavery", "cuckooing",
           "reducing reoffending", "violence against women and girls", "night time economy", "burglary",
           "Prevent radicalisation", "fly-tipping", "road safety and speeding", "rural crime",
           "community safety partnership priorities", "youth offending", "mental health and trauma"]


def _copy(store, vectors, doc_id: str, n: int) -> None:  # noqa: ANN001
    import numpy as np

    from index.vectors import PASSAGE_MASK, WINDOW_SHIFT

    c = store.conn
    new = f"{doc_id[:8]}copy{n:06d}"
    c.execute("BEGIN IMMEDIATE")
    c.execute("INSERT INTO documents (id, source, format, title, page_count, text, council, council_code, council_type,"
              " committee, meeting_date, author, extraction, state, ingested_at) SELECT ?, source || ?, format, title,"
              " page_count, text, council || ?, council_code, council_type, committee, meeting_date, author,"
              " extraction, state, ingested_at FROM documents WHERE id = ?", (new, f"#{n}", f" {n}", doc_id))
    old = [r[0] for r in c.execute("SELECT id FROM passages WHERE document_id = ? ORDER BY id", (doc_id,))]
    c.execute("INSERT INTO passages (document_id, idx, text, heading, heading_path, pages, page, paragraph, start,"
              " end, kind, boilerplate, windows) SELECT ?, idx, text, heading, heading_path, pages, page, paragraph,"
              " start, end, kind, boilerplate, windows FROM passages WHERE document_id = ? ORDER BY id", (new, doc_id))
    first = c.execute("SELECT min(id), max(id) FROM passages WHERE document_id = ?", (new,)).fetchone()
    c.execute("UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?", (first[0], first[1], new))
    shift = first[0] - old[0]
    c.execute("INSERT INTO passage_themes (passage_id, theme, score) SELECT passage_id + ?, theme, score"
              " FROM passage_themes WHERE passage_id BETWEEN ? AND ?", (shift, old[0], old[-1]))
    for e in c.execute("SELECT id FROM entities WHERE document_id = ?", (doc_id,)).fetchall():
        cur = c.execute("INSERT INTO entities (document_id, type, name, norm, acronym, kind, mentions) SELECT ?, type,"
                        " name, norm, acronym, kind, mentions FROM entities WHERE id = ?", (new, e[0]))
        c.execute("INSERT INTO evidence SELECT ?, passage_idx, page, paragraph, start, end, text FROM evidence"
                  " WHERE entity_id = ?", (cur.lastrowid, e[0]))
        c.execute("INSERT INTO entity_members SELECT ?, canonical_id, bucket FROM entity_members WHERE entity_id = ?",
                  (cur.lastrowid, e[0]))
    c.execute("COMMIT")
    vids = vectors.expand(np.asarray(old, dtype=np.int64))
    moved = ((vids & PASSAGE_MASK) + shift) | ((vids >> WINDOW_SHIFT) << WINDOW_SHIFT)
    vectors.add(moved, vectors.vectors(vids))


def main() -> None:
    from api.cli import main as cli
    from index.pipeline import load_vectors
    from index.precedents import SEARCH_K, precedents
    from index.search import search
    from index.store import Store
    from ingest.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=len(QUERIES))
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-precedents-"))
    settings = Settings(store=folder / "store", workers=1)
    assert cli(["--store", str(settings.store), "ingest", "--quiet", *map(str, sorted((ROOT / "corpus").glob("0*.txt")))]) == 0
    started = time.monotonic()
    with Store.open(settings) as store:
        vectors = load_vectors(store, settings)
        seeds = [d.id for d in store.list_documents()]
        n = 0
        while len(seeds) + n < args.papers:
            _copy(store, vectors, seeds[n % len(seeds)], n)
            n += 1
        vectors.maybe_upgrade(settings.ann_threshold)
        vectors.save()
        counts = store.counts()
    print(f"store: {counts['documents']} papers, {counts['passages']} passages, {counts['entities']} entity rows;"
          f" built in {time.monotonic() - started:.1f} s")
    with Store.open(settings, create=False) as store:
        precedents(store, "warm up the model", settings=settings)
        times, found, alone = [], 0, []
        for q in (QUERIES * 3)[:args.queries]:
            t = time.perf_counter()
            result = precedents(store, q, settings=settings)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(result.councils)
            t = time.perf_counter()
            search(store, q, settings=settings, k=SEARCH_K)
            alone.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"the hybrid search alone (k={SEARCH_K}): p50 {statistics.median(alone):.1f} ms")
    print(f"precedents at {counts['documents']} papers: p50 {statistics.median(times):.1f} ms,"
          f" p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms over {len(times)} queries ({found} with councils)")


if __name__ == "__main__":
    main()

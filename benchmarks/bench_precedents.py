"""Precedents latency at scale: a store of N papers, then `precedents(query)` timed.

usage: python benchmarks/bench_precedents.py [--papers 1000] [--queries 20]

The bundled seed papers are ingested for real (extraction, embeddings, passage themes, canonical
entities), then copied in SQL under new ids and councils (with their vectors, themes and entities)
until the store holds N papers. Each query runs the hybrid search, the relevance floors and the
grouping with the canonical entities read from the store (nothing is clustered per request).
Prints p50 and p95 latency. Target: p50 under 100 ms at 1,000 papers (2 cores).

--quality: no timing; on the development store of benchmarks/bench_search_cv.py (8 councils), each
development query asked as a precedent question, the councils listed scored against the councils of
its judged relevant passages (a stand-in for precedent gold, which the development set does not have:
an unjudged council may be right too, so precision here is a lower bound). Printed for each
COSINE_FLOOR and SCORED_PASSAGES of a grid: nDCG@5 of the councils, precision of the whole list, councils listed, and
queries answered with no council.
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
sys.path.insert(0, str(ROOT / "benchmarks"))
QUERIES = [
    "Tackling antisocial behaviour in town centres",
    "young people groomed into drug supply",
    "domestic abuse support for victims",
    "scams targeting older people",
    "knife crime and serious violence",
    "street drinking in a town centre",
    "hate crime reporting",
    "modern slavery",
    "cuckooing",
    "reducing reoffending",
    "violence against women and girls",
    "night time economy",
    "burglary",
    "Prevent radicalisation",
    "fly-tipping",
    "road safety and speeding",
    "rural crime",
    "community safety partnership priorities",
    "youth offending",
    "mental health and trauma",
]


def _copy(store, vectors, doc_id: str, n: int) -> None:  # noqa: ANN001
    import numpy as np

    from index.vectors import PASSAGE_MASK, WINDOW_SHIFT

    c = store.conn
    new = f"{doc_id[:8]}copy{n:06d}"
    c.execute("BEGIN IMMEDIATE")
    c.execute(
        "INSERT INTO documents (id, source, format, title, page_count, text, council, council_code, council_type,"
        " committee, meeting_date, author, extraction, state, ingested_at) SELECT ?, source || ?, format, title,"
        " page_count, text, council || ?, council_code, council_type, committee, meeting_date, author,"
        " extraction, state, ingested_at FROM documents WHERE id = ?",
        (new, f"#{n}", f" {n}", doc_id),
    )
    old = [r[0] for r in c.execute("SELECT id FROM passages WHERE document_id = ? ORDER BY id", (doc_id,))]
    c.execute(
        "INSERT INTO passages (document_id, idx, text, heading, heading_path, pages, page, paragraph, start,"
        " end, kind, boilerplate, windows) SELECT ?, idx, text, heading, heading_path, pages, page, paragraph,"
        " start, end, kind, boilerplate, windows FROM passages WHERE document_id = ? ORDER BY id",
        (new, doc_id),
    )
    first = c.execute("SELECT min(id), max(id) FROM passages WHERE document_id = ?", (new,)).fetchone()
    c.execute(
        "UPDATE documents SET first_passage = ?, last_passage = ? WHERE id = ?", (first[0], first[1], new)
    )
    shift = first[0] - old[0]
    c.execute(
        "INSERT INTO passage_themes (passage_id, theme, score) SELECT passage_id + ?, theme, score"
        " FROM passage_themes WHERE passage_id BETWEEN ? AND ?",
        (shift, old[0], old[-1]),
    )
    for e in c.execute("SELECT id FROM entities WHERE document_id = ?", (doc_id,)).fetchall():
        cur = c.execute(
            "INSERT INTO entities (document_id, type, name, norm, acronym, kind, mentions) SELECT ?, type,"
            " name, norm, acronym, kind, mentions FROM entities WHERE id = ?",
            (new, e[0]),
        )
        c.execute(
            "INSERT INTO evidence SELECT ?, passage_idx, page, paragraph, start, end, text FROM evidence"
            " WHERE entity_id = ?",
            (cur.lastrowid, e[0]),
        )
        c.execute(
            "INSERT INTO entity_members SELECT ?, canonical_id, bucket FROM entity_members WHERE entity_id = ?",
            (cur.lastrowid, e[0]),
        )
    c.execute("COMMIT")
    vids = vectors.expand(np.asarray(old, dtype=np.int64))
    moved = ((vids & PASSAGE_MASK) + shift) | ((vids >> WINDOW_SHIFT) << WINDOW_SHIFT)
    vectors.add(moved, vectors.vectors(vids))


def quality(shared: Path, excerpts: bool = False, current: bool = False) -> None:
    import math

    import bench_search_cv as cv
    import bench_search_excerpts as ex

    from index import precedents as lib
    from index.runtime import Runtime
    from index.store import Store
    from ingest.settings import Settings

    cache = Path.home() / ".cache" / "councilpapers" / "bench_search_cv"
    if excerpts:  # the development papers cut into excerpts, each a paper (bench_search_excerpts.py)
        store_dir, folder, paper_of = ex.build(shared, cache)
        qrels = ex.map_qrels(ex.queries(shared), folder, paper_of)
    else:
        store_dir, qrels = cv.build(shared, cache), ex.queries(shared)
    settings = Settings(store=store_dir)
    grid = (
        [(lib.COSINE_FLOOR, lib.SCORED_PASSAGES, lib.THEME_GATE)]
        if current
        else [(x, y, g) for x in (0.4, 0.45, 0.5, 0.55) for y in (1, 2, 3) for g in (True, False)]
    )
    with Runtime.start(settings) as runtime, Store.open(settings, create=False) as store:
        council = {Path(d.source).stem: d.council for d in store.list_documents()}
        for floor, top, gate in grid:
            lib.COSINE_FLOOR, lib.SCORED_PASSAGES, lib.THEME_GATE = floor, top, gate
            ndcg = right = listed = empty = 0.0
            per_kind: dict[str, list[float]] = {}
            for q in qrels:
                want = {council.get(e["document"], e["document"]) for e in q["relevant"]}
                got = [
                    c.council
                    for c in lib.precedents(store, q["query"], settings=settings, runtime=runtime).councils
                ]
                gains = [c in want for c in got[:5]]
                ideal = sum(1 / math.log2(i + 2) for i in range(min(len(want), 5)))
                score = sum(g / math.log2(i + 2) for i, g in enumerate(gains)) / ideal
                ndcg += score
                per_kind.setdefault(q.get("kind", "paraphrase"), []).append(score)
                right += sum(c in want for c in got)
                listed += len(got)
                empty += not got
            print(
                f"COSINE_FLOOR {floor}, SCORED_PASSAGES {top}, THEME_GATE {gate}: nDCG@5 {ndcg / len(qrels):.3f} ("
                + ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in sorted(per_kind.items()))
                + f"), precision of the list {right / max(1, listed):.2f}, councils listed {listed / len(qrels):.2f}, "
                f"no council {empty:.0f} of {len(qrels)}",
                flush=True,
            )


def main() -> None:
    from api.cli import main as cli
    from index.pipeline import load_vectors
    from index.precedents import SEARCH_K, precedents
    from index.runtime import Runtime
    from index.search import search
    from index.store import Store
    from ingest.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=len(QUERIES))
    ap.add_argument(
        "--quality", action="store_true", help="councils listed against the development queries' judgements"
    )
    ap.add_argument(
        "--excerpts", action="store_true", help="--quality on the excerpt store of bench_search_excerpts.py"
    )
    ap.add_argument(
        "--current", action="store_true", help="--quality at index.precedents' own constants only"
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if args.quality:
        quality(args.shared, args.excerpts, args.current)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-precedents-"))
    settings = Settings(store=folder / "store", workers=1)
    assert (
        cli(
            [
                "--store",
                str(settings.store),
                "ingest",
                "--quiet",
                *map(str, sorted((ROOT / "corpus").glob("0*.txt"))),
            ]
        )
        == 0
    )
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
    print(
        f"store: {counts['documents']} papers, {counts['passages']} passages, {counts['entities']} entity rows;"
        f" built in {time.monotonic() - started:.1f} s"
    )
    # one runtime, as a server holds: the model, the vector index and the search threads loaded once
    with Runtime.start(settings) as runtime, Store.open(settings, create=False) as store:
        precedents(store, "warm up the model", settings=settings, runtime=runtime)
        times, found, alone = [], 0, []
        for q in (QUERIES * 3)[: args.queries]:
            t = time.perf_counter()
            result = precedents(store, q, settings=settings, runtime=runtime)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(result.councils)
            t = time.perf_counter()
            search(store, q, settings=settings, k=SEARCH_K, runtime=runtime)
            alone.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"the hybrid search alone (k={SEARCH_K}): p50 {statistics.median(alone):.1f} ms")
    print(
        f"precedents at {counts['documents']} papers: p50 {statistics.median(times):.1f} ms,"
        f" p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms over {len(times)} queries ({found} with councils)"
    )


if __name__ == "__main__":
    main()

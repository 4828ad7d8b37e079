"""Ranking ideas tried against the cross-validated search figure, each beside today's ranking.

usage: python benchmarks/bench_search_ideas.py [--shared ../shared] [--cache DIR] [--ideas NAME...]

On the development store of benchmarks/bench_search_cv.py (built once, cached), every query's
dense scores are recomputed exactly over all stored vectors, so a change to how a passage's
vectors are scored, or to the query vector, can be tried without re-ingesting. Each idea's
constants are chosen on 4 folds of papers and scored on the 5th (the folds of bench_search_cv);
printed: the mean held-out nDCG@10 and hit@5, and the all-query figure of the constants the
folds chose most. The ideas:
- today: index.fusion.fuse over the best cosine of a passage's vectors (with FUSION's neighbour share,
  which was an idea here: held-out 0.857 against 0.826 without it, and is in since);
- prf: the query vector moved towards the mean vector of the top m hybrid results (Rocchio), and
  dense search run again; prf_rerank: the same, re-scoring only the first round's candidates;
  prf_dense: the feedback taken from the dense ranking's top m, before fusion (so it can run beside
  keyword search);
- paper: each result's score raised by beta times the mean of its paper's top k scores;
- discount: a sentence or context vector's cosine counts w times (a part of a passage matching);
- coverage: plus c times the share of the query's IDF weight (FTS5's own matching, per word or
  phrase) that the passage holds;
- the share of dense in the mix (0.65 / 0.7 / 0.75) is chosen with every idea, today's included.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from statistics import fmean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_search_cv as cv  # noqa: E402


def _features(store_dir: Path, items: list[dict]):  # noqa: ANN202 - a namespace of arrays
    """Every vector, its passage, and each query's vector and per-part FTS5 matches."""
    import numpy as np

    from index.highlight import _tokenizer
    from index.keyword import build_query
    from index.pipeline import load_vectors, query_vector
    from index.store import Store
    from index.vectors import PASSAGE_MASK, WINDOW_SHIFT
    from ingest.settings import Settings

    settings = Settings(store=store_dir)
    with Store.open(settings, create=False) as st:
        vi = load_vectors(st, settings)
        ids = vi.ids()
        matrix = vi.vectors(ids)
        rows = st.conn.execute(
            "SELECT p.id, p.text, d.source, p.document_id FROM passages p"
            " JOIN documents d ON d.id = p.document_id"
        ).fetchall()
        queries = np.stack([query_vector(it["q"]["query"], settings) for it in items])
        total = st.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        scratch = sqlite3.connect(":memory:")
        scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = {_tokenizer(st.conn)})")
        scratch.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", [(r[0], r[1]) for r in rows])
        parts = []  # per query: [(idf, set of passage ids holding the part)]
        for it in items:
            kq = build_query(it["q"]["query"], st.conn)
            out = []
            for part in kq.parts:
                try:
                    hit = {r[0] for r in scratch.execute("SELECT rowid FROM t WHERE t MATCH ?", (part,))}
                except sqlite3.OperationalError:
                    continue
                out.append((math.log((total + 1) / (len(hit) + 0.5)), hit))
            parts.append(out)
    pids = ids & PASSAGE_MASK
    passages = np.unique(pids)
    where = np.searchsorted(passages, pids)
    own = np.zeros((len(passages), matrix.shape[1]), dtype=np.float32)
    own[where[(ids >> WINDOW_SHIFT) == 0]] = matrix[(ids >> WINDOW_SHIFT) == 0]
    return {
        "matrix": matrix,
        "part": (ids >> WINDOW_SHIFT) > 0,
        "where": where,
        "passages": passages,
        "own": own,
        "queries": queries,
        "parts": parts,
        "text": {r[0]: r[1] for r in rows},
        "source": {r[0]: r[2] for r in rows},
        "paper": {r[0]: r[3] for r in rows},
    }


def _dense(f: dict, qvec, discount: float):  # noqa: ANN001, ANN202
    import numpy as np

    sims = f["matrix"] @ qvec
    sims = np.where(f["part"], sims * discount, sims)
    best = np.full(len(f["passages"]), -1.0)
    np.maximum.at(best, f["where"], sims)
    return best


def rank(f: dict, n: int, item: dict, idea: dict) -> list[int]:
    """Passage ids best first for query n under one idea's constants (index.fusion.fuse, as search does)."""
    import numpy as np

    from index.fusion import FUSION, Candidates, fuse

    c = item["cands"]["hybrid"]
    if c is None:
        return []
    fusion = replace(FUSION, dense_weight=idea.get("dense_weight", FUSION.dense_weight))
    qvec = f["queries"][n]
    if idea.get("prf_dense"):  # feedback from the dense ranking alone, before fusion
        best = _dense(f, qvec, 1.0)
        top = np.argsort(-best)[: idea["prf_m"]]
        qvec = qvec + idea["prf_dense"] * f["own"][top].mean(axis=0)
        qvec = qvec / np.linalg.norm(qvec)
    pool: set[int] | None = None  # prf_rerank: the second round re-scores the first round's candidates only
    for step in range(2 if idea.get("prf") else 1):
        best = _dense(f, qvec, idea.get("discount", 1.0))
        top = np.argsort(-best)[:100]
        cosines = {int(p): float(best[j]) for j, p in enumerate(f["passages"])}
        dense = [(int(f["passages"][j]), float(best[j])) for j in top]
        if pool is not None:
            dense = sorted(((i, cosines[i]) for i in pool if i in cosines), key=lambda x: -x[1])[:100]
        elif idea.get("prf_rerank"):
            pool = {i for i, _ in dense} | {i for i, _ in c.keyword}
        scored = fuse(Candidates(c.keyword, dense, cosines, c.boilerplate, c.papers), "hybrid", fusion)
        if idea.get("coverage"):
            weight = sum(idf for idf, _ in f["parts"][n]) or 1.0
            scored = sorted(
                (
                    (s + idea["coverage"] * sum(idf for idf, hit in f["parts"][n] if i in hit) / weight, i)
                    for s, i in scored
                ),
                reverse=True,
            )
        if step == 0 and idea.get("prf"):
            at = np.searchsorted(f["passages"], [i for _, i in scored[: idea["prf_m"]]])
            qvec = qvec + idea["prf"] * f["own"][at].mean(axis=0)
            qvec = qvec / np.linalg.norm(qvec)
    if idea.get("paper"):
        per: dict[str, list[float]] = {}
        for s, i in scored:
            per.setdefault(f["paper"][i], []).append(s)
        lift = {p: fmean(v[: idea["paper_k"]]) for p, v in per.items()}
        scored = sorted(((s + idea["paper"] * lift[f["paper"][i]], i) for s, i in scored), reverse=True)
    return [i for _, i in scored]


def evaluate(f: dict, items: list[dict], which: list[int], idea: dict, scorer) -> tuple[float, float]:  # noqa: ANN001
    ndcg = hit5 = 0.0
    for n in which:
        ranked = [{"source": f["source"][i], "text": f["text"][i]} for i in rank(f, n, items[n], idea)[:10]]
        rel = items[n]["q"]["relevant"]
        hits = sorted(r for r in scorer.ranks_found(ranked, rel, 10) if r)
        ndcg += sum(1 / math.log2(r + 1) for r in hits) / sum(
            1 / math.log2(i + 2) for i in range(min(len(rel), 10))
        )
        hit5 += bool(hits and hits[0] <= 5)
    return ndcg / max(1, len(which)), hit5 / max(1, len(which))


IDEAS: dict[str, list[dict]] = {
    "today": [{}],
    "prf": [{"prf": a, "prf_m": m} for a in (0.1, 0.2, 0.3, 0.5) for m in (1, 3, 5)],
    "prf_dense": [{"prf_dense": a, "prf_m": m} for a in (0.1, 0.2, 0.3, 0.5) for m in (1, 3, 5)],
    "prf_rerank": [
        {"prf": a, "prf_m": m, "prf_rerank": True} for a in (0.1, 0.2, 0.3, 0.5) for m in (1, 3, 5)
    ],
    "paper": [{"paper": b, "paper_k": k} for b in (0.1, 0.2, 0.3, 0.5) for k in (1, 3, 5)],
    "discount": [{"discount": w} for w in (0.9, 0.92, 0.94, 0.96, 0.98, 1.0)],
    "coverage": [{"coverage": c} for c in (0.0, 0.5, 1.0, 1.5, 2.0)],
    "discount+coverage": [
        {"discount": w, "coverage": c} for w in (0.94, 0.96, 1.0) for c in (0.0, 0.5, 1.0, 1.5)
    ],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "councilpapers" / "bench_search_cv"
    )
    ap.add_argument("--ideas", nargs="+", default=list(IDEAS), choices=list(IDEAS))
    a = ap.parse_args()
    scorer = cv._scorer(a.shared)
    qrels = [
        json.loads(x)
        for x in (a.shared / "eval/qrels/dev.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    store = cv.build(a.shared, a.cache)
    items = cv.gather(store, qrels)
    f = _features(store, items)
    fold = cv.folds_by_paper(qrels, 5)
    everyone = list(range(len(items)))
    print(f"{len(items)} queries, {len(f['passages'])} passages, {len(f['matrix'])} vectors")
    for name, grid in IDEAS.items():
        if name not in a.ideas:
            continue
        grid = [{**g, "dense_weight": w} for g in grid for w in (0.65, 0.7, 0.75)]
        held, held5, chosen = [], [], []
        for k in range(5):
            train = [n for n in everyone if fold[n] != k]
            test = [n for n in everyone if fold[n] == k]
            best = max(grid, key=lambda g, tr=train: round(evaluate(f, items, tr, g, scorer)[0], 4))
            nd, h5 = evaluate(f, items, test, best, scorer)
            held.append(nd)
            held5.append(h5)
            chosen.append(json.dumps(best, sort_keys=True))
        common = json.loads(Counter(chosen).most_common(1)[0][0])
        on_all = evaluate(f, items, everyone, common, scorer)
        print(
            f"{name:18s} held-out nDCG@10 {fmean(held):.3f} hit@5 {fmean(held5):.3f} | all queries with the "
            f"most-chosen constants {common}: {on_all[0]:.3f} / {on_all[1]:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

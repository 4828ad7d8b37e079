"""Search quality on the development queries, with every fusion constant chosen by cross-validation.

usage: python benchmarks/bench_search_cv.py [--shared ../shared] [--cache DIR] [--folds 5]

Builds the development store once (the seed papers and the bodies of corpus/more, as the
project's check does; cached under --cache by the content of the papers and of the code that
makes the embedded text), runs each query once, then:
- 5 folds BY PAPER: each paper (and so each query about it) is held out once; the constants of
  index.fusion.Fusion are chosen on the queries of the other folds and scored on the held out
  ones. Printed: the mean held-out-fold nDCG@10 (and hit@5), beside the all-query figure of the
  constants in index.fusion.FUSION and of each search mode alone.
- the floor of "N found": the smallest floor whose count keeps >= FLOOR_RECALL of the relevant
  passages the search returned, chosen on the training folds; printed with the held-out recall and
  the mean count.
Scoring is ../shared/eval/score_search.py's own (imported), on the top 10.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import json
import math
import shutil
import sys
import time
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DENSE_WEIGHTS = [round(0.2 + 0.05 * i, 2) for i in range(13)]  # 0.2 .. 0.8
DEPTHS = [10, 20, 50, 100]
BOILERPLATE = [0.0, 0.25, 0.5, 1.0]
NEIGHBOURS = [0.0, 0.05, 0.1, 0.2]
FLOORS = [round(0.25 * i, 2) for i in range(1, 25)]  # z-units
FLOOR_RECALL = 0.95


def _scorer(shared: Path):  # noqa: ANN202 - the shared scorer module
    spec = importlib.util.spec_from_file_location("score_search", shared / "eval" / "score_search.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def dev_papers(shared: Path, folder: Path) -> list[Path]:
    """The seeds as they are and corpus/more without its header (the lines up to `---`)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for f in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        out.append(folder / f.name)
        shutil.copyfile(f, out[-1])
    for f in sorted((shared / "corpus" / "more").glob("*.txt")):
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        body = lines[next((i + 1 for i, x in enumerate(lines) if x.strip() == "---"), 0):]
        out.append(folder / f.name)
        out[-1].write_text("".join(body), encoding="utf-8")
    return out


def build(shared: Path, cache: Path) -> Path:
    """The development store, ingested once per version of the papers and of the embedded text."""
    from index import pipeline
    from index.embed import model_name
    from index.pipeline import ingest_paths
    from ingest.settings import Settings

    papers = dev_papers(shared, cache / "papers")
    key = hashlib.sha256()
    for p in papers:
        key.update(p.name.encode() + p.read_bytes())
    key.update(inspect.getsource(pipeline.embedding_items).encode())
    key.update(repr((pipeline.VECTOR_KINDS, pipeline.POOL_SENTENCES, pipeline.CONTEXT_MAX_CHARS,
                     pipeline.CONTEXT_CHARS, pipeline.MAX_WINDOWS)).encode())
    key.update(model_name(Settings()).encode())
    store = cache / f"store-{key.hexdigest()[:12]}"
    if not (store / "done").exists():
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        summary = ingest_paths(papers, Settings(store=store), progress=False)
        if summary.failures:
            sys.exit(f"bench_search_cv: ingest failed: {summary.failures}")
        (store / "done").write_text("ok", encoding="utf-8")
        print(f"built the development store ({summary.passages} passages) in {time.perf_counter() - t:.0f} s")
    return store


def gather(store: Path, qrels: list[dict]) -> list[dict]:
    """Each query's candidates in each mode, and the text and source of every candidate."""
    from index.search import candidates
    from index.store import Store
    from ingest.settings import Settings

    settings = Settings(store=store)
    out = []
    with Store.open(settings, create=False) as st:
        for q in qrels:
            per = {m: candidates(st, q["query"], settings=settings, mode=m)[1] for m in ("hybrid", "keyword", "dense")}
            ids = {i for c in per.values() if c for i in [*dict(c.keyword), *dict(c.dense)]}
            rows = st.passages_by_id(list(ids))
            sources = dict(st.conn.execute("SELECT id, source FROM documents").fetchall())
            docs = {i: {"source": sources[r.document_id], "text": r.text} for i, r in rows.items()}
            out.append({"q": q, "cands": per, "docs": docs})
    return out


def evaluate(items: list[dict], scorer, mode: str, fusion) -> tuple[float, float]:  # noqa: ANN001
    """Mean nDCG@10 and hit@5 of the queries, scored as score_search.py scores them."""
    from index.fusion import fuse

    ndcg = hit5 = 0.0
    for it in items:
        c = it["cands"][mode]
        ranked = [it["docs"][i] for _, i in fuse(c, mode, fusion)[:10]] if c else []  # type: ignore[arg-type]
        rel = it["q"]["relevant"]
        hits = sorted(r for r in scorer.ranks_found(ranked, rel, 10) if r)
        ndcg += sum(1 / math.log2(r + 1) for r in hits) / sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))
        hit5 += bool(hits and hits[0] <= 5)
    return ndcg / max(1, len(items)), hit5 / max(1, len(items))


def folds_by_paper(qrels: list[dict], n: int) -> list[int]:
    """The fold of each query: papers are dealt to folds (most-asked first, to the emptiest fold);
    a query goes with the paper of its first relevant passage."""
    asked: dict[str, int] = {}
    for q in qrels:
        first = q["relevant"][0]["document"]
        asked[first] = asked.get(first, 0) + 1
    load, fold_of = [0] * n, {}
    for paper in sorted(asked, key=lambda p: (-asked[p], p)):
        f = load.index(min(load))
        fold_of[paper], load[f] = f, load[f] + asked[paper]
    return [fold_of[q["relevant"][0]["document"]] for q in qrels]


def grid():  # noqa: ANN201
    from index.fusion import Fusion

    return [Fusion(w, d, b, neighbour=n) for w, d, b, n in product(DENSE_WEIGHTS, DEPTHS, BOILERPLATE, NEIGHBOURS)]


def floor_recall(items: list[dict], scorer, fusion) -> tuple[float, float]:  # noqa: ANN001
    """Share of the relevant passages the hybrid search returned (holding a query word, when any
    passage does: only those can count) that the count keeps; the mean count."""
    from index.fusion import found, fuse

    kept = seen = count = 0
    for it in items:
        c = it["cands"]["hybrid"]
        scored = fuse(c, "hybrid", fusion) if c else []
        words = {i for i, _ in c.keyword} if c else set()
        counted = set(found(scored, fusion, words))
        count += len(counted)
        for _, i in scored:
            if (not words or i in words) and any(scorer.ranks_found([it["docs"][i]], [e], 1)[0] for e in it["q"]["relevant"]):
                seen += 1
                kept += i in counted
    return kept / max(1, seen), count / max(1, len(items))


def main() -> int:
    from dataclasses import replace

    from index.fusion import FUSION

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "councilpapers" / "bench_search_cv")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    scorer = _scorer(a.shared)
    qrels = [json.loads(x) for x in (a.shared / "eval/qrels/dev.jsonl").read_text(encoding="utf-8").splitlines()
             if x.strip()]
    items = gather(build(a.shared, a.cache), qrels)
    fold = folds_by_paper(qrels, a.folds)
    options = grid()
    held, held_hit, chosen = [], [], []
    for f in range(a.folds):
        train = [it for it, g in zip(items, fold, strict=True) if g != f]
        test = [it for it, g in zip(items, fold, strict=True) if g == f]
        best = max(options, key=lambda o: (round(evaluate(train, scorer, "hybrid", o)[0], 4), -abs(o.dense_weight - 0.5)))
        floors = [replace(best, floor=x) for x in FLOORS]
        best = next((o for o in floors if floor_recall(train, scorer, o)[0] >= FLOOR_RECALL), floors[-1])
        nd, h5 = evaluate(test, scorer, "hybrid", best)
        held.append(nd)
        held_hit.append(h5)
        chosen.append(best)
        print(f"fold {f + 1}: {len(test)} queries held out; chosen {best}; held-out nDCG@10 {nd:.3f} hit@5 {h5:.3f}"
              f"; count recall {floor_recall(test, scorer, best)[0]:.2f}")
    print(f"cross-validated (5 folds by paper): mean held-out nDCG@10 {sum(held) / len(held):.3f}, "
          f"hit@5 {sum(held_hit) / len(held_hit):.3f}")
    alls = {m: evaluate(items, scorer, m, FUSION) for m in ("hybrid", "keyword", "dense")}
    on_all = max(options, key=lambda o: (round(evaluate(items, scorer, "hybrid", o)[0], 4), -abs(o.dense_weight - 0.5)))
    recall, count = floor_recall(items, scorer, FUSION)
    print(f"all {len(items)} queries with index.fusion.FUSION {FUSION}: " + ", ".join(
        f"{m} nDCG@10 {v[0]:.3f} hit@5 {v[1]:.3f}" for m, v in alls.items()))
    print(f"best constants on all queries (for comparison, not used): {on_all} "
          f"nDCG@10 {evaluate(items, scorer, 'hybrid', on_all)[0]:.3f}")
    print(f"'N found' floor {FUSION.floor}: keeps {recall:.2f} of the relevant passages returned; mean count {count:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

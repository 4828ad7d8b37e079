"""What each kind of vector adds to search: the cross-validated development figure with each set of kinds.

usage: python benchmarks/bench_vector_kinds.py [--shared ../shared] [--cache DIR] [--kinds passage,sentence ...]

For each set of vector kinds (index.pipeline.VECTOR_KINDS: the passage's own vector always, its
sentences, its context), the development store is built with only those vectors (cached under
--cache, one folder a set) and scored as benchmarks/bench_search_cv.py scores it: mean held-out
nDCG@10 over 5 folds by paper (the fusion constants chosen on the other folds), and the all-query
hybrid and dense nDCG@10 with index.fusion.FUSION. The cost of a set is the number of vectors and of
tokens the model reads (what embedding time is proportional to), and the seconds to embed them here.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SETS = ["passage,sentence,context", "passage,sentence", "passage,context", "passage"]


def cross_validated(items: list[dict], scorer, folds: int, qrels: list[dict]) -> float:  # noqa: ANN001
    from dataclasses import replace

    import bench_search_cv as cv

    fold = cv.folds_by_paper(qrels, folds)
    options = cv.grid()
    held = []
    for f in range(folds):
        train = [it for it, g in zip(items, fold, strict=True) if g != f]
        test = [it for it, g in zip(items, fold, strict=True) if g == f]
        best = max(options, key=lambda o: (round(cv.evaluate(train, scorer, "hybrid", o)[0], 4),
                                           -abs(o.dense_weight - 0.5)))
        floors = [replace(best, floor=x) for x in cv.FLOORS]
        best = next((o for o in floors if cv.floor_recall(train, scorer, o)[0] >= cv.FLOOR_RECALL), floors[-1])
        held.append(cv.evaluate(test, scorer, "hybrid", best)[0])
    return sum(held) / len(held)


def cost(papers: list[Path], kinds: tuple[str, ...]) -> tuple[int, int, int, float]:
    """Passages, vectors, tokens read by the model, and seconds to embed them (one run, this machine)."""
    from index.embed import load_embedder
    from index.pipeline import embedding_items
    from ingest.parse import parse_file
    from ingest.settings import Settings

    settings = Settings()
    texts, passages = [], 0
    for f in papers:
        doc = parse_file(f, settings)
        before = ["", *(p.text for p in doc.passages[:-1])]
        for p, b in zip(doc.passages, before, strict=True):
            texts += [t for _, t in embedding_items(p.text, b, kinds)]
            passages += 1
    embedder = load_embedder(settings)
    tokens = sum(min(len(e.ids), embedder.max_tokens) for e in embedder._tokenizer.encode_batch(texts))
    t = time.perf_counter()
    embedder.encode(texts)
    return passages, len(texts), tokens, time.perf_counter() - t


def main() -> int:
    import bench_search_cv as cv

    from index import pipeline
    from index.fusion import FUSION

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "councilpapers" / "bench_vector_kinds")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--kinds", nargs="*", default=SETS, help="comma-separated sets of kinds to measure")
    a = ap.parse_args()
    scorer = cv._scorer(a.shared)
    qrels = [json.loads(x) for x in (a.shared / "eval/qrels/dev.jsonl").read_text(encoding="utf-8").splitlines()
             if x.strip()]
    rows = []
    for spec in a.kinds:
        kinds = tuple(k.strip() for k in spec.split(",") if k.strip())
        pipeline.VECTOR_KINDS = kinds  # this process only: the set under test
        items = cv.gather(cv.build(a.shared, a.cache / "-".join(kinds)), qrels)
        held = cross_validated(items, scorer, a.folds, qrels)
        hybrid = cv.evaluate(items, scorer, "hybrid", FUSION)[0]
        dense = cv.evaluate(items, scorer, "dense", FUSION)[0]
        passages, vectors, tokens, seconds = cost(cv.dev_papers(a.shared, a.cache / "papers"), kinds)
        rows.append((spec, held, hybrid, dense, vectors / passages, tokens, seconds, passages / seconds))
        print(f"{spec:26s} CV nDCG@10 {held:.3f}  all-query hybrid {hybrid:.3f} dense {dense:.3f}  "
              f"{vectors / passages:.2f} vectors/passage, {tokens} tokens, embed {seconds:.1f} s "
              f"({passages / seconds:.0f} passages/s)", flush=True)
    print("\n| vector kinds | CV nDCG@10 | hybrid nDCG@10 (all) | dense nDCG@10 (all) | vectors/passage | tokens |"
          " embed s | passages/s |\n|---|---|---|---|---|---|---|---|")
    for spec, held, hybrid, dense, vpp, tokens, seconds, pps in rows:
        print(f"| {spec} | {held:.3f} | {hybrid:.3f} | {dense:.3f} | {vpp:.2f} | {tokens} | {seconds:.1f} | {pps:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

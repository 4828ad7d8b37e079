"""What each kind of vector adds to search: the cross-validated development figure with each set of kinds.

usage: python benchmarks/bench_vector_kinds.py [--shared ../shared] [--cache DIR] [--kinds SET ...]

A SET is comma-separated: `sentence` (a vector for each sentence of a passage that has several),
`context` (the end of the passage before + the passage) or `context<=N` (only for passages of at most
N characters), and `whole` (a passage of several sentences also embedded whole; without it, its own
vector is pooled from its sentences'). The passage's own vector is always there. For each set
(index.pipeline.VECTOR_KINDS, POOL_SENTENCES, CONTEXT_MAX_CHARS), the development store is built
with only those vectors (cached under --cache, one folder a set) and scored as
benchmarks/bench_search_cv.py scores it: mean held-out nDCG@10 over 5 folds by paper (the fusion
constants chosen on the other folds), and the all-query hybrid and dense nDCG@10 with
index.fusion.FUSION. The cost of a set is the number of vectors and of tokens the model reads
(what embedding time is proportional to), and the seconds to embed them here.

When several sets differ only in N of `context<=N`, N is also chosen by cross-validation: on each
fold's training queries with the fusion constants, and the held-out figure of that choice printed.
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
SETS = [
    "whole,sentence,context",
    "sentence,context",
    "sentence",
    "whole,sentence",
    *(f"sentence,context<={n}" for n in (150, 300, 450, 600, 900)),
]


def apply(spec: str) -> tuple[str, ...]:
    """Set index.pipeline's policy to the SET `spec` (this process only); its VECTOR_KINDS."""
    from index import pipeline

    words = [w.strip() for w in spec.split(",") if w.strip()]
    context = next((w for w in words if w.startswith("context")), "")
    pipeline.POOL_SENTENCES = "whole" not in words
    pipeline.CONTEXT_MAX_CHARS = int(context.split("<=")[1]) if "<=" in context else 10**9
    pipeline.VECTOR_KINDS = (
        "passage",
        *(["sentence"] if "sentence" in words else []),
        *(["context"] if context else []),
    )
    return pipeline.VECTOR_KINDS


def choose(train: list[dict], scorer):  # noqa: ANN001, ANN201 - a Fusion
    """The fusion constants chosen on `train`, as bench_search_cv chooses them; and their training nDCG@10."""
    from dataclasses import replace

    import bench_search_cv as cv

    best = max(
        cv.grid(),
        key=lambda o: (round(cv.evaluate(train, scorer, "hybrid", o)[0], 4), -abs(o.dense_weight - 0.5)),
    )
    floors = [replace(best, floor=x) for x in cv.FLOORS]
    best = next((o for o in floors if cv.floor_recall(train, scorer, o)[0] >= cv.FLOOR_RECALL), floors[-1])
    return best, cv.evaluate(train, scorer, "hybrid", best)[0]


def cross_validated(
    sets: dict[str, list[dict]], scorer, folds: int, qrels: list[dict]
) -> tuple[float, list[str]]:  # noqa: ANN001
    """Mean held-out nDCG@10 when each fold picks the set (of `sets`) and fusion constants best on its
    training queries (ties: the first set); and the picks."""
    import bench_search_cv as cv

    fold = cv.folds_by_paper(qrels, folds)
    held, picks = [], []
    for f in range(folds):
        options = []
        for name, items in sets.items():
            train = [it for it, g in zip(items, fold, strict=True) if g != f]
            options.append((round(choose(train, scorer)[1], 4), name))
        top = max(score for score, _ in options)
        name = next(n for score, n in options if score == top)
        items = sets[name]
        best, _ = choose([it for it, g in zip(items, fold, strict=True) if g != f], scorer)
        held.append(
            cv.evaluate([it for it, g in zip(items, fold, strict=True) if g == f], scorer, "hybrid", best)[0]
        )
        picks.append(name)
    return sum(held) / len(held), picks


def cost(papers: list[Path], kinds: tuple[str, ...]) -> tuple[int, int, int, float]:
    """Passages, vectors, tokens read by the model, and seconds to embed them (one run, this machine)."""
    from index.embed import load_embedder
    from index.pipeline import embedding_items, model_items
    from ingest.parse import parse_file
    from ingest.settings import Settings

    settings = Settings()
    texts, passages, vectors = [], 0, 0
    for f in papers:
        doc = parse_file(f, settings)
        before = ["", *(p.text for p in doc.passages[:-1])]
        for p, b in zip(doc.passages, before, strict=True):
            group = embedding_items(p.text, b, kinds)
            texts += [t for _, t in model_items([group])]
            vectors += len(group)
            passages += 1
    embedder = load_embedder(settings)
    tokens = sum(min(len(e.ids), embedder.max_tokens) for e in embedder._tokenizer.encode_batch(texts))
    t = time.perf_counter()
    embedder.encode(texts)
    return passages, vectors, tokens, time.perf_counter() - t


def main() -> int:
    import bench_search_cv as cv

    from index.fusion import FUSION

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "councilpapers" / "bench_vector_kinds"
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--kinds", nargs="*", default=SETS, help="comma-separated sets of kinds to measure")
    a = ap.parse_args()
    scorer = cv._scorer(a.shared)
    qrels = [
        json.loads(x)
        for x in (a.shared / "eval/qrels/dev.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    rows, gathered = [], {}
    for spec in a.kinds:
        kinds = apply(spec)
        items = gathered[spec] = cv.gather(cv.build(a.shared, a.cache), qrels)
        held, _ = cross_validated({spec: items}, scorer, a.folds, qrels)
        hybrid = cv.evaluate(items, scorer, "hybrid", FUSION)[0]
        dense = cv.evaluate(items, scorer, "dense", FUSION)[0]
        passages, vectors, tokens, seconds = cost(cv.dev_papers(a.shared, a.cache / "papers"), kinds)
        rows.append((spec, held, hybrid, dense, vectors / passages, tokens, seconds, passages / seconds))
        print(
            f"{spec:26s} CV nDCG@10 {held:.3f}  all-query hybrid {hybrid:.3f} dense {dense:.3f}  "
            f"{vectors / passages:.2f} vectors/passage, {tokens} tokens, embed {seconds:.1f} s "
            f"({passages / seconds:.0f} passages/s)",
            flush=True,
        )
    limits = {s: items for s, items in gathered.items() if "context<=" in s}
    if len(limits) > 1:
        held, picks = cross_validated(limits, scorer, a.folds, qrels)
        print(f"context limit chosen on each fold's training queries: {picks}; held-out nDCG@10 {held:.3f}")
    print(
        "\n| vector kinds | CV nDCG@10 | hybrid nDCG@10 (all) | dense nDCG@10 (all) | vectors/passage | tokens |"
        " embed s | passages/s |\n|---|---|---|---|---|---|---|---|"
    )
    for spec, held, hybrid, dense, vpp, tokens, seconds, pps in rows:
        print(
            f"| {spec} | {held:.3f} | {hybrid:.3f} | {dense:.3f} | {vpp:.2f} | {tokens} | {seconds:.1f} | {pps:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

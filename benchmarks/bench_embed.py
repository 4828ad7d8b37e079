"""Embedding throughput: passages (and vectors) per second for the bundled seed papers.

usage: python benchmarks/bench_embed.py [FILES...] [--repeat N] [--compare]

The texts are those ingest gives the model (index.pipeline.embedding_items: a passage whole, or
sentence by sentence when it has several, and a short one with the end of the passage before), so
vectors/s is higher than passages/s. --compare also
times plain SentenceTransformer.encode on the passages alone (the baseline of issue 4).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from index.embed import load_embedder
    from index.pipeline import embedding_items, model_items
    from ingest.parse import parse_file
    from ingest.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--compare", action="store_true")
    a = ap.parse_args()
    settings = Settings()
    files = a.files or sorted((ROOT / "corpus").glob("0*.txt"))
    passages = [p for f in files for p in parse_file(f, settings).passages]
    groups = [
        embedding_items(p.text, q.text if q else "")
        for q, p in zip([None, *passages], passages, strict=False)
    ]
    texts = [t for _, t in model_items(groups)]
    t0 = time.perf_counter()
    embedder = load_embedder(settings)
    embedder.encode(["warm up"])
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        embedder.encode(texts)
        best = min(best, time.perf_counter() - t0)
    print(
        f"{len(passages)} passages ({len(texts)} texts the model reads): "
        f"{len(passages) / best:.1f} passages/s, {len(texts) / best:.1f} texts/s (best of {a.repeat})"
    )
    only = [p.text for p in passages]
    t0 = time.perf_counter()
    embedder.encode(only)
    print(f"passage vectors only: {len(only) / (time.perf_counter() - t0):.1f} passages/s")
    if a.compare:
        import numpy as np
        from sentence_transformers import SentenceTransformer

        from index.embed import model_dir

        st = SentenceTransformer(str(model_dir(settings)), device="cpu")
        t0 = time.perf_counter()
        ref = st.encode(only, batch_size=32, normalize_embeddings=True)
        print(f"plain SentenceTransformer.encode: {len(only) / (time.perf_counter() - t0):.1f} passages/s")
        ours = embedder.encode(only)
        print(f"mean cosine to SentenceTransformer vectors: {float(np.mean(np.sum(ours * ref, axis=1))):.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

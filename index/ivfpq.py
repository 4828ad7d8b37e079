"""A compressed vector index for 100M passages on one machine: IVF-PQ candidates, re-scored exactly.

FAISS `IndexIVFPQ` (optionally behind an OPQ rotation) holds `PQ_M` bytes a vector plus its row
number; it is trained on a sample and filled in batches. Its top candidates (100, as hybrid search
asks for) are re-scored against 8-bit scalar-quantised copies of the vectors (`SQ8`: 384 bytes a
vector, error under 0.4% of a coordinate's range), kept in a memory-mapped file beside it, so the
index in memory is about (PQ_M + 8) bytes a vector and only the rows re-scored are read from disk.
Row r of the index is vector `ids[r]` (a passage or sentence vector id of `index.vectors`).

Figures: benchmarks/bench_ivfpq.py, docs/scale.md.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

PQ_M = 96  # sub-quantisers: 96 bytes a 384-d vector (4 dimensions each); 48 gave recall@10 0.88 at 1M
PQ_BITS = 8
NPROBE = 48  # inverted lists searched a query
TRAIN_SAMPLE = 100_000  # vectors the coarse quantiser and PQ are trained on
CODES_NAME, SQ8_NAME, IDS_NAME, META_NAME = "ivfpq.faiss", "ivfpq.sq8", "ivfpq.ids.npy", "ivfpq.json"


def nlist_for(n: int) -> int:
    """Inverted lists for n vectors: about 4 sqrt(n), a power of two, 256 to 65536."""
    import math

    return int(min(65536, max(256, 2 ** round(math.log2(4 * math.sqrt(max(n, 1)))))))


@dataclass
class CompressedIndex:
    folder: Path
    dim: int
    index: Any  # faiss.IndexIVFPQ or IndexPreTransform(OPQ, IVFPQ); its ids are row numbers
    sq8: Any  # np.memmap (rows, dim) uint8
    ids: np.ndarray  # row -> vector id
    lo: np.ndarray  # SQ8 range per coordinate
    scale: np.ndarray

    @classmethod
    def build(cls, folder: Path, dim: int, total: int, sample: np.ndarray,
              batches: Iterable[tuple[np.ndarray, np.ndarray]], opq: bool = False) -> CompressedIndex:
        """Train on `sample`, then add `(ids, vectors)` batches (L2-normalised float32), `total` in all."""
        import faiss
        import numpy as np

        folder.mkdir(parents=True, exist_ok=True)
        nlist = nlist_for(total)
        coarse = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFPQ(coarse, dim, nlist, PQ_M, PQ_BITS, faiss.METRIC_INNER_PRODUCT)
        index = faiss.IndexPreTransform(faiss.OPQMatrix(dim, PQ_M), ivf) if opq else ivf
        train = np.ascontiguousarray(sample[:TRAIN_SAMPLE], dtype=np.float32)
        index.train(train)
        lo = train.min(axis=0) - 1e-3
        scale = (train.max(axis=0) + 1e-3 - lo) / 255.0
        sq8 = np.lib.format.open_memmap(folder / SQ8_NAME, mode="w+", dtype=np.uint8, shape=(total, dim))
        ids = np.empty(total, dtype=np.int64)
        row = 0
        for batch_ids, vecs in batches:
            vecs = np.ascontiguousarray(vecs, dtype=np.float32)
            n = len(vecs)
            index.add_with_ids(vecs, np.arange(row, row + n, dtype=np.int64))
            sq8[row:row + n] = np.clip(np.rint((vecs - lo) / scale), 0, 255).astype(np.uint8)
            ids[row:row + n] = batch_ids
            row += n
        if row != total:
            raise ValueError(f"{row} vectors added where {total} were announced")
        sq8.flush()
        out = cls(folder, dim, index, sq8, ids, lo.astype(np.float32), scale.astype(np.float32))
        out.set_nprobe(NPROBE)
        return out

    def save(self) -> None:
        import faiss
        import numpy as np

        tmp = self.folder / f"{CODES_NAME}.{os.getpid()}.tmp"
        faiss.write_index(self.index, str(tmp))
        os.replace(tmp, self.folder / CODES_NAME)
        np.save(self.folder / IDS_NAME, self.ids)
        meta = {"dim": self.dim, "lo": self.lo.tolist(), "scale": self.scale.tolist()}
        (self.folder / META_NAME).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> CompressedIndex:
        """Load for serving: the codes in memory, the SQ8 copies mapped read-only (replicas share them)."""
        import faiss
        import numpy as np

        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        index = faiss.read_index(str(folder / CODES_NAME))
        out = cls(folder, int(meta["dim"]), index, np.load(folder / SQ8_NAME, mmap_mode="r"),
                  np.load(folder / IDS_NAME), np.asarray(meta["lo"], dtype=np.float32),
                  np.asarray(meta["scale"], dtype=np.float32))
        out.set_nprobe(NPROBE)
        return out

    def set_nprobe(self, nprobe: int) -> None:
        import faiss

        faiss.extract_index_ivf(self.index).nprobe = nprobe

    def search(self, query: np.ndarray, k: int, candidates: int = 100) -> list[tuple[int, float]]:
        """Top k (vector id, cosine) for one query: `candidates` from the PQ codes, re-scored on SQ8."""
        import numpy as np

        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        _, rows = self.index.search(q, candidates)
        rows = rows[0][rows[0] >= 0]
        if not len(rows):
            return []
        order = np.argsort(rows)  # read the mapped file in order
        rows = rows[order]
        vecs = self.sq8[rows].astype(np.float32) * self.scale + self.lo
        scores = np.einsum("ij,j->i", vecs, q[0])
        top = np.argsort(-scores)[:k]
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in top]

    def memory_bytes(self) -> int:
        """Bytes the index holds in memory: PQ codes and row numbers, centroids, the row -> id table."""
        import faiss

        ivf = faiss.extract_index_ivf(self.index)
        invlists = ivf.invlists
        codes = sum(invlists.list_size(i) for i in range(ivf.nlist)) * (ivf.code_size + 8)
        return int(codes + ivf.nlist * self.dim * 4 + self.ids.nbytes + 256 * self.dim * 4)


def from_vector_index(vectors: Any, folder: Path, batch: int = 100_000, opq: bool = False) -> CompressedIndex:
    """Compress a store's vector index (`index.vectors.VectorIndex`), reading its vectors in batches."""
    import numpy as np

    ids = vectors.ids()
    rng = np.random.default_rng(0)
    sample_ids = np.sort(rng.choice(ids, size=min(len(ids), TRAIN_SAMPLE), replace=False))
    batches = ((ids[i:i + batch], vectors.vectors(ids[i:i + batch])) for i in range(0, len(ids), batch))
    return CompressedIndex.build(folder, vectors.dim, len(ids), vectors.vectors(sample_ids), batches, opq=opq)

"""A compressed vector index for 100M passages on one machine: IVF-PQ candidates, re-scored on SQ8.

FAISS `IndexIVFPQ` (optionally behind an OPQ rotation) holds `PQ_M` bytes a vector plus its id
(the vector id of `index.vectors`); it is trained on a sample and filled in batches. Its top
candidates (at least `RERANK`) are re-scored against 8-bit scalar-quantised copies of the vectors
(`SQ8`: 384 bytes a vector, error under 0.4% of a coordinate's range), kept in a memory-mapped
file beside it, so the index in memory is about (PQ_M + 16) bytes a vector and only the rows
re-scored are read from disk. Rows are sorted by vector id, so a vector's row is a binary search.

`LiveCompressed` is the store's index once `index.vectors.VectorIndex` switches to it: the saved
generation (a folder `ivfpq-<token>` of the files below), plus vectors added since it was saved
(searched exactly) and vectors removed since (filtered out); saving writes a new generation.

Figures: benchmarks/bench_ivfpq.py, docs/scale.md.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.diskfull import fsync

if TYPE_CHECKING:
    import numpy as np

PQ_M = 96  # sub-quantisers: 96 bytes a 384-d vector (4 dimensions each); 48 gave recall@10 0.88 at 1M
PQ_BITS = 8
NPROBE = 48  # inverted lists searched a query
RERANK = 200  # PQ candidates re-scored on SQ8 at least, whatever k a search asks for
KMEANS_ITERATIONS = 10  # of the coarse quantiser (FAISS's default 25 costs 2.5 times as long)
TRAIN_SAMPLE = 100_000  # vectors the coarse quantiser and PQ are trained on
MIN_VECTORS = 256  # PQ trains 256 centroids a sub-quantiser: below this the index stays exact
CODES_NAME, SQ8_NAME, IDS_NAME, META_NAME = "ivfpq.faiss", "ivfpq.sq8", "ivfpq.ids.npy", "ivfpq.json"
GENERATION_PREFIX = "ivfpq-"
COPY_ROWS = 1_000_000  # rows copied at a time when a generation is rewritten


def nlist_for(n: int) -> int:
    """Inverted lists for n vectors: about sqrt(n), a power of two, 16 to 65536 (4,096 at 10M)."""
    import math

    return int(min(65536, max(16, 2 ** round(math.log2(math.sqrt(max(n, 1)))))))


def pq_m(dim: int) -> int:
    """Sub-quantisers for `dim` dimensions: the most that divide it with 4 dimensions or more each."""
    return max([m for m in range(1, dim // 4 + 1) if dim % m == 0] or [1])


@dataclass
class CompressedIndex:
    folder: Path
    dim: int
    index: Any  # faiss.IndexIVFPQ or IndexPreTransform(OPQ, IVFPQ); its ids are vector ids
    sq8: Any  # np.memmap (rows, dim) uint8, row r = vector ids[r]
    ids: np.ndarray  # sorted vector ids
    lo: np.ndarray  # SQ8 range per coordinate
    scale: np.ndarray

    @classmethod
    def build(
        cls,
        folder: Path,
        dim: int,
        total: int,
        sample: np.ndarray,
        batches: Iterable[tuple[np.ndarray, np.ndarray]],
        opq: bool = False,
    ) -> CompressedIndex:
        """Train on `sample`, then add `(ids, vectors)` batches (L2-normalised float32, ids ascending),
        `total` vectors in all."""
        import faiss
        import numpy as np

        folder.mkdir(parents=True, exist_ok=True)
        m = pq_m(dim)
        ivf = faiss.IndexIVFPQ(
            faiss.IndexFlatIP(dim), dim, nlist_for(total), m, PQ_BITS, faiss.METRIC_INNER_PRODUCT
        )
        ivf.cp.niter = KMEANS_ITERATIONS
        index = faiss.IndexPreTransform(faiss.OPQMatrix(dim, m), ivf) if opq else ivf
        train = np.ascontiguousarray(sample[:TRAIN_SAMPLE], dtype=np.float32)
        index.train(train)
        margin = (train.max(axis=0) - train.min(axis=0)) * 0.05 + 1e-3  # room for vectors added later
        lo = train.min(axis=0) - margin
        scale = (train.max(axis=0) + margin - lo) / 255.0
        out = cls(
            folder,
            dim,
            index,
            np.lib.format.open_memmap(folder / SQ8_NAME, mode="w+", dtype=np.uint8, shape=(total, dim)),
            np.empty(total, dtype=np.int64),
            lo.astype(np.float32),
            scale.astype(np.float32),
        )
        row = 0
        for batch_ids, vecs in batches:
            vecs = np.ascontiguousarray(vecs, dtype=np.float32)
            batch_ids = np.ascontiguousarray(batch_ids, dtype=np.int64)
            n = len(vecs)
            if (
                row + n > total
                or np.any(np.diff(batch_ids) <= 0)
                or (row and batch_ids[0] <= out.ids[row - 1])
            ):
                raise ValueError("vectors must come in ascending id order, as many as announced")
            index.add_with_ids(vecs, batch_ids)
            out.sq8[row : row + n] = out.encode(vecs)
            out.ids[row : row + n] = batch_ids
            row += n
        if row != total:
            raise ValueError(f"{row} vectors added where {total} were announced")
        out.sq8.flush()
        out.set_nprobe(NPROBE)
        return out

    def save(self) -> None:
        """Write the codes, ids and SQ8 range beside the SQ8 file (each by rename; then synced)."""
        import faiss
        import numpy as np

        self.sq8.flush()
        tmp = self.folder / f"{CODES_NAME}.{os.getpid()}.tmp"
        faiss.write_index(self.index, str(tmp))
        os.replace(tmp, self.folder / CODES_NAME)
        with open(self.folder / f"{IDS_NAME}.tmp", "wb") as f:
            np.save(f, self.ids)
        os.replace(self.folder / f"{IDS_NAME}.tmp", self.folder / IDS_NAME)
        meta = {"dim": self.dim, "lo": self.lo.tolist(), "scale": self.scale.tolist(), "count": len(self.ids)}
        (self.folder / META_NAME).write_text(json.dumps(meta), encoding="utf-8")
        for name in (CODES_NAME, SQ8_NAME, IDS_NAME, META_NAME):
            fsync(self.folder / name)

    @classmethod
    def open(cls, folder: Path) -> CompressedIndex:
        """Load for serving: the codes in memory, the SQ8 copies mapped read-only (replicas share them)."""
        import faiss
        import numpy as np

        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        index = faiss.read_index(str(folder / CODES_NAME))
        out = cls(
            folder,
            int(meta["dim"]),
            index,
            np.load(folder / SQ8_NAME, mmap_mode="r"),
            np.load(folder / IDS_NAME),
            np.asarray(meta["lo"], dtype=np.float32),
            np.asarray(meta["scale"], dtype=np.float32),
        )
        if not (index.ntotal == len(out.ids) == len(out.sq8) == meta.get("count", len(out.ids))):
            raise ValueError(
                f"{folder}: {index.ntotal} codes, {len(out.ids)} ids and {len(out.sq8)} SQ8 rows"
            )
        out.set_nprobe(NPROBE)
        return out

    def set_nprobe(self, nprobe: int) -> None:
        import faiss

        faiss.extract_index_ivf(self.index).nprobe = nprobe

    def encode(self, vecs: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.clip(np.rint((vecs - self.lo) / self.scale), 0, 255).astype(np.uint8)

    def rows(self, vids: np.ndarray) -> np.ndarray:
        """Row of each vector id, -1 where absent."""
        import numpy as np

        if not len(self.ids):
            return np.full(len(vids), -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, vids), 0, len(self.ids) - 1)
        return np.where(self.ids[pos] == vids, pos, -1)

    def decode(self, rows: np.ndarray) -> np.ndarray:
        """The SQ8 copies of these rows as float32 (read in row order: the file is mapped)."""
        import numpy as np

        order = np.argsort(rows)
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        out[order] = self.sq8[rows[order]].astype(np.float32) * self.scale + self.lo
        return out

    def scored(self, query: np.ndarray, candidates: int, sel: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """(vector ids, cosines) best first: `candidates` from the PQ codes (only ids `sel` passes, a
        faiss IDSelector), re-scored on SQ8."""
        import faiss
        import numpy as np

        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if sel is not None:
            params = faiss.SearchParametersIVF(sel=sel, nprobe=faiss.extract_index_ivf(self.index).nprobe)
            _, vids = self.index.search(q, candidates, params=params)
        else:
            _, vids = self.index.search(q, candidates)
        vids = vids[0][vids[0] >= 0]
        rows = self.rows(vids)
        vids = vids[rows >= 0]
        scores = np.einsum("ij,j->i", self.decode(rows[rows >= 0]), q[0])
        order = np.argsort(-scores, kind="stable")
        return vids[order], scores[order]

    def search(self, query: np.ndarray, k: int, candidates: int = 100) -> list[tuple[int, float]]:
        """Top k (vector id, cosine) for one query: `candidates` from the PQ codes, re-scored on SQ8."""
        vids, scores = self.scored(query, max(k, candidates))
        return list(zip(vids[:k].tolist(), scores[:k].tolist(), strict=True))

    def memory_bytes(self) -> int:
        """Bytes the index holds in memory: PQ codes and ids, centroids, the sorted id table."""
        import faiss

        ivf = faiss.extract_index_ivf(self.index)
        invlists = ivf.invlists
        codes = sum(invlists.list_size(i) for i in range(ivf.nlist)) * (ivf.code_size + 8)
        return int(codes + ivf.nlist * self.dim * 4 + self.ids.nbytes + 256 * self.dim * 4)

    def rewrite(
        self, folder: Path, drop: np.ndarray, add_ids: np.ndarray, add_vecs: np.ndarray
    ) -> CompressedIndex:
        """A copy in `folder` without the vectors `drop` and with `add_*` (same training), rows sorted."""
        import faiss
        import numpy as np

        folder.mkdir(parents=True)
        keep = np.flatnonzero(~np.isin(self.ids, drop)) if len(drop) else np.arange(len(self.ids))
        index = faiss.clone_index(self.index)
        if len(drop):
            index.remove_ids(faiss.IDSelectorBatch(np.ascontiguousarray(drop, dtype=np.int64)))
        if len(add_ids):
            index.add_with_ids(np.ascontiguousarray(add_vecs, dtype=np.float32), add_ids)
        all_ids = np.concatenate([self.ids[keep], add_ids])
        perm = np.argsort(all_ids, kind="stable")
        sq8 = np.lib.format.open_memmap(
            folder / SQ8_NAME, mode="w+", dtype=np.uint8, shape=(len(perm), self.dim)
        )
        add_codes = self.encode(add_vecs) if len(add_ids) else None
        for i in range(0, len(perm), COPY_ROWS):
            src = perm[i : i + COPY_ROWS]
            old = src < len(keep)
            block = np.empty((len(src), self.dim), dtype=np.uint8)
            block[old] = self.sq8[keep[src[old]]]
            if add_codes is not None:
                block[~old] = add_codes[src[~old] - len(keep)]
            sq8[i : i + len(src)] = block
        out = CompressedIndex(folder, self.dim, index, sq8, all_ids[perm], self.lo, self.scale)
        out.set_nprobe(faiss.extract_index_ivf(self.index).nprobe)
        return out


@dataclass
class LiveCompressed:
    """A store's compressed index: a saved generation, plus what was added or removed since.

    It answers the calls `index.vectors.VectorIndex` makes of a FAISS index (`ntotal`,
    `add_with_ids`, `reconstruct_batch`, `search`), so the exact and compressed paths share code."""

    base: CompressedIndex
    tail_ids: list[np.ndarray] = field(default_factory=list)  # added since the generation was saved
    tail_vecs: list[np.ndarray] = field(default_factory=list)
    dropped: Any = None  # vector ids of the generation removed since
    saved: bool = True  # False while the generation is a fresh build not yet renamed into place

    @classmethod
    def build(
        cls,
        folder: Path,
        dim: int,
        ids: np.ndarray,
        vectors: Callable[[np.ndarray], np.ndarray],
        batch: int = 100_000,
    ) -> LiveCompressed:
        """Train on a sample of `ids`' vectors (fetched by `vectors(ids)`) and add them all in batches, in
        a generation folder under `folder` that `save_into` renames into place."""
        import numpy as np

        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(ids, size=min(len(ids), TRAIN_SAMPLE), replace=False))
        gen = folder / f"{GENERATION_PREFIX}{secrets.token_hex(6)}.tmp"
        batches = ((ids[i : i + batch], vectors(ids[i : i + batch])) for i in range(0, len(ids), batch))
        return cls(CompressedIndex.build(gen, dim, len(ids), vectors(sample), batches), saved=False)

    @classmethod
    def open(cls, generation: Path) -> LiveCompressed:
        return cls(CompressedIndex.open(generation))

    @property
    def ntotal(self) -> int:
        return len(self.base.ids) - self._n_dropped() + sum(len(t) for t in self.tail_ids)

    def _n_dropped(self) -> int:
        return 0 if self.dropped is None else len(self.dropped)

    def _tail(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        if not self.tail_ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.base.dim), dtype=np.float32)
        if len(self.tail_ids) > 1:
            self.tail_ids, self.tail_vecs = [np.concatenate(self.tail_ids)], [np.concatenate(self.tail_vecs)]
        return self.tail_ids[0], self.tail_vecs[0]

    def all_ids(self) -> np.ndarray:
        import numpy as np

        base = (
            self.base.ids
            if self.dropped is None
            else np.setdiff1d(self.base.ids, self.dropped, assume_unique=True)
        )
        return np.sort(np.concatenate([base, self._tail()[0]]))

    def add_with_ids(self, vecs: np.ndarray, ids: np.ndarray) -> None:
        import numpy as np

        self.tail_ids.append(np.array(ids, dtype=np.int64))
        self.tail_vecs.append(np.array(vecs, dtype=np.float32))

    def remove(self, vids: np.ndarray) -> int:
        """Remove these vector ids; returns how many were here."""
        import numpy as np

        t_ids, t_vecs = self._tail()
        in_tail = np.isin(t_ids, vids)
        if in_tail.any():
            self.tail_ids, self.tail_vecs = [t_ids[~in_tail]], [t_vecs[~in_tail]]
        gone = vids[self.base.rows(vids) >= 0]
        if self.dropped is not None:
            gone = np.setdiff1d(gone, self.dropped)
            self.dropped = np.union1d(self.dropped, gone)
        elif len(gone):
            self.dropped = np.unique(gone)
        return int(in_tail.sum() + len(np.unique(gone)))

    def reconstruct_batch(self, vids: np.ndarray) -> np.ndarray:
        """The vectors of these ids: as added since the last save, else the SQ8 copies."""
        import numpy as np

        out = np.zeros((len(vids), self.base.dim), dtype=np.float32)
        t_ids, t_vecs = self._tail()
        order = np.argsort(t_ids)
        pos = np.clip(np.searchsorted(t_ids[order], vids), 0, max(len(t_ids) - 1, 0))
        in_tail = t_ids[order][pos] == vids if len(t_ids) else np.zeros(len(vids), dtype=bool)
        out[in_tail] = t_vecs[order[pos[in_tail]]]
        rows = self.base.rows(vids[~in_tail])
        if np.any(rows < 0):
            raise KeyError(f"vector id {int(vids[~in_tail][rows < 0][0])} is not in the index")
        out[~in_tail] = self.base.decode(rows)
        return out

    def search(self, q: np.ndarray, n: int, params: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the best n, shaped (1, n) as FAISS returns them; `params.sel` filters."""
        import numpy as np

        sel = getattr(params, "sel", None)
        vids, scores = self.base.scored(q[0], max(n, RERANK), sel)
        if self.dropped is not None:
            live = ~np.isin(vids, self.dropped)
            vids, scores = vids[live], scores[live]
        t_ids, t_vecs = self._tail()
        if len(t_ids):
            ok = (
                np.array([sel.is_member(int(i)) for i in t_ids], dtype=bool)
                if sel is not None
                else slice(None)
            )
            vids = np.concatenate([vids, t_ids[ok]])
            scores = np.concatenate([scores, np.einsum("ij,j->i", t_vecs[ok], q[0])])
            order = np.argsort(-scores, kind="stable")
            vids, scores = vids[order], scores[order]
        return scores[None, :n], vids[None, :n]

    def save_into(self, folder: Path) -> str:
        """Write this index as a new generation folder under `folder`; returns its name."""
        import numpy as np

        if self.saved and not self.tail_ids and self.dropped is None:
            return self.base.folder.name
        name = f"{GENERATION_PREFIX}{secrets.token_hex(6)}"
        if self.saved or self.tail_ids or self.dropped is not None:
            t_ids, t_vecs = self._tail()
            drop = self.dropped if self.dropped is not None else np.zeros(0, dtype=np.int64)
            fresh = self.base.rewrite(folder / f"{name}.tmp", drop, t_ids, t_vecs)
            if not self.saved:
                shutil.rmtree(self.base.folder, ignore_errors=True)
        else:
            fresh = self.base
        fresh.save()
        os.replace(fresh.folder, folder / name)
        self.base = CompressedIndex.open(folder / name)
        self.tail_ids, self.tail_vecs, self.dropped, self.saved = [], [], None, True
        return name


def generations(folder: Path) -> list[Path]:
    """The compressed index's generation folders in a store folder (finished or not)."""
    return sorted(p for p in folder.glob(f"{GENERATION_PREFIX}*") if p.is_dir())


def from_vector_index(vectors: Any, folder: Path, batch: int = 100_000, opq: bool = False) -> CompressedIndex:
    """Compress a store's vector index (`index.vectors.VectorIndex`), reading its vectors in batches."""
    import numpy as np

    ids = vectors.ids()
    rng = np.random.default_rng(0)
    sample_ids = np.sort(rng.choice(ids, size=min(len(ids), TRAIN_SAMPLE), replace=False))
    batches = ((ids[i : i + batch], vectors.vectors(ids[i : i + batch])) for i in range(0, len(ids), batch))
    return CompressedIndex.build(folder, vectors.dim, len(ids), vectors.vectors(sample_ids), batches, opq=opq)

"""The dense vector index: FAISS, inner product over L2-normalised vectors, ids = passage ids.

Exact search (`IndexFlatIP`) while small; past `Settings.ann_threshold` vectors it becomes an
HNSW graph over 8-bit scalar-quantised vectors (a quarter of the memory of float32, recall@10
against exact search >= 0.95, see tests/index/test_vectors.py). Past
`Settings.compress_threshold` vectors (0: as soon as there are `ivfpq.MIN_VECTORS`) it becomes
the compressed index of `index.ivfpq` instead: IVF-PQ codes in memory, candidates re-scored on
8-bit copies mapped from disk (about 120 bytes a vector in memory; docs/scale.md).

Saved as `vectors.faiss` with `vectors.json` (model, dimension, metric, kind) beside it; both
written to a temporary file and renamed, so a crash leaves the old or the new index, never half of
one. The compressed index is a folder `ivfpq-<token>` written in full first; `vectors.faiss` is
then a symbolic link to its codes, replaced by rename as the flat file is, so readers (which
reload when `vectors.faiss` changes) see the old generation or the new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.diskfull import fsync, write_failure
from index.ivfpq import CODES_NAME, MIN_VECTORS, LiveCompressed, generations

if TYPE_CHECKING:
    import numpy as np

INDEX_NAME = "vectors.faiss"
CONFIG_NAME = "vectors.json"
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512  # recall@10 0.96 against exact at 1M vectors (0.84 at 128), about 2 ms
WIDE_LIMIT = 2_000  # a filtered search fetches up to this many unfiltered neighbours, then filters
EXACT_SUBSET = 20_000  # a filter allowing at most this many passages is searched exactly
# A passage has its own vector (id = passage id) and may have sentence vectors, id = passage id +
# (n << WINDOW_SHIFT), n = 1, 2, ...; a passage's dense score is the best of its vectors.
WINDOW_SHIFT = 40
PASSAGE_MASK = (1 << WINDOW_SHIFT) - 1


def vector_ids(passage_ids: np.ndarray | list[int], windows: np.ndarray | list[int]) -> np.ndarray:
    """Every vector id of the passages, given how many sentence vectors each has."""
    import numpy as np

    pids = np.asarray(passage_ids, dtype=np.int64)
    counts = np.asarray(windows, dtype=np.int64) + 1
    rep = np.repeat(pids, counts)
    offsets = np.arange(len(rep), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return rep + (offsets << WINDOW_SHIFT)


@dataclass
class VectorIndex:
    folder: Path
    model: str
    dim: int
    kind: str  # flat | hnsw | ivfpq
    index: Any  # faiss.IndexIDMap2, or index.ivfpq.LiveCompressed (kind ivfpq)
    _id_cache: Any = None  # sorted ids, dropped on every change

    @classmethod
    def open(cls, folder: Path, model: str, dim: int | None) -> VectorIndex:
        """Load the saved index (checking its config matches) or start an empty exact one.

        `dim` None takes the dimension from the saved config (for removal and checks, which
        need no model)."""
        import faiss

        cfg_path, idx_path = folder / CONFIG_NAME, folder / INDEX_NAME
        cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
        dim = dim or int(cfg.get("dim") or 384)
        if not idx_path.exists():
            return cls(folder, model, dim, "flat", faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))
        if cfg.get("model") != model or cfg.get("dim") != dim or cfg.get("metric") != "ip":
            raise ValueError(
                f"{idx_path}: built with model {cfg.get('model')!r} (dimension {cfg.get('dim')}),"
                f" not {model!r} (dimension {dim}); re-ingest into a new store"
            )
        generation = _generation(folder, cfg)
        if generation is not None:
            try:
                live = LiveCompressed.open(generation)
            except (OSError, KeyError, json.JSONDecodeError) as e:
                raise ValueError(f"{generation}: cannot read the compressed vector index ({e})") from None
            if live.base.dim != dim:
                raise ValueError(
                    f"{generation}: index dimension {live.base.dim} does not match config dimension {dim}"
                )
            return cls(folder, model, dim, "ivfpq", live)
        index = faiss.read_index(str(idx_path))
        if index.d != dim:
            raise ValueError(f"{idx_path}: index dimension {index.d} does not match config dimension {dim}")
        vi = cls(folder, model, dim, cfg.get("kind", "flat"), index)
        vi.set_ef(HNSW_EF_SEARCH)
        return vi

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        """Every id in the index, sorted."""
        import faiss
        import numpy as np

        if self._id_cache is None and self.kind == "ivfpq":
            self._id_cache = self.index.all_ids()
        if self._id_cache is None:
            self._id_cache = np.sort(faiss.vector_to_array(self.index.id_map).astype("int64"))
        return self._id_cache

    def add(self, ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
        import numpy as np

        vecs = _as_matrix(vectors, self.dim)
        id_arr = np.ascontiguousarray(ids, dtype=np.int64)
        if len(id_arr) != len(vecs):
            raise ValueError(f"{len(id_arr)} ids for {len(vecs)} vectors")
        if len(id_arr):
            self.index.add_with_ids(vecs, id_arr)
            self._id_cache = None

    def passage_ids(self) -> np.ndarray:
        """The passages with at least one vector, sorted."""
        import numpy as np

        return np.unique(self.ids() & PASSAGE_MASK)

    def present(self, vids: np.ndarray) -> np.ndarray:
        """Those of `vids` that are in the index."""
        import numpy as np

        have = self.ids()
        if not len(have):
            return vids[:0]
        pos = np.clip(np.searchsorted(have, vids), 0, len(have) - 1)
        return vids[have[pos] == vids]

    def expand(self, passage_ids: np.ndarray) -> np.ndarray:
        """Every vector id in the index of these passages (their own and their sentences')."""
        import numpy as np

        pids = np.ascontiguousarray(passage_ids, dtype=np.int64)
        have = self.ids()
        levels = int(have[-1] >> WINDOW_SHIFT) + 1 if len(have) else 0  # ids sort by sentence number
        return np.concatenate([self.present(pids + (w << WINDOW_SHIFT)) for w in range(levels)] or [pids[:0]])

    def remove(self, passage_ids: list[int] | np.ndarray) -> int:
        """Remove every vector of these passages; returns the number of vectors removed."""
        import faiss
        import numpy as np

        pids = np.ascontiguousarray(passage_ids, dtype=np.int64)
        have = self.ids()
        id_arr = have[np.isin(have & PASSAGE_MASK, pids)] if len(pids) else pids
        if not len(id_arr):
            return 0
        self._id_cache = None
        if self.kind == "flat":
            return int(self.index.remove_ids(faiss.IDSelectorBatch(id_arr)))
        if self.kind == "ivfpq":
            return self.index.remove(id_arr)
        keep = np.setdiff1d(self.ids(), id_arr)  # HNSW cannot delete: rebuild from the stored vectors
        removed = len(self) - len(keep)
        vecs = self.vectors(keep)
        self.index = _hnsw(self.dim, vecs)
        self.index.add_with_ids(vecs, keep)
        self.set_ef(HNSW_EF_SEARCH)
        self._id_cache = None
        return removed

    def vectors(self, ids: list[int] | np.ndarray) -> np.ndarray:
        import numpy as np

        id_arr = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(id_arr):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_batch(
            id_arr
        )  # FAISS's threads: as the runtime set them (index.runtime)

    def set_ef(self, ef: int) -> None:
        if self.kind == "hnsw":
            import faiss

            faiss.downcast_index(self.index.index).hnsw.efSearch = ef

    def maybe_upgrade(self, threshold: int, compress_at: int | None = None) -> bool:
        """Switch exact -> HNSW once the index holds more than `threshold` vectors, or exact or HNSW ->
        compressed (`index.ivfpq`) once it holds `compress_at` (and at least `ivfpq.MIN_VECTORS`)."""

        if compress_at is not None and self.kind != "ivfpq" and len(self) >= max(compress_at, MIN_VECTORS):
            self.index = LiveCompressed.build(self.folder, self.dim, self.ids(), self.vectors)
            self.kind = "ivfpq"
            self._id_cache = None
            return True
        if self.kind != "flat" or len(self) <= threshold:
            return False
        ids = self.ids()
        vecs = self.vectors(ids)
        self.index = _hnsw(self.dim, vecs)
        self.index.add_with_ids(vecs, ids)
        self.kind = "hnsw"
        self.set_ef(HNSW_EF_SEARCH)
        return True

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top k (passage id, cosine of its best vector) for one query; `allowed` passage ids only."""
        if len(self) == 0 or k <= 0:
            return []
        return self._search(_as_matrix(query.reshape(1, -1), self.dim), k, allowed)

    def _search(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        import faiss
        import numpy as np

        fetch = min(len(self), k * 3)  # several vectors of one passage may come back
        if allowed is not None:
            allowed = np.ascontiguousarray(allowed, dtype=np.int64)
            if len(allowed) == 0:
                return []
            if len(allowed) <= EXACT_SUBSET:
                vids = self.expand(allowed)
                scores = dot(self.vectors(vids), q[0])
                top = np.argsort(-scores)[:fetch]
                return _best_per_passage(vids[top], scores[top], k)
            # a broad filter: enough of the nearest vectors pass it, so search wider and keep those
            wide = int(fetch * len(self) / max(1, len(allowed)) * 1.5)
            if wide <= WIDE_LIMIT:
                dist, ids = self.index.search(q, min(len(self), wide))
                keep = np.isin(ids[0] & PASSAGE_MASK, allowed)
                if keep.sum() >= min(k, len(allowed)):
                    return _best_per_passage(ids[0][keep], dist[0][keep], k)
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(self.expand(allowed)))
            dist, ids = self.index.search(q, fetch, params=params)
        else:
            dist, ids = self.index.search(q, fetch)
        keep = ids[0] >= 0
        return _best_per_passage(ids[0][keep], dist[0][keep], k)

    def save(self) -> None:
        """Write the index aside and rename it into place (see the module docstring). A write that fails (the
        disk is full) leaves no temporary file and the old index in place, and raises one line
        (index.diskfull.StoreWriteError); temporary files of writers that died are removed first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _drop_stale_temporaries(self.folder)
        tmp_idx = self.folder / f"{INDEX_NAME}.{os.getpid()}.tmp"
        tmp_cfg = self.folder / f"{CONFIG_NAME}.{os.getpid()}.tmp"
        try:
            self._save(tmp_idx, tmp_cfg)
        except BaseException as e:
            tmp_idx.unlink(missing_ok=True)
            tmp_cfg.unlink(missing_ok=True)
            failure = write_failure(e, self.folder, "the vector index")
            if failure is not None:
                raise failure from None
            raise

    def _save(self, tmp_idx: Path, tmp_cfg: Path) -> None:
        cfg = {
            "model": self.model,
            "dim": self.dim,
            "metric": "ip",
            "normalised": True,
            "kind": self.kind,
            "count": len(self),
        }
        if self.kind == "ivfpq":
            current = _generation(self.folder, {})
            cfg["generation"] = self.index.save_into(self.folder)
            tmp_idx.unlink(missing_ok=True)
            os.symlink(f"{cfg['generation']}/{CODES_NAME}", tmp_idx)
            self._id_cache = None
        else:
            current = None
            write_index(self.index, tmp_idx)
        tmp_cfg.write_text(json.dumps(cfg, indent=1), encoding="utf-8")
        # config first: it only names model/dim/kind, which a reader checks against the index it loads
        os.replace(tmp_cfg, self.folder / CONFIG_NAME)
        os.replace(tmp_idx, self.folder / INDEX_NAME)
        _drop_generations(self.folder, keep={cfg.get("generation"), current and current.name})


def write_index(index: Any, path: Path) -> None:
    """A FAISS index to `path`, synced to disk (the one place the flat index is written: the seam where a
    full disk shows, and tests make one)."""
    import faiss

    faiss.write_index(index, str(path))
    fsync(path)


def _drop_stale_temporaries(folder: Path) -> None:
    """Temporary index and config files of writers that died before renaming them (their process is gone)."""
    for tmp in [*folder.glob(f"{INDEX_NAME}.*.tmp"), *folder.glob(f"{CONFIG_NAME}.*.tmp")]:
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _generation(folder: Path, cfg: dict[str, Any]) -> Path | None:
    """The compressed index's generation folder the store uses, if it uses one: the one `vectors.faiss`
    links to, else (a copied store, links followed) the one the config names."""
    link = folder / INDEX_NAME
    if link.is_symlink():
        return (folder / os.readlink(link)).parent
    return folder / cfg["generation"] if cfg.get("kind") == "ivfpq" and cfg.get("generation") else None


def _drop_generations(folder: Path, keep: set[str | None]) -> None:
    """Delete the compressed index's generations but the current one and the one it replaced (a reader
    may be opening that one now); and unfinished ones, which only a writer (holding the lock) makes."""
    import shutil

    for gen in generations(folder):
        if gen.name not in keep:
            shutil.rmtree(gen, ignore_errors=True)


def dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector without BLAS: OpenBLAS threads spin after a call, as OpenMP's do (index.runtime)."""
    import numpy as np

    return np.einsum("ij,j->i", matrix, vector)


def _best_per_passage(vids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    best: dict[int, float] = {}
    for vid, score in zip(vids.tolist(), scores.tolist(), strict=True):  # sorted best first
        pid = vid & PASSAGE_MASK
        if pid not in best:
            best[pid] = float(score)
    return list(best.items())[:k]


def _hnsw(dim: int, sample: np.ndarray) -> Any:
    import faiss

    inner = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    inner.train(sample[:200_000] if len(sample) else _unit_box(dim))
    return faiss.IndexIDMap2(inner)


def _unit_box(dim: int) -> np.ndarray:
    import numpy as np

    # normalised vectors lie in [-1, 1] in every coordinate: train the quantiser on that range
    return np.vstack([np.full(dim, -1.0), np.full(dim, 1.0)]).astype(np.float32)


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    import numpy as np

    arr = np.ascontiguousarray(vectors, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"vectors of shape {arr.shape} do not match the index dimension {dim}")
    return arr

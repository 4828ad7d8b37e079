"""The FAISS index: exact and HNSW search, sentence-vector ids, save/load checks, removal."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.vectors import PASSAGE_MASK, VectorIndex, vector_ids


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_hnsw_recall_against_exact_search(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    dim, n = 64, 20_000
    data = _unit(rng, n, dim)
    ids = np.arange(1, n + 1, dtype=np.int64)
    exact = VectorIndex.open(tmp_path / "a", "m", dim)
    exact.add(ids, data)
    approx = VectorIndex.open(tmp_path / "b", "m", dim)
    approx.add(ids, data)
    assert approx.maybe_upgrade(threshold=1000) and approx.kind == "hnsw"
    # queries near stored vectors, as real queries are near some passage
    queries = _unit(rng, 1, dim) * 0.0 + data[rng.choice(n, 100, replace=False)] + 0.3 * _unit(rng, 100, dim)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    recall = np.mean([len({i for i, _ in exact.search(q, 10)} & {i for i, _ in approx.search(q, 10)}) / 10
                      for q in queries])
    assert recall >= 0.95


def test_sentence_vectors_collapse_to_their_passage(tmp_path: Path) -> None:
    vi = VectorIndex.open(tmp_path, "m", 4)
    vids = vector_ids([5, 9], [2, 0])
    assert list(vids & PASSAGE_MASK) == [5, 5, 5, 9] and len(set(vids.tolist())) == 4
    vecs = np.eye(4, dtype=np.float32)  # passage 5: three vectors, the third along axis 2
    vi.add(vids, vecs)
    hits = vi.search(np.array([0, 0, 1, 0], dtype=np.float32), 2)
    assert hits[0] == (5, pytest.approx(1.0)) and [p for p, _ in hits] == [5, 9]
    axis2 = np.array([0, 0, 1, 0], dtype=np.float32)
    assert vi.search(axis2, 2, allowed=np.array([9]))[0][0] == 9
    assert vi.search(axis2, 2, allowed=np.array([5])) == [(5, pytest.approx(1.0))]  # via its sentence vector
    assert vi.remove([5]) == 3 and list(vi.passage_ids()) == [9]


def test_save_load_and_config_mismatch(tmp_path: Path) -> None:
    vi = VectorIndex.open(tmp_path, "model-a", 8)
    vi.add([1, 2], _unit(np.random.default_rng(1), 2, 8))
    vi.save()
    assert not list(tmp_path.glob("*.tmp"))
    again = VectorIndex.open(tmp_path, "model-a", 8)
    assert list(again.ids()) == [1, 2]
    with pytest.raises(ValueError, match="model-b"):
        VectorIndex.open(tmp_path, "model-b", 8)
    with pytest.raises(ValueError, match="dimension 8"):
        again.add([3], np.zeros((1, 5), dtype=np.float32))


def test_hnsw_removal_rebuilds(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    vi = VectorIndex.open(tmp_path, "m", 16)
    vi.add(np.arange(1, 301), _unit(rng, 300, 16))
    vi.maybe_upgrade(threshold=100)
    assert vi.remove([1, 2, 3]) == 3
    assert len(vi) == 297 and 1 not in set(vi.ids().tolist())
    vi.save()
    assert VectorIndex.open(tmp_path, "m", 16).kind == "hnsw"

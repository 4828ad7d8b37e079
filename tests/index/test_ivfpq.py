"""The compressed index: IVF-PQ candidates re-scored on SQ8 copies find the exact neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from index.ivfpq import PQ_M, CompressedIndex

DIM = 384


def _clustered(n: int, seed: int, centres: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = centres[rng.integers(0, len(centres), n)] + rng.standard_normal((n, DIM)).astype(
        np.float32
    ) / np.sqrt(DIM)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CompressedIndex, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((200, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vecs = _clustered(20_000, 1, centres)
    ids = np.arange(20_000, dtype=np.int64) * 7 + (3 << 40)  # sparse ids, sentence vectors' among them
    batches = [(ids[i : i + 5000], vecs[i : i + 5000]) for i in range(0, 20_000, 5000)]
    index = CompressedIndex.build(tmp_path_factory.mktemp("ivfpq"), DIM, 20_000, vecs, batches)
    return index, ids, vecs, _clustered(50, 2, centres)


def _recall(found: list[list[int]], exact: np.ndarray) -> float:
    return sum(len(set(f) & set(e.tolist())) for f, e in zip(found, exact, strict=True)) / exact.size


def test_rescoring_finds_the_exact_neighbours(
    built: tuple[CompressedIndex, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    index, ids, vecs, queries = built
    exact = ids[np.argsort(-(queries @ vecs.T), axis=1)[:, :10]]
    found = [[i for i, _ in index.search(q, 10)] for q in queries]
    pq_only = []
    for q in queries:
        _, vids = index.index.search(q.reshape(1, -1), 10)  # the codes hold vector ids
        pq_only.append(vids[0].tolist())
    # measured 0.97 with re-scoring, about 0.5 from the PQ codes alone
    assert _recall(found, exact) >= 0.9
    assert _recall(found, exact) > _recall(pq_only, exact) + 0.2
    scores = [s for _, s in index.search(queries[0], 10)]
    assert (
        scores == sorted(scores, reverse=True) and abs(scores[0] - float((queries[0] @ vecs.T).max())) < 0.02
    )


def test_saved_and_opened_it_answers_the_same(
    built: tuple[CompressedIndex, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    index, _, _, queries = built
    index.save()
    again = CompressedIndex.open(index.folder)
    assert [i for i, _ in again.search(queries[3], 10)] == [i for i, _ in index.search(queries[3], 10)]
    assert again.memory_bytes() < 20_000 * (PQ_M + 8) * 1.5 + 2e6  # codes and ids, not float vectors


def test_a_store_vector_index_compresses(tmp_path_factory: pytest.TempPathFactory) -> None:
    from index.ivfpq import from_vector_index
    from index.vectors import VectorIndex

    rng = np.random.default_rng(5)
    centres = rng.standard_normal((50, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vecs = _clustered(12_000, 6, centres)
    vi = VectorIndex.open(tmp_path_factory.mktemp("flat"), "m", DIM)
    vi.add(np.arange(1, 12_001), vecs)
    small = from_vector_index(vi, tmp_path_factory.mktemp("pq"), batch=5000)
    got = small.search(vecs[100], 1)
    assert got[0][0] == 101 and got[0][1] > 0.98  # the vector itself, found by its id

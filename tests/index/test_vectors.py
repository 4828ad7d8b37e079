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
    recall = np.mean(
        [
            len({i for i, _ in exact.search(q, 10)} & {i for i, _ in approx.search(q, 10)}) / 10
            for q in queries
        ]
    )
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


def _clustered(rng: np.random.Generator, n: int, dim: int, topics: int = 40) -> np.ndarray:
    centres = _unit(rng, topics, dim)
    v = centres[rng.integers(0, topics, n)] + rng.standard_normal((n, dim)).astype(np.float32) / np.sqrt(dim)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_compressed_index_by_setting_matches_exact_and_survives_reload(tmp_path: Path) -> None:
    from index.ivfpq import generations

    rng = np.random.default_rng(11)
    dim, n = 64, 4000
    data = _clustered(rng, n, dim)
    vids = vector_ids(np.arange(1, n // 2 + 1), np.ones(n // 2, dtype=np.int64))  # a sentence vector each
    exact = VectorIndex.open(tmp_path / "a", "m", dim)
    exact.add(vids, data)
    vi = VectorIndex.open(tmp_path / "b", "m", dim)
    vi.add(vids, data)
    assert not vi.maybe_upgrade(threshold=10**9, compress_at=n + 1)  # below the setting: stays exact
    assert vi.maybe_upgrade(threshold=10**9, compress_at=0) and vi.kind == "ivfpq"
    assert np.array_equal(vi.ids(), exact.ids()) and len(vi) == n
    queries = _clustered(np.random.default_rng(12), 50, dim)

    def recall(a: VectorIndex, b: VectorIndex) -> float:
        return float(
            np.mean(
                [len({i for i, _ in a.search(q, 10)} & {i for i, _ in b.search(q, 10)}) / 10 for q in queries]
            )
        )

    assert recall(exact, vi) >= 0.9
    vi.save()
    assert (tmp_path / "b" / "vectors.faiss").is_symlink() and len(generations(tmp_path / "b")) == 1
    again = VectorIndex.open(tmp_path / "b", "m", dim)
    assert again.kind == "ivfpq" and [i for i, _ in again.search(queries[0], 10)] == [
        i for i, _ in vi.search(queries[0], 10)
    ]
    # the stored (SQ8) copies are close to the vectors; filters, removal and additions work as exact ones do
    assert np.allclose(again.vectors(vids[:5]), data[:5], atol=0.01)
    allowed = np.arange(1, 200)
    assert {p for p, _ in again.search(queries[1], 10, allowed)} <= set(allowed.tolist())
    top = again.search(queries[2], 1)[0][0]
    assert again.remove([top]) == 2 and top not in {p for p, _ in again.search(queries[2], 10)}
    new = _unit(np.random.default_rng(14), 1, dim)
    again.add([10**6], new)
    assert again.search(new[0], 1)[0] == (
        10**6,
        pytest.approx(1.0, abs=1e-5),
    )  # added after: searched exactly
    again.save()
    third = VectorIndex.open(tmp_path / "b", "m", dim)
    assert len(third) == n - 1 and third.search(new[0], 1)[0][0] == 10**6
    assert len(generations(tmp_path / "b")) == 2  # the current one, and the one a reader may still open
    assert recall(exact, third) >= 0.85  # one passage fewer


def test_a_copied_compressed_store_still_opens(tmp_path: Path) -> None:
    import shutil

    rng = np.random.default_rng(13)
    vi = VectorIndex.open(tmp_path / "a", "m", 32)
    vi.add(np.arange(1, 1001), _clustered(rng, 1000, 32))
    vi.maybe_upgrade(threshold=10**9, compress_at=0)
    vi.save()
    shutil.copytree(tmp_path / "a", tmp_path / "b")  # follows the link: vectors.faiss is a plain file
    copy = VectorIndex.open(tmp_path / "b", "m", 32)
    assert copy.kind == "ivfpq" and len(copy) == 1000 and copy.search(vi.vectors([7])[0], 1)[0][0] == 7


def test_a_store_forced_onto_the_compressed_index_by_the_setting(tmp_path: Path, seeds: list[Path]) -> None:
    """Real papers, the real model: the same top passages as the exact index, reloads, and `check` is clean."""
    from index.check import check_store
    from index.embed import load_embedder
    from index.ivfpq import generations
    from index.pipeline import ingest_paths, open_vectors, remove_document
    from index.store import Store
    from ingest.settings import Settings
    from tests.index.papers import copy_papers

    papers = copy_papers(tmp_path, seeds[:3])
    flat = Settings(store=tmp_path / "flat", workers=1)
    small = Settings(store=tmp_path / "small", workers=1, compress_threshold=0)
    for settings in (flat, small):  # the same papers in the same order: the same passage ids
        assert ingest_paths([papers], settings, progress=False).failures == []
    with Store.open(flat) as a, Store.open(small) as b:
        exact, vi = open_vectors(a, flat), open_vectors(b, small)
        assert exact.kind == "flat" and vi.kind == "ivfpq" and len(vi) == len(exact) >= 256
        assert np.array_equal(vi.ids(), exact.ids())
        queries = load_embedder(flat).encode(
            [
                "bus lanes and road safety",
                "council budget savings next year",
                "consultation on a new policy",
                "school places and education",
                "housing repairs and tenants",
                "climate change and carbon emissions",
                "appointment of members to the committee",
                "risks to the project",
            ]
        )
        recall = np.mean(
            [
                len({p for p, _ in exact.search(q, 10)} & {p for p, _ in vi.search(q, 10)}) / 10
                for q in queries
            ]
        )
        assert recall >= 0.9
        assert check_store(small) == []
        doc = b.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        gone = set(b.conn.execute("SELECT id FROM passages WHERE document_id = ?", (doc,)).fetchall())
        assert remove_document(b, doc, small)  # a writer saves a new generation ...
        again = open_vectors(b, small)  # ... and a reader reloads it
        assert again is not vi and again.kind == "ivfpq" and len(again) < len(vi)
        assert not {(p,) for p, _ in again.search(queries[0], 50)} & gone
        assert check_store(small) == [] and len(generations(small.store)) <= 2

"""The embedding cache, with the real model: a changed paper re-ingested embeds only its changed passages."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from index.check import check_store
from index.embed import load_embedder, model_name
from index.embedcache import content_key, embed_cached
from index.pipeline import document_items, ingest_paths, model_items
from index.store import Store
from index.vectors import VectorIndex
from ingest.parse import parse_file
from ingest.settings import Settings


def _items(path: Path, settings: Settings) -> set[tuple[str, str]]:
    """The distinct (kind, text) items of a paper that the model reads (pooled vectors are made from them)."""
    return set(model_items(document_items(parse_file(path, settings))))


def _vectors_by_text(settings: Settings) -> dict[str, np.ndarray]:
    """Each passage's own vector, by the passage's text."""
    with Store.open(settings) as store:
        rows = store.conn.execute("SELECT id, text FROM passages").fetchall()
    index = VectorIndex.open(settings.store, model_name(settings), None)
    vecs = index.vectors([r[0] for r in rows])
    return {r[1]: v for r, v in zip(rows, vecs, strict=True)}


def test_a_changed_paragraph_is_all_that_is_embedded_again(tmp_path: Path, seeds: list[Path]) -> None:
    paper = tmp_path / "papers" / "paper.txt"
    paper.parent.mkdir()
    shutil.copy(seeds[3], paper)
    settings = Settings(store=tmp_path / "store", workers=1)
    before = _items(paper, settings)

    first = ingest_paths([paper.parent], settings, progress=False)
    assert first.papers == 1 and first.passages > 20
    assert first.embedded == len(before)  # an empty cache: every distinct text embedded once
    assert first.vectors >= first.embedded
    old_vectors = _vectors_by_text(settings)

    # one paragraph changed: one sentence of the longest paragraph reworded
    text = paper.read_text(encoding="utf-8")
    longest = max(text.split("\n\n"), key=len)
    changed = longest.replace(". ", ". Members noted the revised figures. ", 1)
    assert changed != longest and text.count(longest) == 1
    paper.write_text(text.replace(longest, changed), encoding="utf-8")
    after = _items(paper, settings)
    new = after - before
    assert 0 < len(new) <= 6  # the paragraph, its new and changed sentences, a context vector or two

    second = ingest_paths([paper.parent], settings, progress=False)
    assert second.papers == 1
    assert second.embedded == len(new)  # only the changed passages' texts went through the model
    assert second.vectors >= len(after)
    assert check_store(settings) == []
    with Store.open(settings) as store:
        assert store.counts()["documents"] == 1
    # the unchanged passages kept the very vectors they had
    new_vectors = _vectors_by_text(settings)
    same = [t for t in old_vectors if t in new_vectors]
    assert len(same) >= first.passages - 2
    assert all(np.array_equal(old_vectors[t], new_vectors[t]) for t in same)

    # the same file again under another name in a new store that shares nothing: all embedded
    fresh = Settings(store=tmp_path / "fresh", workers=1)
    assert ingest_paths([paper], fresh, progress=False).embedded == len(after)


def test_cache_keys_by_model_kind_and_text_and_repeats_are_embedded_once(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store")
    embedder = load_embedder(settings)
    texts = ["Workplace parking levy", "Workplace parking levy", "Bus lane enforcement"]
    kinds = ["passage", "passage", "sentence"]
    with Store.open(settings) as store:
        first = embed_cached(store, embedder, texts, kinds)
        assert first.embedded == 2  # the repeated text once
        assert np.array_equal(first.vectors[0], first.vectors[1])
        again = embed_cached(store, embedder, texts + ["Workplace parking levy"], kinds + ["context"])
        assert again.embedded == 1  # only the new (kind, text)
        assert np.allclose(again.vectors[:3], first.vectors, atol=1e-6)
        assert np.allclose(again.vectors[3], embedder.encode(["Workplace parking levy"])[0], atol=0.05)
        assert store.cache_problems() == []
    assert (
        content_key("m", "passage", "x")
        != content_key("m", "sentence", "x")
        != content_key("n", "passage", "x")
    )


def test_the_cache_is_pruned_to_what_the_passages_use_once_it_outgrows_them(
    tmp_path: Path, seeds: list[Path], monkeypatch
) -> None:  # noqa: ANN001
    from index import pipeline

    paper = tmp_path / "papers" / "paper.txt"
    paper.parent.mkdir()
    shutil.copy(seeds[3], paper)
    settings = Settings(store=tmp_path / "store", workers=1)
    text = paper.read_text(encoding="utf-8")
    longest = max(text.split("\n\n"), key=len)
    versions = [text] + [
        text.replace(longest, longest.replace(". ", f". Members noted revision {n}. ", 1))
        for n in range(1, 4)
    ]
    for version in versions:  # each version replaces the one before; the cache keeps the old texts
        paper.write_text(version, encoding="utf-8")
        assert ingest_paths([paper.parent], settings, progress=False).pruned == 0
    live = _items(paper, settings)
    with Store.open(settings) as store:
        grown = store.cache_size()
        assert (
            grown == store.conn.execute("SELECT count(*) FROM embedding_cache").fetchone()[0]
        )  # kept, not counted
    assert grown > len(live)

    monkeypatch.setattr(pipeline, "CACHE_SLACK", 0)  # past the bound now: the next ingest prunes
    monkeypatch.setattr(pipeline, "CACHE_GROWTH", 0)
    before = _vectors_by_text(settings)
    summary = ingest_paths([paper.parent], settings, progress=False)  # nothing changed: only the pruning
    assert summary.pruned == grown - len(live) and summary.embedded == 0
    with Store.open(settings) as store:
        assert (
            store.cache_size()
            == len(live)
            == store.conn.execute("SELECT count(*) FROM embedding_cache").fetchone()[0]
        )
        keys = {content_key(model_name(settings), k, t) for k, t in live}
        assert set(store.cached_vectors(list(keys))) == keys  # every text the passages use is still there
    after = _vectors_by_text(settings)
    assert all(np.array_equal(before[t], after[t]) for t in before)
    assert check_store(settings) == []

"""The embedder (the real bundled model) and the vectors ingest makes of a passage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embed import load_embedder
from index.pipeline import (
    CONTEXT_MAX_CHARS,
    POOLED,
    document_items,
    embedding_items,
    model_items,
    pool_groups,
)
from ingest.parse import parse_file
from ingest.settings import Settings

TEXTS = [
    "The Community Safety Partnership agreed its priorities for 2024/25.",
    "Anti-social behaviour fell by 17.67% in 2019/20, and reports of street drinking halved in the town centre "
    "after the Public Spaces Protection Order was renewed; officers will report back to the panel in March.",
    "Op Mazi",
]


def test_a_texts_vector_does_not_depend_on_what_is_embedded_beside_it(tmp_path: Path) -> None:
    embedder = load_embedder(Settings(store=tmp_path))
    alone = np.stack([embedder.encode([t], threads=1)[0] for t in TEXTS])
    together = embedder.encode(TEXTS * 3, threads=2)
    for i, vec in enumerate(together):
        assert np.array_equal(vec, alone[i % len(TEXTS)])  # bit for bit, whatever the batchmates and threads
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-5)
    # and it is the model's meaning: the two safety sentences are nearer each other than the operation name
    assert alone[0] @ alone[1] > alone[0] @ alone[2] - 0.2
    assert embedder.encode([]).shape == (0, embedder.dim)


def test_a_passage_of_several_sentences_is_pooled_from_them_and_only_short_ones_get_context() -> None:
    long = TEXTS[1] + " " + TEXTS[0] + " Members thanked the officers."
    assert len(long) > CONTEXT_MAX_CHARS
    items = embedding_items(long, before="The table below shows the year's figures.")
    kinds = [k for k, _ in items]
    assert kinds[0] == POOLED and kinds[1:] == ["sentence"] * 3  # too long for a context vector
    short = embedding_items("Burglary: 12% fewer.", before="The table below shows the year's figures.")
    assert [k for k, _ in short] == ["passage", "context"]
    assert short[1][1] == "The table below shows the year's figures. Burglary: 12% fewer."
    assert [k for k, _ in embedding_items("Burglary: 12% fewer.")] == ["passage"]  # first of its paper


def test_pooled_vectors_are_the_length_weighted_mean_of_their_sentences() -> None:
    groups = [[(POOLED, "ab. c."), ("sentence", "ab."), ("sentence", "c.")], [("passage", "x")]]
    assert model_items(groups) == [("sentence", "ab."), ("sentence", "c."), ("passage", "x")]
    model = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    out = pool_groups(groups, model)
    expected = np.array([3, 2, 0], dtype=np.float32) / np.sqrt(13)
    assert np.allclose(out[0], expected)
    assert np.array_equal(out[1:], model)
    with pytest.raises(ValueError, match="2 vectors for 3"):
        pool_groups(groups, model[:2])


def test_every_passage_of_a_real_paper_gets_its_own_vector_first(seeds: list[Path]) -> None:
    doc = parse_file(seeds[0], Settings(workers=1))
    groups = document_items(doc)
    assert len(groups) == len(doc.passages)
    assert all(
        g[0][0] in ("passage", POOLED) and g[0][1] == p.text
        for g, p in zip(groups, doc.passages, strict=True)
    )
    assert any(g[0][0] == POOLED for g in groups) and any(g[0][0] == "passage" for g in groups)
    assert sum(len(g) for g in groups) > len(model_items(groups))  # the pooled ones cost the model nothing


def test_a_store_made_under_another_vector_policy_is_made_again(
    tmp_path: Path, seeds: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from index import pipeline
    from index.check import check_store
    from index.embed import model_name
    from index.store import Store
    from index.vectors import VectorIndex

    settings = Settings(store=tmp_path / "store", workers=1)

    def ids() -> np.ndarray:
        return VectorIndex.open(settings.store, model_name(settings), None).ids()

    with monkeypatch.context() as m:  # the policy before: whole passages, context for every passage
        m.setattr(pipeline, "POOL_SENTENCES", False)
        m.setattr(pipeline, "CONTEXT_MAX_CHARS", 10**9)
        old_policy = pipeline.vector_policy()
        pipeline.ingest_paths([seeds[0]], settings, progress=False)
    before = ids()
    capsys.readouterr()

    again = pipeline.ingest_paths([seeds[0]], settings, progress=False)  # the paper is unchanged
    assert again.skipped == 1 and again.papers == 0
    assert "made again for this version's vector policy" in capsys.readouterr().err
    after = ids()
    assert 0 < len(after) < len(before)  # fewer context vectors now
    assert check_store(settings) == []
    with Store.open(settings) as store:
        assert store.meta("vector_policy") == pipeline.vector_policy() != old_policy
        want = pipeline.document_items(parse_file(seeds[0], Settings(workers=1)))
    assert len(after) == sum(len(g) for g in want)

    pipeline.ingest_paths([seeds[0]], settings, progress=False)  # the same policy: nothing made again
    assert "vector policy" not in capsys.readouterr().err
    assert np.array_equal(ids(), after)


def test_loading_the_model_leaves_the_environment_and_other_logging_alone(tmp_path: Path) -> None:
    """The model is read with local_files_only, not by setting HF_HUB_OFFLINE for the whole process;
    the quantiser's advice is dropped, not every warning while it runs."""
    import logging
    import os

    from index.embed import _QuantiserAdvice, model_dir

    before = dict(os.environ)
    assert (model_dir(Settings(store=tmp_path)) / "tokenizer.json").exists()
    assert dict(os.environ) == before

    def record(path: str) -> logging.LogRecord:
        return logging.LogRecord(
            "root", logging.WARNING, path, 1, "Please consider pre-processing", None, None
        )

    advice = _QuantiserAdvice()
    assert not advice.filter(
        record("/venv/lib/python3.11/site-packages/onnxruntime/quantization/quantize.py")
    )
    assert advice.filter(record("/work/councilpapers/index/pipeline.py"))

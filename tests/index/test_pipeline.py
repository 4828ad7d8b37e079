"""Ingest with the real model: incremental, duplicate sources, changed files, removal, check."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.check import check_store
from index.embed import model_name
from index.pipeline import ingest_paths, remove_document
from index.store import Store
from index.vectors import VectorIndex
from ingest.model import content_id
from ingest.settings import Settings
from tests.index.papers import copy_papers


def _counts(settings: Settings) -> tuple[dict[str, int], int]:
    with Store.open(settings) as store:
        counts = store.counts()
    return counts, len(VectorIndex.open(settings.store, model_name(settings), None))


def test_incremental_ingest_replace_duplicate_and_remove(tmp_path: Path, seeds: list[Path]) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    one, two = papers / "one.txt", papers / "two.txt"
    shutil.copy(seeds[3], one)
    shutil.copy(seeds[4], two)
    settings = Settings(store=tmp_path / "store", workers=1)

    first = ingest_paths([papers], settings, progress=False)
    assert (first.papers, first.failures, first.skipped) == (2, [], 0)
    assert first.passages > 50 and check_store(settings) == []
    before = _counts(settings)

    again = ingest_paths([papers], settings, progress=False)  # the same files: nothing changes
    assert (again.papers, again.skipped) == (0, 2)
    assert _counts(settings) == before

    # the same content from a second place: stored once, both sources recorded
    shutil.copy(one, tmp_path / "copy-of-one.txt")
    dup = ingest_paths([tmp_path / "copy-of-one.txt"], settings, progress=False)
    assert (dup.papers, dup.skipped) == (0, 1)
    one_id = content_id(one.read_bytes())
    with Store.open(settings) as store:
        assert len(store.get_document(one_id).document.sources) == 2  # type: ignore[union-attr]
    assert _counts(settings)[0]["documents"] == 2

    # a changed file at the same path replaces its old version
    two_old = content_id(two.read_bytes())
    two.write_text(
        two.read_text(encoding="utf-8") + "\n\nA new paragraph about the Kestrel Youth Hub.\n",
        encoding="utf-8",
    )
    changed = ingest_paths([two], settings, progress=False)
    assert changed.papers == 1
    with Store.open(settings) as store:
        assert not store.has_document(two_old)
        new = store.get_document(content_id(two.read_bytes()))
        assert new is not None and "Kestrel Youth Hub" in new.passages[-1].text
    assert check_store(settings) == []

    with Store.open(settings) as store:
        assert remove_document(store, one_id, settings)
        assert not remove_document(store, one_id, settings)
        assert store.get_document(one_id) is None
        assert (
            store.conn.execute("SELECT count(*) FROM sources WHERE document_id = ?", (one_id,)).fetchone()[0]
            == 0
        )
    counts, vectors = _counts(settings)
    assert counts["documents"] == 1 and check_store(settings) == []


def test_bad_file_is_one_line_and_others_still_ingested(tmp_path: Path, seeds: list[Path]) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    good = tmp_path / "good.txt"
    shutil.copy(seeds[3], good)
    settings = Settings(store=tmp_path / "store", workers=1)
    summary = ingest_paths([bad, good, tmp_path / "missing.txt"], settings, progress=False)
    assert summary.papers == 1 and len(summary.failures) == 2
    assert all("\n" not in f for f in summary.failures)
    assert any(f.startswith(str(bad)) for f in summary.failures)
    assert any("missing.txt" in f and "no such file" in f for f in summary.failures)


def test_check_reports_a_vector_index_that_disagrees(tmp_path: Path, seeds: list[Path]) -> None:
    settings = Settings(store=tmp_path / "store", workers=1)
    shutil.copy(seeds[3], tmp_path / "a.txt")
    ingest_paths([tmp_path / "a.txt"], settings, progress=False)
    vi = VectorIndex.open(settings.store, model_name(settings), None)
    vi.remove([int(vi.passage_ids()[0])])
    vi.save()
    problems = check_store(settings)
    assert len(problems) == 1 and "1 passages have no vector" in problems[0]
    # a rerun finishes the job: the missing vectors are embedded again
    ingest_paths([tmp_path / "a.txt"], settings, progress=False)
    assert check_store(settings) == []
    # ... from the embedding cache: the passage's vectors were computed before
    vi.remove([int(vi.passage_ids()[0])])
    vi.save()
    again = ingest_paths([tmp_path / "a.txt"], settings, progress=False)
    assert again.skipped == 1 and check_store(settings) == []
    with Store.open(settings) as store:
        assert store.cache_problems() == []


def test_workers_parse_and_extract_ahead_and_every_stage_is_timed(tmp_path: Path, seeds: list[Path]) -> None:
    from index.pipeline import STAGES

    papers = copy_papers(tmp_path, seeds[:3])
    settings = Settings(store=tmp_path / "store", workers=2)
    summary = ingest_paths([papers], settings, progress=False)
    assert (summary.papers, summary.failures) == (3, [])
    assert summary.entities > 0  # extracted in the workers, stored by this process
    for stage in ("parse", "extract", "embed", "store", "index"):
        assert summary.stages[stage] > 0, stage
    assert set(STAGES) <= set(summary.stages) and summary.stages["cpu workers"] > 0
    assert 0 < summary.embedded <= summary.vectors
    assert check_store(settings) == []
    with Store.open(settings) as store:  # the same store as a one-process ingest would make
        assert store.counts()["entities"] == summary.entities


def test_embedder_threads_are_bounded_by_the_setting_and_the_cores(tmp_path: Path) -> None:
    import os

    from index.pipeline import _Job
    from ingest.parse import ParseStatus

    cores = os.cpu_count() or 1
    with Store.open(Settings(store=tmp_path / "store")) as store:
        job = _Job(store, None, Settings(store=tmp_path / "store", embed_threads=8), parsing=ParseStatus())  # type: ignore[arg-type]
        assert job.threads() == min(8, cores)
        job.settings = Settings(store=tmp_path / "store", embed_threads=1)
        assert job.threads() == 1


def _huge_one_line(path: Path, words: int = 45_000) -> Path:
    """A one-line paper of full sentences: thousands of texts to embed (a hostile or broken export)."""
    from tests.ingest.test_limits import one_line

    path.write_text(one_line(words, seed=7, stop=True), encoding="utf-8")
    return path


def test_a_paper_past_the_index_time_limit_is_marked_failed_and_skipped_by_later_ingests(
    tmp_path: Path, seeds: list[Path]
) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    shutil.copy(seeds[3], papers / "good.txt")
    huge = _huge_one_line(papers / "huge.txt")
    huge_id = content_id(huge.read_bytes())
    settings = Settings(store=tmp_path / "store", workers=1, index_timeout=0.5)  # a low limit, for the test
    first = ingest_paths([papers], settings, progress=False)
    assert first.papers == 1 and len(first.failures) == 1  # the good paper stored; the huge one failed
    assert first.failures[0].startswith(
        f"{huge}: indexing took over 0.5 s and was stopped (COUNCILPAPERS_INDEX_TIMEOUT)"
    )
    with Store.open(settings) as store:
        assert store.counts()["documents"] == 1 and not store.has_document(huge_id)
    problems = check_store(settings)  # the store is consistent; check names the failed paper
    assert len(problems) == 1 and problems[0].startswith(f"paper {huge_id} ({huge}) failed at ingest")
    again = ingest_paths(
        [papers], settings, progress=False
    )  # skipped, with the reason: never retried forever
    assert (again.papers, again.failures, again.embedded) == (0, [], 0)
    assert again.passed_over == [
        f"{huge}: failed at an earlier ingest (indexing took over 0.5 s and was stopped"
        f" (COUNCILPAPERS_INDEX_TIMEOUT); {first.failures[0].split('; ')[1]}); "
        f"`councilpapers remove {huge_id}` to try it again"
    ]
    with Store.open(settings) as store:  # `remove` forgets the failure; then a roomier limit stores it
        assert remove_document(store, huge_id, settings)
    assert check_store(settings) == []
    roomy = ingest_paths([huge], settings.model_copy(update={"index_timeout": 600.0}), progress=False)
    assert roomy.papers == 1 and roomy.failures == [] and check_store(settings) == []


def test_a_stalled_paper_left_pending_does_not_hold_up_the_next_ingest(
    tmp_path: Path, seeds: list[Path]
) -> None:
    """An ingest died while embedding a huge paper: the next ingest of an unrelated paper gives it the time
    limit once, marks it failed, and stores its own paper."""
    from ingest.parse import parse_file

    settings = Settings(store=tmp_path / "store", workers=1, index_timeout=0.5)
    huge = _huge_one_line(tmp_path / "huge.txt")
    with Store.open(settings) as store:
        store.put_document(parse_file(huge, settings), None)  # stored, then the ingest died: pending
    shutil.copy(seeds[4], tmp_path / "other.txt")
    summary = ingest_paths([tmp_path / "other.txt"], settings, progress=False)
    assert (
        summary.papers == 1
        and len(summary.failures) == 1
        and "COUNCILPAPERS_INDEX_TIMEOUT" in summary.failures[0]
    )
    assert summary.failures[0].startswith(str(huge))
    problems = check_store(settings)
    assert len(problems) == 1 and "failed at ingest" in problems[0]
    with Store.open(settings) as store:
        assert store.pending_documents() == [] and store.counts()["documents"] == 1


def test_a_paper_the_embedder_fails_on_is_marked_failed_and_the_others_stored(
    tmp_path: Path, seeds: list[Path], monkeypatch
) -> None:  # noqa: ANN001
    import index.pipeline

    real = index.pipeline.embed_groups

    def choking(store, groups, settings, threads=None):  # noqa: ANN001, ANN202
        if any("Kestrel" in t for g in groups for _, t in g):
            raise MemoryError("the embedder ran out of memory")
        return real(store, groups, settings, threads)

    monkeypatch.setattr(index.pipeline, "embed_groups", choking)
    papers = copy_papers(tmp_path, seeds[3:5])
    bad = papers / "bad.txt"
    bad.write_text("1. The Kestrel Youth Hub opens in May.\n\n2. Funding is agreed.\n", encoding="utf-8")
    settings = Settings(store=tmp_path / "store", workers=1)
    summary = ingest_paths([papers], settings, progress=False)
    assert summary.papers == 2 and summary.failures == [
        f"{bad}: indexing failed (MemoryError: the embedder ran out of memory); not stored, and skipped by later"
        f" ingests (`councilpapers remove {content_id(bad.read_bytes())}` to try again)"
    ]
    problems = check_store(settings)
    assert len(problems) == 1 and "indexing failed (MemoryError" in problems[0]

"""Bulk load of Parquet shards: the store it makes equals the one `ingest` makes, and loading twice changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from ingest.settings import Settings

pytest.importorskip("pyarrow", reason="pyarrow (councilpapers[scale]) is not installed")


def make_shards(files: list[Path], out: Path, settings: Settings, per_shard: int = 2) -> list[Path]:
    """The Ray stages' own functions, run in this process: parse + extract, then embed + write."""
    from index.ray_ingest import EmbedWriter, parse_extract, plan

    writer = EmbedWriter(settings)
    for row in plan(files, lambda p: (), out, per_shard):
        parsed = parse_extract(row, settings)
        writer({k: [v] for k, v in parsed.items()})
    return sorted(out.iterdir())


def snapshot(settings: Settings) -> dict[str, object]:
    """What a store holds, independent of passage ids and times: rows keyed by (document, passage index)."""
    from index.embed import model_name
    from index.vectors import WINDOW_SHIFT, VectorIndex

    conn = sqlite3.connect(settings.store / "store.sqlite")
    docs = sorted(
        (*row[:-1], _without_source(row[-1]))
        for row in conn.execute(
            "SELECT id, format, title, page_count, text, council, committee, meeting_date, state, extraction"
            " FROM documents"
        )
    )
    passages = sorted(
        conn.execute(
            "SELECT document_id, idx, text, heading, heading_path, pages, page, paragraph,"
            " start, end, kind, boilerplate, windows FROM passages"
        )
    )
    entities = sorted(
        conn.execute(
            "SELECT e.document_id, e.type, e.name, e.norm, e.acronym, e.kind, e.mentions,"
            " group_concat(v.passage_idx || ':' || v.start || ':' || v.end) FROM entities e"
            " LEFT JOIN evidence v ON v.entity_id = e.id GROUP BY e.id"
        )
    )
    themes = sorted(conn.execute("SELECT document_id, theme FROM themes"))
    key = {pid: (doc, idx) for pid, doc, idx in conn.execute("SELECT id, document_id, idx FROM passages")}
    conn.close()
    vi = VectorIndex.open(settings.store, model_name(settings), None)
    ids = vi.ids()
    vecs = vi.vectors(ids)
    vectors = {
        (*key[int(v) & ((1 << WINDOW_SHIFT) - 1)], int(v) >> WINDOW_SHIFT): vec
        for v, vec in zip(ids, vecs, strict=True)
    }
    return {
        "documents": docs,
        "passages": passages,
        "entities": entities,
        "themes": themes,
        "vectors": vectors,
    }


def _without_source(extraction: str | None) -> object:
    """The extraction JSON but its source (the path read, which differs between two stores)."""
    import json

    return None if extraction is None else {k: v for k, v in json.loads(extraction).items() if k != "source"}


# Each text is embedded alone (index.embed), so a text's vector is the same whichever path embedded it
# and whatever was embedded beside it; the tolerance covers float rounding only.
def assert_same_store(
    a: dict[str, object], b: dict[str, object], cosine: float = 0.9999, mean: float = 0.99999
) -> None:
    for table in ("documents", "passages", "entities", "themes"):
        assert a[table] == b[table], f"{table} differ"
    va, vb = a["vectors"], b["vectors"]
    assert isinstance(va, dict) and isinstance(vb, dict)
    assert va.keys() == vb.keys()
    keys = sorted(va)
    dots = np.einsum("ij,ij->i", np.stack([va[k] for k in keys]), np.stack([vb[k] for k in keys]))
    assert dots.min() >= cosine and dots.mean() >= mean, (
        f"vectors differ: cosine {dots.min():.4f} to {dots.max():.4f}"
    )


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> list[Path]:
    folder = tmp_path_factory.mktemp("shards")
    papers = folder / "papers"
    papers.mkdir()
    for p in seeds[:3]:
        shutil.copy(p, papers / p.name)
    return make_shards(sorted(papers.iterdir()), folder / "out", Settings(store=folder / "unused", workers=1))


def test_load_gives_the_store_ingest_gives(shards: list[Path], seed_store: Settings, tmp_path: Path) -> None:
    from index.bulk import load_shards
    from index.check import check_store

    assert len(shards) == 2  # 3 papers, 2 a shard
    settings = Settings(store=tmp_path / "store", workers=1)
    summary = load_shards([shards[0].parent], settings, progress=False)
    assert summary.failures == [] and summary.papers == 3 and summary.shards == 2
    assert check_store(settings) == []
    assert_same_store(snapshot(settings), snapshot(seed_store))


def test_loading_twice_changes_nothing(shards: list[Path], tmp_path: Path) -> None:
    from index.bulk import load_shards
    from index.check import check_store

    settings = Settings(store=tmp_path / "store", workers=1)
    load_shards(shards, settings, progress=False)
    before = snapshot(settings)
    again = load_shards(shards, settings, progress=False)
    assert again.papers == 0 and again.skipped == 3 and again.failures == []
    after = snapshot(settings)
    assert before["passages"] == after["passages"] and before["entities"] == after["entities"]
    assert before["vectors"].keys() == after["vectors"].keys()  # type: ignore[union-attr]
    assert check_store(settings) == []


def test_a_bad_shard_is_one_line_and_the_rest_load(shards: list[Path], tmp_path: Path) -> None:
    from index.bulk import load_shards
    from index.check import check_store

    bad = tmp_path / "shard-bad"
    shutil.copytree(shards[0], bad)
    (bad / "passages.parquet").write_bytes(b"not parquet at all")
    settings = Settings(store=tmp_path / "store", workers=1)
    summary = load_shards([bad, shards[1], tmp_path / "nowhere"], settings, progress=False)
    assert len(summary.failures) == 2
    assert any("shard-bad" in f and "unreadable shard" in f for f in summary.failures)
    assert any("nowhere" in f for f in summary.failures)
    assert all("\n" not in f for f in summary.failures)
    from index.shards import read_shard

    assert summary.papers == len(list(read_shard(shards[1]))) > 0  # the good shard's papers
    assert check_store(settings) == []


def test_load_command(shards: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from api.cli import main

    store = tmp_path / "store"
    assert main(["--store", str(store), "load", "--quiet", str(shards[0].parent)]) == 0
    assert "3 papers" in capsys.readouterr().err
    assert main(["--store", str(store), "check"]) == 0


def test_a_file_that_fails_is_one_line_in_its_shard_and_reported_by_load(
    seeds: list[Path], tmp_path: Path
) -> None:
    from index.bulk import load_shards
    from index.check import check_store

    papers = tmp_path / "papers"
    papers.mkdir()
    shutil.copy(seeds[0], papers / seeds[0].name)
    (papers / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # a PNG named .pdf
    settings = Settings(store=tmp_path / "store", workers=1)
    shards = make_shards(sorted(papers.iterdir()), tmp_path / "out", settings)
    assert len(shards) == 1  # the bad file does not stop its shard
    summary = load_shards(shards, settings, progress=False)
    assert summary.papers == 1
    assert (
        len(summary.failures) == 1 and "scan.pdf" in summary.failures[0] and "\n" not in summary.failures[0]
    )
    assert check_store(settings) == []

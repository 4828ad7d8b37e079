"""Shared fixtures: the bundled seed papers, and a small store built once with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.index.papers import copy_papers

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted(CORPUS.glob("0*.txt"))


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> Settings:
    """Three seed papers ingested (real extraction and embedding) into a store shared by a module."""
    from index.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("store")
    papers = copy_papers(folder, seeds[:3])
    settings = Settings(store=folder / "store", workers=1)
    summary = ingest_paths([papers], settings, progress=False)
    assert summary.failures == [] and summary.papers == 3
    return settings

"""Fixtures shared across the test packages."""

from __future__ import annotations

import pytest

from ingest.settings import Settings


@pytest.fixture(scope="session")
def linked_papers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    """The linked papers of tests/history_papers.py ingested once (read-only: copy the store to change it)."""
    from tests.history_papers import build_history_store

    return build_history_store(tmp_path_factory.mktemp("linked_papers"))

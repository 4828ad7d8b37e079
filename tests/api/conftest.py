"""One store for the API tests (the 5 bundled seed papers and a hostile one), built once a session.

Ingesting loads the real embedding model once; every test module builds its app over this
store (read-only tests) or over a small store of its own (uploads, removal).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("0*.txt"))
API_KEY = "test-key-5f2c9a"
# a paper with markup in it: every page must show it as text
HOSTILE = """Safer Streets Committee

1. Purpose

1.1 This report <script>alert("pwned")</script> updates members on the <b>Operation Nightjar</b> pilot.

2. Background

2.1 The Nightjar Street Partnership (NSP) met four times; members asked about "quotes" & <img src=x onerror=alert(1)>.
"""


def build_store(folder: Path, files: list[Path]) -> Settings:
    from index.pipeline import ingest_paths

    settings = Settings(store=folder, workers=1, api_key=API_KEY)
    summary = ingest_paths(files, settings, progress=False)
    assert not summary.failures, summary.failures
    return settings


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("api_store")
    papers = tmp_path_factory.mktemp("api_papers")
    hostile = papers / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    return build_store(folder / "store", [*SEEDS, hostile])


@pytest.fixture(scope="module")
def client(seed_settings: Settings):  # noqa: ANN201
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(seed_settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def seed_docs(seed_settings: Settings) -> dict[str, str]:
    """file name -> document id of each stored paper."""
    from index.store import Store

    with Store.open(seed_settings, create=False) as store:
        return {Path(d.source).name: d.id for d in store.list_documents()}


@pytest.fixture()
def fresh_copy(seed_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the seed store that a test may change."""
    shutil.copytree(seed_settings.store, tmp_path / "store")
    return seed_settings.model_copy(update={"store": tmp_path / "store"})


@pytest.fixture(scope="session")
def flow_settings(seed_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed store and a published two-page PDF of another council with headline figures
    (tests/api/flow_papers.py): what the browser flows and the figures comparison use (read-only)."""
    from index.pipeline import ingest_paths
    from tests.api.flow_papers import given, write_pdf

    folder = tmp_path_factory.mktemp("flow_store")
    shutil.copytree(seed_settings.store, folder / "store")
    settings = seed_settings.model_copy(update={"store": folder / "store"})
    summary = ingest_paths([write_pdf(folder)], settings, given=given, progress=False)
    assert not summary.failures, summary.failures
    return settings

"""Several processes on one store at once: two ingests, a removal and a searcher. Writers queue on the
store's lock, so none loses another's vectors; the searcher picks up new vectors without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from index.check import check_store
from index.search import MODES, SearchFilters, search
from index.store import Store
from ingest.model import content_id
from ingest.parse import parse_file
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

# Searches in every mode until told to stop, then looks for each paper (by a passage of its own, in
# that paper only) in every mode and prints what it could not find.
SEARCHER = """
import json, sys, time
from pathlib import Path
from index.search import MODES, SearchFilters, search
from index.store import Store
from ingest.settings import Settings
settings = Settings(store=Path(sys.argv[1]), workers=1)
stop, queries = Path(sys.argv[2]), json.loads(sys.argv[3])
searches = 0
with Store.open(settings, create=False) as store:
    while not stop.exists():
        for mode in MODES:
            search(store, "antisocial behaviour in the town centre", settings=settings, mode=mode)
            searches += 1
        time.sleep(0.1)
    missing = [[doc, mode] for doc, q in queries.items() for mode in MODES
               if not search(store, q, settings=settings, mode=mode, filters=SearchFilters(document=doc))]
print(json.dumps({"searches": searches, "missing": missing}))
"""


def _copies(folder: Path, seeds: list[Path], tag: str) -> list[Path]:
    """Distinct papers made from the seeds (one added line each, so each has its own content hash)."""
    folder.mkdir(parents=True)
    out = []
    for s in seeds:
        path = folder / f"{tag}-{s.name}"
        path.write_text(
            s.read_text(encoding="utf-8") + f"\n\nThis copy is kept as file {tag}.\n", encoding="utf-8"
        )
        out.append(path)
    return out


def _query(path: Path) -> str:
    """Words of the paper's longest passage: what finds it in every mode."""
    doc = parse_file(path, Settings(workers=1))
    return " ".join(max(doc.passages, key=lambda p: len(p.text)).text.split()[:16])


def _cli(store: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COUNCILPAPERS_WORKERS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(store), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_ingests_a_removal_and_searches_at_once(tmp_path: Path, seeds: list[Path]) -> None:
    store = tmp_path / "store"
    first, second = _copies(tmp_path / "a", seeds, "a"), _copies(tmp_path / "b", seeds, "b")
    kept, removed = _copies(tmp_path / "c", seeds[:2], "c")
    base = _cli(store, "ingest", "--quiet", str(kept), str(removed))
    assert base.wait() == 0, base.communicate()[1]
    removed_id = content_id(removed.read_bytes())
    wanted = {content_id(p.read_bytes()): _query(p) for p in [*first, *second, kept]}

    stop = tmp_path / "stop"
    searcher = subprocess.Popen(
        [sys.executable, "-c", SEARCHER, str(store), str(stop), json.dumps(wanted)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writers = [
        _cli(store, "ingest", "--quiet", str(tmp_path / "a")),
        _cli(store, "ingest", "--quiet", str(tmp_path / "b")),
        _cli(store, "remove", removed_id),
    ]
    for w in writers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
    stop.touch()
    out, err = searcher.communicate(timeout=600)
    assert searcher.returncode == 0, err
    report = json.loads(out)
    assert report["searches"] > 0
    assert report["missing"] == []  # the searcher, started before the writers, found every new paper

    settings = Settings(store=store, workers=1)
    assert check_store(settings) == []
    with Store.open(settings, create=False) as s:
        stored = {d.id for d in s.list_documents()}
        assert stored == set(wanted)  # both ingests' papers, and the removed one gone
        for doc, query in wanted.items():
            for mode in MODES:
                assert search(s, query, settings=settings, mode=mode, filters=SearchFilters(document=doc)), (
                    doc,
                    mode,
                )

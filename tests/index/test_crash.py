"""Crash consistency: an ingest killed part way leaves a store that a rerun completes."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from index.check import check_store
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

# Stores one paper in SQLite, then dies before its vectors are saved (the worst moment).
DIE_BEFORE_VECTORS = """
import os, sys
from pathlib import Path
from ingest.parse import parse_file
from ingest.settings import Settings
from index.store import Store
settings = Settings(store=Path(sys.argv[1]))
doc = parse_file(sys.argv[2], settings)
with Store.open(settings) as store:
    store.put_document(doc, None)
os._exit(9)
"""


def test_death_between_sqlite_and_vectors_then_rerun(tmp_path: Path, seeds: list[Path]) -> None:
    paper = tmp_path / "a.txt"
    shutil.copy(seeds[3], paper)
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, "-c", DIE_BEFORE_VECTORS, str(store), str(paper)], cwd=ROOT)
    assert done.returncode == 9
    settings = Settings(store=store, workers=1)
    problems = check_store(settings)
    assert any("pending" in p for p in problems) and any("no vector" in p for p in problems)
    from index.pipeline import ingest_paths

    summary = ingest_paths([paper], settings, progress=False)
    assert summary.skipped == 1  # stored already: the rerun only finished its vectors
    assert check_store(settings) == []


def test_kill_ingest_subprocess_half_way_then_rerun(tmp_path: Path, seeds: list[Path]) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    for n in range(2):  # distinct contents, so each is a paper of its own
        for s in seeds:
            (papers / f"{n}-{s.name}").write_text(
                s.read_text(encoding="utf-8") + f"\n\nCopy {n}.\n", encoding="utf-8"
            )
    store = tmp_path / "store"
    env = {**os.environ, "COUNCILPAPERS_WORKERS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(store), "ingest", "--quiet", str(papers)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    db = store / "store.sqlite"
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:  # wait until some papers are in
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= 2:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    settings = Settings(store=store, workers=1)
    rerun = subprocess.run(
        [sys.executable, "-m", "api.cli", "--store", str(store), "ingest", "--quiet", str(papers)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert check_store(settings) == []
    with sqlite3.connect(store / "store.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE state = 'indexed'").fetchone()[0] == 10


def _group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, ...
            alive.append(int(stat.parent.name))
    return alive


def test_kill_9_at_random_points_then_rerun(tmp_path: Path, seeds: list[Path]) -> None:
    """kill -9 of an ingest with parse workers, at random moments: its workers die with it, and a rerun
    leaves a consistent store without duplicates."""
    import random

    papers = tmp_path / "papers"
    papers.mkdir()
    for s in seeds[:3]:
        shutil.copy(s, papers / s.name)
    for pdf in sorted((ROOT / "corpus").glob("*.pdf"))[:2]:  # parsed by the two workers
        shutil.copy(pdf, papers / pdf.name)
    store = tmp_path / "store"
    env = {**os.environ, "COUNCILPAPERS_WORKERS": "2"}
    command = [sys.executable, "-m", "api.cli", "--store", str(store), "ingest", "--quiet", str(papers)]
    rng = random.Random(13)
    for _ in range(3):
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(1.0, 9.0))
        os.kill(proc.pid, signal.SIGKILL)  # the ingest only: its workers must follow by themselves
        proc.wait()
        deadline = time.monotonic() + 5
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        leftover = _group_alive(proc.pid)
        if leftover:
            os.killpg(proc.pid, signal.SIGKILL)  # not left running after the test fails
        assert leftover == [], "parse workers outlived their ingest"
    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    settings = Settings(store=store, workers=1)
    assert check_store(settings) == []
    with sqlite3.connect(store / "store.sqlite") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (5, 5)
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 5
        dup = conn.execute(
            "SELECT count(*) FROM (SELECT document_id, idx FROM passages GROUP BY 1, 2 HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0


# --- a full disk ---------------------------------------------------------------------------------------------------


def _linked_folder(folder: Path) -> Path:
    """The linked papers of tests/history_papers.py with their manifest, not yet ingested."""
    import csv

    from tests.history_papers import COMMITTEE, COUNCIL, PAPERS

    papers = folder / "papers"
    papers.mkdir()
    with (papers / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "council", "committee", "meeting_date", "title", "paper_kind"])
        for name, (day, title, kind, text) in PAPERS.items():
            (papers / name).write_text(text, encoding="utf-8")
            w.writerow([name, COUNCIL, COMMITTEE, day, title, kind])
    return papers


def _links(store: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(store / "store.sqlite") as conn:
        return {tuple(r) for r in conn.execute("SELECT source, target, relation FROM paper_links")}  # type: ignore[misc]


def _full_disk(path: Path) -> None:
    """The FAISS write as it goes on a full disk: part of the file written, then ENOSPC."""
    import errno

    path.write_bytes(b"\0" * 4096)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_a_full_disk_is_one_line_leaves_no_temporary_file_and_the_next_ingest_recovers_links_too(
    tmp_path: Path, linked_papers, monkeypatch, capsys
) -> None:  # noqa: ANN001
    import index.vectors
    from api.cli import main

    papers = _linked_folder(tmp_path)
    store = tmp_path / "store"
    monkeypatch.setattr(index.vectors, "write_index", lambda index, path: _full_disk(path))
    code = main(["ingest", "--quiet", str(papers), "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"councilpapers ingest: {store}: cannot write the vector index: No space left on device; the store is as it"
        " was before this write (papers not finished stay pending): free some space and run the command again"
    )
    assert list(store.glob("*.tmp")) == [] and not (store / "vectors.faiss").exists()
    again = main(["ingest", "--quiet", str(papers), "--store", str(store)])  # still full: the same one line
    assert (
        again == 1
        and "No space left on device" in capsys.readouterr().err
        and list(store.glob("*.tmp")) == []
    )
    assert any("pending" in p for p in check_store(Settings(store=store)))

    monkeypatch.undo()  # space freed
    assert main(["ingest", "--quiet", str(papers), "--store", str(store)]) == 0, capsys.readouterr().err
    assert check_store(Settings(store=store)) == []
    clean = _links(linked_papers[0].store)
    assert len(clean) >= 2 and _links(store) == clean  # the decision links, as a clean ingest makes them


def test_sqlite_full_mid_ingest_is_one_line_and_the_rerun_recovers(
    tmp_path: Path, linked_papers, monkeypatch, capsys
) -> None:  # noqa: ANN001
    """The database file cannot grow (SQLite's own limit on its pages stands in for the disk): the paper being
    written is rolled back whole, the command says so in one line, and the next ingest finishes the job."""
    from api.cli import main
    from index.store import Store

    papers = _linked_folder(tmp_path)
    store = tmp_path / "store"
    real_open = Store.open.__func__  # type: ignore[attr-defined]

    def cramped(cls, settings, *, create=True):  # noqa: ANN001, ANN202
        opened = real_open(cls, settings, create=create)
        pages = opened.conn.execute("PRAGMA page_count").fetchone()[0]
        opened.conn.execute(f"PRAGMA max_page_count = {pages + 8}")  # room for a paper or two, not four
        return opened

    monkeypatch.setattr(Store, "open", classmethod(cramped))
    code = main(["ingest", "--quiet", str(papers), "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(
            f"councilpapers ingest: {store}: cannot write the store: SQLite: database or disk is full;"
        )
    )
    monkeypatch.undo()
    assert main(["ingest", "--quiet", str(papers), "--store", str(store)]) == 0, capsys.readouterr().err
    assert check_store(Settings(store=store)) == [] and _links(store) == _links(linked_papers[0].store)


def test_check_verifies_decision_links(tmp_path: Path, linked_papers) -> None:  # noqa: ANN001
    shutil.copytree(linked_papers[0].store, tmp_path / "store")
    settings = Settings(store=tmp_path / "store")
    assert check_store(settings) == []
    with sqlite3.connect(tmp_path / "store" / "store.sqlite") as conn:
        gone = conn.execute("DELETE FROM paper_links").rowcount
    problems = check_store(settings)
    assert problems == [
        f"decision links of Exeter City Council: 0 stored where its papers give {gone} ({gone}"
        " missing, 0 extra); rerun ingest of a paper of it"
    ]


def test_a_failed_save_leaves_the_old_index_and_stale_temporaries_are_removed(tmp_path: Path) -> None:
    import numpy as np
    import pytest

    import index.vectors
    from index.diskfull import StoreWriteError
    from index.vectors import VectorIndex

    folder = tmp_path / "store"
    vi = VectorIndex.open(folder, "m", 4)
    vi.add([1, 2], np.eye(4, dtype=np.float32)[:2])
    vi.save()
    before = (folder / "vectors.faiss").read_bytes()
    (folder / "vectors.faiss.4194304.tmp").write_bytes(b"left by a writer that died")  # no such process
    vi.add([3], np.eye(4, dtype=np.float32)[2:3])
    faiss_full = RuntimeError(
        "Error in faiss::FileIOWriter::operator() at impl/io.cpp:98: write error in "
        "vectors.faiss.1.tmp: 0 != 4096 (No space left on device)"
    )
    real = index.vectors.write_index
    index.vectors.write_index = lambda index, path: (
        path.write_bytes(b"half"),
        (_ for _ in ()).throw(faiss_full),
    )
    try:
        with pytest.raises(StoreWriteError, match=r"cannot write the vector index: No space left on device"):
            vi.save()
    finally:
        index.vectors.write_index = real
    assert sorted(p.name for p in folder.iterdir()) == ["vectors.faiss", "vectors.json"]  # no temporary file
    assert (folder / "vectors.faiss").read_bytes() == before
    vi.save()
    assert len(VectorIndex.open(folder, "m", 4)) == 3

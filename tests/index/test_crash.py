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
            (papers / f"{n}-{s.name}").write_text(s.read_text(encoding="utf-8") + f"\n\nCopy {n}.\n",
                                                  encoding="utf-8")
    store = tmp_path / "store"
    env = {**os.environ, "COUNCILPAPERS_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(store), "ingest", "--quiet",
                             str(papers)], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
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
    rerun = subprocess.run([sys.executable, "-m", "api.cli", "--store", str(store), "ingest", "--quiet",
                            str(papers)], cwd=ROOT, env=env, capture_output=True, text=True)
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
        dup = conn.execute("SELECT count(*) FROM (SELECT document_id, idx FROM passages GROUP BY 1, 2"
                           " HAVING count(*) > 1)").fetchone()[0]
        assert dup == 0

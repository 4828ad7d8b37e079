"""Papers for the index tests: real seed papers copied into a test's folder."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_papers(folder: Path, papers: list[Path]) -> Path:
    """`folder`/papers holding copies of `papers` (a folder to ingest); returned."""
    out = folder / "papers"
    out.mkdir(parents=True)
    for p in papers:
        shutil.copy(p, out / p.name)
    return out

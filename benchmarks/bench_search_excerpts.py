"""Search on a store shaped like the sealed one: the development papers cut into ~2,000-character excerpts.

usage: python benchmarks/bench_search_excerpts.py [--shared ../shared] [--cache DIR] [--folds 5] [--misses]

The sealed set is 49 excerpts of about 2,000 characters, one paper of each of 49 councils; the
development store holds 18 long papers of 8 councils. Here every development paper (the seeds and the
bodies of corpus/more, as in benchmarks/bench_search_cv.py) is cut at line ends into contiguous
excerpts of about EXCERPT_CHARS characters, each ingested as a paper of its own with its council,
title and date in a manifest (as score_sealed.py ingests the sealed papers). At most PER_PAPER
excerpts of a paper are kept, evenly spaced, and every excerpt holding a judged passage.

The queries: those of bench_search_cv.py (eval/qrels/dev.jsonl and benchmarks/data/dev_exact_cross.jsonl)
and benchmarks/data/dev_across.jsonl (written for issue 27's second round from the development papers:
questions whose answers lie in several councils' papers), their judgements mapped
from (paper, phrase) to the excerpt holding the phrase (a judgement whose phrase no kept excerpt holds
is dropped). The same cross-validation as bench_search_cv.py: 5 folds by paper (the excerpts of one
paper go together) and 5 by council, every constant chosen on 4 folds and scored on the 5th.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import inspect
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_search_cv as cv  # noqa: E402

EXCERPT_CHARS = 2_000
PER_PAPER = 10
ACROSS = ROOT / "benchmarks" / "data" / "dev_across.jsonl"
_SENTENCE_END = re.compile(r"[.:;!?]\s*$")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def cut(text: str, size: int = EXCERPT_CHARS) -> list[str]:
    """Contiguous excerpts of about `size` characters: lines are gathered until 0.9 of it, then the
    excerpt ends at the next line ending a sentence or followed by a blank line (at 1.3 of it at most)."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    cur: list[str] = []
    length = 0
    for n, line in enumerate(lines):
        cur.append(line)
        length += len(line)
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        ends = bool(_SENTENCE_END.search(line)) or not nxt.strip()
        if (length >= 0.9 * size and ends) or length >= 1.3 * size:
            out.append("".join(cur))
            cur, length = [], 0
    if cur:
        if out and length < size / 3:  # a short tail joins the excerpt before it
            out[-1] += "".join(cur)
        else:
            out.append("".join(cur))
    return [x for x in out if x.strip()]


def _heads(shared: Path) -> dict[str, dict[str, str]]:
    """Title and date of each development paper (corpus/more headers; the seeds' date from the README)."""
    out: dict[str, dict[str, str]] = {}
    for m in re.finditer(
        r"^\| (\w+)\.txt \| [^|]+ \| ([^|]+?) \| (\d{4}-\d\d-\d\d) \|",
        (shared / "corpus" / "README.md").read_text(encoding="utf-8"),
        re.M,
    ):
        out[m.group(1)] = {"title": m.group(2), "date": m.group(3)}
    for f in (shared / "corpus" / "more").glob("*.txt"):
        head = dict(
            x.split(":", 1)
            for x in f.read_text(encoding="utf-8").split("\n---", 1)[0].splitlines()
            if ":" in x
        )
        out[f.stem] = {"title": head.get("TITLE", "").strip(), "date": head.get("DATE", "").strip()[:10]}
    return out


def excerpts(shared: Path, folder: Path, phrases: dict[str, list[str]]) -> dict[str, str]:
    """Write the excerpts and their manifest into `folder`; excerpt stem -> its paper's stem. `phrases`:
    the judged phrases of each paper (an excerpt holding one is always kept)."""
    council = cv.councils(shared)
    heads = _heads(shared)
    folder.mkdir(parents=True, exist_ok=True)
    rows, paper_of = [], {}
    for paper in cv.dev_papers(shared, folder.parent / "whole"):
        parts = cut(paper.read_text(encoding="utf-8"))
        step = max(1.0, len(parts) / PER_PAPER)
        spaced = {int(k * step) for k in range(min(PER_PAPER, len(parts)))}
        for n, part in enumerate(parts):
            judged = any(_norm(p) in _norm(part) for p in phrases.get(paper.stem, []))
            if n not in spaced and not judged:
                continue
            stem = f"{paper.stem}__{n:02d}"
            (folder / f"{stem}.txt").write_text(part, encoding="utf-8")
            head = heads.get(paper.stem, {})
            rows.append(
                [f"{stem}.txt", council.get(paper.stem, ""), head.get("title", ""), head.get("date", "")]
            )
            paper_of[stem] = paper.stem
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "council", "title", "meeting_date"])
        w.writerows(rows)
    return paper_of


def map_qrels(qrels: list[dict], folder: Path, paper_of: dict[str, str]) -> list[dict]:
    """Each judgement re-pointed to the excerpt holding its phrase; queries left with none are dropped."""
    texts = {stem: _norm((folder / f"{stem}.txt").read_text(encoding="utf-8")) for stem in paper_of}
    out = []
    for q in qrels:
        rel = []
        for e in q["relevant"]:
            hit = next(
                (s for s, p in paper_of.items() if p == e["document"] and _norm(e["contains"]) in texts[s]),
                None,
            )
            if hit:
                rel.append({**e, "document": hit, "paper": e["document"]})
        if rel:
            out.append({**q, "relevant": rel})
    return out


def queries(shared: Path) -> list[dict]:
    dev = [
        {**json.loads(x), "set": "dev"}
        for x in (shared / "eval/qrels/dev.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    more = [
        json.loads(x)
        for f in (cv.EXTRA, ACROSS)
        if f.exists()
        for x in f.read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    return dev + more


def build(shared: Path, cache: Path) -> tuple[Path, Path, dict[str, str]]:
    """The excerpt store (ingested once per version of the excerpts and of the embedded text), the
    excerpts' folder and each excerpt's paper."""
    from index import pipeline
    from index.embed import model_name
    from index.pipeline import ingest_paths
    from ingest.manifest import given_for
    from ingest.settings import Settings

    phrases: dict[str, list[str]] = {}
    for q in queries(shared):
        for e in q["relevant"]:
            phrases.setdefault(e["document"], []).append(e["contains"])
    folder = cache / "excerpts"
    shutil.rmtree(folder, ignore_errors=True)
    paper_of = excerpts(shared, folder, phrases)
    key = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        key.update(f.name.encode() + f.read_bytes())
    key.update(inspect.getsource(pipeline.embedding_items).encode())
    key.update(
        repr(
            (
                pipeline.VECTOR_KINDS,
                pipeline.POOL_SENTENCES,
                pipeline.CONTEXT_MAX_CHARS,
                pipeline.CONTEXT_CHARS,
                pipeline.MAX_WINDOWS,
            )
        ).encode()
    )
    key.update(model_name(Settings()).encode())
    store = cache / f"excerpt-store-{key.hexdigest()[:12]}"
    if not (store / "done").exists():
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        files = sorted(folder.glob("*.txt"))
        summary = ingest_paths(files, Settings(store=store), given=given_for(files), progress=False)
        if summary.failures:
            sys.exit(f"bench_search_excerpts: ingest failed: {summary.failures}")
        (store / "done").write_text("ok", encoding="utf-8")
        print(
            f"built the excerpt store ({len(files)} excerpts, {summary.passages} passages) in "
            f"{time.perf_counter() - t:.0f} s"
        )
    return store, folder, paper_of


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "councilpapers" / "bench_search_cv"
    )
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    scorer = cv._scorer(a.shared)
    store, folder, paper_of = build(a.shared, a.cache)
    qrels = map_qrels(queries(a.shared), folder, paper_of)
    print(f"{len(qrels)} queries with a judged passage among {len(paper_of)} excerpts")
    t = time.perf_counter()
    items = cv.gather(store, qrels, cv.RARE)
    print(f"{len(items)} queries run in {time.perf_counter() - t:.0f} s")
    council = cv.councils(a.shared)
    first = sum(q.get("set") == "dev" for q in qrels)
    return cv.report(
        items,
        scorer,
        a.folds,
        lambda d: paper_of.get(d, d),
        lambda d: council.get(paper_of.get(d, d), d),
        first,
    )


if __name__ == "__main__":
    raise SystemExit(main())

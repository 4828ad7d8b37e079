"""Metadata of excerpts: the development papers cut into 2,000-character windows, as the unseen sets cut papers.

usage: python benchmarks/bench_extract_excerpts.py [--step N] [--size N] [--misses]

Each development paper with gold (tests/nlp/devset.py) is cut into windows of --size characters starting every
--step characters (at a line start; the first 12,000 characters of each paper). A gold metadata field counts for
a window when the window states it: the council's name or place, the committee's or title's words, the author's
surname, the meeting date in any of the ways papers print one. Each window is read as a paper of its own and
its metadata scored as the shared scorer scores it. Printed: the share right per field and overall, with all
rules on and leave-council-out (every rule that fires on no other council's papers switched off for a council's
windows, as benchmarks/bench_extract_cv.py does for whole papers).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.dates import MONTH_NAMES  # noqa: E402  (the checkout on the path first)

FIELDS = ("council", "committee", "meeting_date", "title", "author")


def _date_forms(iso: str) -> list[str]:
    y, m, d = (int(x) for x in iso.split("-"))
    month = MONTH_NAMES[m - 1]
    return [rf"\b{d}(?:st|nd|rd|th)?\s+{month[:3]}\w*,?\s+{y}", rf"\b0?{d}/0?{m}/{y}", iso]


def stated(field: str, gold: str, window: str, norm) -> bool:  # noqa: ANN001 - the scorer's norm
    """Does the window state the gold value of `field`?"""
    low = window.lower()
    if field == "meeting_date":
        return any(re.search(f, low) for f in _date_forms(gold))
    if field == "author":
        return gold.split()[-1].lower() in low
    if field == "council":
        return norm(gold) in norm(window) or gold.split()[0].lower() in low
    return norm(gold) in norm(window.replace("\n", " "))


def windows(text: str, size: int, step: int, limit: int = 12000) -> list[tuple[int, str]]:
    out = []
    for off in range(0, min(len(text), limit), step):
        start = text.rfind("\n", 0, off) + 1 if off else 0
        out.append((start, text[start : start + size]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--step", type=int, default=1000)
    ap.add_argument("--misses", action="store_true", help="list each field read wrong")
    ap.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder, if present"
    )
    a = ap.parse_args(argv)

    from benchmarks.bench_extract_cv import rule_support
    from ingest.parse import parse_bytes
    from ingest.settings import Settings
    from nlp.metadata import extract_metadata
    from nlp.pipeline import build_pipeline
    from nlp.rules import tracing
    from tests.nlp.devset import EVAL, dev_papers, gold_council, parse_paper, scorer, support_papers

    sc = scorer()
    nlp = build_pipeline()
    paths = {p.stem: p for p in dev_papers() + support_papers(a.shared if a.shared.is_dir() else None)}
    documents = {stem: parse_paper(path) for stem, path in paths.items()}
    councils = {
        stem: gold_council(stem) or extract_metadata(d).council or stem for stem, d in documents.items()
    }
    support = rule_support(documents, councils, nlp)
    right: dict[str, dict[str, list[int]]] = {
        "all rules": defaultdict(lambda: [0, 0]),
        "leave-council-out": defaultdict(lambda: [0, 0]),
    }
    n_windows = 0
    for path in dev_papers():
        gold = json.loads((EVAL / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["metadata"]
        text = path.read_text(encoding="utf-8")
        text = text.split("\n---\n", 1)[-1] if path.parent.name == "more" else text
        off = frozenset(r for r, cs in support.items() if cs <= {gold["council"]})
        for start, w in windows(text, a.size, a.step):
            wanted = [k for k in FIELDS if gold.get(k) and stated(k, gold[k], w, sc.norm)]
            if not wanted:
                continue
            n_windows += 1
            doc = parse_bytes(w.encode(), f"{path.stem}.txt", Settings(workers=1))
            for mode, disabled in (("all rules", frozenset()), ("leave-council-out", off)):
                with tracing(disabled):
                    md = extract_metadata(doc)
                for k in wanted:
                    ok = sc.meta_right(k, getattr(md, k), gold[k])
                    right[mode][k][0] += ok
                    right[mode][k][1] += 1
                    if a.misses and not ok and mode == "all rules":
                        print(f"  {path.stem}@{start} {k}: got {getattr(md, k)!r}, want {gold[k]!r}")
    print(
        f"{n_windows} windows of {a.size} characters (every {a.step}) of {len(dev_papers())} dev papers "
        "that state a gold metadata field"
    )
    for mode, per in right.items():
        total = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values())]
        fields = ", ".join(f"{k} {per[k][0] / per[k][1]:.2f} ({per[k][1]})" for k in FIELDS if per[k][1])
        print(f"  {mode:18s} metadata {total[0] / max(total[1], 1):.3f}  [{fields}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Section-role accuracy against the hand-judged gold in tests/nlp/eval/section_roles_gold.jsonl.

usage: bench_sections.py [--shared ../shared] [--misses]

Prints accuracy per paper, per fold ('written': the rules were written reading these papers;
'held_out': papers labelled after the rules were frozen) and overall, then per-role precision and
recall. The papers are read from the shared development corpus (the bodies of corpus/more
papers after their `---` line, as the scorers read them).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse import parse_file  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from nlp.sections import section_roles  # noqa: E402

GOLD = ROOT / "tests" / "nlp" / "eval" / "section_roles_gold.jsonl"


def paper_path(stem: str, shared: Path, tmp: Path) -> Path:
    """The file a gold stem names; a corpus/more paper is cut to its body as the scorers read it."""
    for folder, suffix in (("seeds", ".txt"), ("pdf", ".pdf")):
        path = shared / "corpus" / folder / f"{stem}{suffix}"
        if path.exists():
            return path
    source = shared / "corpus" / "more" / f"{stem}.txt"
    if not source.exists():
        raise FileNotFoundError(f"{stem}: not in {shared / 'corpus'}")
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    out = tmp / source.name
    out.write_text(body, encoding="utf-8")
    return out


def judge(shared: Path) -> list[tuple[dict, str | None]]:
    """Each gold row with the role predicted for its passage."""
    rows = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = [r for r in rows if "role" in r]
    settings = Settings()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        predicted: dict[str, tuple[str | None, ...]] = {}
        texts: dict[str, list[str]] = {}
        for stem in dict.fromkeys(r["document"] for r in rows):
            doc = parse_file(paper_path(stem, shared, Path(tmp)), settings)
            predicted[stem] = section_roles(doc)
            texts[stem] = [p.text for p in doc.passages]
        for r in rows:
            if not texts[r["document"]][r["passage"]].startswith(r["starts"]):
                raise ValueError(f"{r['document']} passage {r['passage']}: parse changed, gold no longer aligned")
            out.append((r, predicted[r["document"]][r["passage"]]))
    return out


def accuracy(pairs: list[tuple[dict, str | None]]) -> float:
    return sum(r["role"] == p for r, p in pairs) / len(pairs) if pairs else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--misses", action="store_true", help="list the passages judged wrong")
    a = ap.parse_args()
    pairs = judge(a.shared)
    by_paper: dict[str, list] = defaultdict(list)
    by_fold: dict[str, list] = defaultdict(list)
    for r, p in pairs:
        by_paper[r["document"]].append((r, p))
        by_fold[r["fold"]].append((r, p))
    for stem, items in by_paper.items():
        print(f"{accuracy(items):.3f}  {len(items):3d}  {items[0][0]['fold']:8s}  {stem}")
    tp, fp, fn = Counter(), Counter(), Counter()
    for r, p in pairs:
        if r["role"] == p:
            tp[p] += 1
        else:
            fp[p] += 1
            fn[r["role"]] += 1
    print("\nrole            precision recall  n")
    for role in sorted({str(r["role"]) for r, _ in pairs} | {str(p) for _, p in pairs}):
        key = None if role == "None" else role
        prec = tp[key] / (tp[key] + fp[key]) if tp[key] + fp[key] else 0.0
        rec = tp[key] / (tp[key] + fn[key]) if tp[key] + fn[key] else 0.0
        print(f"{role:15s} {prec:9.3f} {rec:6.3f} {tp[key] + fn[key]:3d}")
    if a.misses:
        for r, p in pairs:
            if r["role"] != p:
                print(f"miss {r['document'][:30]} {r['passage']:3d} gold={r['role']} got={p} {r['starts']!r}")
    for fold, items in sorted(by_fold.items()):
        print(f"{fold}: accuracy {accuracy(items):.3f} on {len(items)} passages, {len({r['document'] for r, _ in items})} papers")
    print(f"section roles: accuracy {accuracy(pairs):.3f} on {len(pairs)} passages, {len(by_paper)} papers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

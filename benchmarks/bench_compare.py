"""Comparison quality: council x theme and council x partnership-kind F1 against the development gold.

usage: python benchmarks/bench_compare.py [--store DIR] [--reuse]

Ingests the development papers that have gold (../shared/corpus/seeds/*.txt and the bodies of
../shared/corpus/more/*.txt after their `---` line), with each paper's council given by a
manifest.csv as a harvest would give it, then builds both comparison tables and scores their
`priority`/filled cells against the councils' gold cells (../shared/eval/gold/dev): a cell is
(council, theme of a stated priority) or (council, kind of a named partnership). Cells only
optional gold items fill count neither way. Prints precision, recall and F1 per table.
Target: F1 >= 0.9 for each.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "eval" / "gold" / "dev"


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    return rest if sep and head.startswith("SOURCE:") else text


def build(folder: Path, settings: object) -> None:
    papers = folder / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    rows = []
    for g in sorted(GOLD.glob("*.json")):
        src = next(p for p in (SHARED / "corpus" / d / f"{g.stem}.txt" for d in ("seeds", "more")) if p.exists())
        (papers / src.name).write_text(body(src), encoding="utf-8")
        rows.append({"file": src.name, "council": json.loads(g.read_text(encoding="utf-8"))["metadata"]["council"]})
    with (papers / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "council"])
        w.writeheader()
        w.writerows(rows)
    from api.cli import main as cli

    assert cli(["--store", str(settings.store), "ingest", "--quiet", str(papers)]) == 0


def gold_cells(cols: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    from nlp.kinds import kind_of

    required, optional = set(), set()
    for f in sorted(GOLD.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        council = gold["metadata"]["council"]
        items = gold["partnerships"] if cols == "partnership-kind" else gold["priorities"]
        for item in items:
            columns = [item.get("kind") or kind_of(item["name"])] if cols == "partnership-kind" else item["themes"]
            (optional if item.get("optional") else required).update((council, c) for c in columns)
    return required, optional - required


def score(store: object, cols: str) -> dict[str, float]:
    from index.compare import compare

    table = compare(store, cols)
    required, optional = gold_cells(cols)
    got = {(c.row, c.column) for c in table.cells if getattr(c, "state", "priority") != "discussed"} - optional
    tp = len(got & required)
    p, r = tp / max(len(got), 1), tp / max(len(required), 1)
    f1 = 2 * p * r / max(p + r, 1e-9)
    print(f"council x {cols}: P {p:.3f} R {r:.3f} F1 {f1:.3f}  ({len(got)} cells, {len(required)} gold)")
    print(f"  missed {sorted(required - got)}")
    print(f"  extra  {sorted(got - required)}")
    return {"precision": p, "recall": r, "f1": f1}


def main() -> None:
    from index.store import Store
    from ingest.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path)
    ap.add_argument("--reuse", action="store_true", help="score a store built before")
    args = ap.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="bench-compare-"))
    settings = Settings(store=folder / "store", workers=1)
    if not args.reuse:
        build(folder, settings)
    with Store.open(settings, create=False) as store:
        for cols in ("theme", "partnership-kind"):
            score(store, cols)


if __name__ == "__main__":
    main()

"""Comparison quality: council x theme and council x partnership-kind F1 against the development gold.

usage: python benchmarks/bench_compare.py [--store DIR] [--reuse]

Ingests the development papers that have gold (../shared/corpus/seeds/*.txt and the bodies of
../shared/corpus/more/*.txt after their `---` line), with each paper's council given by a
manifest.csv as a harvest would give it, then builds both comparison tables and scores their
`priority`/filled cells against the councils' gold cells (../shared/eval/gold/dev): a cell is
(council, theme of a stated priority) or (council, kind of a named partnership). Cells only
optional gold items fill count neither way. Prints precision, recall and F1 per table, and how many
gold cells the table shows `silent` (a theme a council states as a priority must never be).
Target: F1 >= 0.9 for each.

It also measures the passage-theme classifier (nlp/passage_themes.py) on the passages holding the
gold's stated priorities, against those priorities' themes, with its two thresholds chosen by
5-fold cross-validation by paper (held-out figures printed). Precision is a floor: such passages
often discuss other themes too.
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
        src = next(
            p for p in (SHARED / "corpus" / d / f"{g.stem}.txt" for d in ("seeds", "more")) if p.exists()
        )
        (papers / src.name).write_text(body(src), encoding="utf-8")
        rows.append(
            {"file": src.name, "council": json.loads(g.read_text(encoding="utf-8"))["metadata"]["council"]}
        )
    with (papers / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "council"])
        w.writeheader()
        w.writerows(rows)
    from api.cli import main as cli

    assert cli(["--store", str(settings.store), "ingest", "--quiet", str(papers)]) == 0


def gold_cells(cols: str, gold: Path = GOLD) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(required cells, cells only optional items fill) of the gold partnerships or priorities in `gold`
    (also what tests/index/test_compare.py holds the seed tables to)."""
    from nlp.kinds import kind_of

    required, optional = set(), set()
    for f in sorted(gold.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        council = gold["metadata"]["council"]
        items = gold["partnerships"] if cols == "partnership-kind" else gold["priorities"]
        for item in items:
            columns = (
                [item.get("kind") or kind_of(item["name"])] if cols == "partnership-kind" else item["themes"]
            )
            (optional if item.get("optional") else required).update((council, c) for c in columns)
    return required, optional - required


def score(store: object, cols: str) -> dict[str, float]:
    from index.compare import compare

    table = compare(store, cols)
    required, optional = gold_cells(cols)
    got = {
        (c.row, c.column) for c in table.cells if getattr(c, "state", "priority") != "discussed"
    } - optional
    tp = len(got & required)
    p, r = tp / max(len(got), 1), tp / max(len(required), 1)
    f1 = 2 * p * r / max(p + r, 1e-9)
    silent = sorted(
        c for c in required if c[0] in table.rows and table.state(*c) in ("silent", "no papers in range")
    )
    print(
        f"council x {cols}: P {p:.3f} R {r:.3f} F1 {f1:.3f}  ({len(got)} cells, {len(required)} gold; "
        f"{len(silent)} gold cells shown silent)"
    )
    print(f"  missed {sorted(required - got)}")
    print(f"  extra  {sorted(got - required)}")
    if silent:
        print(f"  silent {silent}")
    return {"precision": p, "recall": r, "f1": f1}


GRID_RULE = (0.1, 0.15, 0.2, 0.25, 0.3)
GRID_SIM = (0.4, 0.45, 0.5, 0.55, 0.6, 9.0)


def passage_theme_cv(store: object, settings: object, folds: int = 5) -> None:
    import numpy as np

    from index.embed import load_embedder
    from index.pipeline import load_vectors
    from nlp.passage_themes import classify, theme_descriptions

    rows = store.conn.execute(
        "SELECT p.id, p.text, p.heading_path, d.source FROM passages p"
        " JOIN documents d ON d.id = p.document_id ORDER BY p.id"
    ).fetchall()
    gold: dict[int, set[str]] = {}
    for g in sorted(GOLD.glob("*.json")):
        for pr in json.loads(g.read_text(encoding="utf-8"))["priorities"]:
            want = " ".join(pr["text"].split()).lower()[:60]
            for i, r in enumerate(rows):
                if pr["themes"] and Path(r[3]).stem == g.stem and want in " ".join(r[1].split()).lower():
                    gold.setdefault(i, set()).update(pr["themes"])
    items = sorted(gold)
    ids, descriptions = theme_descriptions()
    vectors = load_vectors(store, settings).vectors(np.asarray([rows[i][0] for i in items], dtype=np.int64))
    theme_vectors = load_embedder(settings).encode(list(descriptions))
    texts = [rows[i][1] for i in items]  # what ingest classifies: the passage's own text (index.resolve)
    papers = sorted({rows[i][3] for i in items})

    def counts(sel: list[int], lo: float, hi: float) -> tuple[int, int, int]:
        found = classify([texts[k] for k in sel], vectors[sel], theme_vectors, ids, lo, hi)
        tp = fp = fn = 0
        for k, got in zip(sel, found, strict=True):
            pred, want = {t.theme for t in got}, gold[items[k]]
            tp, fp, fn = tp + len(pred & want), fp + len(pred - want), fn + len(want - pred)
        return tp, fp, fn

    def f1(c: tuple[int, int, int]) -> float:
        return 2 * c[0] / max(2 * c[0] + c[1] + c[2], 1)

    total = [0, 0, 0]
    for f in range(folds):
        held = {p for n, p in enumerate(papers) if n % folds == f}
        train = [k for k, i in enumerate(items) if rows[i][3] not in held]
        test = [k for k, i in enumerate(items) if rows[i][3] in held]
        lo, hi = max(((a, b) for a in GRID_RULE for b in GRID_SIM), key=lambda ab: f1(counts(train, *ab)))
        c = counts(test, lo, hi) if test else (0, 0, 0)
        total = [x + y for x, y in zip(total, c, strict=True)]
        print(f"  fold {f}: rule floor {lo}, similarity only {hi}")
    tp, fp, fn = total
    print(
        f"passage themes (held-out, {len(items)} priority passages): precision {tp / max(tp + fp, 1):.3f},"
        f" recall {tp / max(tp + fn, 1):.3f}"
    )


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
        passage_theme_cv(store, settings)


if __name__ == "__main__":
    main()

"""Train the nearest-priority theme fallback (nlp.passage_themes.PriorityThemeModel) and print its figures.

usage: python benchmarks/train_priority_themes.py [--check]

Exemplars: the `tune` rows of tests/nlp/data/priority_wording.jsonl (written phrasings of made-up
councils), the development gold's stated priorities (../shared/eval/gold/dev, optional ones too;
other council business has no theme) and the theme descriptions of nlp/data/themes.json. They are
written to nlp/data/priority_exemplars.jsonl with their vectors (the ingest embedder,
index.embed) in nlp/data/priority_themes.npz; the threshold and margin are chosen by leave-one-out
on the written and gold rows (a row's own vector left out; texts are unique) for vector-only
micro-F0.5 (precision weighs double: the fallback also meets text extraction took for a priority by
mistake, about a quarter on unseen councils, where any theme is a wrong cell), and saved with the model name in nlp/data/priority_themes.json. The `held`
rows are not read here (tests/nlp/test_priority_wording.py scores them). `--check` prints the
figures of the saved model without writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT.parent / "shared" / "eval" / "gold" / "dev"
WORDING = ROOT / "tests" / "nlp" / "data" / "priority_wording.jsonl"


def training_rows() -> list[dict]:
    from ingest.datafiles import rule_rows
    from nlp.themes import theme_labels

    rows = [
        {"text": r["text"], "themes": r["themes"], "from": "written"}
        for _, r in rule_rows(WORDING, "text")
        if r["part"] == "tune"
    ]
    for g in sorted(GOLD.glob("*.json")):
        for p in json.loads(g.read_text(encoding="utf-8")).get("priorities") or []:
            rows.append(
                {"text": p["text"], "themes": list(p.get("themes") or []), "from": "development gold"}
            )
    rows += [
        {"text": label, "themes": [tid], "from": "theme description"} for tid, label in theme_labels().items()
    ]
    seen: set[str] = set()
    out = []
    for r in rows:
        if r["text"].strip().lower() not in seen:
            seen.add(r["text"].strip().lower())
            out.append(r)
    return out


def score(pred: list[tuple[str, ...]], gold: list[list[str]]) -> tuple[float, float, float]:
    tp = sum(len(set(p) & set(g)) for p, g in zip(pred, gold, strict=True))
    fp = sum(len(set(p) - set(g)) for p, g in zip(pred, gold, strict=True))
    fn = sum(len(set(g) - set(p)) for p, g in zip(pred, gold, strict=True))
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return prec, rec, 2 * prec * rec / max(prec + rec, 1e-9)


def main() -> int:
    import numpy as np

    from index.embed import load_embedder, model_name
    from ingest.settings import Settings
    from nlp.passage_themes import (
        EXEMPLARS,
        PRIORITY_CONFIG,
        PRIORITY_VECTORS,
        PriorityThemeModel,
        nearest_themes,
    )

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print the saved model's figures, write nothing")
    args = ap.parse_args()
    settings = Settings()
    rows = training_rows()
    vectors = load_embedder(settings).encode([r["text"] for r in rows]).astype(np.float32)
    scored = [i for i, r in enumerate(rows) if r["from"] != "theme description"]
    gold = [rows[i]["themes"] for i in scored]
    best = (-1.0, 0.0, 0.0)
    for threshold in np.arange(0.10, 0.80, 0.02):
        for margin in (0.0, 0.02, 0.05, 0.1):
            m = PriorityThemeModel(
                tuple(tuple(r["themes"]) for r in rows),
                vectors,
                float(threshold),
                margin,
                model_name(settings),
                vectors.shape[1],
            )
            p, r, _ = score(nearest_themes(m, vectors[scored], np.asarray(scored)), gold)
            f05 = 1.25 * p * r / max(0.25 * p + r, 1e-9)
            if f05 >= best[0] - 1e-9:  # ties: the more cautious (higher) threshold and margin
                best = (f05, round(float(threshold), 2), margin)
    m = PriorityThemeModel(
        tuple(tuple(r["themes"]) for r in rows),
        vectors,
        best[1],
        best[2],
        model_name(settings),
        vectors.shape[1],
    )
    p, r, f = score(nearest_themes(m, vectors[scored], np.asarray(scored)), gold)
    print(
        f"{len(rows)} exemplars ({len(scored)} scored); leave-one-out vector-only P {p:.3f} R {r:.3f} F1 {f:.3f} "
        f"at threshold {best[1]} margin {best[2]}"
    )
    if args.check:
        return 0
    with EXEMPLARS.open("w", encoding="utf-8") as out:
        out.write(
            json.dumps(
                {
                    "_source": "issue 28: stated priorities and their themes the nearest-priority fallback "
                    "compares with (nlp.passage_themes.nearest_themes): the 'tune' rows of "
                    "tests/nlp/data/priority_wording.jsonl, the development gold's priorities, the theme "
                    "descriptions; written by benchmarks/train_priority_themes.py"
                }
            )
            + "\n"
        )
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    np.savez_compressed(PRIORITY_VECTORS, vectors=vectors.astype(np.float16))
    PRIORITY_CONFIG.write_text(
        json.dumps(
            {
                "model": model_name(settings),
                "dim": int(vectors.shape[1]),
                "threshold": best[1],
                "margin": best[2],
                "chosen_by": "leave-one-out on the written tune rows and development gold priorities, vector-only micro-F0.5",
                "leave_one_out": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)},
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

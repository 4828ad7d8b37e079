"""Draw the precision sample again: 40 items per field (seeded), from the extraction of the shared papers.

usage: python tests/nlp/precision/draw_sample.py [SHARED_DIR] > sample.json

Each item carries its passage and offsets; judge new ones by hand against GUIDELINES.md and add them, with
their verdicts, to judged.json (tests/nlp/test_precision.py reads it). One generator draws the three fields in
turn, so a change in one field's pool changes the later fields' samples: the `final_sample` items of
judged.json are this script's output at commit dfaa2c4 (the next commit only removed one item judged wrong).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

FIELDS = ("partnerships", "operations", "metrics")
SEED, PER_FIELD = 11, 40


def main(argv: list[str]) -> int:
    from ingest.parse import parse_file
    from ingest.settings import Settings
    from nlp.pipeline import build_pipeline, extract

    shared = Path(argv[0]) if argv else Path(__file__).resolve().parents[4] / "shared"
    files = sorted((shared / "corpus" / "pdf").glob("*.pdf")) + sorted(
        (shared / "corpus" / "more").glob("*.txt")
    )
    nlp = build_pipeline()
    pool: dict[str, list[dict]] = {f: [] for f in FIELDS}
    for f in files:
        d = parse_file(f, Settings())
        e = extract(d, nlp)
        for field in FIELDS:
            for it in getattr(e, field):
                if not it.evidence:
                    continue
                ev = it.evidence[0]
                p = d.passages[ev.passage]
                a, b = ev.start - p.start, ev.end - p.start
                if not (0 <= a and b <= len(p.text)):
                    continue  # a heading's evidence: not sampled
                row = {"paper": f.name, "passage": p.text, "start": a, "end": b, "text": ev.text}
                row.update({"value": it.value, "unit": it.unit} if field == "metrics" else {"name": it.name})
                pool[field].append(row)
    rng = random.Random(SEED)
    json.dump(
        {field: rng.sample(rows, PER_FIELD) for field, rows in pool.items()}, sys.stdout, ensure_ascii=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Decisions found against the hand-judged gold in tests/nlp/eval/decisions_gold.jsonl.

usage: bench_decisions.py [--shared ../shared] [--misses] [--draft STEM...]

For each development paper the gold lists every decision a reader finds in it (one per resolution:
item number, outcome, the opening words recording it); reports list none. Prints, per paper and
overall, the decision items found (a gold item is found by a decision of the same outcome whose words
start the same way), their precision, and the (paper, outcome) pairs' recall and precision, the
figures the sealed check reports. --draft prints what is found now in the gold's format, to judge.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_sections import paper_path  # noqa: E402

from ingest.parse import parse_file  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from nlp.decisions import collect_decisions  # noqa: E402
from nlp.sections import section_roles  # noqa: E402

GOLD = ROOT / "tests" / "nlp" / "eval" / "decisions_gold.jsonl"
WORDS = 30  # a decision matches a gold item when their first WORDS characters of words agree


def _key(text: str) -> str:
    text = re.sub(r"^\s*(?:\(?(?:[ivx]{1,5}|[a-z]|\d{1,2}[a-z]?)[.):]|[-•])\s*", "", text, flags=re.I)
    return re.sub(r"\W+", " ", text).strip().lower()[:WORDS]


def found_in(stem: str, shared: Path, tmp: Path) -> list[tuple[str | None, str, str]]:
    path = (
        ROOT / "corpus" / f"{stem}.pdf"
        if (ROOT / "corpus" / f"{stem}.pdf").exists()
        else paper_path(stem, shared, tmp)
    )
    doc = parse_file(path, Settings())
    return [(d.item_number, d.outcome, d.text) for d in collect_decisions(doc, section_roles(doc))]


def score(gold: list[dict], found: dict[str, list[tuple[str | None, str, str]]]) -> dict[str, float]:
    hit = gold_n = got_n = 0
    pairs_gold: set[tuple[str, str]] = set()
    pairs_got: set[tuple[str, str]] = set()
    for row in gold:
        stem = row["document"]
        want = [(n, o, _key(w)) for n, o, w in row["decisions"]]
        got = [(n, o, _key(w)) for n, o, w in found[stem]]
        free = list(got)
        for w in want:
            match = next(
                (g for g in free if g[1] == w[1] and (g[2].startswith(w[2]) or w[2].startswith(g[2]))), None
            )
            if match:
                free.remove(match)
                hit += 1
        gold_n += len(want)
        got_n += len(got)
        pairs_gold |= {(stem, o) for _, o, _ in want}
        pairs_got |= {(stem, o) for _, o, _ in got}
    both = len(pairs_gold & pairs_got)
    return {
        "items": gold_n,
        "found": hit,
        "item_recall": hit / gold_n if gold_n else 1.0,
        "item_precision": hit / got_n if got_n else 1.0,
        "pair_recall": both / len(pairs_gold) if pairs_gold else 1.0,
        "pair_precision": both / len(pairs_got) if pairs_got else 1.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--misses", action="store_true", help="list gold items not found and decisions not in the gold"
    )
    ap.add_argument("--draft", nargs="+", metavar="STEM", help="print the decisions found now as gold rows")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.draft:
            for stem in a.draft:
                rows = [[n, o, w[:60]] for n, o, w in found_in(stem, a.shared, Path(tmp))]
                print(json.dumps({"document": stem, "decisions": rows}, ensure_ascii=False))
            return 0
        gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
        gold = [g for g in gold if "document" in g]
        found = {g["document"]: found_in(g["document"], a.shared, Path(tmp)) for g in gold}
    for g in gold:
        s = score([g], found)
        print(
            f"{s['found']:3d}/{s['items']:3d} found, {len(found[g['document']]):3d} given  {g['document'][:60]}"
        )
        if a.misses:
            got = [(o, _key(w)) for _, o, w in found[g["document"]]]
            want = [(o, _key(w)) for _, o, w in g["decisions"]]
            for o, k in want:
                if not any(o == go and (gk.startswith(k) or k.startswith(gk)) for go, gk in got):
                    print(f"   missed   {o:9s} {k}")
            for o, k in got:
                if not any(o == wo and (k.startswith(wk) or wk.startswith(k)) for wo, wk in want):
                    print(f"   extra    {o:9s} {k}")
    s = score(gold, found)
    print(
        f"decisions: items found {s['item_recall']:.3f} of {s['items']} (precision {s['item_precision']:.3f});"
        f" (paper, outcome) recall {s['pair_recall']:.3f}, precision {s['pair_precision']:.3f};"
        f" {len(gold)} papers ({sum(not g['decisions'] for g in gold)} with none)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

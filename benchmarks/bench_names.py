"""How well a misspelt council name finds its council (index.names), and how often another council's name gets
a suggestion it should not: the figures SUGGEST_AT was chosen on.

usage: python benchmarks/bench_names.py [--trials N]

Names are the UK councils of nlp/data/councils.csv. Each trial takes 50 of them as a store's councils; 20 of
those get one typing slip in their telling words (a letter dropped, changed, added or two swapped) and are
resolved (recall: the council is the first suggestion, or the name still resolves to it); 20 councils not in
the store are resolved too (false suggestions: any suggestion at all; some are fair, "Hertfordshire" for
"Herefordshire"). Trials are split in two halves by seed: the cut-off is chosen on one and checked on the other.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def councils() -> list[str]:
    lines = (ROOT / "nlp" / "data" / "councils.csv").read_text(encoding="utf-8").splitlines()
    return [r["name"] for r in csv.DictReader(line for line in lines if not line.startswith("#"))]


def slip(text: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(text))
    c = rnd.choice("abcdefghijklmnopqrstuvwxyz")
    op = rnd.choice("dsti")
    if op == "d":
        return text[:i] + text[i + 1 :]
    if op == "s":
        return text[:i] + c + text[i + 1 :]
    if op == "i":
        return text[:i] + c + text[i:]
    return text[:i] + text[i + 1 : i + 2] + text[i : i + 1] + text[i + 2 :]


def run(cutoff: int, half: int, trials: int) -> tuple[float, float]:
    import index.names as names

    names.SUGGEST_AT = cutoff
    every = councils()
    found = typos = wrong = others = 0
    for trial in range(trials):
        rnd = random.Random(trial * 2 + half)
        known = rnd.sample(every, 50)
        for name in known[:20]:
            typed = slip(names.telling(name), rnd)
            r = names.resolve(typed, known)
            typos += 1
            found += r.name == name or (r.how == "suggestion" and r.candidates[0] == name)
        for name in rnd.sample([n for n in every if n not in known], 20):
            others += 1
            wrong += names.resolve(name, known).how == "suggestion"
    return found / typos, wrong / others


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=40)
    args = ap.parse_args()
    import index.names as names

    chosen = names.SUGGEST_AT
    for half in (0, 1):
        print(f"half {half} ({'choose' if half == 0 else 'check'}):")
        for cutoff in (70, 75, 80, 85, 90):
            recall, false = run(cutoff, half, args.trials)
            mark = "  <- SUGGEST_AT" if cutoff == chosen else ""
            print(
                f"  cut-off {cutoff}: a slip finds its council {recall:.3f}; another council gets a suggestion "
                f"{false:.3f}{mark}"
            )


if __name__ == "__main__":
    main()

"""Extraction held out by council: for every rule, the councils whose papers it fires on, and the
development score with each council's papers held out at once.

usage: python benchmarks/bench_extract_cv.py [--shared DIR] [--all-rules]

Rules are hand-written, so "holding a council out" means: score that council's papers with every rule
switched off that fires on no other council's papers (nlp/rules.py traces and switches rules by id). A
rule written from one council's papers, and supported by no other, then cannot help its own council's
score. Rules are counted on the 15 development papers (8 councils) and on the real papers without gold
(the bundled PDFs and, with --shared, ../shared/corpus: Bristol, Nottingham and more Kent papers).

Prints: the per-rule council counts (rules firing on one council only are marked) with, beside them, the
written excerpts of tests/nlp/excerpts each rule fires on (layouts of papers of other councils, written for the
tests: weaker support than a real paper), each council's fold with the rules switched off for it, and the pooled
leave-council-out figure beside the all-rules one. benchmarks/bench_extract_excerpts.py measures 2,000-character
excerpts of the same papers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("partnerships", "operations", "priorities", "metrics", "dates")


def _council(stem: str, document, nlp) -> str:  # noqa: ANN001
    """The gold council of a dev paper, else the council the paper names (metadata extraction)."""
    from nlp.metadata import extract_metadata
    from tests.nlp.devset import gold_council

    return gold_council(stem) or extract_metadata(document).council or f"unknown ({stem})"


def rule_support(documents: dict[str, object], councils: dict[str, str], nlp) -> dict[str, set[str]]:  # noqa: ANN001
    """rule id -> the councils whose papers it fires on."""
    from nlp.pipeline import extract
    from nlp.rules import tracing

    support: dict[str, set[str]] = defaultdict(set)
    for stem, document in documents.items():
        with tracing() as trace:
            extract(document, nlp)  # type: ignore[arg-type]
        for rule in trace.counts:
            support[rule].add(councils[stem])
    return support


def written_support(nlp) -> dict[str, set[str]]:  # noqa: ANN001
    """rule id -> the written excerpts it fires on (tests/nlp/excerpts: cover sheets, pages and minutes of
    councils of the four nations, scheme mentions, priority statements), each named by its file and line."""
    import json

    from ingest.parse import parse_bytes
    from ingest.settings import Settings
    from nlp.pipeline import extract
    from nlp.rules import tracing

    support: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "tests" / "nlp" / "excerpts").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith('{"_source"'):
                continue
            doc = parse_bytes(json.loads(line)["text"].encode(), f"{path.stem}:{n}", Settings(workers=1))
            with tracing() as trace:
                extract(doc, nlp)
            for rule in trace.counts:
                support[rule].add(f"{path.stem}:{n}")
    return support


def known_rules() -> set[str]:
    """Every rule id the code can report: the literal ids passed to `fired`, each date pattern, each
    priorities shape."""
    import re

    from nlp.dates import load_patterns
    from nlp.priorities import RULES as PRIORITY_RULES

    ids = {
        m.group(1)
        for path in (ROOT / "nlp").glob("*.py")
        for m in re.finditer(
            r'(?:fired\(|\(\s*)"((?:metrics|names|operations|partnerships|metadata|dates|'
            r'priorities): [^"]+)"',
            path.read_text(encoding="utf-8"),
        )
    }
    return ids | {f"dates: {p.label}" for p in load_patterns()} | {f"priorities: {r}" for r in PRIORITY_RULES}


def _lines(documents: dict[str, object], stems: list[str], nlp, disabled: frozenset[str]) -> list[str]:  # noqa: ANN001
    import json

    from nlp.export import extraction_json
    from nlp.pipeline import extract
    from nlp.rules import tracing

    out = []
    for stem in stems:
        with tracing(disabled):
            out.append(json.dumps(extraction_json(extract(documents[stem], nlp))))  # type: ignore[arg-type]
    return out


def _fields(r: dict) -> str:
    return " ".join(f"{f[:5]} {r[f]['f1']:.2f}" for f in FIELDS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder, if present"
    )
    ap.add_argument(
        "--all-rules", action="store_true", help="list every rule, not only those on few councils"
    )
    a = ap.parse_args(argv)

    from nlp.pipeline import build_pipeline
    from tests.nlp.devset import dev_papers, parse_paper, score, support_papers

    nlp = build_pipeline()
    dev = [p.stem for p in dev_papers()]
    paths = {p.stem: p for p in dev_papers() + support_papers(a.shared if a.shared.is_dir() else None)}
    documents = {stem: parse_paper(path) for stem, path in paths.items()}
    councils = {stem: _council(stem, d, nlp) for stem, d in documents.items()}
    support = rule_support(documents, councils, nlp)
    written = written_support(nlp)
    all_councils = sorted(set(councils.values()))
    print(
        f"{len(documents)} papers of {len(all_councils)} councils ({len(dev)} with gold): "
        + ", ".join(f"{c} {sum(v == c for v in councils.values())}" for c in all_councils)
    )
    for rule in (known_rules() | set(written)) - set(support):
        support[rule] = set()
    single = sorted(r for r, cs in support.items() if len(cs) == 1)
    print(
        f"\nrules and the councils whose real papers they fire on ({len(support)} rules, "
        f"{sum(bool(cs) for cs in support.values())} fired; {len(single)} on one council only, marked *), and "
        f"how many of the written excerpts of tests/nlp/excerpts they fire on (+N written):"
    )
    for rule, cs in sorted(support.items(), key=lambda kv: (len(kv[1]), kv[0])):
        if a.all_rules or len(cs) <= 2:
            print(
                f"  {'*' if len(cs) == 1 else ' '} {len(cs):>2}  {rule}  [{', '.join(sorted(cs))}]"
                + (f"  +{len(written[rule])} written" if written.get(rule) else "")
            )
    if not a.all_rules:
        print(
            f"  ... and {sum(len(cs) > 2 for cs in support.values())} rules firing on 3 councils or more "
            "(--all-rules lists them)"
        )

    with tempfile.TemporaryDirectory() as tmp:
        whole = score(_lines(documents, dev, nlp, frozenset()), set(dev), Path(tmp) / "all")
        pooled: list[str] = []
        print("\nleave-council-out folds (rules firing on no other council switched off):")
        for council in sorted({councils[s] for s in dev}):
            stems = [s for s in dev if councils[s] == council]
            off = frozenset(r for r, cs in support.items() if cs <= {council})
            lines = _lines(documents, stems, nlp, off)
            pooled += lines
            r = score(lines, set(stems), Path(tmp) / council.replace(" ", "_"))
            print(
                f"  {council} ({len(stems)} papers, {len(off)} rules off): macro-F1 {r['macro_f1']:.3f}  "
                f"metadata {r['metadata_accuracy']:.3f}  [{_fields(r)}]"
            )
        held = score(pooled, set(dev), Path(tmp) / "pooled")
    print(
        f"\nleave-council-out, {len(dev)} papers pooled: macro-F1 {held['macro_f1']:.3f}, metadata "
        f"{held['metadata_accuracy']:.3f}  [{_fields(held)}]"
    )
    print(
        f"all rules on, {len(dev)} papers:        macro-F1 {whole['macro_f1']:.3f}, metadata "
        f"{whole['metadata_accuracy']:.3f}  [{_fields(whole)}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

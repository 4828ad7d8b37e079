"""Leave-papers-out figure for extraction: the 15 development papers in 5 folds (by paper), each fold
scored on its own, and the mean over folds.

usage: python benchmarks/bench_extract_cv.py [--folds N]

The rules are hand-written, so nothing is fitted per fold and every fold is scored by the same
pipeline; what makes a fold "held out" is which papers a rule was written from. `RULE_SOURCES` lists,
for every rule added for the generalisation work (issue 11), the papers that were read when it was
written (GUIDELINES.md, the shared corpus/pdf papers that have no gold, or dev papers). For each fold
the benchmark prints the rules written from one of its papers: a fold whose list is empty is a true
held-out figure, the others are upper bounds. No constant is learned from the dev set (thresholds are
fixed in the rule files), so there is nothing to choose on training folds.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("partnerships", "operations", "priorities", "metrics", "dates")
# rule -> the papers read when writing it ("pdf:" = shared corpus/pdf papers, which have no gold)
RULE_SOURCES: dict[str, tuple[str, ...]] = {
    "metadata: cover sheet joined into one paragraph, bare ': value' fields": ("26_kent", "27_kent"),
    "metadata: author after a role label, 'Author' without colon": ("26_kent", "27_kent", "35_kent"),
    "metadata: 'Report Author and Relevant Director' label line": ("37_kent",),
    "metadata: minutes titled by their 'Minutes of' heading": ("29_bristol",),
    "metadata: council as the paper heads itself": ("38_merton",),
    "metadata: decision notices, forward plans, publication dates": ("pdf:bcc-0004", "pdf:bcc-0016"),
    "priorities: aims/objectives/themes/areas lead-ins, tables, paragraphs, 'Priority N' headings":
        ("GUIDELINES.md", "pdf:bcc-0006"),
    "priorities: inline 'priorities ... including X', one priority written twice": ("27_kent",),
    "operations: fund/levy/pilot/trial heads": ("GUIDELINES.md", "28_bristol", "27_kent"),
    "operations: names launched/rolled out/introduced": ("GUIDELINES.md",),
    "operations: quoted names in sentences about funding or projects": ("35_kent", "29_bristol", "001_ad86c27f65599044"),
    "operations: variants merged (acronym, head word, stem)": ("28_bristol", "31_kent"),
    "operations: campaign groups, place-only frameworks, pension funds rejected": ("29_bristol", "38_merton"),
    "metrics: votes are counts": ("29_bristol",),
    "metrics: ages, age ranges, unit names, phone numbers": ("31_kent", "27_kent"),
    "metrics: FE/FTE units, £8-10m, 1.9m, 'increase of £a to £b'": ("35_kent", "28_bristol", "34_kent", "29_bristol"),
    "dates: a year followed by '+' is a count": ("31_kent",),
    "partnerships: job titles, transport networks, alliances, military and pension bodies":
        ("pdf:bcc-0026", "pdf:bcc-0036", "pdf:bcc-0024", "pdf:bcc-0004", "27_kent", "38_merton"),
    "partnerships: networks of services, one-word companies, internal property boards": ("pdf:nott-0001", "36_kent"),
    "priorities: lead-ins without a colon, 'Priority Area N', a priority in passing": ("GUIDELINES.md", "30_kent"),
    "operations: names in apposition, titles of a list of projects": ("GUIDELINES.md", "31_kent"),
    "operations: plural proper names kept": ("001_ad86c27f65599044", "32_kent"),
    "operations: 'Priority' can begin a name": ("34_kent",),
    "operations: investment funds, phases, generic frameworks, acronyms of documents":
        ("36_kent", "pdf:bcc-0008", "pdf:bcc-0014", "pdf:bcc-0036", "pdf:bcc-0016", "32_kent"),
    "metrics: statement numbers, numbering, page footers, rates before, table and caption units, about":
        ("pdf:bcc-0026", "pdf:bcc-0024", "pdf:bcc-0006", "pdf:bcc-0007", "pdf:nott-0001", "30_kent", "32_kent",
         "36_kent", "35_kent"),
    "dates: academic years": ("35_kent",),
    "metadata: ModernGov decision and issue pages, agenda membership lists": ("GUIDELINES.md", "38_merton"),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args(argv)

    from tests.nlp.devset import dev_papers, extract_lines, score

    papers = dev_papers()
    lines = dict(zip([p.stem for p in papers], extract_lines(papers), strict=True))
    folds = [[p.stem for i, p in enumerate(papers) if i % a.folds == k] for k in range(a.folds)]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, stems in enumerate(folds):
            r = score([lines[s] for s in stems], set(stems), Path(tmp) / str(k))
            results.append(r)
            fields = " ".join(f"{f[:5]} {r[f]['f1']:.3f}" for f in FIELDS)
            print(f"fold {k + 1} ({', '.join(stems)}): macro-F1 {r['macro_f1']:.3f}  metadata "
                  f"{r['metadata_accuracy']:.3f}  [{fields}]")
            touched = [rule for rule, src in RULE_SOURCES.items() if set(src) & set(stems)]
            print(f"  rules written from these papers: {len(touched)}"
                  + ("".join(f"\n    - {t}" for t in touched) if touched else " (a true held-out fold)"))
        whole = score(list(lines.values()), set(lines), Path(tmp) / "all")
    mean = sum(r["macro_f1"] for r in results) / len(results)
    meta = sum(r["metadata_accuracy"] for r in results) / len(results)
    print(f"leave-papers-out ({a.folds} folds by paper): mean macro-F1 {mean:.3f}, mean metadata {meta:.3f}")
    print(f"all {len(papers)} papers together: macro-F1 {whole['macro_f1']:.3f}, "
          f"metadata {whole['metadata_accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

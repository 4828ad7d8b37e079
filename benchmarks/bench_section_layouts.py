"""Section roles by the rules alone on excerpts, with the layout each excerpt is read as.

usage: bench_section_layouts.py [--shared ../shared] [--misses]

Prints, for the excerpts of every development paper (benchmarks/section_excerpts.py: about 2,000 characters
from mid-document, `natural` as cut and `headless` with the heading lines removed) and for the written excerpts
of tests/nlp/excerpts (section_roles_written.txt, read while the rules were written; section_roles_held.txt,
not; as written, without headings, without a title, and hard-wrapped at 80 characters as a PDF's text is): how often the excerpt's layout (report / minutes / decision notice) is the layout of the paper it was
cut from, and the share of paragraphs whose role the rules give right. The rules are not trained, so there
is nothing to hold out; the written held-out part is the check that they were not fitted to the rest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest.parse import parse_bytes  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from nlp.sections import layout  # noqa: E402


def development(shared: Path, misses: bool) -> None:
    import section_excerpts
    from bench_sections import development_papers

    with tempfile.TemporaryDirectory() as tmp:
        papers = development_papers(shared, Path(tmp))
        kinds = {p.stem: layout(p.doc) for p in papers}
        excerpts = [e for p in papers for e in section_excerpts.excerpts_of(p, Path(tmp), Settings())]
    for variant in ("natural", "headless"):
        chosen = [e for e in excerpts if e.variant == variant]
        confusion = Counter((kinds[e.paper], layout(e.doc)) for e in chosen)
        right_layout = sum(n for (a, b), n in confusion.items() if a == b) / max(len(chosen), 1)
        untitled = sum(
            kinds[e.paper] == layout(parse_bytes(e.doc.text.encode(), "x.txt", Settings(workers=1)))
            for e in chosen
        ) / max(len(chosen), 1)
        pairs = [(role, e.found[i].role, judged, e) for e in chosen for i, role, judged in e.scored]
        by_layout: dict[str, list[bool]] = defaultdict(list)
        for role, got, _, e in pairs:
            by_layout[kinds[e.paper]].append(role == got)
        acc = sum(r == g for r, g, _, _ in pairs) / max(len(pairs), 1)
        judged = [(r, g) for r, g, j, _ in pairs if j]
        print(
            f"development excerpts, {variant}: {len(chosen)} excerpts of {len(kinds)} papers; layout right"
            f" {right_layout:.3f} ({untitled:.3f} with no title given); roles {acc:.3f} of {len(pairs)} paragraphs"
            f" ({sum(r == g for r, g in judged) / max(len(judged), 1):.3f} of {len(judged)} judged)"
        )
        print(
            "  layout of the paper -> of the excerpt: "
            + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(confusion.items()))
        )
        print(
            "  roles by the paper's layout: "
            + ", ".join(f"{k} {sum(v) / len(v):.3f} ({len(v)})" for k, v in sorted(by_layout.items()))
        )
        if misses:
            wrong = Counter((r, g) for r, g, _, _ in pairs if r != g)
            print(
                "  most frequent errors (wanted, given): "
                + ", ".join(f"{a}/{b} {n}" for (a, b), n in wrong.most_common(15))
            )


def written() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.nlp.section_written import accuracy, layout_accuracy, load, score

    for part in ("dev", "held"):
        for with_title, headless, wrap in (
            (True, False, ""),
            (False, False, ""),
            (True, True, ""),
            (False, True, ""),
            (True, False, "blank"),
            (True, False, "solid"),
        ):
            scored = score(load(part), with_title, headless, wrap)
            n = sum(len(s.results) for s in scored)
            how = f"{'headless' if headless else 'natural'}, {'with' if with_title else 'no'} title" + (
                f", hard-wrapped {'with' if wrap == 'blank' else 'without'} blank lines" if wrap else ""
            )
            print(
                f"written excerpts, {part} ({how}): {len(scored)} excerpts,"
                f" layout right {layout_accuracy(scored):.3f}; roles {accuracy(scored):.3f} of {n} paragraphs"
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--misses", action="store_true", help="list the most frequent errors")
    args = ap.parse_args()
    written()
    development(args.shared, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

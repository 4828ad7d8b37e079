"""Section-role accuracy against the hand-judged gold in tests/nlp/eval/section_roles_gold.jsonl.

usage: bench_sections.py [--shared ../shared] [--misses] [--vectors] [--train] [--cache DIR]

Prints accuracy per paper, per fold ('written': the rules were written reading these papers;
'held_out': papers labelled after the rules were frozen), per judgement ('first': judged before issue
26; 'rejudged': the passages first judged to have no role, judged again when every passage got one)
and overall, then per-role precision and recall. The papers are read from the shared development
corpus (the bodies of corpus/more papers after their `---` line, as the scorers read them).

--vectors also cross-validates the classifier over passage vectors and word features (nlp.section_model;
needs the embedding model), held out by council: on the judged passages of whole papers and on excerpts
of every development paper cut as the papers of other councils are met (benchmarks/section_excerpts.py:
about 2,000 characters starting mid-document, as cut and with every heading line removed), the rules alone
and with the model deciding the passages the rules left to the layout's body role; --train then fits it on
every passage whose role is known (judged, else by its paper's headings) and saves it to nlp/data.
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

from ingest.model import Document  # noqa: E402
from ingest.parse import parse_file  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from nlp.sections import roles, section_roles  # noqa: E402

GOLD = ROOT / "tests" / "nlp" / "eval" / "section_roles_gold.jsonl"
SEED_COUNCILS = {
    "000": "Hampshire",
    "001": "Test Valley",
    "002": "Worcestershire",
    "003": "Herefordshire",
    "004": "Three Rivers",
}


def paper_path(stem: str, shared: Path, tmp: Path) -> Path:
    """The file a gold stem names; a corpus/more paper is cut to its body as the scorers read it."""
    for folder, suffix in (("seeds", ".txt"), ("pdf", ".pdf")):
        path = shared / "corpus" / folder / f"{stem}{suffix}"
        if path.exists():
            return path
        found = sorted((shared / "corpus" / folder).glob(f"{stem}_*{suffix}"))
        if found:
            return found[0]
    source = shared / "corpus" / "more" / f"{stem}.txt"
    if not source.exists():
        raise FileNotFoundError(f"{stem}: not in {shared / 'corpus'}")
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    out = tmp / source.name
    out.write_text(body, encoding="utf-8")
    return out


def council_of(stem: str) -> str:
    if stem.startswith("src-bcc"):
        return "Bristol"
    if stem.startswith("src-nott"):
        return "Nottingham"
    return SEED_COUNCILS.get(stem[:3]) or stem.split("_", 1)[-1].capitalize()


def gold_rows() -> list[dict]:
    rows = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if "role" in r]


def parsed(stems: list[str], shared: Path, tmp: Path) -> dict[str, Document]:
    settings = Settings()
    return {stem: parse_file(paper_path(stem, shared, tmp), settings) for stem in stems}


def judge(shared: Path) -> list[tuple[dict, str | None]]:
    """Each gold row with the role predicted for its passage."""
    rows = gold_rows()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        docs = parsed(list(dict.fromkeys(r["document"] for r in rows)), shared, Path(tmp))
        predicted = {stem: section_roles(doc) for stem, doc in docs.items()}
        for r in rows:
            if not docs[r["document"]].passages[r["passage"]].text.startswith(r["starts"]):
                raise ValueError(
                    f"{r['document']} passage {r['passage']}: parse changed, gold no longer aligned"
                )
            out.append((r, predicted[r["document"]][r["passage"]]))
    return out


def accuracy(pairs: list[tuple[dict, str | None]]) -> float:
    return sum(r["role"] == p for r, p in pairs) / len(pairs) if pairs else 0.0


def report_rules(pairs: list[tuple[dict, str | None]], misses: bool) -> None:
    by: dict[str, dict[str, list]] = {
        "paper": defaultdict(list),
        "fold": defaultdict(list),
        "judged": defaultdict(list),
    }
    for r, p in pairs:
        by["paper"][r["document"]].append((r, p))
        by["fold"][r["fold"]].append((r, p))
        by["judged"][r.get("judged", "first")].append((r, p))
    for stem, items in by["paper"].items():
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
        prec = tp[role] / (tp[role] + fp[role]) if tp[role] + fp[role] else 0.0
        rec = tp[role] / (tp[role] + fn[role]) if tp[role] + fn[role] else 0.0
        print(f"{role:15s} {prec:9.3f} {rec:6.3f} {tp[role] + fn[role]:3d}")
    if misses:
        for r, p in pairs:
            if r["role"] != p:
                print(f"miss {r['document'][:30]} {r['passage']:3d} gold={r['role']} got={p} {r['starts']!r}")
    for key in ("fold", "judged"):
        for name, items in sorted(by[key].items()):
            print(
                f"{key} {name}: accuracy {accuracy(items):.3f} on {len(items)} passages,"
                f" {len({r['document'] for r, _ in items})} papers"
            )
    unroled = sum(p is None for _, p in pairs)
    print(
        f"section roles: accuracy {accuracy(pairs):.3f} on {len(pairs)} passages, {len(by['paper'])} papers;"
        f" passages with no role {unroled}"
    )


def development_papers(shared: Path, tmp: Path) -> list:
    """Every development paper (seeds, corpus/more bodies, PDFs) with its text as extracted and the role of
    each passage known by hand or by its headings (section_excerpts.Paper)."""
    import section_excerpts

    judged: dict[str, dict[int, str]] = defaultdict(dict)
    for r in gold_rows():
        judged[r["document"]][r["passage"]] = r["role"]
    corpus = shared / "corpus"
    stems = (
        [f.stem for f in sorted((corpus / "seeds").glob("*.txt"))]
        + [f.stem for f in sorted((corpus / "more").glob("*.txt"))]
        + [f.stem for f in sorted((corpus / "pdf").glob("*.pdf"))]
    )
    settings = Settings()
    out = []
    for stem in stems:
        path = paper_path(stem, shared, tmp)
        doc = parse_file(path, settings)
        roles_by_hand = judged.get(stem, {})
        original = corpus / "more" / f"{stem}.txt"
        out.append(
            section_excerpts.Paper(
                stem,
                council_of(stem),
                doc,
                section_excerpts.raw_text(original if original.exists() else path),
                section_excerpts.truth_of(doc, roles_by_hand),
                frozenset(roles_by_hand),
            )
        )
    return out


def report_vectors(shared: Path, cache: Path, save: bool) -> None:
    import section_cv
    import section_excerpts

    with tempfile.TemporaryDirectory() as tmp:
        papers = development_papers(shared, Path(tmp))
        excerpts = [e for p in papers for e in section_excerpts.excerpts_of(p, Path(tmp), Settings())]
    rows = section_cv.rows_of(papers, excerpts, cache)
    vocab = tuple(roles())
    whole = [r for r in rows if r.variant == "whole"]
    print(
        f"\nclassifier over passage vectors and word features: {len(whole)} passages of {len(papers)} papers"
        f" ({sum(r.gold for r in whole)} judged, the rest named by their headings), {len(excerpts) // 2} excerpts"
        f" of about {section_excerpts.WINDOW} characters, {len({r.council for r in rows})} councils"
    )
    cv = section_cv.cross_validate(rows, vocab)
    for variant in section_cv.VARIANTS:
        grid = ", ".join(f"{t:.2f}: {cv['by_threshold'][(variant, t)]:.3f}" for t in section_cv.THRESHOLDS)
        print(
            f"held out by council, {variant} ({cv['passages'].get(variant, 0)} paragraphs): rules alone"
            f" {cv['rules'][variant]:.3f}; with the model at the threshold each fold chose {cv['chosen'][variant]:.3f};"
            f" by threshold {grid}"
        )
    print(f"thresholds chosen by the folds: {cv['thresholds']}")
    for council, figures in cv["per_council"].items():
        print(f"  {council:15s} " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    if save:
        figures = {
            "rules": {k: round(v, 3) for k, v in cv["rules"].items()},
            "with_model": {k: round(v, 3) for k, v in cv["chosen"].items()},
            "passages": cv["passages"],
            "thresholds_chosen": cv["thresholds"],
        }
        _save(rows, vocab, figures)


def _save(rows: list, vocab: tuple[str, ...], figures: dict) -> None:
    import section_cv

    from index.embed import model_name
    from nlp.section_model import save_model

    model = section_cv.fit(rows, vocab)
    threshold = Counter(figures["thresholds_chosen"]).most_common(1)[0][0]
    whole = [r for r in rows if r.variant == "whole"]
    meta = {
        "source": "Trained by benchmarks/bench_sections.py --train on every passage of the development papers "
        "whose role is known: judged by hand (tests/nlp/eval/section_roles_gold.jsonl), else named by a "
        "heading or label of its paper, else the body role under a topical heading (distant "
        "supervision); softmax regression over the passage vector ingest stores, the word features of "
        "section_features.jsonl and the layout, classes weighted by inverse frequency. The threshold "
        "is the one most folds chose in the cross-validation by council. Figures: accuracy held out "
        "by council, on whole papers' judged passages and on excerpts (benchmarks/section_excerpts.py).",
        "model": model_name(Settings()),
        "dim": model.dim,
        "features": list(model.features),
        "roles": list(vocab),
        "allowed": {k: list(v) for k, v in model.allowed.items()},
        "threshold": threshold,
        "passages": {"judged": sum(r.gold for r in whole), "distant": sum(not r.gold for r in whole)},
        "cross_validated_by_council": figures,
    }
    save_model(model.weights, model.bias, meta)
    print(f"saved nlp/data/section_model.npz and section_model.json (threshold {threshold})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--misses", action="store_true", help="list the passages judged wrong")
    ap.add_argument(
        "--vectors", action="store_true", help="cross-validate the classifier over passage vectors"
    )
    ap.add_argument("--train", action="store_true", help="with --vectors: fit and save the classifier")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "councilpapers" / "bench_sections",
        help="embedding cache for --vectors",
    )
    a = ap.parse_args()
    report_rules(judge(a.shared), a.misses)
    if a.vectors or a.train:
        report_vectors(a.shared, a.cache, a.train)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

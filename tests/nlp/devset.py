"""The development set as the quality gate and the cross-validation benchmark read it: the 15 papers with
gold in tests/nlp/eval/ (the five bundled seeds in corpus/ and ten paper bodies in tests/nlp/eval/papers/),
extracted and scored with the copied shared scorer (tests/nlp/eval/score.py); and the other real papers
(the bundled PDFs, and ../shared/corpus when it is there) on which rules are counted, by council."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
EVAL = Path(__file__).resolve().parent / "eval"


def dev_papers() -> list[Path]:
    """Every development paper with a gold file, in name order."""
    gold = {p.stem for p in (EVAL / "gold").glob("*.json")}
    papers = sorted((ROOT / "corpus").glob("0*.txt")) + sorted((EVAL / "papers").glob("*.txt"))
    return [p for p in papers if p.stem in gold]


def gold_council(stem: str) -> str | None:
    """The council the gold file of a development paper names."""
    path = EVAL / "gold" / f"{stem}.json"
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("council") if path.exists() else None


def support_papers(shared: Path | None = None) -> list[Path]:
    """Real papers without gold that rules are also counted on: the bundled PDFs, and the shared corpus's
    PDFs and paper bodies (corpus/more, after its header) when `shared` is given; none twice."""
    dev = {p.stem for p in dev_papers()}
    out = sorted(p for p in (ROOT / "corpus").glob("*.pdf"))
    if shared is not None and (shared / "corpus").is_dir():
        out += sorted(
            p for p in (shared / "corpus" / "pdf").glob("*.pdf") if p.name not in {q.name for q in out}
        )
        out += sorted(p for p in (shared / "corpus" / "more").glob("*.txt") if p.stem not in dev)
    return out


def parse_paper(path: Path):  # noqa: ANN201 - an ingest.model.Document
    """A paper as the scorers read it: a shared corpus/more file without its header block."""
    from ingest.parse import parse_bytes
    from ingest.settings import Settings

    data = path.read_bytes()
    if path.suffix == ".txt" and path.parent.name == "more":
        data = data.split(b"\n---\n", 1)[-1]
    return parse_bytes(data, str(path), Settings())


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cp_eval_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_lines(papers: list[Path]) -> list[str]:
    """One JSON line per paper, as `councilpapers extract` prints them."""
    from ingest.parse import parse_file
    from ingest.settings import Settings
    from nlp.export import extraction_json
    from nlp.pipeline import build_pipeline, extract

    nlp = build_pipeline()
    return [json.dumps(extraction_json(extract(parse_file(p, Settings()), nlp))) for p in papers]


def score(lines: list[str], stems: set[str], workdir: Path) -> dict:
    """The shared scorer's JSON summary for the papers named in `stems` (their gold files only)."""
    gold = workdir / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    for old in gold.glob("*.json"):
        old.unlink()
    for stem in stems:
        (gold / f"{stem}.json").write_text(
            (EVAL / "gold" / f"{stem}.json").read_text(encoding="utf-8"), encoding="utf-8"
        )
    pred = workdir / "pred.jsonl"
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = sys.argv
    buf = io.StringIO()
    try:
        sys.argv = ["score.py", str(pred), str(gold), "--json"]
        with redirect_stdout(buf):
            scorer().main()
    finally:
        sys.argv = argv
    return json.loads(buf.getvalue().strip().splitlines()[-1])

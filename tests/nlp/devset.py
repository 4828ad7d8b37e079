"""The development set as the quality gate and the cross-validation benchmark read it: the 15 papers with
gold in tests/nlp/eval/ (the five bundled seeds in corpus/ and ten paper bodies in tests/nlp/eval/papers/),
extracted and scored with the copied shared scorer (tests/nlp/eval/score.py)."""
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
        (gold / f"{stem}.json").write_text((EVAL / "gold" / f"{stem}.json").read_text(encoding="utf-8"),
                                           encoding="utf-8")
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

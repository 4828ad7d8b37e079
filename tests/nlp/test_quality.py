"""The quality gate: the whole pipeline on the bundled seed papers, scored against the dev gold.

Fails below macro-F1 0.85, any field F1 0.75, theme agreement 0.8 or metadata accuracy 0.9, so no change
can quietly lower them. The scorer and gold are copies in tests/nlp/eval/ (see its README).
"""
from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.export import extraction_json
from nlp.pipeline import build_pipeline, extract

ROOT = Path(__file__).resolve().parents[2]
EVAL = Path(__file__).parent / "eval"
MACRO_F1, FIELD_F1, THEMES, METADATA = 0.85, 0.75, 0.8, 0.9


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cp_eval_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    nlp = build_pipeline()
    pred = tmp_path_factory.mktemp("gate") / "pred.jsonl"
    lines = [json.dumps(extraction_json(extract(parse_file(p, Settings()), nlp)))
             for p in sorted((ROOT / "corpus").glob("0*.txt"))]
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    score = scorer()
    argv, stdout = sys.argv, sys.stdout

    sys.stdout = buf = io.StringIO()
    try:
        sys.argv = ["score.py", str(pred), str(EVAL / "gold"), "--json"]
        score.main()
    finally:
        sys.argv, sys.stdout = argv, stdout
    return json.loads(buf.getvalue().strip().splitlines()[-1])


def test_scores_every_seed_paper(scores: dict) -> None:
    assert scores["documents"] == len(list((EVAL / "gold").glob("*.json"))) == 5


def test_macro_f1(scores: dict) -> None:
    assert scores["macro_f1"] >= MACRO_F1, scores


@pytest.mark.parametrize("field", ["partnerships", "operations", "priorities", "metrics", "dates"])
def test_field_f1(scores: dict, field: str) -> None:
    assert scores[field]["f1"] >= FIELD_F1, scores[field]


def test_theme_agreement(scores: dict) -> None:
    assert scores["priorities"]["theme_jaccard"] >= THEMES, scores["priorities"]


def test_metadata_accuracy(scores: dict) -> None:
    assert scores["metadata_accuracy"] >= METADATA, scores["metadata_accuracy"]

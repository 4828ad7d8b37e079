"""The quality gate: the whole pipeline on the 15 development papers, scored against the dev gold.

Measured (this branch): macro-F1 0.966, every field F1 >= 0.912, theme agreement 1.0, metadata 0.972.
Fails below macro-F1 0.93, any field F1 0.85, theme agreement 0.9 or metadata accuracy 0.93, so no change
can quietly lower them. The scorer, gold and paper bodies are copies in tests/nlp/eval/ (see its README).
"""

from __future__ import annotations

import pytest

from tests.nlp.devset import dev_papers, extract_lines, score

MACRO_F1, FIELD_F1, THEMES, METADATA = 0.93, 0.85, 0.9, 0.93


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    papers = dev_papers()
    return score(extract_lines(papers), {p.stem for p in papers}, tmp_path_factory.mktemp("gate"))


def test_scores_every_dev_paper(scores: dict) -> None:
    assert scores["documents"] == len(dev_papers()) == 15


def test_macro_f1(scores: dict) -> None:
    assert scores["macro_f1"] >= MACRO_F1, scores


@pytest.mark.parametrize("field", ["partnerships", "operations", "priorities", "metrics", "dates"])
def test_field_f1(scores: dict, field: str) -> None:
    assert scores[field]["f1"] >= FIELD_F1, scores[field]


def test_theme_agreement(scores: dict) -> None:
    assert scores["priorities"]["theme_jaccard"] >= THEMES, scores["priorities"]


def test_metadata_accuracy(scores: dict) -> None:
    assert scores["metadata_accuracy"] >= METADATA, scores["metadata_accuracy"]

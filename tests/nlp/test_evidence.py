"""Every evidence span points to the passage that holds it: its text is at its offsets in the document,
inside the cited passage (or, for a heading, in that passage's heading path)."""

from __future__ import annotations

import pytest

from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.pipeline import build_pipeline, extract
from tests.nlp.devset import dev_papers


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    return build_pipeline()


@pytest.mark.parametrize("path", dev_papers(), ids=lambda p: p.stem)
def test_every_evidence_span_is_in_its_passage(nlp, path) -> None:  # noqa: ANN001
    document = parse_file(path, Settings())
    e = extract(document, nlp)
    checked, wrong = 0, []
    for item in (*e.partnerships, *e.operations, *e.priorities, *e.metrics, *e.dates):
        for ev in item.evidence:
            p = document.passages[ev.passage]
            inside = p.start <= ev.start and ev.end <= p.end
            heading = any(ev.text in h for h in p.heading_path)
            checked += 1
            if document.text[ev.start : ev.end] != ev.text or not (inside or heading):
                wrong.append((ev.text, ev.passage))
    assert checked and not wrong, wrong[:5]

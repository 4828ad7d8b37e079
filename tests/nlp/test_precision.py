"""Precision regression set: items of real papers judged by hand (tests/nlp/precision/judged.json).

Each item's passage is extracted again on its own; an item judged right (or borderline: a kind the dev gold
marks optional) must still be found, an item judged wrong must stay out. A margin allows for rules that
read the whole paper (acronyms defined elsewhere). The last sampling round (`final_sample`, 40 items per
field, seeded) gives the precision stated in the README: partnerships 0.95, operations 0.975, metrics 0.90.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import pytest

from ingest.model import Document, Passage
from nlp.model import Extraction

JUDGED = json.loads((Path(__file__).parent / "precision" / "judged.json").read_text(encoding="utf-8"))
# measured: right items kept 1.0 / 0.977 / 0.994, wrong items left out 0.778 / 0.857 / 0.596 (the rest are
# known misses: survey and fund tables whose header row is lost, risk scores, ranks; and the items only a rule
# written from that one paper kept out, "(Top 20)", "nearest 10,000", an investment fund's table row: those
# rules are retired, issue 25, as they fired on one council's papers only)
KEPT, FINAL_PRECISION = 0.93, 0.85
LEFT_OUT = {"partnerships": 0.72, "operations": 0.8, "metrics": 0.55}


@cache
def _extract(pid: str) -> Extraction:
    from nlp.pipeline import extract

    text = JUDGED["passages"][pid]
    doc = Document(
        id=pid,
        source=f"{pid}.txt",
        format="text",
        title=None,
        page_count=0,
        text=text,
        passages=(Passage(0, text, (), (), None, 0, len(text)),),
    )
    return extract(doc, _nlp())


@lru_cache(maxsize=1)
def _nlp():  # noqa: ANN202
    from nlp.pipeline import build_pipeline

    return build_pipeline()


def _found(item: dict) -> bool:
    e = _extract(item["passage"])
    if item["field"] == "metrics":
        return any(
            abs(m.value - item["value"]) <= 1e-6 * max(1.0, abs(item["value"]))
            and m.unit == item["unit"]
            and any(ev.start == item["start"] and ev.text == item["text"] for ev in m.evidence)
            for m in e.metrics
        )
    names = getattr(e, item["field"])
    return any(item["text"] in (n.name, *n.mentions) or item["name"] == n.name for n in names)


@pytest.mark.parametrize("field", ["partnerships", "operations", "metrics"])
def test_judged_items_stay_in_or_out(field: str) -> None:
    items = [i for i in JUDGED["items"] if i["field"] == field]
    good = [i for i in items if i["verdict"] != "wrong"]
    bad = [i for i in items if i["verdict"] == "wrong"]
    kept = sum(_found(i) for i in good) / len(good)
    left_out = sum(not _found(i) for i in bad) / len(bad)
    assert kept >= KEPT, (field, kept, [i["text"] for i in good if not _found(i)][:10])
    assert left_out >= LEFT_OUT[field], (field, left_out, [i["text"] for i in bad if _found(i)][:10])


@pytest.mark.parametrize("field", ["partnerships", "operations", "metrics"])
def test_final_sample_precision(field: str) -> None:
    final = [i for i in JUDGED["items"] if i["field"] == field and i.get("final_sample")]
    assert len(final) == 40
    assert sum(i["verdict"] != "wrong" for i in final) / len(final) >= FINAL_PRECISION

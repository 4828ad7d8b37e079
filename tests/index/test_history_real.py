"""Decision history on real papers of the development corpus: a Kent key decision and its call-in review
(shared decision number), a Bristol report and the minutes of the meeting that decided it."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "more"
PAPERS = ("28_bristol", "29_bristol", "32_kent", "33_kent")

pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="needs the shared development corpus beside the repo")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    from index.pipeline import ingest_paths
    from index.store import Store

    folder = tmp_path_factory.mktemp("real_history")
    for stem in PAPERS:  # the body after the provenance header, as the scorers read it
        body = (SHARED / f"{stem}.txt").read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        (folder / f"{stem}.txt").write_text(body, encoding="utf-8")
    settings = Settings(store=folder / "store", workers=1)
    assert ingest_paths([folder / f"{s}.txt" for s in PAPERS], settings, progress=False).failures == []
    with Store.open(settings, create=False) as store:
        return settings, {Path(d.source).stem: d.id for d in store.list_documents()}


def test_links_on_real_papers(real: tuple[Settings, dict[str, str]]) -> None:
    from index.store import Store

    settings, ids = real
    with Store.open(settings, create=False) as store:
        links = {(k.source, k.target, k.relation): k.reason for k in store.links_of(list(ids.values()))}
    assert set(links) == {(ids["28_bristol"], ids["29_bristol"], "decided_by"),
                          (ids["32_kent"], ids["33_kent"], "same_decision")}  # and no false link between councils
    assert links[(ids["32_kent"], ids["33_kent"], "same_decision")] == "both concern decision 24/00093"
    assert "Workplace Parking Levy" in links[(ids["28_bristol"], ids["29_bristol"], "decided_by")]


def test_history_of_the_call_in(real: tuple[Settings, dict[str, str]]) -> None:
    from index.history import paper_history
    from index.store import Store

    settings, ids = real
    with Store.open(settings, create=False) as store:
        history = paper_history(store, ids["33_kent"])
    assert history is not None
    assert {e.document for e in history.entries} == {ids["32_kent"], ids["33_kent"]}
    review = next(e for e in history.entries if e.current)
    assert review.meeting_date == "2025-03-13" and review.links[0].relation == "same_decision"

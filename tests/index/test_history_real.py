"""Decision history on real papers of the development corpus: a Kent key decision and its call-in review
(shared decision number), a Bristol report and the minutes of the meeting that decided it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "more"
PAPERS = ("28_bristol", "29_bristol", "32_kent", "33_kent")

pytestmark = pytest.mark.skipif(
    not SHARED.exists(), reason="needs the shared development corpus beside the repo"
)


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
    assert set(links) == {
        (ids["28_bristol"], ids["29_bristol"], "decided_by"),
        (ids["32_kent"], ids["33_kent"], "same_decision"),
    }  # and no false link between councils
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


def test_the_bundled_levy_report_and_the_minutes_that_noted_its_update(tmp_path: Path) -> None:
    """The bundled Workplace Parking Levy report (September 2024, to the "Transport and Connectivity
    Committee") and the bundled minutes of May 2025 (the "... Policy Committee"): one committee, and the
    report's history shows the minutes' decision on the levy; its recommendations are a section."""
    from index.history import paper_history
    from index.pipeline import ingest_paths
    from index.store import Store

    corpus = Path(__file__).resolve().parents[2] / "corpus"
    files = [
        corpus / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf",
        corpus / "src-bcc-0036_printed-minutes-transport-and-connectivity-policy-committee-15-may-2025.pdf",
    ]
    settings = Settings(store=tmp_path / "store", workers=1)
    assert ingest_paths(files, settings, progress=False).failures == []
    with Store.open(settings, create=False) as store:
        ids = {Path(d.source).name[:12]: d.id for d in store.list_documents()}
        history = paper_history(store, ids["src-bcc-0003"])
        names = store.committee_names("Bristol City Council")
        report = store.get_document(ids["src-bcc-0003"])
    assert (
        names["Transport and Connectivity Committee"] == names["Transport and Connectivity Policy Committee"]
    )
    assert history is not None
    minutes = next(e for e in history.entries if e.document == ids["src-bcc-0036"])
    assert [(d.item_number, d.item, d.outcome) for d in minutes.decisions] == [
        ("19", "Workplace Parking Levy Update", "noted")
    ]
    assert minutes.links[0].relation == "same_matter"
    assert report is not None
    recommendations = [p.text for p in report.passages if p.section == "recommendations"]
    assert any(t.startswith("Approve, subject to suitable resource") and "WPL" in t for t in recommendations)


def test_searching_the_levy_reports_recommendations_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`search --section recommendations "workplace parking levy"`: the recommendations say only "WPL", which
    the report defines as "Workplace Parking Levy (WPL)", so the name written out finds them (and its
    acronym the same passages)."""
    from api.cli import main
    from index.pipeline import ingest_paths

    corpus = Path(__file__).resolve().parents[2] / "corpus"
    settings = Settings(store=tmp_path / "store", workers=1)
    report = corpus / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
    assert ingest_paths([report], settings, progress=False).failures == []
    found = {}
    for query in ("workplace parking levy", "Workplace Parking Levy", "WPL"):
        assert (
            main(
                [
                    "search",
                    query,
                    "--section",
                    "recommendations",
                    "--json",
                    "--server",
                    "off",
                    "--store",
                    str(settings.store),
                ]
            )
            == 0
        )
        results = json.loads(capsys.readouterr().out)["results"]
        assert results and all(r["section"] == "recommendations" for r in results)
        found[query] = {(r["page"], r["paragraph"]) for r in results if r["found"]}
    assert (
        (3, "1") in found["workplace parking levy"] <= found["WPL"]
    )  # "Approve testing options for a WPL ..."
    assert found["Workplace Parking Levy"] == found["workplace parking levy"]

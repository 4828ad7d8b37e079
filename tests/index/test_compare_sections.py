"""Compare by report section: each council's financial (or legal ...) implications, cited, narrowed to a theme."""

from __future__ import annotations

import csv
import io

import pytest

from ingest.settings import Settings

PAPERS = {
    "exeter.txt": (
        "Exeter City Council",
        "Purpose of Report\n\n1.1 This report sets out the Serious Violence Duty plan.\n\n"
        "Financial Implications\n\n2.1 The knife crime and serious violence programme costs £20,000 a "
        "year, met from the Home Office grant.\n\nLegal Implications\n\n3.1 The Police, Crime, "
        "Sentencing and Courts Act 2022 places the Serious Violence Duty on the council.\n",
    ),
    "bath.txt": (
        "Bath and North East Somerset Council",
        "Purpose of Report\n\n1.1 This report reviews residents' parking charges.\n\n"
        "Financial Implications\n\n2.1 Higher permit charges raise £150,000 a year for highway repairs.\n",
    ),
}


@pytest.fixture(scope="module")
def two_councils(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from index.pipeline import ingest_paths
    from ingest.manifest import given_for
    from ingest.parse import find_papers

    folder = tmp_path_factory.mktemp("sections")
    papers = folder / "papers"
    papers.mkdir()
    with (papers / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "council", "committee", "meeting_date"])
        for name, (council, text) in PAPERS.items():
            (papers / name).write_text(text, encoding="utf-8")
            w.writerow([name, council, "Cabinet", "2025-02-03"])
    settings = Settings(store=folder / "store", workers=1)
    summary = ingest_paths([papers], settings, given=given_for(find_papers([papers])[0]), progress=False)
    assert summary.failures == []
    return settings


def test_section_table_cites_each_councils_implications(two_councils: Settings) -> None:
    from index.compare import compare
    from index.store import Store

    with Store.open(two_councils, create=False) as store:
        table = compare(store, "section")
        narrowed = compare(store, "section", theme="serious_violence")
    exeter, bath = "Exeter City Council", "Bath and North East Somerset Council"
    assert {"financial", "legal", "purpose"} <= set(table.columns)
    assert table.labels["financial"] == "Financial implications"
    money = table.cell(exeter, "financial")
    assert money is not None and money.citations[0].quote.startswith(
        "The knife crime and serious violence programme"
    )
    assert table.cell(bath, "financial").citations[0].quote.startswith("Higher permit charges")  # type: ignore[union-attr]
    assert table.state(bath, "legal") == "silent"
    assert narrowed.cell(exeter, "financial") is not None
    assert narrowed.state(bath, "financial") == "silent"  # its money is about parking, not serious violence


def test_section_table_by_cli_and_http(two_councils: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.cli import main

    assert (
        main(
            [
                "compare",
                "--cols",
                "section",
                "--theme",
                "serious_violence",
                "--format",
                "csv",
                "--store",
                str(two_councils.store),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    filled = {
        (r["Council"], r["Report section"]) for r in rows if r["State"] == "priority"
    }  # what the papers state
    assert ("Exeter City Council", "Financial implications") in filled
    assert ("Bath and North East Somerset Council", "Financial implications") not in filled
    assert (
        main(
            ["compare", "--cols", "theme", "--theme", "serious_violence", "--store", str(two_councils.store)]
        )
        == 1
    )
    assert "only a section table" in capsys.readouterr().err
    with TestClient(create_app(two_councils), raise_server_exceptions=False) as client:
        ok = client.get("/compare", params={"cols": "section", "theme": "serious_violence"})
        bad = client.get("/compare", params={"cols": "section", "theme": "nonsense"})
    assert ok.status_code == 200 and any(c["column"] == "financial" for c in ok.json()["cells"])
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "theme"


def test_section_labels_are_the_vocabulary() -> None:
    from index.compare import COMPARED_SECTIONS
    from nlp.sections import role_labels

    assert set(COMPARED_SECTIONS) <= set(role_labels())

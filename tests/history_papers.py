"""Linked papers of one council made in the test: a report, the minutes that decided it, an update, and
another matter decided at the same meeting. Shared by the store, API and browser tests of decision history."""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.settings import Settings

COUNCIL = "Exeter City Council"
COMMITTEE = "Safer Communities Committee"
PAPERS = {
    "pspo-report.txt": (
        "2024-06-12",
        "Street Drinking Public Spaces Protection Order",
        "report",
        "Purpose of Report\n\n1.1 This report asks the Committee to make a Public Spaces Protection "
        "Order for street drinking in the city centre.\n\nRecommendations\n\n2.1 That the Committee "
        "approves the Order.\n\nFinancial Implications\n\n3.1 Signage costs £4,000.\n",
    ),
    "minutes.txt": (
        "2024-06-12",
        "Minutes of the Safer Communities Committee, 12 June 2024",
        "minutes",
        "Minutes of the Safer Communities Committee\n\nPresent: Councillors Ash, Birch and Cedar\n\n"
        "1 Apologies for Absence\n\nThere were none.\n\n"
        "2 Street Drinking Public Spaces Protection Order\n\nThe Committee considered the report.\n\n"
        "Members asked about enforcement in parks.\n\nRESOLVED that the Order be approved as amended "
        "to include the Quay.\n\n"
        "3 Allotment Rents\n\nRESOLVED that the report be noted.\n",
    ),
    "pspo-update.txt": (
        "2025-01-15",
        "Street Drinking Public Spaces Protection Order Update",
        "report",
        "Purpose of Report\n\n1.1 This report updates the Committee on the first six months of the "
        "Order made on 12 June 2024.\n",
    ),
    "allotments.txt": (
        "2024-06-12",
        "Allotment Rents",
        "report",
        "Purpose of Report\n\n1.1 This report reviews allotment rents.\n",
    ),
}


def build_history_store(folder: Path, **settings: object) -> tuple[Settings, dict[str, str]]:
    """Ingest the papers with a manifest; returns the settings and file name -> document id."""
    from index.pipeline import ingest_paths
    from index.store import Store
    from ingest.manifest import given_for
    from ingest.parse import find_papers

    papers = folder / "papers"
    papers.mkdir()
    with (papers / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "council", "committee", "meeting_date", "title", "paper_kind"])
        for name, (date, title, kind, text) in PAPERS.items():
            (papers / name).write_text(text, encoding="utf-8")
            w.writerow([name, COUNCIL, COMMITTEE, date, title, kind])
    config = Settings(store=folder / "store", workers=1, **settings)
    summary = ingest_paths([papers], config, given=given_for(find_papers([papers])[0]), progress=False)
    assert summary.failures == [] and summary.papers == 4
    with Store.open(config, create=False) as store:
        ids = {Path(d.source).name: d.id for d in store.list_documents()}
    return config, ids

"""A stated priority whose words no keyword row names gets, at ingest, the theme of the written priorities
its vector is nearest (index.resolve.priority_themes), so compare and the theme filter agree on it."""

from __future__ import annotations

from pathlib import Path

from index.compare import compare
from index.pipeline import ingest_paths
from index.resolve import priority_themes
from index.store import Store
from ingest.settings import Settings
from nlp.model import Extraction, Metadata, Priority
from nlp.themes import themes_for

UNNAMED = "Supporting those harmed by controlling partners"  # domestic abuse, in words no keyword row holds
PAPER = f"""Northvale Community Safety Partnership: Annual Plan

Report to the Safer Northvale Board, 12 March 2025

Our priorities for 2025-2028 are:

1. {UNNAMED}
2. Reducing anti-social behaviour in the town centre
3. Value for money in everything we do

The partnership will report on each priority every quarter.
"""


def test_an_unnamed_priority_takes_its_nearest_theme_at_ingest(tmp_path: Path) -> None:
    assert themes_for(UNNAMED) == ()
    settings = Settings(store=tmp_path / "store", workers=1)
    given = Extraction(
        "d1",
        "plan.txt",
        Metadata(),
        priorities=(Priority(UNNAMED, ()), Priority("Value for money in everything we do", ())),
    )
    themed = priority_themes(given, settings)
    assert themed is not None
    assert [p.themes for p in themed.priorities] == [("domestic_abuse",), ()]  # other business gets none

    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "plan.txt").write_text(PAPER, encoding="utf-8")
    council = (("council", "Northvale Borough Council"),)
    assert ingest_paths([folder], settings, given=lambda _: council, progress=False).failures == []
    with Store.open(settings, create=False) as store:
        table = compare(store, "theme")
    assert table.rows == ("Northvale Borough Council",)
    assert table.state("Northvale Borough Council", "domestic_abuse") == "priority"
    assert table.state("Northvale Borough Council", "asb") == "priority"

"""Decision history through the API, the command line and the paper page (in Chromium where installed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.api.browser import ARGS, CHROMIUM


def test_history_route(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, ids = linked_papers
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        body = client.get(f"/documents/{ids['pspo-report.txt']}/history").json()
        missing = client.get("/documents/0000000000000000/history")
        doc = client.get(f"/documents/{ids['minutes.txt']}").json()
    assert [e["document"] for e in body["entries"]] == [
        ids["pspo-report.txt"],
        ids["minutes.txt"],
        ids["pspo-update.txt"],
    ]
    proposed = body["entries"][0][
        "recommendations"
    ]  # the report's proposal, answered by the minutes' decision
    assert [r["text"] for r in proposed] == ["That the Committee approves the Order."]
    decided = body["entries"][1]
    assert decided["kind"] == "minutes" and decided["decisions"][0]["outcome"] == "amended"
    assert any(k["relation"] == "decided_by" and "Street Drinking" in k["reason"] for k in decided["links"])
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "doc_id"
    assert [d["outcome"] for d in doc["decisions"]] == ["amended", "noted"]
    assert {p["section"] for p in doc["passages"]} >= {"resolution", "discussion", "procedural"}


def test_history_command(
    linked_papers: tuple[Settings, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from api.cli import main

    settings, ids = linked_papers
    assert main(["history", ids["pspo-update.txt"], "--store", str(settings.store)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0].startswith("  2024-06-12  report")
        and "Street Drinking Public Spaces Protection Order" in out[0]
    )
    assert any(
        "item 2 Street Drinking Public Spaces Protection Order: approved as amended" in line for line in out
    )
    current = next(n for n, line in enumerate(out) if line.startswith("*"))
    assert out[current].startswith("* 2025-01-15")  # this paper, marked, and why it is linked
    assert any(
        "same matter: item 2 'Street Drinking Public Spaces Protection Order'" in line
        for line in out[current:]
    )
    assert main(["history", ids["pspo-update.txt"], "--json", "--store", str(settings.store)]) == 0
    assert json.loads(capsys.readouterr().out)["entries"][2]["current"] is True


def test_history_json_lists_a_papers_own_decisions(
    linked_papers: tuple[Settings, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The minutes' history lists all their decisions (the allotments item too), linked or not."""
    from api.cli import main

    settings, ids = linked_papers
    assert main(["history", ids["minutes.txt"], "--json", "--store", str(settings.store)]) == 0
    own = next(e for e in json.loads(capsys.readouterr().out)["entries"] if e["current"])
    assert [(d["item_number"], d["outcome"]) for d in own["decisions"]] == [("2", "amended"), ("3", "noted")]
    assert main(["history", "nope", "--store", str(settings.store)]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"councilpapers history: no such document in {settings.store}: nope"
    )


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (`make test` installs it)")
def test_timeline_on_the_paper_page(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    from api.serving import background_server

    settings, ids = linked_papers
    with background_server(settings) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/app/papers/{ids['pspo-update.txt']}")
        items = page.locator("section.timeline li")
        assert items.count() == 3
        assert "amended" in items.nth(1).inner_text().lower()
        items.nth(1).locator(".decided a").click()  # the citation opens the minutes at the resolution
        page.wait_for_url(f"**/app/papers/{ids['minutes.txt']}#p*")
        assert "approved as amended" in page.locator(":target").inner_text()
        browser.close()

"""Council and committee names resolved or answered everywhere: the CLI exits 2 with the suggestion, the API
answers 422 with it in the error, the web pages show it above the results (and their drop-downs do not claim
"Any council"): search, compare, precedents and saved searches."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from ingest.settings import Settings
from tests.api.conftest import API_KEY

SUGGEST = "did you mean Hampshire County Council?"


def cli(settings: Settings, *args: str) -> list[str]:
    return ["--store", str(settings.store), "--server", "off", *args]


@pytest.mark.parametrize(
    "args",
    [
        ["search", "knife crime", "--mode", "keyword", "--council", "Hampshre County Council"],
        ["search", "knife crime", "--mode", "keyword", "--council", "Hampshre"],
        ["compare", "--councils", "Hampshre County Council"],
        ["precedents", "knife crime", "--exclude-council", "Hampshre County Council"],
    ],
)
def test_the_cli_exits_2_with_the_suggestion(
    seed_settings: Settings, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(cli(seed_settings, *args)) == 2
    captured = capsys.readouterr()
    assert SUGGEST in captured.err and captured.err.count("\n") == 1 and not captured.out


def test_the_cli_reads_an_unambiguous_part_and_answers_other_names(
    seed_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            cli(
                seed_settings,
                "search",
                "knife crime",
                "--mode",
                "keyword",
                "--council",
                "hampshire",
                "--json",
            )
        )
        == 0
    )
    hits = json.loads(capsys.readouterr().out)["results"]
    assert hits and {h["council"] for h in hits} == {"Hampshire County Council"}
    assert main(cli(seed_settings, "search", "x", "--mode", "keyword", "--committee", "scrutiny")) == 2
    err = capsys.readouterr().err
    assert "Overview and Scrutiny Committee or Overview and Scrutiny Performance Board" in err
    assert main(cli(seed_settings, "search", "x", "--mode", "keyword", "--committee", "Cabnet")) == 2
    assert "did you mean Cabinet?" in capsys.readouterr().err


def test_search_exports_csv_from_the_command(
    seed_settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCILPAPERS_PUBLIC_URL", "https://papers.example.org")
    assert (
        main(
            cli(
                seed_settings,
                "search",
                "knife crime",
                "--mode",
                "keyword",
                "--council",
                "hampshire",
                "--format",
                "csv",
                "-k",
                "3",
            )
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and [r["Rank"] for r in rows] == ["1", "2", "3"]
    assert all(
        r["Council"] == "Hampshire County Council"
        and r["Link"].startswith("https://papers.example.org/app/papers/")
        for r in rows
    )
    assert all(r["Quote"] and "knife crime" in (r["Quote"] + r["Heading"]).lower() for r in rows)


def test_saved_searches_refuse_a_misspelt_name_and_keep_a_council_not_yet_stored(
    fresh_copy: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--store",
                str(fresh_copy.store),
                "alerts",
                "add",
                "--query",
                "knife crime",
                "--council",
                "Hampshre County Council",
            ]
        )
        == 2
    )
    assert SUGGEST in capsys.readouterr().err
    assert (
        main(
            [
                "--store",
                str(fresh_copy.store),
                "alerts",
                "add",
                "--query",
                "knife crime",
                "--council",
                "hampshire",
                "--council",
                "Kent County Council",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--store", str(fresh_copy.store), "alerts", "list", "--json"]) == 0
    saved = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert saved["councils"] == ["Hampshire County Council", "Kent County Council"]


@pytest.fixture()
def writer(fresh_copy: Settings):  # noqa: ANN201
    from api.app import create_app

    with TestClient(create_app(fresh_copy), raise_server_exceptions=False) as c:
        yield c


def test_the_api_answers_422_with_the_suggestion(writer: TestClient) -> None:
    for path, params, field in (
        ("/search", {"q": "knife crime", "council": "Hampshre County Council"}, "council"),
        ("/search", {"q": "knife crime", "committee": "Cabnet"}, "committee"),
        ("/compare", {"councils": "Hampshre County Council"}, "councils"),
        ("/precedents", {"q": "knife crime", "exclude_council": "Hampshre"}, "exclude_council"),
    ):
        r = writer.get(path, params=params)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["error"]["field"] == field and "did you mean" in r.json()["error"]["message"], path
    made = writer.post(
        "/alerts",
        json={"query": "knife crime", "councils": ["Hampshre County Council"]},
        headers={"X-API-Key": API_KEY},
    )
    assert made.status_code == 422 and SUGGEST in made.json()["error"]["message"]
    ok = writer.get("/search", params={"q": "knife crime", "council": "hampshire", "mode": "keyword"})
    assert ok.status_code == 200 and {h["council"] for h in ok.json()["results"]} == {
        "Hampshire County Council"
    }


def test_the_search_page_says_so_above_the_results_and_does_not_claim_any_council(client: TestClient) -> None:
    r = client.get("/app/search", params={"q": "knife crime", "council": "Hampshre"})
    assert r.status_code == 422
    page = r.text
    assert SUGGEST in page and page.index('class="notice"') < page.index("</main>")
    assert '<option value="Hampshre" selected>Hampshre (no such council)</option>' in page
    assert '<option value="" selected' not in page
    assert 'href="/app/search?q=knife+crime&amp;council=Hampshire+County+Council"' in page
    assert '<ol class="results"' not in page  # nothing searched under a name that means nothing
    part = client.get("/app/search", params={"q": "knife crime", "council": "hampshire", "mode": "keyword"})
    assert part.status_code == 200 and "read as Hampshire County Council" in part.text
    assert '<option value="Hampshire County Council" selected>' in part.text
    assert 'href="/app/search.csv?' in part.text
    export = client.get(
        "/app/search.csv", params={"q": "knife crime", "council": "hampshire", "mode": "keyword"}
    )
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert export.status_code == 200 and rows and {r["Council"] for r in rows} == {"Hampshire County Council"}


def test_the_precedents_page_says_so_too(client: TestClient) -> None:
    r = client.get(
        "/app/precedents", params={"q": "knife crime", "exclude_council": "Hampshre County Council"}
    )
    assert r.status_code == 422 and SUGGEST in r.text
    assert '<option value="Hampshre County Council" selected>' in r.text


def test_a_council_with_no_papers_yet_can_still_be_followed(client: TestClient) -> None:
    r = client.get("/app/search", params={"q": "knife crime", "council": "Kent County Council"})
    assert r.status_code == 422 and "no such council" in r.text and "did you mean" not in r.text
    assert (
        'class="follow' in r.text and 'value="Kent County Council"' in r.text
    )  # a saved search waits for them
    assert '<ol class="results"' not in r.text

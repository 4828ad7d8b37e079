"""The compare page shows every cell's state, and a print view; the HTTP exports are the library's (tidy CSV with
headers in words and a link on every cited row, formatted XLSX with hyperlinks); council names that match none
are a 422 with a suggestion (API) or a notice above the table (page)."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from ingest.settings import Settings

PUBLIC = "https://papers.example.org"


@pytest.fixture(scope="module")
def public_client(seed_settings: Settings):  # noqa: ANN201
    from api.app import create_app

    with TestClient(
        create_app(seed_settings.model_copy(update={"public_url": PUBLIC})), raise_server_exceptions=False
    ) as c:
        yield c


def test_compare_page_shows_discussed_and_silent(client: TestClient) -> None:
    page = client.get("/app/compare", params={"cols": "theme"}).text
    assert 'class="state state-discussed"' in page and ">silent<" in page
    assert "wide table, one row per council" in page


def test_http_csv_is_tidy_in_words_and_xlsx_links_every_filled_cell(public_client: TestClient) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    table = public_client.get("/compare", params={"cols": "theme"}).json()
    r = public_client.get("/compare", params={"cols": "theme", "format": "csv"})
    assert r.headers["content-disposition"].endswith('compare-theme.csv"')
    df = pd.read_csv(io.BytesIO(r.content), keep_default_na=False)
    assert list(df.columns) == [
        "Council",
        "Theme",
        "State",
        "Stated priorities",
        "Quote",
        "Paper",
        "Meeting date",
        "Page",
        "Paragraph",
        "Link",
    ]
    assert df.shape[0] == len(table["rows"]) * len(table["columns"])
    assert set(df["Theme"]) == set(table["labels"].values()) and "domestic_abuse" not in set(df["Theme"])
    assert set(df["State"]) <= {"priority", "discussed", "silent", "no papers in range"}
    assert {"priority", "discussed"} <= set(df["State"])
    cited = df[df["Quote"] != ""]
    assert len(cited) and all(
        cited["Link"].str.startswith(f"{PUBLIC}/app/papers/")
    )  # a link on every cited row
    assert not df.isin([".txt"]).any().any() and not any(
        "/" in str(p) for p in df["Paper"]
    )  # no server paths
    for quote in cited["Quote"]:  # whole sentences, or an ellipsis where one was cut
        assert re.search(r"[.!?:;)\u2026\"'\u201d\w]$", quote), quote
    wide = public_client.get("/compare", params={"cols": "theme", "format": "csv-wide"})
    assert pd.read_csv(io.BytesIO(wide.content)).shape == (len(table["rows"]), len(table["columns"]) + 1)
    wb = load_workbook(
        io.BytesIO(public_client.get("/compare", params={"cols": "theme", "format": "xlsx"}).content)
    )
    ws = wb["table"]
    assert ws["A1"].font.bold and ws.freeze_panes == "B2" and ws.auto_filter.ref
    filled = [
        c
        for row in ws.iter_rows(min_row=2, min_col=2)
        for c in row
        if c.value not in ("silent", "no papers in range")
    ]
    assert filled and all(c.hyperlink is not None for c in filled)
    links = [c.hyperlink.target for s in wb for row in s.iter_rows() for c in row if c.hyperlink]
    assert links and all(x.startswith(("http://", "https://")) for x in links)  # never a path on the server


def test_a_misspelt_council_is_a_422_with_a_suggestion(client: TestClient) -> None:
    r = client.get("/compare", params=[("cols", "theme"), ("councils", "Hampshre County Council")])
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "councils" and "did you mean Hampshire County Council?" in error["message"]
    ok = client.get("/compare", params=[("cols", "theme"), ("councils", "hampshire")])
    assert ok.status_code == 200 and ok.json()["rows"] == ["Hampshire County Council"]


def test_the_page_says_so_above_the_table_and_compares_the_rest(client: TestClient) -> None:
    r = client.get(
        "/app/compare",
        params=[("cols", "theme"), ("councils", "Hampshre County Council"), ("councils", "test valley")],
    )
    assert r.status_code == 422
    page = r.text
    notice = page.index('class="notice')
    assert notice < page.index('<table class="compare"')
    assert (
        "did you mean" in page
        and 'href="/app/compare?cols=theme&amp;councils=Test+Valley+Borough+Council'
        '&amp;councils=Hampshire+County+Council"'
        in page
    )
    assert "council &#39;test valley&#39; read as Test Valley Borough Council" in page
    rows = re.findall(r'<tr><th scope="row">([^<]+)<br>', page)
    assert rows == ["Test Valley Borough Council"]


def test_the_print_view_holds_every_column_with_the_council_column_repeated(
    public_client: TestClient,
) -> None:
    table = public_client.get("/compare", params={"cols": "theme"}).json()
    page = public_client.get("/app/compare", params={"cols": "theme"}).text
    view = page[page.index('<section class="compare-print') :]
    parts = view.split('<div class="print-part">')[1:]
    assert len(parts) == -(-len(table["columns"]) // 7)  # 7 columns a part on A4
    for part in parts:
        heads = re.findall(r'<th scope="col">([^<]+)</th>', part)
        assert heads[0] == "Council" and 1 < len(heads) <= 8
        assert re.findall(r'<th scope="row">([^<]+)</th>', part) == table["rows"]
    labels = [
        h for part in parts for h in re.findall(r'<th scope="col">([^<]+)</th>', part) if h != "Council"
    ]
    assert labels == [table["labels"][c].replace("'", "&#39;") for c in table["columns"]]
    marks = [int(m) for m in re.findall(r"<sup>(\d+)</sup>", view)]
    notes = [int(n) for n in re.findall(r'<li value="(\d+)">', view)]
    assert marks == notes == list(range(1, sum(len(c["citations"]) for c in table["cells"]) + 1))
    assert f"{PUBLIC}/app/papers/" in view
    a3 = public_client.get("/app/compare", params={"cols": "theme", "paper": "a3"}).text
    assert 'class="compare-print paper-a3"' in a3 and a3.count('<div class="print-part">') == -(
        -len(table["columns"]) // 11
    )

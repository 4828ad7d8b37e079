"""The compare page shows every cell's state; the HTTP exports are the library's (tidy CSV, formatted XLSX)."""
from __future__ import annotations

import io

from fastapi.testclient import TestClient


def test_compare_page_shows_discussed_and_silent(client: TestClient) -> None:
    page = client.get("/app/compare", params={"cols": "theme"}).text
    assert 'class="state state-discussed"' in page and ">silent<" in page
    assert "wide table, one row per council" in page


def test_http_csv_is_tidy_and_xlsx_is_formatted(client: TestClient) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    table = client.get("/compare", params={"cols": "theme"}).json()
    r = client.get("/compare", params={"cols": "theme", "format": "csv"})
    assert r.headers["content-disposition"].endswith('compare-theme.csv"')
    df = pd.read_csv(io.BytesIO(r.content), keep_default_na=False)
    assert df.shape[0] == len(table["rows"]) * len(table["columns"])
    assert set(df["state"]) <= {"priority", "discussed", "silent", "no papers in range"}
    assert {"priority", "discussed"} <= set(df["state"])
    wide = client.get("/compare", params={"cols": "theme", "format": "csv-wide"})
    assert pd.read_csv(io.BytesIO(wide.content)).shape == (len(table["rows"]), len(table["columns"]) + 1)
    wb = load_workbook(io.BytesIO(client.get("/compare", params={"cols": "theme", "format": "xlsx"}).content))
    ws = wb["table"]
    assert ws["A1"].font.bold and ws.freeze_panes == "B2" and ws.auto_filter.ref
    links = [c.hyperlink.target for s in wb for row in s.iter_rows() for c in row if c.hyperlink]
    assert not [x for x in links if not x.startswith(("http://", "https://"))]  # never a path on the server

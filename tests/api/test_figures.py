"""Figures that read well: a paper's headline figures are found in the comparison, each under its measure
and a sensible period, and what a figure counts reads as words on the paper page."""

from __future__ import annotations

from index.compare import compare
from index.measures import about_label, period_label
from index.store import Store
from ingest.settings import Settings
from tests.api.flow_papers import COUNCIL


def test_headline_figures_are_found_under_their_measures(flow_settings: Settings) -> None:
    with Store.open(flow_settings, create=False) as store:
        table = compare(store, "metric", councils=[COUNCIL])
    items = {c.column.split("|")[0]: c.items for c in table.cells}
    assert any(i.startswith("12% fall") for i in items.get("burglary", ())), items
    assert any(i.startswith("18% fall") for i in items.get("asb_reports", ())), items
    assert any(i.startswith("86") for i in items.get("knives_removed", ())), items
    for label in table.labels.values():
        assert ".." not in label and "-10-31" not in label, label


def test_periods_and_labels_read_as_words() -> None:
    assert (
        period_label({"start": "2025-10-31", "end": "2025-10-31"}) == "2025/26"
    )  # a day: its financial year
    assert period_label({"start": "2024-03-01", "end": "2024-03-31"}) == "2023/24"
    assert period_label({"start": "2022-04-01", "end": "2025-03-31"}) == "2022/23-2024/25"
    assert period_label({"start": "2020-12-01", "end": "2021-11-30"}) == "Dec 2020-Nov 2021"
    assert about_label("budget for is which includes") == "budget"
    assert about_label("k and an additional") is None
    assert about_label("received a Safer Streets grant") == "Safer Streets grant"
    assert about_label("Reports of domestic abuse") == "Reports of domestic abuse"


def test_paper_page_figures_and_original_at_the_cited_page(flow_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.flow_papers import URL

    with Store.open(flow_settings, create=False) as store:
        doc = next(d for d in store.list_documents() if d.council == COUNCIL)
    with TestClient(create_app(flow_settings)) as client:
        html = client.get(f"/app/papers/{doc.id}").text
    figures = html[html.index("Figures reported (") : html.index("</ul>", html.index("Figures reported ("))]
    assert "86</strong>" in figures and "12%</strong> fall" in figures
    assert "is which includes" not in figures
    assert f'href="{URL}"' in html and "(published by the council)" in html
    assert f'href="{URL}#page=2"' in html  # the page marker of page 2 opens the PDF there
    assert 'data-page="2"' in html

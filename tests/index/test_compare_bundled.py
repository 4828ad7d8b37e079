"""`compare --format csv` over the bundled corpus as `make run` ingests it (corpus/manifest.csv read) with
COUNCILPAPERS_PUBLIC_URL set: headers in words, labels, whole quotes, no ids or server paths, a web link on
every cited row; the XLSX's cited cells are hyperlinks; and cells are right: form guidance and template
fields never make one, every figure has a column, a stated priority is a priority cell."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from api.cli import main
from ingest.settings import Settings
from tests.index.compare_papers import ELMBRIDGE, KESTON, write_papers

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://papers.example.org"
BRISTOL_REPORT = (
    "https://democracy.bristol.gov.uk/documents/s100552/Committee%2BReport%2BWorkplace%2BParking%2BLevy.pdf"
)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled corpus (a copy, with its manifest) and two made-up papers, ingested by the command."""
    folder = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    write_papers(folder / "more")
    settings = Settings(store=folder / "store", workers=1)
    for papers in (folder / "corpus", folder / "more"):
        assert main(["--store", str(settings.store), "ingest", "--quiet", str(papers)]) == 0
    return settings


def compare_out(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> str:
    monkeypatch.setenv("COUNCILPAPERS_PUBLIC_URL", PUBLIC)
    assert main(["--store", str(settings.store), "compare", *args]) == 0
    return capsys.readouterr().out


def test_the_csv_reads_as_a_person_would_and_links_every_cited_row(
    bundled: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nlp.themes import theme_labels

    out = compare_out(bundled, capsys, monkeypatch, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
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
    assert {r["Council"] for r in rows} >= {
        "Bristol City Council",
        "Hampshire County Council",
        ELMBRIDGE,
        KESTON,
    }
    labels = {re.split(r" \(|[,:]", v)[0] for v in theme_labels().values()}
    assert {r["Theme"] for r in rows} <= labels and not {r["Theme"] for r in rows} & set(theme_labels())
    cited = [r for r in rows if r["Quote"]]
    assert len(cited) > 40
    for r in cited:
        assert r["Link"].startswith(("https://", "http://")), r  # a web link on every cited row
        assert r["Paper"] and r["Meeting date"], r
        # whole sentences or items, or an ellipsis where one was cut: never a word cut off
        assert re.search(r"[.!?:;)\u2026\"'\u2019\u201d]$|\w$", r["Quote"]), r["Quote"]
    text = "\n".join(v for r in rows for k, v in r.items() if k != "Link")  # the cells a person reads
    assert not re.search(r"\b[0-9a-f]{16}\b", text)  # no document ids
    assert ".txt" not in text and ".pdf" not in text and "corpus/" not in text and "/srv" not in text
    assert not re.search(r"^(domestic_abuse|serious_violence|county_lines)$", text, re.M)
    bristol = [
        r for r in cited if r["Council"] == "Bristol City Council" and "democracy.bristol" in r["Link"]
    ]
    assert bristol and all(
        r["Link"].startswith(BRISTOL_REPORT) for r in bristol
    )  # the manifest's published URL


def test_the_xlsx_links_every_cited_cell(
    bundled: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "themes.xlsx"
    compare_out(bundled, capsys, monkeypatch, "--format", "xlsx", "-o", str(out))
    book = load_workbook(out)
    filled = [
        c
        for row in book["table"].iter_rows(min_row=2, min_col=2)
        for c in row
        if c.value not in ("silent", "no papers in range")
    ]
    assert filled and all(c.hyperlink is not None and c.hyperlink.target.startswith("http") for c in filled)
    links = [row[-1] for row in book["citations"].iter_rows(min_row=2)]
    assert links and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in links)


def test_form_guidance_and_template_fields_never_make_a_cell(bundled: Settings) -> None:
    from index.compare import compare, passage_rows
    from index.guidance import is_form_text
    from index.store import Store

    with Store.open(bundled, create=False) as store:
        tables = [
            compare(store, cols) for cols in ("theme", "partnership-kind", "operation", "metric", "section")
        ]
        cited = {(x.document, x.passage) for t in tables for c in t.cells for x in c.citations}
        rows = passage_rows(store, cited)
    assert cited and not [k for k, p in rows.items() if is_form_text(p["text"], p["section"])]
    themes = tables[0]
    assert {themes.state(KESTON, col) for col in themes.columns} == {
        "silent"
    }  # a form's guidance is not talk
    assert themes.state(ELMBRIDGE, "voluntary_sector") == "silent"  # "Data checked by: ..., Partnerships"
    for cell in (c for c in themes.cells if c.row == "Bristol City Council"):
        assert "you" not in cell.citations[0].quote.lower().split(), cell  # not the equality form's guidance


def test_every_figure_has_a_column(
    bundled: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = compare_out(
        bundled, capsys, monkeypatch, "--cols", "metric", "--councils", ELMBRIDGE, "--format", "csv"
    )
    rows = {r["Measure"]: r for r in csv.DictReader(io.StringIO(out)) if r["State"] == "priority"}
    asb = rows["Anti-social behaviour in the town centre (%)"]
    assert asb["Figures"] == "-38%" and "38% fall in anti-social behaviour" in asb["Quote"]
    assert (
        rows["Proven reoffending by the cohort managed under Integrated Offender Management (%)"]["Figures"]
        == "-9%"
    )


def test_stated_priorities_are_priority_cells(bundled: Settings) -> None:
    from index.compare import compare
    from index.store import Store

    with Store.open(bundled, create=False) as store:
        table = compare(store, "theme", councils=["elmbridge"])
    for theme in ("serious_violence", "exploitation", "drugs_alcohol"):  # "The priority areas include ..."
        assert table.state(ELMBRIDGE, theme) == "priority", theme
        assert "priority areas include" in table.cell(ELMBRIDGE, theme).citations[0].quote


def test_a_priority_stated_as_is_a_priority_of_is_a_priority_cell(bundled: Settings) -> None:
    from index.compare import compare
    from index.store import Store

    with Store.open(bundled, create=False) as store:
        table = compare(store, "theme", councils=[ELMBRIDGE])
    assert table.state(ELMBRIDGE, "asb") == "priority"

"""Comparison tables on a store built from the bundled seeds: gold tables reproduced, every quote real."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from api.cli import main
from index.compare import compare
from index.measures import UNIT_WORDS, measure_of, period_label
from index.quotes import QUOTE_CHARS, quote_around, quote_span
from index.store import Store
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "nlp" / "eval" / "gold"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from index.pipeline import ingest_paths

    s = Settings(store=tmp_path_factory.mktemp("store"), workers=1)
    summary = ingest_paths(sorted((ROOT / "corpus").glob("0*.txt")), s, progress=False)
    assert summary.papers == 5 and not summary.failures
    return s


def run_json(settings: Settings, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert (
        main(["--store", str(settings.store), "compare", "--rows", "council", *args, "--format", "json"]) == 0
    )
    return json.loads(capsys.readouterr().out)


def gold_cells(cols: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The benchmark's reading of the gold, on the seed gold copied beside the tests."""
    spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "benchmarks" / "bench_compare.py")
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    return bench.gold_cells(cols, GOLD)


@pytest.mark.parametrize("cols", ["theme", "partnership-kind"])
def test_the_gold_table_is_reproduced(
    settings: Settings, capsys: pytest.CaptureFixture[str], cols: str
) -> None:
    data = run_json(settings, capsys, "--cols", cols)
    required, optional = gold_cells(cols)
    assert required, "no gold"
    # stated priorities and named partnerships only; optional items count neither way
    got = {(c["row"], c["column"]) for c in data["cells"] if c["state"] == "priority"} - optional
    tp = len(got & required)
    precision, recall = tp / max(len(got), 1), tp / len(required)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(
        f"{cols}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}; missed {sorted(required - got)}; "
        f"extra {sorted(got - required)}"
    )
    assert f1 >= 0.9
    assert set(data["rows"]) == {
        "Hampshire County Council",
        "Test Valley Borough Council",
        "Worcestershire County Council",
        "Herefordshire Council",
        "Three Rivers District Council",
    }


@pytest.mark.parametrize("cols", ["theme", "partnership-kind", "operation", "metric"])
def test_every_quote_is_words_of_the_cited_passage(
    settings: Settings, capsys: pytest.CaptureFixture[str], cols: str
) -> None:
    data = run_json(settings, capsys, "--cols", cols)
    assert data["cells"], f"no cells for {cols}"
    with Store.open(settings, create=False) as store:
        for cell in data["cells"]:
            assert cell["citations"], cell
            for c in cell["citations"]:
                text = store.conn.execute(
                    "SELECT text FROM passages WHERE document_id = ? AND idx = ?",
                    (c["document"], c["passage"]),
                ).fetchone()[0]
                assert c["quote"] and c["quote"] in text, (cell["row"], cell["column"], c["quote"])
                assert c["source"].endswith(".txt") and len(c["quote"]) <= QUOTE_CHARS + 20
                at = text.find(c["quote"])  # never cut mid-word; a cut sentence is shown with an ellipsis
                end = at + len(c["quote"])
                assert at == 0 or not text[at - 1].isalnum(), c["quote"]
                assert end == len(text) or not text[end].isalnum(), c["quote"]
                cut = c["quote_shown"] != c["quote"]
                assert not cut or c["quote_shown"].strip("\u2026") == c["quote"]


def test_cells_name_what_fills_them(settings: Settings) -> None:
    with Store.open(settings, create=False) as store:
        kinds = compare(store, "partnership-kind")
        ops = compare(store, "operation", min_councils=2)
    cell = kinds.cell("Worcestershire County Council", "county_community_safety_board")
    assert cell is not None and "Worcestershire Safer Communities Board" in cell.items
    assert "Safer Communities Board" in cell.citations[0].quote
    hcsp = kinds.cell("Herefordshire Council", "community_safety_partnership")
    assert hcsp is not None and "CSP" in hcsp.citations[0].quote
    # White Ribbon is one national campaign: Worcestershire's campaign and Herefordshire's conference
    assert "white-ribbon" in ops.columns
    assert {c.row for c in ops.cells if c.column == "white-ribbon"} == {
        "Worcestershire County Council",
        "Herefordshire Council",
    }


def test_empty_cells_say_silent_or_no_papers_in_range(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(
        settings,
        capsys,
        "--cols",
        "theme",
        "--from",
        "2022-01-01",
        "--councils",
        "Herefordshire Council",
        "Hampshire County Council",
        "Test Valley",
    )
    assert data["rows"] == [
        "Herefordshire Council",
        "Hampshire County Council",
        "Test Valley Borough Council",
    ]
    assert {c["row"] for c in data["cells"]} == {"Herefordshire Council"}
    reasons = {(e["row"], e["column"]): e["reason"] for e in data["empty"]}
    assert reasons[("Hampshire County Council", "vawg")] == "no papers in range"
    assert data["papers"] == {
        "Herefordshire Council": 1,
        "Hampshire County Council": 0,
        "Test Valley Borough Council": 0,
    }
    silent = [col for col in data["columns"] if ("Herefordshire Council", col) in reasons]
    assert all(reasons[("Herefordshire Council", col)] == "silent" for col in silent)


@pytest.mark.parametrize(
    ("council", "theme"),
    [
        ("Three Rivers District Council", "serious_violence"),
        ("Worcestershire County Council", "domestic_abuse"),
    ],
)
def test_a_council_whose_papers_discuss_a_theme_is_not_silent(
    settings: Settings, council: str, theme: str
) -> None:
    with Store.open(settings, create=False) as store:
        table = compare(store, "theme")
    assert table.state(council, theme) in ("priority", "discussed")
    cell = table.cell(council, theme)
    assert cell is not None and cell.citations and cell.citations[0].quote


def test_no_council_is_silent_on_a_theme_its_passages_are_about(settings: Settings) -> None:
    """... except where the only passages about it are template text (a sign-off block's "Data checked by:
    ..., Head of Community Partnerships" is not Three Rivers discussing the voluntary sector)."""
    from index.compare import passage_rows, template_text

    with Store.open(settings, create=False) as store:
        table = compare(store, "theme")
        docs = {d.id: d.council for d in store.list_documents()}
        hits = store.passage_themes(list(docs))
        rows = passage_rows(store, {(h.document_id, h.passage) for h in hits})
        about = {
            (docs[h.document_id], h.theme)
            for h in hits
            if not template_text(rows[(h.document_id, h.passage)], h.theme)
        }
        skipped = {(docs[h.document_id], h.theme) for h in hits} - about
    assert about, "no passage themes stored at ingest"
    assert ("Three Rivers District Council", "voluntary_sector") in skipped
    states = {(r, c): table.state(r, c) for r in table.rows for c in table.columns}
    assert not [cell for cell in about if states.get(cell, "silent") == "silent"]
    assert "discussed" in states.values() and "silent" in states.values()
    discussed = [c for c in table.cells if c.state == "discussed"]
    assert all(not c.items and len(c.citations) == 1 for c in discussed)  # the best passage, cited


def test_metric_columns_hold_one_measure_unit_and_period(settings: Settings) -> None:
    with Store.open(settings, create=False) as store:
        table = compare(store, "metric")
    assert table.columns
    for col in table.columns:
        measure, unit, period = col.split("|")
        assert table.units[col] == unit
        assert UNIT_WORDS[unit] in table.labels[col] and (not period or period in table.labels[col])
    asb = [c for c in table.cells if c.column.startswith("asb_reports|percent|")]
    assert asb and all(c.row == "Test Valley Borough Council" for c in asb)
    assert measure_of("reports of ASB to Police") == ("asb_reports", "Reported anti-social behaviour")
    assert measure_of("Wyre Forest, Accepted") is None  # not a known measure: never put beside one
    assert period_label({"start": "2019-04-01", "end": "2020-03-31"}) == "2019/20"
    assert period_label({"start": "2018-01-01", "end": "2018-12-31"}) == "2018"


def test_quotes_are_whole_sentences_or_cut_at_word_boundaries_with_an_ellipsis() -> None:
    text = "First sentence here. " + "word " * 80 + "Operation Venetic seized drugs. " + "tail " * 80
    at = text.index("Operation Venetic")
    q = quote_span(text, at, at + len("Operation Venetic"))
    assert "Operation Venetic" in q.text and q.text in text and len(q.text) <= QUOTE_CHARS
    assert not q.text.startswith("ord") and q.text.split()[0] in {"word", "Operation"}
    assert q.cut_before and q.cut_after and q.shown().startswith("\u2026") and q.shown().endswith("\u2026")
    assert quote_around("Short one. Another here.", 11, 18) == "Another here."
    whole = quote_span(
        "The Board met. Serious violence is a priority of the Community Safety Plan. It rose.", 15, 31
    )
    assert (
        whole.text == "Serious violence is a priority of the Community Safety Plan." and not whole.cut_after
    )
    # a list item is quoted without its marker, whatever the marker
    for marker in ("- ", "\u2022 ", "* ", "(a) ", "b) "):
        item = quote_span(
            f"Priorities:\n{marker}Domestic Abuse\n{marker}Serious violence", 13 + len(marker), 27
        )
        assert item.text == "Domestic Abuse", marker


def test_council_names_resolve_or_exit_2_with_a_suggestion(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(settings, capsys, "--cols", "theme", "--councils", "hampshire", "TEST VALLEY")
    assert data["rows"] == ["Hampshire County Council", "Test Valley Borough Council"]
    for wrong, said in (
        ("Hampshre County Council", "did you mean Hampshire County Council?"),
        ("county", "Hampshire County Council or Worcestershire County Council"),
        ("Kent County Council", "no such council"),
    ):
        assert main(["--store", str(settings.store), "compare", "--councils", "Herefordshire", wrong]) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err


def test_bad_arguments_are_one_line_errors(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(settings.store), "compare", "--format", "xlsx"]) == 1
    assert "give -o FILE.xlsx" in capsys.readouterr().err
    assert main(["--store", str(settings.store), "compare", "--from", "last year"]) == 1
    assert "--from 'last year'" in capsys.readouterr().err
    assert main(["--store", str(settings.store / "nowhere"), "compare"]) == 1
    assert "no store here" in capsys.readouterr().err


def test_xlsx_and_csv_written_from_the_command(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "kinds.xlsx"
    assert (
        main(
            [
                "--store",
                str(settings.store),
                "compare",
                "--cols",
                "partnership-kind",
                "--format",
                "xlsx",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb["table"]["A1"].value == "Council" and wb["citations"].max_row > 20


def test_entities_command_lists_canonical_entities(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(settings.store), "entities", "--type", "operation", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    ribbon = next(r for r in rows if r["name"] == "White Ribbon")
    assert ribbon["scope"] == "national" and ribbon["councils"] == [
        "Herefordshire Council",
        "Worcestershire County Council",
    ]
    assert next(r for r in rows if r["name"] == "Operation Venetic")["councils"] == [
        "Hampshire County Council"
    ]
    assert (
        main(
            [
                "--store",
                str(settings.store),
                "entities",
                "--kind",
                "community_safety_partnership",
                "--council",
                "Herefordshire",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Herefordshire" in out and "Test Valley" not in out
    assert main(["--store", str(settings.store), "entities", "--kind", "nonsense"]) == 1

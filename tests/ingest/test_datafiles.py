"""The one reader of data files: sources and comments passed over, a broken file named with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.datafiles import csv_rows, data_lines, json_data, rule_rows, word_set


def test_word_lists_and_csv_pass_over_their_source(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# Source: written for the test\n\nSafer Streets \n  \nCOUNTY LINES\n", encoding="utf-8")
    assert data_lines(words) == ("Safer Streets ", "COUNTY LINES")
    assert word_set(words) == frozenset({"safer streets", "county lines"})
    table = tmp_path / "units.csv"
    table.write_text("# Source: written for the test\nword,factor\nk,1000\n\nm,1000000\n", encoding="utf-8")
    assert csv_rows(table) == ({"word": "k", "factor": "1000"}, {"word": "m", "factor": "1000000"})


def test_rule_rows_keep_line_numbers_and_name_a_broken_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.jsonl"
    rules.write_text(
        '{"_source": "test"}\n{"kind": "marac", "pattern": "marac"}\n\n{"other": 1}\n{"kind": "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"^rules.jsonl line 5: not JSON"):
        rule_rows(rules, "kind")
    rules.write_text(
        '{"_source": "test"}\n{"kind": "marac", "pattern": "marac"}\n\n{"other": 1}\n', encoding="utf-8"
    )
    assert rule_rows(rules, "kind") == [(2, {"kind": "marac", "pattern": "marac"})]


def test_json_and_missing_files_are_one_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "themes.json"
    broken.write_text('{"themes": [1, 2,]}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^themes.json line 1: not JSON"):
        json_data(broken)
    with pytest.raises(ValueError, match=r"^gone.txt: cannot be read"):
        data_lines(tmp_path / "gone.txt")

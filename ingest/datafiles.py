"""The one reader of the data files beside the code (ingest/data, nlp/data, nlp/patterns).

Each file states its source: a `#` comment line at the top of a word list or CSV, a `_source` row
first in a JSON Lines rule file, a `_source` key in a JSON file. Every reader here passes the source
over and raises ValueError naming the file (and line) when the file cannot be read as its kind.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def data_lines(path: Path) -> tuple[str, ...]:
    """The lines of a text or CSV data file, as written, without blank lines and `#` comment lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path.name}: cannot be read ({e})") from None
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def word_set(path: Path) -> frozenset[str]:
    """A word list (one word or phrase a line) in lower case."""
    return frozenset(line.strip().lower() for line in data_lines(path))


def csv_rows(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV data file (header first, after the comment lines) as dicts."""
    return tuple(csv.DictReader(data_lines(path)))


def json_data(path: Path) -> Any:  # noqa: ANN401 - the file's own structure
    """A JSON data file, loaded."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path.name}: cannot be read ({e})") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path.name} line {e.lineno}: not JSON ({e.msg})") from None


def rule_rows(path: Path, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) of each row of a JSON Lines rule file that has `key`; the source line, other
    rows, blank lines and `#` comment lines are passed over. A line that is not JSON raises ValueError
    naming the file and line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path.name} line {n}: not JSON ({e.msg})") from None
        if key in row:
            out.append((n, row))
    return out

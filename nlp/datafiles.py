"""The rule files beside the code (`*.jsonl`): one JSON object a line, the first naming its source."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def rule_rows(path: Path, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) of each row of a JSON Lines rule file that has `key`; the source line, other
    rows and blank lines are passed over. A line that is not JSON raises ValueError naming the file and line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path.name} line {n}: not JSON ({e.msg})") from None
        if key in row:
            out.append((n, row))
    return out

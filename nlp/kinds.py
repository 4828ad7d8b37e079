"""The canonical kind of a partnership, for comparison across councils.

Councils name the same kind of body differently ("Worcestershire Safer Communities Board",
"Hampshire Community Safety Strategy Group"); `kind_of` maps a name to one id of
`nlp/data/kinds.json` by the ordered rules of `nlp/data/kinds.jsonl` (first match wins).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.datafiles import json_data, rule_rows
from nlp.namekey import name_key

DATA = Path(__file__).parent / "data"
OTHER = "other"


@lru_cache(maxsize=2)
def kind_ids(path: Path = DATA / "kinds.json") -> tuple[str, ...]:
    """Every kind id, in the order of the guidelines' kinds.json."""
    return tuple(json_data(path)["kinds"])


@lru_cache(maxsize=2)
def _rules(path: Path = DATA / "kinds.jsonl") -> tuple[tuple[str, re.Pattern[str]], ...]:
    rules = []
    known = set(kind_ids())
    for n, row in rule_rows(path, "kind"):
        if row["kind"] not in known:
            raise ValueError(f"nlp/data/kinds.jsonl:{n}: unknown kind {row['kind']!r}")
        rules.append((row["kind"], re.compile(row["pattern"], re.IGNORECASE)))
    return tuple(rules)


@lru_cache(maxsize=4096)
def kind_of(name: str) -> str:
    """'Worcestershire Safer Communities Board' -> 'county_community_safety_board'; else 'other'."""
    text = name_key(name)
    for kind, pattern in _rules():
        if pattern.search(text):
            return kind
    return OTHER

"""Community-safety themes of a short phrase: "knife crime linked to county lines" -> serious_violence, county_lines.

Theme ids and labels are in nlp/data/themes.json; keyword patterns in nlp/data/themes.jsonl run in file
order, and the words one pattern matches are blanked before the next runs, so "violence against women"
is vawg and not also serious_violence, and "exploitation of children" is exploitation, not young_people.
Fallback rows apply only when no other row matched ("crime" alone -> public_safety); "keep" rows leave
their words for later rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ingest.datafiles import json_data, rule_rows

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class ThemeRule:
    theme: str
    pattern: re.Pattern[str]
    fallback: bool = False  # only when no other rule matched
    keep: bool = False  # leave the words for later rules too ("drug supply": county_lines and drugs_alcohol)


@lru_cache(maxsize=2)
def theme_labels(path: Path = DATA / "themes.json") -> MappingProxyType[str, str]:
    """Theme id -> display label."""
    return MappingProxyType(dict(json_data(path)["themes"]))


@lru_cache(maxsize=2)
def theme_rules(path: Path = DATA / "themes.jsonl") -> tuple[ThemeRule, ...]:
    known = theme_labels()
    rules = []
    for n, row in rule_rows(path, "theme"):
        if row["theme"] not in known:
            raise ValueError(f"themes.jsonl line {n}: unknown theme id {row['theme']!r}")
        rules.append(
            ThemeRule(
                row["theme"],
                re.compile(rf"(?:{row['pattern']})", re.I),
                bool(row.get("fallback")),
                bool(row.get("keep")),
            )
        )
    return tuple(rules)


def _blank(text: str, m: re.Match[str]) -> str:
    return text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]


def themes_for(text: str) -> tuple[str, ...]:
    """The theme ids a short phrase (a priority, a search filter) is about, in the order it mentions them."""
    rest = text.replace("’", "'")
    first: dict[str, int] = {}
    for rule in theme_rules():
        if rule.fallback and first:
            continue
        for m in rule.pattern.finditer(rest):
            if m.group(0).strip():
                first.setdefault(rule.theme, m.start())
                if not rule.keep:
                    rest = _blank(rest, m)
    return tuple(sorted(first, key=first.__getitem__))

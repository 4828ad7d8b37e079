"""Procedural boilerplate (apologies, interests, equality-duty and legal-implications text).

The headings and phrases are data (`index/data/boilerplate.json`); search demotes passages
flagged here so that substance comes first. Flagged at ingest and stored with the passage.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_NUMBERING = re.compile(r"^\s*(?:\(?[0-9ivxlcA-Z]{1,4}[.)]?)+(?:\.[0-9]+)*[.):]?\s+")
_SPACE = re.compile(r"\s+")


RULES = Path(__file__).parent / "data/boilerplate.json"


@lru_cache(maxsize=4)
def _rules(path: Path = RULES) -> tuple[frozenset[str], tuple[str, ...]]:
    """The procedural headings and boilerplate phrases of a rules file, read once a file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(h.lower() for h in data["headings"]), tuple(p.lower() for p in data["phrases"])


def _clean(heading: str) -> str:
    h = _NUMBERING.sub("", heading.strip())
    h = h.replace("\u2019", "'").strip(" :.-\u2013").lower()
    return _SPACE.sub(" ", h)


def is_boilerplate(heading_path: tuple[str, ...] | list[str], text: str) -> bool:
    """True when the nearest heading is a procedural one, or the passage uses a boilerplate phrase."""
    headings, phrases = _rules()
    if heading_path:
        last = _clean(heading_path[-1])
        if last in headings or any(last.startswith(h + " ") and len(last) < len(h) + 25 for h in headings):
            return True
    low = _SPACE.sub(" ", text.lower().replace("\u2019", "'"))
    return any(p in low for p in phrases)

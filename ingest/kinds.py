"""What a harvested paper is: procedural items, report packs, the kind of a paper, an item's minute as HTML.

The rules are data (`data/procedural_items.json`, `data/paper_kinds.json`), each file naming its source.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ingest.datafiles import json_data
from ingest.moderngov import AgendaItem, clean_text


@lru_cache(maxsize=2)
def _rules(
    folder: Path = Path(__file__).parent / "data",
) -> tuple[
    tuple[re.Pattern[str], ...],
    tuple[re.Pattern[str], ...],
    tuple[tuple[str, bool, re.Pattern[str]], ...],
    tuple[str, ...],
]:
    proc = json_data(folder / "procedural_items.json")
    kinds = json_data(folder / "paper_kinds.json")
    return (
        tuple(re.compile(p, re.I) for p in proc["items"]),
        tuple(re.compile(p, re.I) for p in kinds["packs"]),
        tuple((r["kind"], r["item"], re.compile(r["pattern"], re.I)) for r in kinds["rules"]),
        tuple(kinds["kinds"]),
    )


def paper_kinds() -> tuple[str, ...]:
    """Every kind of paper: report, minutes, decision notice, agenda, appendix, forward plan, item minute."""
    return _rules()[3]


def is_procedural(item_title: str) -> bool:
    """Routine business only: apologies, declarations of interest, urgent business."""
    return any(p.search(item_title) for p in _rules()[0])


def is_pack(doc_title: str) -> bool:
    """A reports pack: every paper of the meeting again in one file."""
    return any(p.search(doc_title) for p in _rules()[1])


def has_minute(item: AgendaItem) -> bool:
    """The site gives what the meeting resolved on the item (and has not said the minute is unpublished)."""
    return bool(clean_text(item.minutes_html)) and item.minute_published != "false"


def paper_kind(doc_title: str, item_title: str = "") -> str:
    """The kind of a linked document from its title (then its agenda item's title); "report" by default."""
    for kind, on_item, rx in _rules()[2]:
        if rx.search(doc_title) or (on_item and item_title and rx.search(item_title)):
            return kind
    return "report"


def minute_html(title: str, item_title: str, agenda_text: str, minutes_html: str) -> bytes:
    """An item's agenda text and minute as a small HTML paper: a title, then "Agenda" and "Minute" sections."""
    parts = [
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f"<body><main><h1>{html.escape(title)}</h1>"
    ]
    for heading, body in (("Agenda", agenda_text), ("Minute", minutes_html)):
        if clean_text(body):
            parts.append(f"<h2>{heading}: {html.escape(item_title or title)}</h2>{_plain_html(body)}")
    return ("".join(parts) + "</main></body></html>\n").encode("utf-8")


def _plain_html(fragment: str) -> str:
    """The site's HTML with scripts, styles and every attribute dropped (it is kept, and served, as a file)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup.find_all(["script", "style", "iframe", "object", "embed", "form", "link", "meta", "img"]):
        tag.decompose()
    for tag in soup.find_all(True):
        tag.attrs = {}
    body = soup.body or soup
    return "".join(str(x) for x in body.contents)

"""Extraction does not depend on how a list is typed (issue 25).

Each development paper's gold priorities, metrics and dates (tests/nlp/eval/gold) are written out as a
list in every presentation councils use: dash, bullet `•`, middle dot `·`, Wingdings bullet, `1.`, `1)`,
`(a)`, "Priority 1 - ..." lines, an inline enumeration, a heading with no lead-in, tab-indented numbers;
with and without blank lines between items; after four different lead-in sentences. Each rendering is
parsed as a text paper and extracted; the extraction must be the same in every presentation, and for
priorities it must be the gold list itself.

An inline enumeration cannot hold items that are sentences ("Safer roads. We will ..."): those lists
are rendered in every presentation but that one.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.parse import parse_bytes
from ingest.settings import Settings
from nlp.dates import collect_dates
from nlp.metrics import collect_metrics
from nlp.priorities import collect_priorities

GOLD = Path(__file__).resolve().parent / "eval" / "gold"
PAPERS = sorted(p.stem for p in GOLD.glob("*.json"))
BEFORE = "The Partnership met four times during the year and reports to the Cabinet."
AFTER = "Progress is reported to the Board each quarter by the lead officer."
PRIORITY_LEAD_INS = ("Our strategic priorities are:",
                     "The following priorities were identified by the Partnership :-",
                     "The Partnership has agreed the following priority areas for the coming year:",
                     "The strategy sets out the partnership's key themes, which are as follows:")
PRIORITY_HEADING = "Strategic Priorities"
FIGURE_LEAD_INS = ("The main figures for the year are:", "The following figures were reported to the Board :-",
                   "The performance report sets out these measures:", "Officers highlighted the following:")
FIGURE_HEADING = "Key Figures"


def _marker(style: str, k: int) -> str:
    return {"dash": "- ", "bullet": "• ", "middle dot": "· ", "wingdings": "\uf0b7 ", "number": f"{k + 1}. ",
            "paren number": f"{k + 1}) ", "letter": f"({'abcdefghijklmnopqrstuvwxyz'[k]}) ",
            "tab number": f"\t{k + 1}.\t", "priority": f"Priority {k + 1} - "}[style]


LIST_STYLES = ("dash", "bullet", "middle dot", "wingdings", "number", "paren number", "letter", "tab number",
               "priority")


def _inline(lead_in: str, items: list[str]) -> str:
    parts = [x.rstrip(".") for x in items]
    sep = "; " if any("," in x or " and " in x for x in parts) else ", "
    last = "; and " if sep == "; " else " and "
    body = sep.join(parts[:-1]) + last + parts[-1] if len(parts) > 1 else parts[0]
    return f"{lead_in} {body}."


def renderings(items: list[str], lead_ins: tuple[str, ...], heading: str,
               inline_ok: bool) -> dict[str, str]:
    """name -> the text of a paper presenting `items` that way."""
    out: dict[str, str] = {}
    for blank in (False, True):
        gap = "\n\n" if blank else "\n"
        for style in LIST_STYLES:
            lines = gap.join(_marker(style, k) + x for k, x in enumerate(items))
            for n, lead in enumerate(lead_ins):
                out[f"{style}, lead-in {n + 1}{', blank lines' if blank else ''}"] = (
                    f"{BEFORE}\n\n{lead}{gap}{lines}\n\n{AFTER}\n")
            out[f"{style} under a heading{', blank lines' if blank else ''}"] = (
                f"{BEFORE}\n\n{heading}\n\n{lines}\n\n{AFTER}\n")
    if inline_ok:
        for n, lead in enumerate(lead_ins):
            out[f"inline, lead-in {n + 1}"] = f"{BEFORE}\n\n{_inline(lead.rstrip(' -'), items)}\n\n{AFTER}\n"
            if lead.endswith(" are:"):  # "Our priorities are a, b and c."
                out[f"inline, lead-in {n + 1} without its colon"] = (
                    f"{BEFORE}\n\n{_inline(lead.rstrip(':'), items)}\n\n{AFTER}\n")
    return out


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    from nlp.pipeline import build_pipeline

    return build_pipeline()


def _check(stem: str, items: list[str], lead_ins: tuple[str, ...], heading: str, inline_ok: bool,
           extract: Callable[[object], list], want: list | None) -> list:
    """Extract every rendering; all must equal `want` (or, with no `want`, each other). The result."""
    results: dict[str, list] = {}
    for name, text in renderings(items, lead_ins, heading, inline_ok).items():
        doc = parse_bytes(text.encode(), f"{stem}.txt", Settings(workers=1))
        results[name] = extract(doc)
    first = next(iter(results.values()))
    reference = want if want is not None else first
    wrong = {name: got for name, got in results.items() if got != reference}
    assert not wrong, (f"{stem}: {len(wrong)} of {len(results)} presentations differ from {reference}; e.g. "
                       + "; ".join(f"{k}: {v}" for k, v in list(wrong.items())[:3]))
    return reference


def _sentences(items: list[str]) -> bool:
    return any(re.search(r"[.:;]\s+\S", x) for x in items)


@pytest.mark.parametrize("stem", [s for s in PAPERS if _gold(s)["priorities"]])
def test_priorities_are_the_gold_list_in_every_presentation(stem: str) -> None:
    items = [p["text"] for p in _gold(stem)["priorities"]]
    _check(stem, items, PRIORITY_LEAD_INS, PRIORITY_HEADING, not _sentences(items),
           lambda d: [_norm(p.text) for p in collect_priorities(d)], [_norm(x) for x in items])


def _figure_items(stem: str) -> list[str]:
    """Each gold metric as a list entry: the figure first, what it counts after it in brackets."""
    return [f"{m['text']} ({m['about']})" for m in _gold(stem)["metrics"][:12] if m.get("about") and m.get("text")]


@pytest.mark.parametrize("stem", [s for s in PAPERS if _figure_items(s)])
def test_metrics_are_the_same_in_every_presentation(stem: str, nlp) -> None:  # noqa: ANN001
    items = _figure_items(stem)

    def extract(d) -> list:  # noqa: ANN001
        return sorted({(m.value, m.unit) for m in collect_metrics(d, list(nlp.pipe(p.text for p in d.passages)))})

    results = _check(stem, items, FIGURE_LEAD_INS, FIGURE_HEADING, False, extract, None)
    values = {v for v, _ in results}
    want = {m["value"] for m in _gold(stem)["metrics"][:12] if m.get("about") and not m.get("optional")}
    assert want <= values, f"{stem}: gold figures not found in any presentation: {sorted(want - values)}"


@pytest.mark.parametrize("stem", [s for s in PAPERS if _gold(s)["dates"]])
def test_dates_are_the_same_in_every_presentation(stem: str, nlp) -> None:  # noqa: ANN001
    dates = _gold(stem)["dates"][:12]
    items = [f"Update due {d['text']}" for d in dates]

    def extract(d) -> list:  # noqa: ANN001
        return sorted({(x.start[:7], x.end[:7]) for x in collect_dates(d, list(nlp.pipe(p.text for p in d.passages)))})

    _check(stem, items, FIGURE_LEAD_INS, FIGURE_HEADING, False, extract, None)



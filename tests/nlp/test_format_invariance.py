"""Extraction does not depend on how a list is typed (issue 25).

Each development paper's gold priorities, metrics and dates (tests/nlp/eval/gold) are written out as a
list in every presentation councils use: dash, bullet `•`, middle dot `·`, Wingdings bullet, `1.`, `1)`,
`(a)`, "Priority 1 - ..." and "Objective 1: ..." lines, an inline enumeration, a heading with no lead-in, a
heading per priority under "Our Priorities", tab-indented numbers;
with and without blank lines between items; after four different lead-in sentences. Each rendering is
parsed as a text paper and extracted; the extraction must be the same in every presentation, and for
priorities it must be the gold list itself, each priority's evidence citable. A cover sheet's metadata must be
the same in twelve layouts, and each dev scheme must be found however a paper mentions it.

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
from nlp.themes import themes_for

GOLD = Path(__file__).resolve().parent / "eval" / "gold"
PAPERS = sorted(p.stem for p in GOLD.glob("*.json"))
BEFORE = "The Partnership met four times during the year and reports to the Cabinet."
AFTER = "Progress is reported to the Board each quarter by the lead officer."
PRIORITY_LEAD_INS = (
    "Our strategic priorities are:",
    "The following priorities were identified by the Partnership :-",
    "The Partnership has agreed the following priority areas for the coming year:",
    "The strategy sets out the partnership's key themes, which are as follows:",
)
PRIORITY_HEADING = "Strategic Priorities"
FIGURE_LEAD_INS = (
    "The main figures for the year are:",
    "The following figures were reported to the Board :-",
    "The performance report sets out these measures:",
    "Officers highlighted the following:",
)
FIGURE_HEADING = "Key Figures"


def _marker(style: str, k: int) -> str:
    return {
        "dash": "- ",
        "bullet": "• ",
        "middle dot": "· ",
        "wingdings": "\uf0b7 ",
        "number": f"{k + 1}. ",
        "paren number": f"{k + 1}) ",
        "letter": f"({'abcdefghijklmnopqrstuvwxyz'[k]}) ",
        "tab number": f"\t{k + 1}.\t",
        "priority": f"Priority {k + 1} - ",
        "objective": f"Objective {k + 1}: ",
    }[style]


LIST_STYLES = (
    "dash",
    "bullet",
    "middle dot",
    "wingdings",
    "number",
    "paren number",
    "letter",
    "tab number",
    "priority",
    "objective",
)


def _inline(lead_in: str, items: list[str]) -> str:
    parts = [x.rstrip(".") for x in items]
    sep = "; " if any("," in x or " and " in x for x in parts) else ", "
    last = "; and " if sep == "; " else " and "
    body = sep.join(parts[:-1]) + last + parts[-1] if len(parts) > 1 else parts[0]
    return f"{lead_in} {body}."


def renderings(items: list[str], lead_ins: tuple[str, ...], heading: str, inline_ok: bool) -> dict[str, str]:
    """name -> the text of a paper presenting `items` that way."""
    out: dict[str, str] = {}
    for blank in (False, True):
        gap = "\n\n" if blank else "\n"
        for style in LIST_STYLES:
            lines = gap.join(_marker(style, k) + x for k, x in enumerate(items))
            for n, lead in enumerate(lead_ins):
                out[f"{style}, lead-in {n + 1}{', blank lines' if blank else ''}"] = (
                    f"{BEFORE}\n\n{lead}{gap}{lines}\n\n{AFTER}\n"
                )
            out[f"{style} under a heading{', blank lines' if blank else ''}"] = (
                f"{BEFORE}\n\n{heading}\n\n{lines}\n\n{AFTER}\n"
            )
    if heading == PRIORITY_HEADING and all(themes_for(x) and len(x.split()) <= 10 for x in items):
        # a heading per priority, each over its text, under a cue heading with none of its own
        out["sub-headings"] = (
            f"{BEFORE}\n\nOur Priorities\n\n"
            + "\n\n".join(
                f"{x[:1].upper() + x[1:]}\n\nThe partnership will work on this with its members over the year."
                for x in items
            )
            + f"\n\n{AFTER}\n"
        )  # a heading starts with a capital
    if inline_ok:
        for n, lead in enumerate(lead_ins):
            out[f"inline, lead-in {n + 1}"] = f"{BEFORE}\n\n{_inline(lead.rstrip(' -'), items)}\n\n{AFTER}\n"
            if lead.endswith(" are:"):  # "Our priorities are a, b and c."
                out[f"inline, lead-in {n + 1} without its colon"] = (
                    f"{BEFORE}\n\n{_inline(lead.rstrip(':'), items)}\n\n{AFTER}\n"
                )
    return out


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    from nlp.pipeline import build_pipeline

    return build_pipeline()


def _check(
    stem: str,
    items: list[str],
    lead_ins: tuple[str, ...],
    heading: str,
    inline_ok: bool,
    extract: Callable[[object], list],
    want: list | None,
) -> list:
    """Extract every rendering; all must equal `want` (or, with no `want`, each other). The result."""
    results: dict[str, list] = {}
    for name, text in renderings(items, lead_ins, heading, inline_ok).items():
        doc = parse_bytes(text.encode(), f"{stem}.txt", Settings(workers=1))
        results[name] = extract(doc)
    first = next(iter(results.values()))
    reference = want if want is not None else first
    wrong = {name: got for name, got in results.items() if got != reference}
    assert not wrong, (
        f"{stem}: {len(wrong)} of {len(results)} presentations differ from {reference}; e.g. "
        + "; ".join(f"{k}: {v}" for k, v in list(wrong.items())[:3])
    )
    return reference


def _sentences(items: list[str]) -> bool:
    return any(re.search(r"[.:;]\s+\S", x) for x in items)


def _citable(d, priorities) -> bool:  # noqa: ANN001
    """Every priority's evidence is words of its passage or of a heading over it: what a comparison cell cites
    (index.compare checks the same before it fills a cell)."""
    for pr in priorities:
        if not any(
            ev.text
            and (
                ev.text in d.passages[ev.passage].text
                or any(_norm(ev.text) in _norm(h) for h in d.passages[ev.passage].heading_path)
            )
            for ev in pr.evidence
        ):
            return False
    return True


@pytest.mark.parametrize("stem", [s for s in PAPERS if _gold(s)["priorities"]])
def test_priorities_are_the_gold_list_in_every_presentation(stem: str) -> None:
    items = [p["text"] for p in _gold(stem)["priorities"]]

    def extract(d) -> list:  # noqa: ANN001
        found = collect_priorities(d)
        return [_norm(p.text) for p in found] + ([] if _citable(d, found) else ["(evidence not citable)"])

    _check(
        stem,
        items,
        PRIORITY_LEAD_INS,
        PRIORITY_HEADING,
        not _sentences(items),
        extract,
        [_norm(x) for x in items],
    )


def _figure_items(stem: str) -> list[str]:
    """Each gold metric as a list entry: the figure first, what it counts after it in brackets."""
    return [
        f"{m['text']} ({m['about']})" for m in _gold(stem)["metrics"][:12] if m.get("about") and m.get("text")
    ]


@pytest.mark.parametrize("stem", [s for s in PAPERS if _figure_items(s)])
def test_metrics_are_the_same_in_every_presentation(stem: str, nlp) -> None:  # noqa: ANN001
    items = _figure_items(stem)

    def extract(d) -> list:  # noqa: ANN001
        return sorted(
            {(m.value, m.unit) for m in collect_metrics(d, list(nlp.pipe(p.text for p in d.passages)))}
        )

    results = _check(stem, items, FIGURE_LEAD_INS, FIGURE_HEADING, False, extract, None)
    values = {v for v, _ in results}
    want = {m["value"] for m in _gold(stem)["metrics"][:12] if m.get("about") and not m.get("optional")}
    assert want <= values, f"{stem}: gold figures not found in any presentation: {sorted(want - values)}"


@pytest.mark.parametrize("stem", [s for s in PAPERS if _gold(s)["dates"]])
def test_dates_are_the_same_in_every_presentation(stem: str, nlp) -> None:  # noqa: ANN001
    dates = _gold(stem)["dates"][:12]
    items = [f"Update due {d['text']}" for d in dates]

    def extract(d) -> list:  # noqa: ANN001
        return sorted(
            {(x.start[:7], x.end[:7]) for x in collect_dates(d, list(nlp.pipe(p.text for p in d.passages)))}
        )

    _check(stem, items, FIGURE_LEAD_INS, FIGURE_HEADING, False, extract, None)


# --- metadata: one cover sheet in every layout councils print ------------------------------------------

SHEETS = [  # (council as printed, committee, date as printed, ISO date, title, author)
    (
        "Northumberland County Council",
        "Communities and Place Overview and Scrutiny Committee",
        "14 March 2024",
        "2024-03-14",
        "Community Safety Partnership Annual Report",
        "Harriet Coyle",
    ),
    (
        "Fife Council",
        "Cabinet",
        "5 November 2024",
        "2024-11-05",
        "Antisocial Behaviour Policy Review",
        "Graham Nesbit",
    ),
    (
        "Conwy County Borough Council",
        "Health and Wellbeing Board",
        "21 January 2025",
        "2025-01-21",
        "Serious Violence Duty Local Strategy",
        "Sian Prydderch",
    ),
]
BODY = "1. Purpose of the report\n\n1.1 This report updates members on the work of the partnership over the year.\n"


def metadata_layouts(council: str, committee: str, date: str, title: str, author: str) -> dict[str, str]:
    """name -> an excerpt presenting the same cover sheet that way."""
    rows = [
        ("Report to", committee),
        ("Date of meeting", date),
        ("Report title", title),
        ("Report author", author),
    ]
    labelled = "\n".join(f"{k}: {v}" for k, v in rows)
    return {
        "labels": f"{council}\n\n{labelled}\n\n{BODY}",
        "labels with blank lines": f"{council}\n\n"
        + "\n\n".join(f"{k}: {v}" for k, v in rows)
        + f"\n\n{BODY}",
        "tab cells": f"{council}\n\n" + "\n".join(f"{k}\t{v}" for k, v in rows) + f"\n\n{BODY}",
        "pipe table": f"{council}\n\n" + "\n".join(f"| {k}: | {v} |" for k, v in rows) + f"\n\n{BODY}",
        "label above its value": f"{council}\n\n" + "\n".join(f"{k}:\n{v}" for k, v in rows) + f"\n\n{BODY}",
        "labels without colons": f"{council}\n\n" + "\n".join(f"{k} {v}" for k, v in rows) + f"\n\n{BODY}",
        "capitals": f"{council.upper()}\n\n"
        + "\n".join(f"{k.upper()}: {v}" for k, v in rows)
        + f"\n\n{BODY}",
        "bilingual labels": f"{council}\n\nAdroddiad i / Report to: {committee}\nDyddiad / Date: {date}\n"
        f"Teitl / Title: {title}\nAwdur / Author: {author}\n\n{BODY}",
        "joined into one line": f"{council}\n\nReport To: {committee} Date: {date} Title: {title} Author: {author}"
        f"\n\n{BODY}",
        "web page": f"Decision details\n\n{title}\n\nDecision Maker: {committee}\n\nDecision status: Approved\n\n"
        f"Report author: {author}\n\nDate of decision: {date}\n\nDecided at meeting: {date} - "
        f"{committee}\n\nThis decision was taken by {council}.\n",
        "header lines": f"{council.upper()}\n\n{committee.upper()}\n\n{date.upper()}\n\n{title.upper()}\n\n"
        f"Report of the Director of Communities\n\nContact officer: {author}\n\n{BODY}",
        "report to in a sentence": f"Report by the Director of Communities to the {committee} on {date}\n\n"
        f"Subject: {title}\n\nContact: {author}, {council}\n\n{BODY}",
    }


@pytest.mark.parametrize("sheet", SHEETS, ids=[s[0] for s in SHEETS])
def test_metadata_is_the_same_in_every_layout(sheet: tuple[str, ...]) -> None:
    from nlp.metadata import extract_metadata

    council, committee, date, iso, title, author = sheet
    want = (council, committee, iso, _norm(title), author)
    wrong = {}
    for name, text in metadata_layouts(council, committee, date, title, author).items():
        md = extract_metadata(parse_bytes(text.encode(), "sheet.txt", Settings(workers=1)))
        got = (md.council, md.committee, md.meeting_date, _norm(md.title or ""), md.author)
        if got != want:
            wrong[name] = got
    assert not wrong, f"{len(wrong)} layouts differ from {want}: {wrong}"


# --- operations: each gold scheme in the ways papers mention one -------------------------------------------


def operation_mentions(name: str) -> dict[str, str]:
    bare = name[4:] if name.lower().startswith("the ") else name
    return {
        "launched": f"{bare} was launched in the spring and has been well received.\n",
        "heading": f"Community safety update\n\n{bare}\n\nThe scheme has supported residents across the district.\n",
        "listed": f"The following projects were delivered this year:\n\n• {bare} – delivered with partners\n"
        "• Work with schools – ongoing\n",
        "quoted": f"Members heard about the ‘{bare}’ project from officers.\n",
    }


MIN_FOUND = 0.85  # measured 0.93-1.00 per presentation over the dev gold's required schemes


def test_operations_are_found_however_they_are_mentioned(nlp) -> None:  # noqa: ANN001
    from nlp.acronyms import find_acronyms
    from nlp.names_headings import headings
    from nlp.names_merge import collect_named
    from tests.nlp.devset import scorer

    sim = scorer().name_sim
    names = [op for s in PAPERS for op in _gold(s)["operations"] if not op.get("optional")]
    found: dict[str, list[str]] = {}
    for op in names:
        for how, text in operation_mentions(op["name"]).items():
            d = parse_bytes(text.encode(), "ops.txt", Settings(workers=1))
            got = collect_named(
                d, list(nlp.pipe(p.text for p in d.passages)), find_acronyms(d.text), headings(d, nlp)
            )[1]
            if any(
                sim({"name": o.name, "mentions": list(o.mentions)}, op) >= scorer().NAME_MATCH for o in got
            ):
                found.setdefault(how, []).append(op["name"])
    low = {
        how: round(len(found.get(how, [])) / len(names), 2)
        for how in operation_mentions("x")
        if len(found.get(how, [])) < MIN_FOUND * len(names)
    }
    assert not low, f"share of the {len(names)} dev schemes found, below {MIN_FOUND}: {low}"

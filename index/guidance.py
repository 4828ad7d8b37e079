"""Guidance and template text: the instructions of a form or report template to whoever fills it in
("Please use this section to ...", "How have you involved communities ...?"), which a comparison must never
cite as what a council says (an equality impact assessment's guidance is not the council discussing
community cohesion). The cue words are data (index/data/guidance.json).

A passage of a report template's cover or sign-off fields ("Data checked by: ...", "Contact officer:
...") is template text too (`is_template_field`); `is_form_text` is either.

A passage is guidance when at least GUIDANCE_SHARE of its sentences of three words or more (and two of
them, unless it has only one) speak to the form-filler: open with an imperative of form guidance, address "you", or name the form itself ("this
section should ..."). Passages of a report's recommendations or resolutions ("Note the report", "Approve
the strategy") are never guidance: their imperatives are the decision.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.quotes import sentence_spans

# Share of a passage's sentences that must speak to the form-filler. Set on the development papers (the
# Bristol equality impact assessment's guidance passages are at 0.5 or more; no passage of substance of the
# Kent, Merton, Hampshire, Test Valley, Worcestershire, Herefordshire or Three Rivers papers is) and checked
# on the 14 Bristol and Nottingham PDFs of ../shared/corpus/pdf not among them: 1,992 passages, 19 flagged,
# of which 15 are the form's guidance and 2 its "Ward(s):" fields; a foreword's "I hope you enjoy reading"
# and a minute quoting a plan's "Identify the revenue opportunities ..." are the mistakes.
GUIDANCE_SHARE = 0.5
TEMPLATE_FIELD_LINES = (
    6  # a sign-off block is a few lines; a longer run of "X: y" lines is a table of content
)
_LEAD = re.compile(r"^[\s\-\u2013\u2022\u25aa\u25cf\u00b7*>\d.()]+")


GUIDANCE = Path(__file__).parent / "data" / "guidance.json"


@lru_cache(maxsize=4)
def _data(path: Path = GUIDANCE) -> dict[str, Any]:
    """The guidance rules file, read once a file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=4)
def _fields(path: Path = GUIDANCE) -> re.Pattern[str]:
    data = _data(path)
    names = "|".join(re.escape(f) for f in sorted(data["template_fields"], key=len, reverse=True))
    return re.compile(rf"^\s*(?:{names})\s*(?:\([^)]*\)\s*)?:", re.I)


def is_template_field(text: str) -> bool:
    """Is every line of this passage a labelled field of a report template ("Report author: ...")?"""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return bool(lines) and len(lines) <= TEMPLATE_FIELD_LINES and all(_fields().match(ln) for ln in lines)


@lru_cache(maxsize=4)
def section_subjects(path: Path = GUIDANCE) -> dict[str, frozenset[str]]:
    """Section role -> the themes its template text talks about whatever the paper is about ('*': all)."""
    data = _data(path)
    return {role: frozenset(themes) for role, themes in data["section_subjects"].items()}


def template_subject(section: str | None, theme: str) -> bool:
    """Is `theme` what a passage of this section role talks about by template (the equality duty section
    and inclusion, the legal section and the crime-and-disorder duty; attendance and interests and any)?"""
    subjects = section_subjects().get(section or "", frozenset())
    return "*" in subjects or theme in subjects


def is_form_text(text: str, section: str | None = None) -> bool:
    """A form's guidance or a template's fields: never what a council says."""
    return is_template_field(text) or is_guidance(text, section)


@lru_cache(maxsize=4)
def _cues(path: Path = GUIDANCE) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    data = _data(path)
    starts = re.compile(r"^(?:" + "|".join(re.escape(w) for w in data["imperatives"]) + r")(?=\W|$)", re.I)
    you = re.compile(r"\b(?:" + "|".join(data["second_person"]) + r")\b", re.I)
    form = re.compile("|".join(f"(?:{p})" for p in data["form_patterns"]), re.I)
    return starts, you, form, frozenset(data["never_roles"])


def _speaks_to_filler(sentence: str) -> bool:
    starts, you, form, _ = _cues()
    s = _LEAD.sub("", sentence).replace("\u2019", "'")
    return bool(starts.match(s) or you.search(s) or form.search(s))


def guidance_share(text: str) -> float:
    """The share of the sentences (three words or more; a table row's cells apart) of `text` that speak to the
    form-filler."""
    cells = (
        cell for a, b in sentence_spans(text) for cell in text[a:b].split(" | ")
    )  # a table row's cells apart
    sentences = [c for c in cells if len(c.split()) >= 3]
    if not sentences:
        return 0.0
    speaking = sum(_speaks_to_filler(s) for s in sentences)
    if speaking == 1 and len(sentences) > 1:
        return 0.0  # one aside to the reader ("Refer to the slide pack ...") in a passage of substance
    return speaking / len(sentences)


def is_guidance(text: str, section: str | None = None) -> bool:
    """Is this passage a form's or template's guidance (see the module's note)?"""
    if section and section in _cues()[3]:
        return False
    return guidance_share(text) >= GUIDANCE_SHARE

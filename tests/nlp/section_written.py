"""Written excerpts for section roles (tests/nlp/excerpts/section_roles_written.txt and section_roles_held.txt):
the loader and the scorer shared by tests/nlp/test_section_excerpts.py and benchmarks/bench_section_layouts.py.

A labelled paragraph is scored on the passage of the excerpt's parse that holds its opening words, as a reader's
gold paragraph is looked up; the layout is scored against the kind of paper the excerpt was cut from."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ingest.parse import parse_bytes
from ingest.settings import Settings
from nlp.sections import layout, section_roles

HERE = Path(__file__).parent / "excerpts"
FILES = {"dev": HERE / "section_roles_written.txt", "held": HERE / "section_roles_held.txt"}
_TAG = re.compile(r"^\{(\w+)\} ")


@dataclass(frozen=True)
class Written:
    id: str
    kind: str  # report | minutes | decision: the layout of the paper it was cut from
    nation: str
    title: str
    text: str  # tags removed
    headless: str  # the text without its heading lines (the lines outside every labelled paragraph)
    labels: tuple[tuple[str, str], ...]  # (opening words of a paragraph, its role)


def load(part: str) -> list[Written]:
    out: list[Written] = []
    head: dict[str, str] | None = None
    lines: list[str] = []
    for line in [*FILES[part].read_text(encoding="utf-8").splitlines(), "### end=1"]:
        if line.startswith("#") and not line.startswith("###"):
            continue
        if line.startswith("### "):
            if head:
                out.append(_excerpt(head, lines))
            head = dict(kv.split("=", 1) for kv in re.findall(r"\w+=(?:[^=]+?)(?=\s+\w+=|$)", line[4:]))
            lines = []
        else:
            lines.append(line)
    return out


def _excerpt(head: dict[str, str], lines: list[str]) -> Written:
    labels: list[tuple[str, str]] = []
    text: list[str] = []
    open_: list | None = None  # [paragraph lines, role] of the labelled paragraph being read
    bare: list[str] = []
    for line in lines:
        m = _TAG.match(line)
        if m:
            line = line[m.end() :]
            open_ = [[line], m.group(1)]
            labels.append(open_)  # type: ignore[arg-type]
        elif open_ and line.strip():
            open_[0].append(line)
        else:
            open_ = None
        text.append(line)
        if open_ or not line.strip():
            bare.append(line)
    labels = [("\n".join(lines_), role) for lines_, role in labels]
    return Written(
        head["id"],
        head["kind"],
        head["nation"],
        head["title"],
        "\n".join(text).strip() + "\n",
        re.sub(r"\n{3,}", "\n\n", "\n".join(bare)).strip() + "\n",
        tuple(labels),
    )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _holder(paragraph: str, keys: list[str]) -> int | None:
    """The passage holding the paragraph: its first line that a passage holds (a heading line is not a passage;
    numbering the parse removes, "3.1" or "(a)", is left out)."""
    for line in paragraph.split("\n"):
        k = _key(re.sub(r"^[\s(]*(?:\d+(?:\.\d+)*\.?|[a-z]\)|[ivx]+[.)])\s+", "", line))[:40]
        if len(k) < 12:
            continue
        held = next((i for i, key in enumerate(keys) if k in key), None)
        if held is not None:
            return held
    return None


@dataclass(frozen=True)
class Scored:
    excerpt: Written
    layout: str
    results: tuple[tuple[str, str, str | None], ...]  # (opening, role wanted, role given)


def wrapped(text: str, blank_lines: bool = True, width: int = 80) -> str:
    """The text as a PDF's text is extracted: lines cut at `width`, a heading's line running straight into its
    paragraph's; with or without a blank line between paragraphs."""
    blocks = [
        "\n".join(ln for line in block.split("\n") for ln in (textwrap.wrap(line, width) or [""]))
        for block in text.split("\n\n")
    ]
    return ("\n\n" if blank_lines else "\n").join(blocks)


def score(
    rows: list[Written], with_title: bool = True, headless: bool = False, wrap: str = ""
) -> list[Scored]:
    """Each excerpt parsed as a paper of its own (with its title as a manifest gives it, or none), its labelled
    paragraphs with the roles the rules give them; `headless` without its heading lines; `wrap` "blank" or
    "solid" hard-wrapped at 80 characters with or without blank lines between paragraphs."""
    settings = Settings(workers=1)
    out = []
    for w in rows:
        text = w.headless if headless else w.text
        text = wrapped(text, wrap == "blank") if wrap else text
        doc = parse_bytes(text.encode(), f"{w.id}.txt", settings, (("title", w.title),) if with_title else ())
        got = section_roles(doc)
        keys = [_key(p.text) for p in doc.passages]
        results = []
        for opening, role in w.labels:
            held = _holder(opening, keys)
            results.append((opening[:60], role, got[held] if held is not None else None))
        out.append(Scored(w, layout(doc), tuple(results)))
    return out


def accuracy(scored: list[Scored]) -> float:
    pairs = [(want, got) for s in scored for _, want, got in s.results]
    return sum(w == g for w, g in pairs) / len(pairs) if pairs else 0.0


def layout_accuracy(scored: list[Scored]) -> float:
    return sum(s.layout == s.excerpt.kind for s in scored) / len(scored) if scored else 0.0

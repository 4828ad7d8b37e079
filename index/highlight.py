"""What a search matched in a passage, and the snippet that shows it.

The marks come from FTS5's own `highlight()` over the query's expression, so they are exactly
the tokens the index matched (the same tokenizer, stemmer and phrases): "county" never marks
"council", and a passage the keyword index did not match has no marks. The snippet is the
window of the passage with the most different matched words (a phrase counts as one), so the
top hit for `hate crime` shows "hate crime", not a lone "crime".
"""
from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass

from index.keyword import KeywordQuery

SNIPPET_CHARS = 240
_OPEN, _CLOSE = "\x02", "\x03"
Spans = tuple[tuple[int, int], ...]


def highlights(conn: sqlite3.Connection, query: KeywordQuery, ids: list[int]) -> dict[int, Spans]:
    """(start, end) of each match of the query in the text of each passage (only those it matches)."""
    if not query.fts or not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = (f"SELECT rowid, highlight(passages_fts, 0, char(2), char(3)) FROM passages_fts"
           f" WHERE passages_fts MATCH ? AND rowid IN ({marks})")
    try:
        rows = conn.execute(sql, [query.fts, *ids]).fetchall()
    except sqlite3.OperationalError:  # an expression FTS5 rejects finds nothing to mark
        return {}
    return {int(rowid): _spans(marked) for rowid, marked in rows if marked}


def _spans(marked: str) -> Spans:
    """The marked spans, less those that are only a piece of a hyphenated word ("line" of "in-line")."""
    out, pos, start = [], 0, None
    plain = marked.replace(_OPEN, "").replace(_CLOSE, "")
    for ch in marked:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE and start is not None:
            if not _fragment(plain, start, pos):
                out.append((start, pos))
            start = None
        else:
            pos += 1
    return tuple(out)


def _fragment(text: str, a: int, b: int) -> bool:
    """Is text[a:b] joined by a hyphen to two or more letters ("in-line", not "e-scooter")?"""
    before = text[max(0, a - 3):a]
    after = text[b:b + 3]
    return (len(before) == 3 and before[2] == "-" and before[:2].isalpha()) or \
        (len(after) == 3 and after[0] == "-" and after[1:].isalpha())


@dataclass(frozen=True)
class Snippet:
    text: str  # plain text, with "…" where the passage was cut
    marks: Spans  # (start, end) in `text`

    def html(self) -> str:
        out, pos = [], 0
        for a, b in self.marks:
            out += [html.escape(self.text[pos:a]), "<mark>", html.escape(self.text[a:b]), "</mark>"]
            pos = b
        out.append(html.escape(self.text[pos:]))
        return "".join(out)


def snippet_spans(text: str, spans: Spans, width: int = SNIPPET_CHARS) -> Snippet:
    """About `width` characters of the passage around the window with the most different matches."""
    start = 0
    if len(text) > width and spans:
        best = max(range(len(spans)), key=lambda j: (_variety(text, spans, spans[j][0] - width // 6, width), -j))
        anchor = max(0, spans[best][0] - width // 6)
        start = text.rfind(" ", 0, anchor) + 1 if anchor > 0 else 0
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    lead = "\u2026" if start > 0 else ""
    shift = len(lead) - start
    marks = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return Snippet(lead + text[start:end] + ("\u2026" if end < len(text) else ""), marks)


def _variety(text: str, spans: Spans, start: int, width: int) -> int:
    return len({text[a:b].lower() for a, b in spans if a >= start and b <= start + width})


def snippet(text: str, spans: Spans, width: int = SNIPPET_CHARS) -> str:
    """The snippet as HTML: escaped, matches in <mark></mark>."""
    return snippet_spans(text, spans, width).html()

"""What a search matched in a passage, and the snippet that shows it.

The marks come from FTS5's own `highlight()` over the query's expression, so they are exactly
the tokens the index matched (the same tokenizer, stemmer and phrases): "county" never marks
"council", and a passage the keyword index did not match has no marks. The snippet is the
window of the passage with the most different matched words (a phrase counts as one), so the
top hit for `hate crime` shows "hate crime", not a lone "crime".
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass

from index.keyword import KeywordQuery
from index.store.fts import fts_tokenizer, marked_matches

SNIPPET_CHARS = 240
_OPEN, _CLOSE = "\x02", "\x03"
Spans = tuple[tuple[int, int], ...]


def highlights(conn: sqlite3.Connection, query: KeywordQuery, texts: dict[int, str]) -> dict[int, Spans]:
    """(start, end) of each match of the query in each passage's text (only the passages it matches),
    marked by FTS5 with the store's own tokenizer (index.store.fts.marked_matches)."""
    if not query.fts or not texts:
        return {}
    try:
        rows = marked_matches(fts_tokenizer(conn), query.fts, texts)
    except sqlite3.OperationalError:  # an expression FTS5 rejects finds nothing to mark
        return {}
    return {rowid: _spans(marked) for rowid, marked in rows if marked}


_tokenizer = fts_tokenizer  # as query evidence (index.evidence) has imported it


_MARK = re.compile("\x02([^\x03]*)\x03")


def _spans(marked: str) -> Spans:
    """The marked spans, less those that are only a piece of a hyphenated word ("line" of "in-line")."""
    plain = marked.replace(_OPEN, "").replace(_CLOSE, "")
    out = []
    for n, m in enumerate(_MARK.finditer(marked)):
        start = m.start() - 2 * n  # each mark before adds its two marker characters
        end = start + len(m.group(1))
        if not _fragment(plain, start, end):
            out.append((start, end))
    return tuple(out)


def _fragment(text: str, a: int, b: int) -> bool:
    """Is text[a:b] joined by a hyphen to two or more letters ("in-line", not "e-scooter")?"""
    before = text[max(0, a - 3) : a]
    after = text[b : b + 3]
    return (len(before) == 3 and before[2] == "-" and before[:2].isalpha()) or (
        len(after) == 3 and after[0] == "-" and after[1:].isalpha()
    )


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
        best = max(
            range(len(spans)), key=lambda j: (_variety(text, spans, spans[j][0] - width // 6, width), -j)
        )
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

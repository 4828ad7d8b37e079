"""Quotes: the words of a passage a citation shows, as whole sentences, or marked with an ellipsis where cut.

A quote is always a piece of the passage's own text (so a reader finds it there). It is the sentence (or
sentences) holding the words found; a sentence longer than QUOTE_CHARS is cut at word boundaries around the
words, and `shown()` puts an ellipsis where it was cut, so no export ever shows a sentence ending mid-way
as though it were whole. Sentences are those of the ingest's splitter (ingest.assemble.split_sentences),
and a line break ends one too (list items, table rows). A leading list marker ("- ", "\u2022 ") is not
quoted: "- Domestic Abuse" is quoted "Domestic Abuse".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.assemble import split_sentences

# Longest quote, in characters. Sentences of committee papers run 100-300 characters; a longer one (a
# run-on list, a table row) is cut around the words found, with an ellipsis.
QUOTE_CHARS = 400
ELLIPSIS = "\u2026"
_MARKER = re.compile(r"^(?:[-\u2013\u2022\u25aa\u25cf\u00b7*>]+|\([a-z0-9]{1,3}\)|[a-z]\))\s+", re.I)


@dataclass(frozen=True)
class Quote:
    text: str  # words of the passage, exactly
    start: int  # offset of `text` in the passage
    cut_before: bool = False  # the sentence goes on before `text`
    cut_after: bool = False  # ... and after it

    def shown(self) -> str:
        return shown(self.text, self.cut_before, self.cut_after)


def shown(text: str, cut_before: bool, cut_after: bool) -> str:
    """The quote as a reader sees it: an ellipsis where the sentence was cut."""
    return (ELLIPSIS if cut_before else "") + text + (ELLIPSIS if cut_after else "")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`: lines, each split by the ingest's sentence splitter."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        at = pos
        for s in split_sentences(line):
            i = line.find(s, at - pos)
            if i < 0:
                continue
            spans.append((pos + i, pos + i + len(s)))
            at = pos + i + len(s)
        pos += len(line) + 1
    return spans or [(0, len(text))]


def quote_span(text: str, start: int, end: int, limit: int = QUOTE_CHARS) -> Quote:
    """The sentences of `text` holding [start:end]; cut to about `limit` characters at word boundaries
    around the words when longer (the cut sides marked)."""
    start, end = max(0, min(start, len(text))), min(len(text), max(start, end))
    spans = sentence_spans(text)
    first = next((s for s in spans if s[1] > start), spans[-1])
    last = next((s for s in spans if s[1] >= end), spans[-1])
    lo, hi = min(first[0], start), max(last[1], end)
    lo = _skip_marker(text, lo, hi)
    cut_lo, cut_hi = lo, hi
    if hi - lo > limit:
        cut_lo, cut_hi = _window(text, lo, hi, start, end, limit)
    while cut_lo < cut_hi and text[cut_lo].isspace():
        cut_lo += 1
    while cut_hi > cut_lo and text[cut_hi - 1].isspace():
        cut_hi -= 1
    return Quote(text[cut_lo:cut_hi], cut_lo, cut_lo > lo, cut_hi < hi)


def _window(text: str, lo: int, hi: int, start: int, end: int, limit: int) -> tuple[int, int]:
    """About `limit` characters of [lo, hi) around [start, end), both ends moved to word boundaries."""
    width = min(end - start, limit)
    a = max(lo, start - (limit - width) // 2)
    b = min(hi, a + limit)
    if b < start + width:
        b = start + width
        a = max(lo, b - limit)
    if a > lo and not text[a - 1].isspace():  # mid-word: start at the next word (or the one before)
        nxt = text.find(" ", a, start + 1)
        a = nxt + 1 if nxt >= 0 else max(lo, text.rfind(" ", lo, a) + 1)
    if b < hi and not text[b].isspace() and not text[b - 1].isspace():  # mid-word: end at the last whole one
        back = text.rfind(" ", max(a, end), b)
        nxt = text.find(" ", b, hi)
        b = back if back > a else (nxt if nxt >= 0 else hi)
    return a, b


def _skip_marker(text: str, lo: int, hi: int) -> int:
    """Past a list marker opening the sentence ("- ", "\u2022 ", "a) "), when words follow it."""
    m = _MARKER.match(text[lo:hi])
    return lo + m.end() if m and m.end() < hi - lo else lo


def quote_around(text: str, start: int, end: int, limit: int = QUOTE_CHARS) -> str:
    """The words of `quote_span` (no ellipsis): for callers that show them inline."""
    return quote_span(text, start, end, limit).text

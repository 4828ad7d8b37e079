"""Keyword search: SQLite FTS5 with BM25 over passage text (and, weighted lower, its headings).

A user's query becomes an FTS5 expression: "quoted phrases" are required phrases, `word*` is
a prefix match (only when asked for: no word matches as a prefix otherwise), other words are
OR-ed (BM25 ranks passages with more and rarer words first) after dropping function words.
What the stored papers say widens a word: an acronym defined in any stored paper ("ASB")
also matches its long form ("anti-social behaviour") and the other way about, a hyphenated
word also matches its closed form ("anti-social", "antisocial") and a long word the two-word
forms the papers use ("wellbeing": "well-being", "well being").
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# BM25 weights of the FTS columns: text, heading
TEXT_WEIGHT, HEADING_WEIGHT = 1.0, 0.4
LARGE_STORE = 100_000  # passages; past this, keyword search bounds its work (see keyword_search)
MAX_SCORED = 2_000
_PHRASE = re.compile(r'"([^"]+)"')
_TOKEN = re.compile(r"[\w][\w'\u2019-]*\*?", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")
# (first ids, last ids) of the passage id ranges a filter allows, sorted (see range_condition)
Ranges = tuple[Sequence[int], Sequence[int]]
# Past this many ranges (after merging neighbours) the filter is checked by joining passages instead:
# SQLite's time to prepare the range expression grows faster than linearly (4 ms at 1,250 ranges).
MAX_RANGES = 1_000


@dataclass(frozen=True)
class KeywordQuery:
    fts: str  # the FTS5 MATCH expression ('' when nothing is searchable)
    terms: tuple[str, ...]  # the words and phrases of the query, lower case
    parts: tuple[str, ...] = ()  # one FTS5 expression per word, phrase or acronym of the query
    required: tuple[str, ...] = ()  # the quoted phrases: every result holds each of them


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = (Path(__file__).parent / "data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _quote(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


def _any(exprs: list[str]) -> str:
    unique = list(dict.fromkeys(exprs))
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def build_query(query: str, conn: sqlite3.Connection | None = None) -> KeywordQuery:
    """The FTS5 expression of a user's query (see the module docstring); `conn` adds what the store knows."""
    parts: list[str] = []
    terms: list[str] = []
    required: list[str] = []
    for phrase in _PHRASE.findall(query):
        words = _WORD.findall(phrase.lower())
        if words:
            required.append(_quote(words))
            terms.append(" ".join(words))
    rest = _PHRASE.sub(" ", query)
    stop = stopwords()
    for raw in _TOKEN.findall(rest):
        prefix = raw.endswith("*")
        word = raw.rstrip("*")
        pieces = _WORD.findall(word.lower())
        if not pieces or (len(pieces) == 1 and (pieces[0] in stop or len(pieces[0]) < 2) and not prefix):
            continue
        forms = [_quote(pieces) + ("*" if prefix else "")]
        if len(pieces) > 1 and not prefix and all(p.isalpha() for p in pieces):
            forms.append(_quote(["".join(pieces)]))  # "anti-social" also finds "antisocial"
        if conn is not None and not prefix:
            if _ACRONYM.match(word):
                forms += [_quote(_WORD.findall(f.lower())) for f in expansions(conn, word)]
            elif len(pieces) == 1:
                forms += [_quote(list(split)) for split in compounds(conn, pieces[0])]
        parts.append(_any(forms))
        terms.append(" ".join(pieces))
    if conn is not None:
        for short in contractions(conn, query):
            parts.append(_quote(_WORD.findall(short.lower())))
            terms.append(short.lower())
    unique = tuple(dict.fromkeys([*required, *parts]))
    fts = " OR ".join(unique)
    if required:  # the phrases must all be there; the other words rank those that have them
        fts = " AND ".join(dict.fromkeys(required)) + (f" AND ({fts})" if len(unique) > len(required) else "")
    return KeywordQuery(fts, tuple(dict.fromkeys(terms)), unique, tuple(dict.fromkeys(required)))


COMPOUND_MIN = 7  # letters of a word whose hyphenated or spaced form is looked for ("wellbeing": "well-being")


def compounds(conn: sqlite3.Connection, word: str) -> list[tuple[str, str]]:
    """The ways the stored papers split a long word in two ("antisocial" as "anti-social"): each split
    into two parts of three or more letters that some passage has as neighbouring words."""
    if len(word) < COMPOUND_MIN or not word.isalpha():
        return []
    found = []
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        try:
            hit = conn.execute("SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1",
                               (_quote([left, right]),)).fetchone()
        except sqlite3.OperationalError:
            hit = None
        if hit:
            found.append((left, right))
    return found


def contractions(conn: sqlite3.Connection, query: str) -> list[str]:
    """Acronyms whose long form (as a stored paper defines it) is written out in the query."""
    words = " ".join(_WORD.findall(query.lower()))
    if not words:
        return []
    found = []
    for short, long in _all_acronyms(conn):
        form = " ".join(_WORD.findall(long.lower()))
        if form and len(form.split()) > 1 and f" {form} " in f" {words} " and short not in found:
            found.append(short)
    return found


def defined_terms(conn: sqlite3.Connection, query: str) -> list[tuple[str, str]]:
    """(acronym, long form) of each term a stored paper defines ("Workplace Parking Levy (WPL)") whose long
    form of two or more words is written out in the query, longest first."""
    words = " ".join(_WORD.findall(query.lower()))
    if not words:
        return []
    found: dict[str, tuple[str, str]] = {}
    for short, long in conn.execute("SELECT DISTINCT short, long FROM acronyms LIMIT 20000"):
        form = " ".join(_WORD.findall(long.lower()))
        if len(form.split()) > 1 and f" {form} " in f" {words} ":
            found.setdefault(form, (short, long))
    return sorted(found.values(), key=lambda t: -len(t[1]))


@lru_cache(maxsize=1)
def general_acronyms() -> tuple[tuple[str, str], ...]:
    text = (Path(__file__).parent / "data/acronyms.tsv").read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t", 1)) for line in text.splitlines()  # type: ignore[misc]
                 if line.strip() and not line.startswith("#"))


def _all_acronyms(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    # the store's definitions change with every ingest; a few thousand rows at most, read per query
    stored = [(r[0], r[1]) for r in conn.execute("SELECT DISTINCT short, long FROM acronyms LIMIT 20000")]
    return [*general_acronyms(), *stored]


def expansions(conn: sqlite3.Connection, short: str) -> list[str]:
    """Long forms the gazetteer and stored papers give for an acronym (plural 's' ignored)."""
    key = short[:-1] if short.endswith("s") and len(short) > 2 else short
    forms = [long for s, long in _all_acronyms(conn) if s in (short, key) and _WORD.findall(long)]
    return list(dict.fromkeys(forms))[:3]


def keyword_search(conn: sqlite3.Connection, query: KeywordQuery, k: int, where: str = "",
                   args: list[Any] | None = None, ranges: Ranges | None = None,
                   depth: int = 0) -> list[tuple[int, float]]:
    """Top k (passage id, BM25 score; higher is better) matching the query and the filter, or the
    top `depth` (> k) when more scores are wanted: FTS5 scores every match it looks at anyway, so
    the deeper ones cost only their rows.

    The filter is SQL on passages `p` (`where`, `args`) or, equivalently and cheaper, the sorted
    passage id ranges it allows (`ranges`), checked on the FTS rowid without reading passages.
    In a small store every passage holding any query word is scored (OR). In a large one
    (over LARGE_STORE passages) scoring every match of common words costs too much (FTS5 spends
    about a microsecond a row on BM25), so passages holding every word come first (AND), OR only
    when fewer than k do, and at most MAX_SCORED matches (in store order) are scored.
    """
    if not query.fts:
        return []
    large = (conn.execute("SELECT max(id) FROM passages").fetchone()[0] or 0) > LARGE_STORE
    depth = max(k, depth)
    if large and len(query.parts) > 1:
        rows = _run(conn, " AND ".join(query.parts), depth, where, args, MAX_SCORED, ranges)
        if len(rows) >= k:
            return rows
    return _run(conn, query.fts, depth, where, args, MAX_SCORED if large else 0, ranges)


def range_condition(column: str, ranges: Ranges) -> str | None:
    """SQL that is true when integer `column` lies in one of the sorted `ranges` (None: too many).

    A balanced tree of CASE expressions over literal ids: O(log n) comparisons a row, no SQL
    function and no state on the connection, so any thread may run it on its own connection.
    """
    merged: list[list[int]] = []
    for first, last in zip(ranges[0], ranges[1], strict=True):
        if merged and int(first) <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], int(last))
        else:
            merged.append([int(first), int(last)])
    if not merged:
        return "0"
    if len(merged) > MAX_RANGES:
        return None

    def tree(lo: int, hi: int) -> str:
        if hi - lo == 1:
            return f"{column} BETWEEN {merged[lo][0]} AND {merged[lo][1]}"
        mid = (lo + hi) // 2
        return f"(CASE WHEN {column} < {merged[mid][0]} THEN {tree(lo, mid)} ELSE {tree(mid, hi)} END)"

    return tree(0, len(merged))


def _filter(where: str, args: list[Any] | None, ranges: Ranges | None) -> tuple[str, list[Any], str]:
    """The filter as (condition, arguments, join): on the FTS rowid when `ranges` allow, else on passages `p`."""
    cond = range_condition("f.rowid", ranges) if ranges is not None else None
    if cond is not None:  # the filter as ids: no join with passages, no SQL arguments
        return cond, [], ""
    return where, list(args or []), " JOIN passages p ON p.id = f.rowid" if where else ""


def _run(conn: sqlite3.Connection, expr: str, k: int, where: str, args: list[Any] | None,
         cap: int, ranges: Ranges | None = None) -> list[tuple[int, float]]:
    bm25 = f"bm25(passages_fts, {TEXT_WEIGHT}, {HEADING_WEIGHT})"
    if cap and ranges is not None and range_condition("f.rowid", ranges) is None:
        # too many ranges for SQL (a filter spanning thousands of papers): the same first matches as
        # below, scored when they lie in a coarser set of ranges holding these, then kept by their ids
        # here; joining each with passages instead took 1.5-2 times as long at 1M passages
        coarse = range_condition("f.rowid", _coarser(ranges, MAX_RANGES)) or "1"  # MAX_RANGES 0: ids only
        inner = (f"SELECT f.rowid AS id, CASE WHEN {coarse} THEN {bm25} END AS s FROM passages_fts f"
                 f" WHERE passages_fts MATCH ? LIMIT {int(cap) * 5}")
        sql = f"SELECT id, s FROM ({inner}) WHERE s IS NOT NULL"
        return _top_in(_execute(conn, sql, lambda e: [e], expr), ranges, k)
    where, args, join = _filter(where, args, ranges)
    if where and cap:  # bound the matches looked at, not only those passing the filter
        inner = (f"SELECT f.rowid AS id, CASE WHEN {where} THEN {bm25} END AS s FROM passages_fts f{join}"
                 f" WHERE passages_fts MATCH ? LIMIT {int(cap) * 5}")
        sql = f"SELECT id, s FROM ({inner}) WHERE s IS NOT NULL ORDER BY s LIMIT ?"
        expr_first = False
    else:
        inner = f"SELECT f.rowid AS id, {bm25} AS s FROM passages_fts f{join}"
        inner += " WHERE passages_fts MATCH ?" + (f" AND {where}" if where else "")
        sql = f"SELECT id, s FROM ({inner} LIMIT {int(cap)}) ORDER BY s LIMIT ?" if cap else inner + " ORDER BY s LIMIT ?"
        expr_first = True
    params = (lambda e: [e, *(args or []), k]) if expr_first else (lambda e: [*(args or []), e, k])
    return [(int(r[0]), -float(r[1])) for r in _execute(conn, sql, params, expr)]


def _execute(conn: sqlite3.Connection, sql: str, params: Any, expr: str) -> list[Any]:
    """Rows of `sql` with `params(expr)`; an expression FTS5 rejects falls back to its plain words."""
    try:
        return conn.execute(sql, params(expr)).fetchall()
    except sqlite3.OperationalError as e:
        if "fts5" not in str(e):
            raise
        words = [w for w in _WORD.findall(expr.lower()) if w not in ("or", "and", "not", "near")]
        if not words:
            return []
        return conn.execute(sql, params(" OR ".join(_quote([w]) for w in dict.fromkeys(words)))).fetchall()


def _coarser(ranges: Ranges, most: int) -> Ranges:
    """At most `most` ranges covering `ranges` (sorted): the narrowest gaps between them closed."""
    import numpy as np

    firsts = np.asarray(ranges[0], dtype=np.int64)
    lasts = np.asarray(ranges[1], dtype=np.int64)
    if len(firsts) <= most:
        return firsts.tolist(), lasts.tolist()
    gaps = firsts[1:] - lasts[:-1]
    close = np.zeros(len(gaps), dtype=bool)
    close[np.argsort(gaps, kind="stable")[:len(firsts) - max(1, most)]] = True
    starts = np.r_[0, np.flatnonzero(~close) + 1]
    ends = np.r_[np.flatnonzero(~close), len(firsts) - 1]
    return firsts[starts].tolist(), lasts[ends].tolist()


def _top_in(rows: list[Any], ranges: Ranges, k: int) -> list[tuple[int, float]]:
    """The k best (id, -BM25) of `rows` (id, BM25) whose ids lie in the sorted `ranges`."""
    import numpy as np

    if not rows:
        return []
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    firsts = np.asarray(ranges[0], dtype=np.int64)
    lasts = np.asarray(ranges[1], dtype=np.int64)
    at = np.searchsorted(firsts, ids, side="right") - 1
    keep = (at >= 0) & (ids <= lasts[np.maximum(at, 0)])
    ids, scores = ids[keep], scores[keep]
    order = np.argsort(scores, kind="stable")[:k]  # BM25 from FTS5: lower is better
    return [(int(ids[i]), -float(scores[i])) for i in order]


def phrase_matches(conn: sqlite3.Connection, query: KeywordQuery, ids: list[int]) -> set[int]:
    """Those of the passages `ids` that hold every quoted phrase of the query."""
    if not query.required or not ids:
        return set(ids)
    marks = ",".join("?" * len(ids))
    sql = f"SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? AND rowid IN ({marks})"
    return {r[0] for r in conn.execute(sql, [" AND ".join(query.required), *ids])}


def matches_all(conn: sqlite3.Connection, query: KeywordQuery, where: str = "", args: list[Any] | None = None,
                ranges: Ranges | None = None) -> bool:
    """Does some passage contain every word and phrase of the query (an exact request met)?"""
    if not query.parts:
        return False
    where, args, join = _filter(where, args, ranges)
    sql = f"SELECT 1 FROM passages_fts f{join}"
    sql += " WHERE passages_fts MATCH ?" + (f" AND {where}" if where else "") + " LIMIT 1"
    try:
        return conn.execute(sql, [" AND ".join(query.parts), *(args or [])]).fetchone() is not None
    except sqlite3.OperationalError:
        return False

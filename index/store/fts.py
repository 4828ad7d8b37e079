"""The store's keyword index (FTS5) queries: what keyword search, query evidence and the snippets ask."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# BM25 weights of the FTS columns: text, heading
TEXT_WEIGHT, HEADING_WEIGHT = 1.0, 0.4
LARGE_STORE = 100_000  # passages; past this, keyword search bounds its work (see keyword_search)
MAX_SCORED = 2_000
WORD = re.compile(r"\w+", re.UNICODE)
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


def quote_words(words: list[str]) -> str:
    """Words as one FTS5 phrase."""
    return '"' + " ".join(words) + '"'


def fts_has(conn: sqlite3.Connection, expression: str) -> bool:
    """Does some passage match the FTS5 expression (False when FTS5 rejects it)?"""
    try:
        return (
            conn.execute(
                "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", (expression,)
            ).fetchone()
            is not None
        )
    except sqlite3.OperationalError:
        return False


def stored_acronyms(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(acronym, long form) of every definition the stored papers give."""
    # the store's definitions change with every ingest; a few thousand rows at most, read per query
    return [(r[0], r[1]) for r in conn.execute("SELECT DISTINCT short, long FROM acronyms LIMIT 20000")]


def max_passage_id(conn: sqlite3.Connection) -> int:
    """The largest passage id (about the number of passages ever stored), 0 when there are none."""
    return int(conn.execute("SELECT max(id) FROM passages").fetchone()[0] or 0)


def fts_tokenizer(conn: sqlite3.Connection) -> str:
    """The `tokenize` option of the store's keyword index, quoted for SQL."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'passages_fts'").fetchone()
    m = re.search(r"tokenize\s*=\s*('(?:[^']|'')*')", row[0] if row else "", re.IGNORECASE)
    return m.group(1) if m else "'porter unicode61'"


def marked_matches(tokenizer: str, expression: str, texts: dict[int, str]) -> list[tuple[int, str]]:
    """(id, text with each match of the FTS5 expression between \\x02 and \\x03) of the texts it matches.

    The texts are matched in a small in-memory FTS5 table made with the store's own tokenizer, so the
    marks are what the index matches, at no cost to the store (whose `highlight()` would evaluate the
    expression over all of it to mark a hundred passages). sqlite3.OperationalError when FTS5 rejects it."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = {tokenizer})")
        scratch.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", texts.items())
        return [
            (int(r[0]), r[1])
            for r in scratch.execute(
                "SELECT rowid, highlight(t, 0, char(2), char(3)) FROM t WHERE t MATCH ?", (expression,)
            )
        ]
    finally:
        scratch.close()


def fts_count(conn: sqlite3.Connection, expression: str, most: int) -> int:
    """Passages matching the FTS5 expression, counted up to `most`."""
    return int(
        conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)",
            (expression, most),
        ).fetchone()[0]
    )


def document_counts(conn: sqlite3.Connection, words: list[str]) -> dict[str, int]:
    """Passages holding each word, as the keyword index counts them (its own stemming)."""
    scratch = sqlite3.connect(":memory:")
    try:  # the store's tokenizer gives each word's indexed form ("cuckooing" -> "cuckoo")
        scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = {fts_tokenizer(conn)})")
        scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        scratch.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", enumerate(words))
        form = {words[r[0]]: r[1] for r in scratch.execute("SELECT doc, term FROM v")}
    finally:
        scratch.close()
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab USING fts5vocab(main, passages_fts, 'row')"
    )
    terms = sorted(set(form.values()))
    marks = ",".join("?" * len(terms))
    docs = (
        dict(
            conn.execute(
                f"SELECT term, doc FROM temp.passages_vocab WHERE term IN ({marks})", terms
            ).fetchall()
        )
        if terms
        else {}
    )
    return {w: int(docs.get(t, 0)) for w, t in form.items()}


def held(conn: sqlite3.Connection, expressions: list[str], ids: list[int]) -> dict[int, set[int]]:
    """Which of the FTS5 `expressions` each of the passages `ids` holds (by index; those holding none
    left out). The passages (text and heading) are matched in a scratch in-memory table made with the
    store's tokenizer, so the cost grows with the candidates, not with the store."""
    out: dict[int, set[int]] = {}
    if not expressions or not ids:
        return out
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, text, heading FROM passages WHERE id IN ({marks})", ids).fetchall()
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(
            f"CREATE VIRTUAL TABLE t USING fts5(text, heading, columnsize = 0, tokenize = {fts_tokenizer(conn)})"
        )
        scratch.executemany("INSERT INTO t (rowid, text, heading) VALUES (?, ?, ?)", [tuple(r) for r in rows])
        for n, expr in enumerate(expressions):
            try:
                for (i,) in scratch.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,)):
                    out.setdefault(int(i), set()).add(n)
            except sqlite3.OperationalError:  # an expression FTS5 rejects is held by nothing
                continue
    finally:
        scratch.close()
    return out


# ---- keyword search (index.keyword builds the query) ----------------------------------------------


def keyword_search(
    conn: sqlite3.Connection,
    query: KeywordQuery,
    k: int,
    where: str = "",
    args: list[Any] | None = None,
    ranges: Ranges | None = None,
    depth: int = 0,
) -> list[tuple[int, float]]:
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
    large = max_passage_id(conn) > LARGE_STORE
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


def _run(
    conn: sqlite3.Connection,
    expr: str,
    k: int,
    where: str,
    args: list[Any] | None,
    cap: int,
    ranges: Ranges | None = None,
) -> list[tuple[int, float]]:
    bm25 = f"bm25(passages_fts, {TEXT_WEIGHT}, {HEADING_WEIGHT})"
    if cap and ranges is not None and range_condition("f.rowid", ranges) is None:
        # too many ranges for SQL (a filter spanning thousands of papers): the same first matches as
        # below, scored when they lie in a coarser set of ranges holding these, then kept by their ids
        # here; joining each with passages instead took 1.5-2 times as long at 1M passages
        coarse = range_condition("f.rowid", _coarser(ranges, MAX_RANGES)) or "1"  # MAX_RANGES 0: ids only
        inner = (
            f"SELECT f.rowid AS id, CASE WHEN {coarse} THEN {bm25} END AS s FROM passages_fts f"
            f" WHERE passages_fts MATCH ? LIMIT {int(cap) * 5}"
        )
        sql = f"SELECT id, s FROM ({inner}) WHERE s IS NOT NULL"
        return _top_in(_execute(conn, sql, lambda e: [e], expr), ranges, k)
    where, args, join = _filter(where, args, ranges)
    if where and cap:  # bound the matches looked at, not only those passing the filter
        inner = (
            f"SELECT f.rowid AS id, CASE WHEN {where} THEN {bm25} END AS s FROM passages_fts f{join}"
            f" WHERE passages_fts MATCH ? LIMIT {int(cap) * 5}"
        )
        sql = f"SELECT id, s FROM ({inner}) WHERE s IS NOT NULL ORDER BY s LIMIT ?"
        expr_first = False
    else:
        inner = f"SELECT f.rowid AS id, {bm25} AS s FROM passages_fts f{join}"
        inner += " WHERE passages_fts MATCH ?" + (f" AND {where}" if where else "")
        sql = (
            f"SELECT id, s FROM ({inner} LIMIT {int(cap)}) ORDER BY s LIMIT ?"
            if cap
            else inner + " ORDER BY s LIMIT ?"
        )
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
        words = [w for w in WORD.findall(expr.lower()) if w not in ("or", "and", "not", "near")]
        if not words:
            return []
        return conn.execute(
            sql, params(" OR ".join(quote_words([w]) for w in dict.fromkeys(words)))
        ).fetchall()


def _coarser(ranges: Ranges, most: int) -> Ranges:
    """At most `most` ranges covering `ranges` (sorted): the narrowest gaps between them closed."""
    import numpy as np

    firsts = np.asarray(ranges[0], dtype=np.int64)
    lasts = np.asarray(ranges[1], dtype=np.int64)
    if len(firsts) <= most:
        return firsts.tolist(), lasts.tolist()
    gaps = firsts[1:] - lasts[:-1]
    close = np.zeros(len(gaps), dtype=bool)
    close[np.argsort(gaps, kind="stable")[: len(firsts) - max(1, most)]] = True
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


def matches_all(
    conn: sqlite3.Connection,
    query: KeywordQuery,
    where: str = "",
    args: list[Any] | None = None,
    ranges: Ranges | None = None,
) -> bool:
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

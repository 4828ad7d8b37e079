"""The store's keyword index (FTS5) queries: what keyword search, query evidence and the snippets ask."""
from __future__ import annotations

import re
import sqlite3


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
        return [(int(r[0]), r[1]) for r in scratch.execute(
            "SELECT rowid, highlight(t, 0, char(2), char(3)) FROM t WHERE t MATCH ?", (expression,))]
    finally:
        scratch.close()

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
from functools import lru_cache
from pathlib import Path

from index.store.fts import HEADING_WEIGHT as HEADING_WEIGHT  # what search and its callers import from here
from index.store.fts import LARGE_STORE as LARGE_STORE
from index.store.fts import MAX_RANGES as MAX_RANGES
from index.store.fts import MAX_SCORED as MAX_SCORED
from index.store.fts import TEXT_WEIGHT as TEXT_WEIGHT
from index.store.fts import WORD as _WORD
from index.store.fts import KeywordQuery as KeywordQuery
from index.store.fts import Ranges as Ranges
from index.store.fts import fts_has, stored_acronyms
from index.store.fts import keyword_search as keyword_search
from index.store.fts import matches_all as matches_all
from index.store.fts import phrase_matches as phrase_matches
from index.store.fts import quote_words as _quote
from index.store.fts import range_condition as range_condition

_PHRASE = re.compile(r'"([^"]+)"')
_TOKEN = re.compile(r"[\w][\w'\u2019-]*\*?", re.UNICODE)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")
DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=2)
def stopwords(path: Path = DATA / "stopwords.txt") -> frozenset[str]:
    """The function words a query drops, read once a file."""
    text = path.read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


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


COMPOUND_MIN = (
    7  # letters of a word whose hyphenated or spaced form is looked for ("wellbeing": "well-being")
)


def compounds(conn: sqlite3.Connection, word: str) -> list[tuple[str, str]]:
    """The ways the stored papers split a long word in two ("antisocial" as "anti-social"): each split
    into two parts of three or more letters that some passage has as neighbouring words."""
    if len(word) < COMPOUND_MIN or not word.isalpha():
        return []
    found = []
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        if fts_has(conn, _quote([left, right])):
            found.append((left, right))
    return found


def _written_out(definitions: list[tuple[str, str]], query: str) -> list[tuple[str, str]]:
    """The (acronym, long form) definitions whose long form of two or more words is written out in the query."""
    words = f" {' '.join(_WORD.findall(query.lower()))} "
    found = []
    for short, long in definitions:
        form = " ".join(_WORD.findall(long.lower()))
        if len(form.split()) > 1 and f" {form} " in words:
            found.append((short, long))
    return found


def contractions(conn: sqlite3.Connection, query: str) -> list[str]:
    """Acronyms whose long form (the gazetteer's or a stored paper's) is written out in the query."""
    return list(dict.fromkeys(short for short, _ in _written_out(_all_acronyms(conn), query)))


def defined_terms(conn: sqlite3.Connection, query: str) -> list[tuple[str, str]]:
    """(acronym, long form) of each term a stored paper defines ("Workplace Parking Levy (WPL)") whose long
    form is written out in the query, one per long form, longest first."""
    terms: dict[str, tuple[str, str]] = {}
    for short, long in _written_out(stored_acronyms(conn), query):
        terms.setdefault(" ".join(_WORD.findall(long.lower())), (short, long))
    return sorted(terms.values(), key=lambda t: -len(t[1]))


@lru_cache(maxsize=2)
def general_acronyms(path: Path = DATA / "acronyms.tsv") -> tuple[tuple[str, str], ...]:
    """The gazetteer's (acronym, long form) rows, read once a file."""
    text = path.read_text(encoding="utf-8")
    return tuple(
        tuple(line.split("\t", 1))
        for line in text.splitlines()  # type: ignore[misc]
        if line.strip() and not line.startswith("#")
    )


def _all_acronyms(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    # the store's definitions change with every ingest; a few thousand rows at most, read per query
    return [*general_acronyms(), *stored_acronyms(conn)]


def expansions(conn: sqlite3.Connection, short: str) -> list[str]:
    """Long forms the gazetteer and stored papers give for an acronym (plural 's' ignored)."""
    key = short[:-1] if short.endswith("s") and len(short) > 2 else short
    forms = [long for s, long in _all_acronyms(conn) if s in (short, key) and _WORD.findall(long)]
    return list(dict.fromkeys(forms))[:3]

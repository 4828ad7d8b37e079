"""Query analysis: the evidence in a query that keyword search owns.

Some words of a query say exactly what is wanted, and only keyword search can check them: an
identifier or code ("CAB/WS/21/012", "ES16051", "decision 23/00092"), a quoted phrase, a proper name
("Bronze Group", "Community Safety Wardens Scheme", "the HCSSG"), a term a stored paper defines, written
out ("workplace parking levy", held as itself or as "WPL") or a word the store hardly uses
(by its document frequency in the keyword index: "cuckooing", "swastikas"). A passage holding every
piece of such evidence ranks above one that does not, in every search mode (index.fusion.fuse);
a query without any (a paraphrase: "young people groomed into drug dealing") keeps the fusion as
it is. A proper name is read from the query's capitals: a run of two or more capitalised words
(small joining words such as "of" and "and" allowed inside), or one capitalised word that does
not start the query, or an acronym; a query typed all in capitals says nothing by its case.
Each piece is one FTS5 expression, so a name's words are each required (in any order: "MoD
Employers Recognition Gold Award" holds "Employer Recognition Award") and an acronym is held by
its long forms too (index.keyword.expansions).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from index.keyword import _ACRONYM, _WORD, _quote, build_query, defined_terms, expansions, stopwords
from index.store.fts import document_counts as document_counts  # as search has imported them from here
from index.store.fts import fts_count, max_passage_id
from index.store.fts import held as held

# A code: letters and digits mixed ("ES16051", "S106", "DHR10") or digits split by "/" ("23/00092"),
# with more parts after a "/", "." or "-" ("CAB/WS/21/012"); a year or a span of years is not one.
_CODE = re.compile(r"(?<![\w/])[A-Za-z0-9]+(?:[/.-][A-Za-z0-9]+)*(?![\w/])")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:[/-](?:\d\d|(?:19|20)\d\d))?$")
_NAME_WORD = re.compile(r"[\w][\w'\u2019&.-]*", re.UNICODE)
# words that may join the capitalised words of one name ("Kent and Medway", "Chamber of Commerce")
JOINERS = frozenset({"of", "and", "for", "the", "on", "in", "&", "de", "upon"})
_PHRASE = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Evidence:
    parts: tuple[str, ...] = ()  # FTS5 expressions; a passage holding every one outranks one that does not
    labels: tuple[str, ...] = ()  # what each part is, for a reader: 'code ES16051', 'name Bronze Group' ...

    def __bool__(self) -> bool:
        return bool(self.parts)

    def fts(self) -> str:
        """One FTS5 expression true of a passage holding every part."""
        return " AND ".join(self.parts)


def is_code(token: str) -> bool:
    pieces = re.split(r"[/.-]", token)
    digits = any(c.isdigit() for c in token)
    letters = any(c.isalpha() for c in token)
    if not digits or _YEARS.match(token) or len(token) < 3:
        return False
    return (letters and any(any(c.isdigit() for c in p) for p in pieces)) or (
        "/" in token and len(pieces) >= 2
    )


# a capitalised word numbered: "Outcome 22", "Appendix 3", "Priority 2"
_NUMBERED = re.compile(r"(?<![\w/])([A-Z][a-z]+)\s+(\d{1,4})(?![\w/])")


def codes(query: str) -> list[str]:
    """The identifiers and codes of a query, as written."""
    text = _PHRASE.sub(" ", query)
    found = [m.group(0) for m in _CODE.finditer(text) if is_code(m.group(0))]
    return found + [m.group(0) for m in _NUMBERED.finditer(text) if not _YEARS.match(m.group(2))]


def names(query: str) -> list[list[str]]:
    """The proper names of a query: each a list of its capitalised words (joining words left out)."""
    text = _PHRASE.sub(" , ", query)
    words = [(m.group(0), m.start()) for m in _NAME_WORD.finditer(text)]
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(words) > 1:
        return []  # typed in capitals: case says nothing
    out: list[list[str]] = []
    run: list[str] = []
    starts_query = False

    def close() -> None:
        caps = [w for w in run if w.lower() not in JOINERS]
        if len(caps) >= 2 or (len(caps) == 1 and (not starts_query or _ACRONYM.match(caps[0]))):
            out.append(caps)

    for n, (word, at) in enumerate(words):
        between = text[words[n - 1][1] + len(words[n - 1][0]) : at] if n else ""
        capital = word[:1].isupper() and not is_code(word)
        joined = run and word.lower() in JOINERS and not re.search(r"[,;:()?!]", between)
        if capital and run and not re.search(r"[,;:()?!]", between):
            run.append(word)
        elif joined:
            run.append(word)
        else:
            while run and run[-1].lower() in JOINERS:
                run.pop()
            if run:
                close()
            run, starts_query = ([word], n == 0) if capital else ([], False)
    while run and run[-1].lower() in JOINERS:
        run.pop()
    if run:
        close()
    return out


RUN = 3  # words of the query in a row that make a rare phrase


def rare_phrases(query: str, conn: sqlite3.Connection, share: float, skip: set[str]) -> list[list[str]]:
    """Pairs of neighbouring words of the query (not function words, not in `skip`) that the store holds
    side by side in at most `share` of its passages, and in one at least ("possession proceedings",
    "target hardening"): a paraphrase rarely keeps two of its answer's words together. Only pairs with
    a word itself held by at most that share are looked up (the keyword index's document counts)."""
    if share <= 0:
        return []
    stop = stopwords()
    pairs: list[list[str]] = []
    for chunk in re.split(r"[,;:()?!]", _PHRASE.sub(",", query).lower()):
        words = _WORD.findall(chunk)
        pairs += [
            g
            for g in (words[i : i + RUN] for i in range(len(words) - RUN + 1))
            if g[0] not in stop
            and g[-1] not in stop
            and sum(w not in stop for w in g) >= 2
            and not set(g) & skip
        ]
    if not pairs:
        return []
    total = max_passage_id(conn)
    most = max(1, int(share * total))
    counts = document_counts(conn, sorted({w for p in pairs for w in p}))
    out = []
    for pair in dict.fromkeys(tuple(p) for p in pairs):
        if (
            min(counts.get(w, 0) for w in pair if w not in stop) > most
            or min(counts.get(w, 0) for w in pair) == 0
        ):
            continue
        n = fts_count(conn, _quote(list(pair)), most + 1)
        if 0 < n <= most:
            out.append(list(pair))
    return out


def analyse(query: str, conn: sqlite3.Connection, rare: float = 0.0, defined: bool = True) -> Evidence:
    """The evidence of a query (see the module docstring); `rare`: the largest share of passages a
    word may be held by to count as rare (0: rare words are not evidence); `defined`: whether terms the
    stored papers define count (they rank a search; they do not say which councils did something)."""
    parts: list[str] = []
    labels: list[str] = []
    for phrase in build_query(query).required:
        parts.append(phrase)
        labels.append(f"phrase {phrase}")
    taken: set[str] = set()
    for code in codes(query):
        pieces = _WORD.findall(code.lower())
        parts.append(_quote(pieces))
        labels.append(f"code {code}")
        taken.update(pieces)
    for short, long in (
        defined_terms(conn, query) if defined else ()
    ):  # a term a paper defines: long form or acronym
        pieces = _WORD.findall(long.lower())
        if set(pieces) <= taken:
            continue
        parts.append(f"({_quote(pieces)} OR {_quote(_WORD.findall(short.lower()))})")
        labels.append(f"defined term {long} ({short})")
        taken.update(pieces)
    for name in names(query):
        for word in name:
            pieces = _WORD.findall(word.lower())
            if not pieces or " ".join(pieces) in taken:
                continue
            forms = [_quote(pieces)]
            if _ACRONYM.match(word):
                forms += [_quote(_WORD.findall(f.lower())) for f in expansions(conn, word)]
            parts.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(dict.fromkeys(forms)) + ")")
            taken.update(pieces)
        labels.append("name " + " ".join(name))
    for pair in rare_phrases(query, conn, rare, taken):
        parts.append(_quote(pair))
        labels.append(f"rare {' '.join(pair)}")
    return Evidence(tuple(dict.fromkeys(parts)), tuple(labels))

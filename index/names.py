"""Council and committee names as users type them, resolved against the names of the stored papers.

One resolver for the CLI, the HTTP API and the web pages (search, compare, precedents, alerts):
1. exact (case, spacing, "&"/"and" and punctuation aside): "hampshire county council";
2. else the words given are a whole-word part of exactly one stored name: "hampshire", "Test Valley";
   a part of several is answered with them all ("county": which one?);
3. else rapidfuzz suggests the stored names closest to it, compared without the words every council or
   committee name shares (index/data/name_words.txt): "Hampshre County Council" -> "did you mean
   Hampshire County Council?". A suggestion is only offered, never used in its place.
What does not resolve is an `UnknownName` carrying one readable message: the CLI prints it and exits 2,
the API answers 422 with it, a page shows it above its results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from nlp.namekey import name_key

if TYPE_CHECKING:
    from index.store import Store

Kind = Literal["council", "committee"]
F = TypeVar("F", bound=Any)
# rapidfuzz `ratio` (0-100) of the telling words at or above which a stored name is suggested. Chosen on
# the names of UK councils (nlp/data/councils.csv, benchmarks/bench_names.py): with 50 councils stored, a
# one-letter slip finds its council 99.0% of the time at 80 while 3.6% of other councils' names get some
# suggestion (85: 92.9% / 1.0%; 75: 99.9% / 6.6%) on the trials it was chosen on; 99.4% / 4.5% on the others.
SUGGEST_AT = 80
SUGGESTIONS = 3  # at most this many close names offered
LISTED = 8  # a store with at most this many names lists them in the message


@dataclass(frozen=True)
class Resolved:
    kind: str  # council | committee
    given: str
    name: str | None  # the stored name it resolves to (None: it does not)
    how: str  # exact | part | ambiguous | suggestion | unknown
    candidates: tuple[str, ...] = ()  # ambiguous: the names it is part of; suggestion: the closest names

    @property
    def ok(self) -> bool:
        return self.name is not None

    def message(self, known: int | None = None) -> str:
        """One line saying what happened: for `part`, what it was read as; otherwise why it did not resolve."""
        said = f"{self.kind} {self.given!r}"
        if self.how == "part":
            return f"{said} read as {self.name}"
        if self.how == "ambiguous":
            return f"{said} is part of {len(self.candidates)} {self.kind} names: {_or(self.candidates)}; give more of it"
        if self.how == "suggestion":
            return f"{said}: no such {self.kind}; did you mean {_or(self.candidates)}?"
        listed = f" (known: {_or(self.candidates)})" if self.candidates else ""
        none = f"no paper in the store has a {self.kind}" if known == 0 else f"no such {self.kind}"
        return f"{said}: {none}{listed}"


class UnknownName(ValueError):
    """A council or committee name that resolves to no stored name; `str()` is the one-line message."""

    def __init__(self, resolved: Resolved, known: int | None = None) -> None:
        super().__init__(resolved.message(known))
        self.resolved = resolved

    @property
    def field(self) -> str:
        return self.resolved.kind


def _or(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) > LISTED:
        return ", ".join(names[:LISTED]) + f" or {len(names) - LISTED} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


NAME_WORDS = Path(__file__).parent / "data" / "name_words.txt"


@lru_cache(maxsize=4)
def _generic(path: Path = NAME_WORDS) -> frozenset[str]:
    """The words every council or committee name may hold, read once a file."""
    text = path.read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def telling(name: str) -> str:
    """The words that tell one name from another ('Hampshire County Council' -> 'hampshire')."""
    words = name_key(name).split()
    kept = [w for w in words if w not in _generic()]
    return " ".join(kept or words)


def resolve(given: str, known: Iterable[str], kind: str = "council") -> Resolved:
    """`given` against the stored names `known` (exact, then unambiguous whole-word part, then suggestions)."""
    names = list(dict.fromkeys(k for k in known if k))
    want = name_key(given)
    if not want:
        return Resolved(kind, given, None, "unknown")
    exact = [k for k in names if name_key(k) == want]
    if exact:
        return Resolved(kind, given, exact[0], "exact")
    part = re.compile(rf"(?:^| ){re.escape(want)}(?: |$)")
    parts = [k for k in names if part.search(name_key(k))]
    if len(parts) == 1:
        return Resolved(kind, given, parts[0], "part")
    if parts:
        return Resolved(kind, given, None, "ambiguous", tuple(parts))
    keys = {k: telling(k) for k in names}
    same = [k for k, v in keys.items() if v == telling(given)]
    if len(same) == 1:  # the same telling words in other dress: "Hampshire CC", "Council of Test Valley"
        return Resolved(kind, given, same[0], "part")
    from rapidfuzz import fuzz, process

    close = process.extract(
        telling(given), keys, scorer=fuzz.ratio, score_cutoff=SUGGEST_AT, limit=SUGGESTIONS
    )
    if close:
        return Resolved(kind, given, None, "suggestion", tuple(k for _, _, k in close))
    return Resolved(kind, given, None, "unknown", tuple(names) if len(names) <= LISTED else ())


def known_names(store: Store, kind: Kind) -> list[str]:
    return store.names_of(kind)


def resolve_name(store: Store, kind: Kind, given: str) -> str:
    """The stored name `given` means, or UnknownName (with the suggestion) when it means none."""
    known = known_names(store, kind)
    r = resolve(given, known, kind)
    if r.name is None:
        raise UnknownName(r, len(known))
    return r.name


def resolve_names(store: Store, kind: Kind, given: Iterable[str]) -> list[str]:
    """Each of `given` resolved (order kept, repeats dropped); the first that does not resolve raises UnknownName."""
    known = known_names(store, kind)
    out = []
    for g in given:
        r = resolve(g, known, kind)
        if r.name is None:
            raise UnknownName(r, len(known))
        out.append(r.name)
    return list(dict.fromkeys(out))


def resolve_all(store: Store, kind: Kind, given: Iterable[str]) -> tuple[list[Resolved], list[Resolved]]:
    """(resolved, not resolved) for pages, which show every problem at once rather than the first."""
    known = known_names(store, kind)
    found = [resolve(g, known, kind) for g in given if g and g.strip()]
    return [r for r in found if r.ok], [r for r in found if not r.ok]


def resolve_or_keep(store: Store, kind: Kind, given: Iterable[str]) -> list[str]:
    """For saved searches, which wait for papers yet to come: a name that resolves is stored as resolved; one
    that is near a stored name (a misspelling) or part of several raises UnknownName; one like no stored name
    at all is kept as given (a council whose papers are not in the store yet)."""
    known = known_names(store, kind)
    out = []
    for g in given:
        r = resolve(g, known, kind)
        if r.how in ("suggestion", "ambiguous"):
            raise UnknownName(r, len(known))
        out.append(r.name or g.strip())
    return list(dict.fromkeys(out))


def resolve_filters(store: Store, filters: F) -> F:
    """A filters dataclass (index.search.SearchFilters ...) with its `council` and `committee` resolved to stored
    names; UnknownName (with the suggestion) for the first that resolves to none."""
    from dataclasses import replace

    changes = {
        kind: resolve_name(store, kind, value)
        for kind in ("council", "committee")
        if (value := getattr(filters, kind, None))
    }
    return replace(filters, **changes) if changes else filters

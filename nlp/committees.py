"""Committees: the names one council writes for each of its committees, resolved to one committee.

A paper names its committee as its author wrote it: "Transport and Connectivity Committee" on a
report, "Transport & Connectivity Policy Committee" on the minutes. `resolve_committees` groups one
council's names by how alike their distinctive words are (rapidfuzz over the names with the words
that only name the kind of body left out, nlp/data/committee_words.txt), and names each group by
its most used form; the other forms are kept as its aliases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ingest.datafiles import word_set
from nlp.namekey import name_key

DATA = Path(__file__).parent / "data"
# Two names of one council are one committee when their distinctive words agree at this token-sort
# ratio: chosen so that a typing slip or a dropped word ("Conectivity", "Transport Connectivity") joins
# and a sub-committee or area committee ("Planning Committee (North)", "Children's Scrutiny
# Committee" against "Scrutiny Committee": 60-75) stays apart.
SAME_COMMITTEE = 90


@dataclass(frozen=True)
class Committee:
    name: str  # the form the council's papers use most
    aliases: tuple[str, ...]  # its other forms, as written


@lru_cache(maxsize=2)
def generic_words(path: Path = DATA / "committee_words.txt") -> frozenset[str]:
    return word_set(path)


@lru_cache(maxsize=65536)
def committee_key(name: str | None) -> str:
    """The distinctive words of a committee's name key (nlp/namekey.py), sorted ("transport connectivity")."""
    words = name_key(name or "").split()
    kept = [w for w in words if w not in generic_words()]
    return " ".join(sorted(kept or words))


@lru_cache(maxsize=65536)
def same_committee(a: str | None, b: str | None) -> bool:
    """Whether two names of one council's committees name the same committee."""
    ka, kb = committee_key(a), committee_key(b)
    return bool(ka and kb and (ka == kb or fuzz.token_sort_ratio(ka, kb) >= SAME_COMMITTEE))


def resolve_committees(names: Iterable[str | None]) -> dict[str, Committee]:
    """Each name (as written) -> its committee. `names` are one council's, with repeats (the most used
    form names the committee; of forms used as often, the longest, then the first in order)."""
    counts = Counter(n.strip() for n in names if n and n.strip())
    groups: list[list[str]] = []
    for name in sorted(counts, key=lambda n: (-counts[n], -len(n), n)):
        for group in groups:
            if same_committee(group[0], name):
                group.append(name)
                break
        else:
            groups.append([name])
    out: dict[str, Committee] = {}
    for group in groups:
        committee = Committee(group[0], tuple(sorted(group[1:])))
        out.update(dict.fromkeys(group, committee))
    return out

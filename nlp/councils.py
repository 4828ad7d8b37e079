"""The gazetteer of UK local authorities (nlp/data/councils.csv) and finding the council a paper belongs to.

A paper names its council in full ("Hampshire County Council"), by place ("Test Valley"), or by the
initials of its full name ("TVBC"); a mention in the header counts most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ingest.datafiles import csv_rows, json_data
from nlp.rules import fired

DATA = Path(__file__).parent / "data" / "councils.csv"
DOMAIN_WORDS = Path(__file__).parent / "data" / "domain_words.json"
_SMALL = frozenset({"of", "and", "the", "with", "upon", "on", "in", "nan", "on-sea", "under"})
# how much one mention of each kind weighs, and the cap on mentions counted
_FULL, _PLACE, _ACRONYM, _DOMAIN, _CAP = 5.0, 1.0, 2.0, 8.0, 10
_CAPS = MappingProxyType(
    {"full": 3, "domain": 3}
)  # a partner council named often must not outweigh the paper's own
_DOMAIN_RE = re.compile(
    r"\b(?:www\.)?([a-z0-9-]+)\.(?:gov\.uk|gov\.scot|gov\.wales|moderngov\.co\.uk)\b", re.I
)
_HEADER_BONUS = MappingProxyType(
    {"full": 20.0, "place": 10.0, "acronym": 10.0, "domain": 10.0}
)  # a mention on the cover sheet
# a paper names its own council first and calls it by its initials ("BCC", "KCC"); a partner council
# is named in full again and again ("advice received from Nottingham City Council")
_FIRST = 8.0
# "To: County Council", "Full Council - City Council": the kind of council the meeting is of
_OWN_KIND = re.compile(
    r"^(?:[A-Za-z]+\s*[:\-–]\s*)?(?:Full\s+)?(County|City|Borough|District)\s+Council\b|"
    r"\b(County) Hall\b",
    re.M,
)  # a meeting at County Hall is a county council's
_KIND_BONUS = 30.0


@dataclass(frozen=True)
class Council:
    name: str
    place: str
    code: str
    type: str

    @property
    def acronym(self) -> str:
        """Initials of the full name: "Test Valley Borough Council" -> "TVBC"."""
        words = re.split(r"[\s,]+", self.name)
        return "".join(w[0].upper() for w in words if w and w.lower() not in _SMALL)


@dataclass(frozen=True)
class Gazetteer:
    """The councils of one gazetteer file and the indexes `mentions` and `find_council` look them up in."""

    councils: tuple[Council, ...]
    by_first_word: MappingProxyType[str, tuple[tuple[str, str, Council], ...]]
    by_domain: MappingProxyType[str, Council]
    unique_initials: frozenset[str]
    initials: frozenset[str]  # of three letters or more ("KCC", "TVBC")


@lru_cache(maxsize=2)
def gazetteer(path: Path = DATA, domain_words: Path = DOMAIN_WORDS) -> Gazetteer:
    found = tuple(Council(r["name"], r["place"], r["code"], r["type"]) for r in csv_rows(path))
    counts = Counter(c.acronym for c in found)
    return Gazetteer(
        found,
        _by_first_word(found, counts),
        _by_domain(found, json_data(domain_words)),
        frozenset(a for a, n in counts.items() if n == 1),
        frozenset(c.acronym for c in found if len(c.acronym) >= 3),
    )


def councils(path: Path = DATA) -> tuple[Council, ...]:
    return gazetteer(path).councils


# a town named with its river or sea, called by its first name: "Southend-on-Sea", "Stockton-on-Tees"
_ON_RIVER = re.compile(r"^([A-Z][a-z]+)(?:-on-|-upon-|-under-|\s+upon\s+|\s+on\s+)[A-Z]")
_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’]*")


def _by_first_word(
    found: tuple[Council, ...], counts: Counter[str]
) -> MappingProxyType[str, tuple[tuple[str, str, Council], ...]]:
    """First word (lower case) -> (form, kind, council), longest form first: one dict lookup per word."""
    forms: list[tuple[str, str, Council]] = []
    short: dict[str, list[Council]] = {}
    for c in found:
        if m := _ON_RIVER.match(c.place):
            short.setdefault(m.group(1), []).append(c)
    for c in reversed(found):  # later rows first: today's unitary over an abolished county
        forms += [(c.name, "full", c), (c.place, "place", c)]
        if (m := _ON_RIVER.match(c.place)) and len(short[m.group(1)]) == 1:
            forms.append((m.group(1), "place", c))  # "Southend" for Southend-on-Sea, not "Newcastle" (two)
        if counts[c.acronym] == 1 and len(c.acronym) >= 3:
            forms.append((c.acronym, "acronym", c))
    out: dict[str, list[tuple[str, str, Council]]] = {}
    for form in sorted(forms, key=lambda f: -len(f[0])):
        out.setdefault(_WORD.match(form[0]).group(0).lower(), []).append(form)  # type: ignore[union-attr]
    return MappingProxyType({k: tuple(v) for k, v in out.items()})


def _matches(text: str, pos: int, form: str, kind: str) -> bool:
    end = pos + len(form)
    if end < len(text) and (text[end].isalnum() or (kind == "acronym" and text[end] not in "s \n\t.,;:)'’")):
        return False
    got = text[pos:end]
    if kind == "full":
        return got.lower() == form.lower()
    # places and initials as written or in capitals only: "Reading", "Hart" and "Bury" are also words
    return got == form or got == form.upper()


def mentions(text: str) -> list[tuple[int, str, Council]]:
    """Every mention of a council in `text`: (offset, "full" | "place" | "acronym", council), longest first."""
    index = gazetteer().by_first_word
    out = []
    skip_to = 0
    for m in _WORD.finditer(text):
        if m.start() < skip_to or m.group(0)[0].islower() and m.group(0).lower() not in ("city", "royal"):
            continue
        for form, kind, c in index.get(m.group(0).lower(), ()):
            if _matches(text, m.start(), form, kind):
                out.append((m.start(), kind, c))
                skip_to = m.start() + len(form)
                break
    return out


def _domain_forms(c: Council, dw: dict[str, Any]) -> set[str]:
    """The ways `c`'s place is written in a domain: "bristol", "southend" (the first word of a place of several,
    "Southend-on-Sea"), "wyreforestdc", "belfastcity", "cityofyork", "rctcbc" (initials), "derrystrabane",
    "hants", "southglos"."""
    words = [w for w in re.split(r"[^a-z0-9]+", c.place.lower()) if w]
    short = [w for w in words if w not in _SMALL and w != "city"]
    stems = {"".join(words), "".join(short)}
    for k, w in enumerate(words):
        if w in dw["abbreviations"] and len(words) > 1:
            stems.add("".join(words[:k] + [dw["abbreviations"][w]] + words[k + 1 :]))
    if len(words) == 1 and words[0] in dw["abbreviations"]:
        stems.add(dw["abbreviations"][words[0]])
    out = set(stems)
    for st in stems:
        out |= {st + x for x in dw["suffixes"]} | {x + st for x in dw["prefixes"]}
    if len(c.acronym) >= 3:
        out.add(c.acronym.lower())
    if len(words) > 1 and len(words[0]) >= 6:
        out.add(words[0])
    return out


def _by_domain(found: tuple[Council, ...], dw: dict[str, Any]) -> MappingProxyType[str, Council]:
    """ "bristol" -> Bristol City Council: the place as written in the council's web and email domain; a form
    two councils share names neither, but a council's place as written wins ("york", not "North Yorkshire")."""
    exact: dict[str, Council] = {}
    forms: dict[str, set[Council]] = {}
    for c in found:
        exact[re.sub(r"[^a-z0-9]", "", c.place.lower())] = c
        for f in _domain_forms(c, dw):
            forms.setdefault(f, set()).add(c)
    out = {f: next(iter(cs)) for f, cs in forms.items() if len(cs) == 1}
    return MappingProxyType(out | exact)


def lookup(text: str) -> Council | None:
    """The council a name such as "London Borough of Merton (Merton Council)" or "TVBC" stands for."""
    found = mentions(text)
    for kind in ("full", "acronym", "place"):
        for _pos, k, c in found:
            if k == kind:
                return c
    return None


def find_council(text: str, header_end: int) -> Council | None:
    """The council whose paper this is: mentions in full, by place and by initials, the header first."""
    weight = {"full": _FULL, "place": _PLACE, "acronym": _ACRONYM, "domain": _DOMAIN}
    score: dict[Council, float] = {}
    seen: dict[tuple[Council, str], int] = {}
    domains = gazetteer().by_domain
    found = [f for f in mentions(text) if not _region_of(text, f)]
    found += [
        (m.start(), "domain", domains[key])
        for m in _DOMAIN_RE.finditer(text)
        if (key := re.sub(r"[^a-z0-9]", "", m.group(1).lower())) in domains
    ]
    named = {c for _pos, kind, c in found if kind != "acronym"}
    found += _shared_initials(text, named)
    for pos, kind, c in found:
        if kind == "acronym" and c not in named:
            continue  # "FBC" is a Full Business Case unless Fareham is named too
        n = seen.get((c, kind), 0)
        if n < _CAPS.get(kind, _CAP):
            seen[(c, kind)] = n + 1
            score[c] = score.get(c, 0.0) + weight[kind] + (_HEADER_BONUS[kind] if pos < header_end else 0.0)
    if not score:
        return None
    first = min(
        ((pos, c) for pos, kind, c in found if kind in ("full", "place")), default=None, key=lambda f: f[0]
    )
    if first:
        score[first[1]] += _FIRST
    own = _OWN_KIND.search(text[: max(header_end, 400)])
    for c in score:
        if own and c.name.endswith(f"{own.group(1) or own.group(2)} Council"):
            score[c] += _KIND_BONUS
    return max(score.items(), key=lambda kv: kv[1])[0]


_REGION_WORD = re.compile(
    r"\b(?:North|South|East|West|Mid|Central|Greater|Inner|Outer|Rural)(?:[ -](?:East|West))?\s+$"
)


def _region_of(text: str, found: tuple[int, str, Council]) -> bool:
    """ "North Worcestershire", "Greater Manchester": a place named as part of a wider or narrower area, which
    is no council's name (a council so named, "East Sussex", is matched whole before its place word)."""
    pos, kind, _c = found
    return (
        kind == "place"
        and bool(_REGION_WORD.search(text[max(0, pos - 20) : pos]))
        and fired("metadata: a region is not its council")
    )


def _shared_initials(text: str, named: set[Council]) -> list[tuple[int, str, Council]]:
    """Initials several councils share ("BCC": Bristol, Birmingham ...) count for the one the paper names."""
    by_initials: dict[str, list[Council]] = {}
    for c in named:
        by_initials.setdefault(c.acronym, []).append(c)
    shared = {
        a: cs[0]
        for a, cs in by_initials.items()
        if len(cs) == 1 and len(a) >= 3 and a not in gazetteer().unique_initials
    }
    if not shared:
        return []
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, shared)) + r")\b")
    return [(m.start(), "acronym", shared[m.group(1)]) for m in pattern.finditer(text)]

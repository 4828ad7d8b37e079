"""Canonical entities across papers: the same body or operation seen in many papers becomes one entity.

Every partnership or operation found in a paper is a `Sighting`. Sightings are first put in a
scope, then clustered within it:
- national: the name is in nlp/data/national_entities.csv (Operation Venetic, White Ribbon,
  Prevent ...) or starts with a national organisation of nlp/data/national_bodies.csv ("Home
  Office Quality Assurance Panel"): one entity whatever council's paper names it;
- placed: the name carries a place (a council's place, a police force area or a region:
  nlp/data/places.txt), which tells it apart ("West Mercia Criminal Justice Board" is one body in
  Worcestershire's and Herefordshire's papers);
- local: any other name belongs to the council whose paper uses it ("Community Safety
  Partnership" in Test Valley's paper is Test Valley's, not Herefordshire's).
Within a scope, sightings join when their keys are equal, when one is the acronym of the other,
when they differ by a trailing "Panel" and a paper uses both forms for one body, or when rapidfuzz
finds the keys near-identical (spelling variants: "Combatting"/"Combating",
"Partnership"/"Partnerships") and both name the same places. A local sighting whose name is a
placed entity of its own council without the place joins that entity ("Community Safety
Partnership" in a Herefordshire paper is the "Herefordshire Community Safety Partnership").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from rapidfuzz import fuzz

from ingest.datafiles import csv_rows, data_lines
from nlp.councils import councils
from nlp.name_lists import national_acronyms, organisations
from nlp.namekey import name_key as key  # the one name key; `key` is its name here and in index/

DATA = Path(__file__).parent / "data"
# rapidfuzz `ratio` (0-100) over keys at or above which two names in one scope are one entity.
# Set on real variants (tests/nlp/test_normalise.py): "community partnership service" /
# "community partnerships service" 98, "children's safeguarding partnership" /
# "safeguarding children partnership" (token order) via token_sort 100, while
# "safeguarding adults board" / "safeguarding children board" scores 78 and
# "prevent strategy group" / "protect group" 67.
FUZZY_THRESHOLD = 92
# words after a national name that still mean the national thing ("White Ribbon campaign")
NATIONAL_SUFFIXES = frozenset(
    "campaign conference programme program project scheme initiative model approach accreditation "
    "training pilot day week fund funding duty referral referrals referral's perpetrator event events "
    "ambassador ambassadors status award app strategy".split()
)

Scope = str  # "national" | "placed" | "local"


@dataclass(frozen=True)
class Sighting:
    """One partnership or operation as one paper names it."""

    type: str  # partnership | operation
    name: str
    document: str
    council: str | None
    mentions: tuple[str, ...] = ()
    acronym: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Canonical:
    id: str  # stable: a hash of type, scope and canonical key
    type: str
    name: str
    scope: Scope
    council: str | None  # the council of a local entity; None otherwise
    kind: str | None  # partnership kind (nlp/kinds.py); None for operations
    aliases: tuple[str, ...]  # every other form seen
    councils: tuple[str, ...]
    documents: tuple[str, ...]
    members: tuple[Sighting, ...]

    @property
    def label(self) -> str:
        return self.name


@lru_cache(maxsize=2)
def national_entities(path: Path = DATA / "national_entities.csv") -> MappingProxyType[tuple[str, str], str]:
    """(type, key of name or alias) -> the national entity's name."""
    out: dict[tuple[str, str], str] = {}
    for row in csv_rows(path):
        for form in [row["name"], *filter(None, (row.get("aliases") or "").split("|"))]:
            out[(row["type"], key(form))] = row["name"]
            if form.isupper() and len(form) <= 6:
                out[(row["type"], form)] = row["name"]  # acronyms match as written only
    return MappingProxyType(out)


@lru_cache(maxsize=2)
def _place_pattern(path: Path = DATA / "places.txt") -> re.Pattern[str]:
    places = {c.place for c in councils()} | set(data_lines(path))
    alts = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    # as written or in capitals only: "Reading", "Hart" and "Bury" are also words
    return re.compile(rf"\b(?:{alts})\b|\b(?:{alts.upper()})\b")


def places_in(name: str) -> frozenset[str]:
    """The places a name carries: 'Hereford and Worcestershire Combatting Drugs Partnership' ->
    {'hereford', 'worcestershire'}."""
    return frozenset(m.group(0).lower() for m in _place_pattern().finditer(name))


def council_place(council: str | None) -> str | None:
    """'Test Valley Borough Council' -> 'test valley' (from the councils gazetteer)."""
    if not council:
        return None
    for c in councils():
        if c.name.lower() == council.lower():
            return c.place.lower()
    found = places_in(council)
    return min(found, key=len) if len(found) == 1 else None


def national_name(type: str, name: str) -> str | None:
    """The national entity a name refers to, or None: 'Op Venetic' -> 'Operation Venetic'."""
    table = national_entities()
    if (type, name) in table:
        return table[(type, name)]
    words = key(name).split()
    for cut in range(len(words), 0, -1):  # "white ribbon campaign 2022": the longest known head
        head = " ".join(words[:cut])
        if (type, head) in table and all(w in NATIONAL_SUFFIXES or w.isdigit() for w in words[cut:]):
            return table[(type, head)]
    k = " ".join(words)
    for org in organisations():
        if k.startswith(org + " ") and len(k) > len(org) + 3:
            return name  # a body of a national organisation ("Home Office Quality Assurance Panel")
    return None


def scope_of(s: Sighting) -> tuple[Scope, str]:
    """('national', name) | ('placed', places) | ('local', council)."""
    national = national_name(s.type, s.name)
    if national:
        return "national", national
    places = places_in(s.name)
    if places:
        return "placed", "|".join(sorted(places))
    return "local", (s.council or "").lower()


def same_name(a: str, b: str) -> bool:
    """Two keys in one scope name one entity: equal, or near-identical to rapidfuzz."""
    if a == b:
        return True
    if min(len(a), len(b)) < 8 or a.split()[-1][:5] != b.split()[-1][:5]:
        return False  # short names and different heads ("... board" / "... group") never join by fuzz
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) >= FUZZY_THRESHOLD


def sighting_key(s: Sighting) -> str:
    """The key of a sighting's name, a lone national acronym spelt out ("CSP" -> community safety partnership)."""
    name = s.name.strip()
    if name.isupper() and " " not in name:
        hit = national_acronyms().get(name.rstrip("s"))
        if hit and hit[1] == "partnership":
            return key(hit[0])
    return key(name)


def _acronyms(s: Sighting) -> set[str]:
    forms = {s.acronym} if s.acronym else set()
    forms |= {m for m in (s.name, *s.mentions) if m.isupper() and " " not in m and len(m) >= 2}
    return forms


class _Sets:
    """Union-find over sighting indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


# a trailing word that names the same body as the name without it, where a paper uses both forms for
# one body ("Channel" and "Channel Panel": the extraction merged them into one item's mentions)
BODY_WORDS = ("panel",)


def said_one(sightings: list[Sighting], items: list[int]) -> set[frozenset[str]]:
    """Pairs of keys {"x", "x panel"} that one sighting in `items` holds among its own forms."""
    out = set()
    for i in items:
        forms = {key(f) for f in (sightings[i].name, *sightings[i].mentions)}
        out |= {frozenset((f, f"{f} {w}")) for f in forms for w in BODY_WORDS if f"{f} {w}" in forms}
    return out


def _cluster(
    items: list[int],
    keys: list[str],
    acrs: list[set[str]],
    sets: _Sets,
    one_body: set[frozenset[str]] | None = None,
) -> None:
    one_body = one_body or set()
    for n, i in enumerate(items):
        for j in items[n + 1 :]:
            if (
                same_name(keys[i], keys[j])
                or (acrs[i] & acrs[j])
                or frozenset((keys[i], keys[j])) in one_body
            ):
                sets.join(i, j)


def _strip_places(k: str, places: str) -> str:
    for p in places.split("|"):
        k = re.sub(rf"\b{re.escape(key(p))}\b", " ", k)
    k = re.sub(r"^(and|of|the)\s+|\s+(and|of)\s*$", "", " ".join(k.split()))
    return " ".join(k.split())


def _join_local_to_placed(
    sightings: list[Sighting], scopes: list[tuple[Scope, str]], keys: list[str], sets: _Sets
) -> None:
    """'Community Safety Partnership' in a Herefordshire paper is the 'Herefordshire CSP'."""
    placed = [i for i, sc in enumerate(scopes) if sc[0] == "placed"]
    for i, (scope, _) in enumerate(scopes):
        place = council_place(sightings[i].council) if scope == "local" else None
        if not place:
            continue
        hits = {
            sets.find(j)
            for j in placed
            if sightings[j].type == sightings[i].type
            and place in scopes[j][1].split("|")
            and _strip_places(keys[j], scopes[j][1]) == keys[i]
        }
        if len(hits) == 1:
            sets.join(i, hits.pop())


def normalise(sightings: list[Sighting]) -> tuple[Canonical, ...]:
    """Sightings from many papers -> canonical entities, most widely seen first."""
    scopes = [scope_of(s) for s in sightings]
    keys = [sighting_key(s) for s in sightings]
    acrs = [_acronyms(s) for s in sightings]
    sets = _Sets(len(sightings))
    buckets: dict[tuple[str, Scope, str], list[int]] = {}
    for i, s in enumerate(sightings):
        buckets.setdefault((s.type, *scopes[i]), []).append(i)
    for (_, scope, _), items in buckets.items():
        if scope == "national":
            for i in items[1:]:
                sets.join(i, items[0])
        else:
            _cluster(items, keys, acrs, sets, said_one(sightings, items))
    _join_local_to_placed(sightings, scopes, keys, sets)
    groups: dict[int, list[int]] = {}
    for i in range(len(sightings)):
        groups.setdefault(sets.find(i), []).append(i)
    out = [_canonical([sightings[i] for i in g], [scopes[i] for i in g]) for g in groups.values()]
    return tuple(sorted(out, key=lambda c: (-len(c.councils), -len(c.documents), c.type, c.name.lower())))


def _canonical(members: list[Sighting], scopes: list[tuple[Scope, str]]) -> Canonical:
    ranked = sorted(scopes, key=lambda sc: ("national", "placed", "local").index(sc[0]))
    scope, where = ranked[0]
    if scope == "national":
        name = where
    else:
        counts = Counter(m.name for m in members if not (m.name.isupper() and " " not in m.name))
        counts = counts or Counter(m.name for m in members)
        name = max(counts, key=lambda n: (scope != "placed" or bool(places_in(n)), counts[n], len(n)))
    forms = {f for m in members for f in (m.name, *m.mentions, *([m.acronym] if m.acronym else []))}
    aliases = sorted({f for f in forms if f.lower() != name.lower()}, key=str.lower)
    t = members[0].type
    kinds = Counter(m.kind for m in members if m.kind and m.kind != "other")
    kind = (kinds.most_common(1)[0][0] if kinds else "other") if t == "partnership" else None
    councils = tuple(sorted({m.council for m in members if m.council}))
    council = members[0].council if scope == "local" else None
    ident = hashlib.sha1(
        f"{t}|{scope}|{where if scope != 'national' else ''}|{key(name)}".encode()
    ).hexdigest()
    return Canonical(
        id=ident[:12],
        type=t,
        name=name,
        scope=scope,
        council=council,
        kind=kind,
        aliases=tuple(dict.fromkeys(aliases)),
        councils=councils,
        documents=tuple(sorted({m.document for m in members})),
        members=tuple(members),
    )

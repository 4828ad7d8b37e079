"""The lists names are judged by, for `cp_names` (nlp/names.py, nlp/names_free.py) and the merging of
its mentions (nlp/names_merge.py): the word lists of nlp/data/name_words.json, the national bodies of
nlp/data/national_bodies.csv, and the places of nlp/data/places.txt and the councils gazetteer.
Each loader takes its file as argument (cached per file)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ingest.datafiles import csv_rows, json_data, word_set
from nlp.councils import councils
from nlp.kinds import OTHER, kind_of
from nlp.namekey import name_key

if TYPE_CHECKING:  # nlp.normalise, read by the store's queries, must not import spaCy
    from spacy.tokens import Span

DATA = Path(__file__).parent / "data"
NAME_WORDS = DATA / "name_words.json"
NATIONAL_BODIES = DATA / "national_bodies.csv"
PLACES = DATA / "places.txt"


@dataclass(frozen=True)
class Words:
    """The word lists of nlp/data/name_words.json, as sets."""

    partnership_heads: frozenset[str]
    plural_heads_kept: frozenset[str]
    team_signals: frozenset[str]
    operation_heads: frozenset[str]
    operation_heads_lowercase_only: frozenset[str]
    quoted_context_heads: frozenset[str]
    defined_as_heads: frozenset[str]
    operation_blockers_after: frozenset[str]
    connectors: frozenset[str]
    inner_connectors: frozenset[str]
    inner_nouns: frozenset[str]
    leading_stop: frozenset[str]
    breakers: frozenset[str]
    generic_modifiers: frozenset[str]
    not_partnership_words: frozenset[str]
    not_operation_words: frozenset[str]
    after_head_document_words: frozenset[str]
    list_words: frozenset[str]
    national_partnership_acronyms: frozenset[str]
    generic_operation_modifiers: frozenset[str]
    project_words_not_names: frozenset[str]
    job_words_after: frozenset[str]
    infrastructure_words: frozenset[str]
    network_signals: frozenset[str]
    scheme_context_after: frozenset[str]
    service_area_words: frozenset[str]
    owner_heads: frozenset[str]
    and_pairs_kept: MappingProxyType[str, frozenset[str]]


@lru_cache(maxsize=2)
def words(path: Path = NAME_WORDS) -> Words:
    raw = json_data(path)
    pairs = MappingProxyType({k: frozenset(v) for k, v in raw.pop("and_pairs_kept").items()})
    return Words(**{k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}, and_pairs_kept=pairs)


@lru_cache(maxsize=2)
def national_bodies(path: Path = NATIONAL_BODIES) -> MappingProxyType[str, tuple[str, str]]:
    """name key of the long name -> (acronym or "", type)."""
    return MappingProxyType({name_key(r["long"]): (r["short"], r["type"]) for r in csv_rows(path)})


@lru_cache(maxsize=2)
def national_acronyms(path: Path = NATIONAL_BODIES) -> MappingProxyType[str, tuple[str, str]]:
    """acronym -> (name key of the long name, type)."""
    return MappingProxyType(
        {short.upper(): (long, kind) for long, (short, kind) in national_bodies(path).items() if short}
    )


@lru_cache(maxsize=2)
def organisations(path: Path = NATIONAL_BODIES) -> tuple[str, ...]:
    """Name keys of single national organisations ("home office", "nhs england"), longest first."""
    names = {key for key, (_, kind) in national_bodies(path).items() if kind == "organisation"}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=2)
def all_places(path: Path = PLACES) -> frozenset[str]:
    """Council places (nlp/data/councils.csv) and police-force areas and regions (`path`), lower case."""
    return word_set(path) | {c.place.lower() for c in councils()}


def bad_words(span: Span, banned: frozenset[str]) -> bool:
    return any(t.lower_ in banned for t in span)


def known_kind(text: str) -> bool:
    return kind_of(text) != OTHER


def only_places(span: Span) -> bool:
    places = all_places()
    return len(span) > 0 and (
        all(t.lower_ in places or t.lower_ in words().connectors for t in span) or span.text.lower() in places
    )


def is_organisation(text: str) -> bool:
    """'DWP', 'Home Office', 'the Home Office': a single national organisation, not a partnership."""
    shaped = " " not in text and sum(ch.isupper() for ch in text) >= 2  # "DWP", "DfT", "MoJ"
    hit = national_acronyms().get(text.upper()) if shaped else None
    if hit and hit[1] == "organisation":
        return True
    key = name_key(text)
    return any(key == o or key.endswith(" " + o) for o in organisations())

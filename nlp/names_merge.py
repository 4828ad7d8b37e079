"""One item per body: the mentions that `cp_names` found in a paper, merged into `Named` items.

Mentions merge when their normalised forms are equal, when an acronym defined in the paper (or a
nationally used one: CSP, MARAC, VRU ...) stands for one, and when a shorter form is the same body
named without its place ("Violence Reduction Unit" in a paper on the "Hampshire Violence Reduction
Unit"; "Test Valley Community Safety Group" for the "Community Safety Management Group").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ingest.model import Document
from nlp.councils import gazetteer
from nlp.dates import doc_text
from nlp.evidence import evidence_for
from nlp.kinds import kind_of
from nlp.model import Named
from nlp.name_lists import national_acronyms, words
from nlp.namekey import POSSESSIVE, name_key
from nlp.names_headings import Heading, heading_names


def key_of(text: str, acronyms: dict[str, str]) -> str:
    """The form mentions are compared in: lower case, no leading 'the', 'op' read as 'operation',
    spelling variants joined (co-ordinating, well-being, re-offending, combatting) and acronym
    words inside a longer name expanded ('Herefordshire CSP' -> '... community safety partnership')."""
    words = POSSESSIVE.sub("", text).split()
    if len(words) > 1:
        words = [_expand(w, acronyms) for w in words]
    return name_key(" ".join(words))


def _expand(word: str, acronyms: dict[str, str]) -> str:
    if not word.isupper() or len(word) < 2:
        return word
    if word in acronyms:
        return acronyms[word]
    hit = national_acronyms().get(word)
    return hit[0] if hit and hit[1] == "partnership" else word


@dataclass
class _Group:
    type: str
    key: str
    surfaces: list[str] = field(default_factory=list)
    places: list[tuple[int, int, int]] = field(default_factory=list)  # passage, start, end
    acronym: str | None = None
    plural_only: bool = True  # every full-form mention is a plural ("Community Safety Partnerships")
    has_full: bool = False

    def add(self, surface: str, where: tuple[int, int, int], plural: bool, full: bool = True) -> None:
        self.surfaces.append(surface)
        self.places.append(where)
        if full:
            self.plural_only = self.plural_only and plural
            self.has_full = True

    @property
    def generic_plural(self) -> bool:
        return self.has_full and self.plural_only


def _plural(text: str) -> bool:
    """A plural head word ("Community Safety Partnerships"); "Street Angels" is one scheme's name."""
    last = text.split()[-1] if text.split() else ""
    low = last.lower()
    heads = words().partnership_heads | words().operation_heads
    return (
        low.endswith("s")
        and not low.endswith(("ss", "conferences", "maracs"))
        and not last.isupper()
        and (low[:-1] in heads or low[:-3] + "y" in heads or low[:-2] in heads or last[:-1].isupper())
    )


def _mentions(
    docs: Sequence[Doc], acronyms: dict[str, str], headings: Sequence[Heading] = ()
) -> dict[tuple[str, str], _Group]:
    groups: dict[tuple[str, str], _Group] = {}
    placed = [(pi, 0, doc, list(doc.spans.get("names", []))) for pi, doc in enumerate(docs)]
    placed += [(h.passage, h.offset, h.doc, heading_names(h)) for h in headings]
    for pi, offset, doc, spans in placed:
        for span in spans:
            text = re.sub(r"^(?:the|The|THE)\s+", "", span.text)
            if span.id_:
                text = f"{span.id_} {text}"  # "Makesafe" of "Operations Sceptre and Makesafe"
            key = key_of(text, acronyms)
            if not key:
                continue
            g = groups.setdefault((span.label_, key), _Group(span.label_, key))
            g.add(text, (pi, offset + span.start_char, offset + span.end_char), _plural(text))
            after = doc_text(doc)[span.end_char : span.end_char + 12]
            m = re.match(r"\s*[(\[]([A-Z][A-Za-z]*[A-Z])s?[)\]]", after)
            if m and g.acronym is None:
                g.acronym = m.group(1)
    return groups


def _attach_acronyms(groups: dict[tuple[str, str], _Group], acronyms: dict[str, str]) -> None:
    by_key = {g.key: g for g in groups.values()}
    for short, long in acronyms.items():
        lk = key_of(long, acronyms)
        hits = [g for g in groups.values() if g.acronym is None and (g.key == lk or g.key.endswith(" " + lk))]
        if lk in by_key and by_key[lk].acronym is None:
            by_key[lk].acronym = short
        elif len(hits) == 1:
            hits[0].acronym = short


def _acronym_mentions(
    docs: Sequence[Doc], groups: dict[tuple[str, str], _Group], acronyms: dict[str, str]
) -> None:
    by_acronym = {g.acronym: g for g in groups.values() if g.acronym}
    by_name = {g.surfaces[0]: g for g in groups.values() if g.surfaces and g.surfaces[0].isupper()}
    for pi, doc in enumerate(docs):
        for span in doc.spans.get("name_acronyms", []):
            text = span.text
            plural = text.endswith("s") and not text.isupper()
            letters = text[:-1] if plural else text
            g = by_acronym.get(letters) or by_name.get(text)
            if g is None and letters not in acronyms:
                hit = national_acronyms().get(letters)
                if hit and hit[1] == "partnership":
                    key = key_of(hit[0], acronyms)
                    g = groups.setdefault(("partnership", key), _Group("partnership", key, acronym=letters))
            if g is None or (g.places and (pi, span.start_char, span.end_char) in g.places):
                continue
            if any(s <= span.start_char < e for p, s, e in g.places if p == pi):
                continue  # inside a longer mention ("VRU Core Group")
            g.add(text, (pi, span.start_char, span.end_char), plural, full=False)


def _same_body(short: str, long: str) -> bool:
    """Is `short` the body of `long` named without its place, or with its place and a word fewer?"""
    a, b = short.split(), long.split()
    if a[-2:] == ["partnership", "board"] and b[-1] == "partnership":
        a = a[:-1]  # "LSP Board" is the Local Strategic Partnership
    if a[-1] != b[-1]:
        return False
    if b[-len(a) :] == a:
        return (
            len(a) < len(b) or a != short.split()
        )  # a place-less suffix: "violence reduction unit" in "hampshire violence reduction unit"
    drop = 0
    while drop < len(a) and a[drop] not in b:
        drop += 1
    core = a[drop:]
    if drop == 0 or len(core) < 3 or b[0] != core[0]:
        return False
    it = iter(b)
    return all(w in it for w in core)  # "community safety group" within "community safety management group"


def _merge_short_forms(groups: dict[tuple[str, str], _Group]) -> list[_Group]:
    items = sorted(groups.values(), key=lambda g: len(g.key))
    merged: set[int] = set()
    for g in items:
        cands = [
            h
            for h in items
            if h is not g and h.type == g.type and id(h) not in merged and _same_body(g.key, h.key)
        ]
        if not cands:
            continue
        cands.sort(key=lambda h: -len(h.places))
        if len(cands) > 1 and len(cands[0].places) == len(cands[1].places):
            continue  # which of several bodies is meant is not clear
        target = cands[0]
        for s, p in zip(g.surfaces, g.places, strict=True):
            target.add(s, p, g.plural_only, full=g.has_full)
        target.acronym = target.acronym or g.acronym
        merged.add(id(g))
    return [g for g in items if id(g) not in merged]


def _names_an_organisation(g: _Group, acronyms: dict[str, str]) -> bool:
    """An operation that is only an acronym the paper defines as a body: "KCC" (Kent County Council)."""
    if g.type != "operation" or not all(s.isupper() for s in g.surfaces):
        return False
    if g.surfaces[0] in gazetteer().initials:
        return True  # "KCC", "BCC": councils call themselves by their initials without defining them
    long = acronyms.get(g.surfaces[0], "")
    return bool(
        re.search(
            r"\b(Council|Board|Department|Authority|Office|Agency|Police|Service|Group|Team|"
            r"Partnership|Unit|Panel|Forum|Network|Executive|Committee)$",
            long,
        )
    )


def _names_a_document(g: _Group, acronyms: dict[str, str]) -> bool:
    """ "OBC programme": the acronym stands for a document ("Outline Business Case"), not a scheme."""
    if g.type != "operation":
        return False
    first = g.surfaces[0].split()[0] if g.surfaces[0].split() else ""
    long = acronyms.get(first, "") if first.isupper() else ""
    return bool(
        re.search(r"\b(?:Case|Plan|Strategy|Assessment|Report|Review|Study|Statement|Policy|Act)s?$", long)
    )


_VARIANT_HEADS = frozenset(
    {
        "scheme",
        "schemes",
        "project",
        "projects",
        "program",
        "programs",
        "service",
        "services",
        "initiative",
        "campaign",
        "pilot",
    }
)


def _core(key: str, long_forms: dict[str, str]) -> str:
    """What variants of one operation share: acronyms spelt out, no trailing "scheme"/"project", no
    numbers, each word stemmed ("wpl scheme" = "workplace parking levy"; "care leavers" = "care leaving")."""
    words = " ".join(long_forms.get(w, w) for w in key.split()).split()
    while len(words) > 1 and words[-1] in _VARIANT_HEADS:
        words.pop()
    words = [w for w in words if not w.isdigit()] or words
    return " ".join(re.sub(r"(?:ers|er|ing|es|s)$", "", w) if len(w) > 4 else w for w in words)


def _merge_variants(groups: list[_Group], acronyms: dict[str, str]) -> list[_Group]:
    """One operation named several ways in a paper: "WPL", "Workplace Parking Levy scheme", "WPL project"."""
    long_forms = {
        s.lower(): key_of(long, acronyms)
        for s, long in acronyms.items()
        if not re.search(
            r"\b(?:Council|Board|Group|Team|Partnership|Unit|Panel|Forum|Committee|"
            r"Department|Authority|Office|Agency)s?$",
            long,
        )
    }
    by_core: dict[str, _Group] = {}
    out: list[_Group] = []
    for g in groups:
        if g.type != "operation":
            out.append(g)
            continue
        cores = {_core(g.key, long_forms)} | {_core(key_of(s, acronyms), long_forms) for s in g.surfaces}
        target = next((by_core[c] for c in cores if c in by_core), None)
        if target is None:
            target = g
            out.append(g)
        else:
            for s, p in zip(g.surfaces, g.places, strict=True):
                target.add(s, p, g.plural_only, full=g.has_full)
            target.acronym = target.acronym or g.acronym
        for c in cores:
            by_core.setdefault(c, target)
    return out


def _best_name(g: _Group) -> str:
    def rank(s: str) -> tuple[int, int, int]:
        return (not s.isupper(), len(s.split()), -g.surfaces.index(s))

    return max(set(g.surfaces), key=rank)


def _to_named(document: Document, g: _Group) -> Named:
    name = _best_name(g)
    order = sorted(range(len(g.places)), key=lambda i: g.places[i])
    mentions = tuple(dict.fromkeys(g.surfaces[i] for i in order))
    evidence = tuple(evidence_for(document, *g.places[i]) for i in order)
    kind = kind_of(name) if g.type == "partnership" else None
    if kind == "other" and g.type == "partnership":
        kind = next((k for k in map(kind_of, mentions) if k != "other"), kind)
    return Named(
        type=g.type,
        name=name,
        mentions=mentions,
        acronym=g.acronym,
        kind=kind,  # type: ignore[arg-type]
        evidence=evidence,
    )


def collect_named(
    document: Document, docs: Sequence[Doc], acronyms: dict[str, str], headings: Sequence[Heading] = ()
) -> tuple[tuple[Named, ...], tuple[Named, ...]]:
    """Partnerships and operations of one paper, one `Named` per body, in order of first mention; `headings`
    (nlp/names_headings.py) are read too."""
    groups = _mentions(docs, acronyms, headings)
    partnership_keys = {k for t, k in groups if t == "partnership"}
    groups = {tk: g for tk, g in groups.items() if not (tk[0] == "operation" and tk[1] in partnership_keys)}
    _attach_acronyms(groups, acronyms)
    _acronym_mentions(docs, groups, acronyms)
    kept = [
        g
        for g in _merge_variants(_merge_short_forms(groups), acronyms)
        if g.places
        and not g.generic_plural
        and not _names_an_organisation(g, acronyms)
        and not _names_a_document(g, acronyms)
    ]
    kept.sort(key=lambda g: min(g.places))
    named = [_to_named(document, g) for g in kept]
    return (
        tuple(n for n in named if n.type == "partnership"),
        tuple(n for n in named if n.type == "operation"),
    )

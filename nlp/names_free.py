"""Operation names without a head word, for `cp_names` (nlp/names.py): quoted names the sentence calls a
project or scheme ("'SCAMnesty' projects", "Government funding for 'Basic Need'"), names defined as one
("The Big Band Buffet is an annual event"), and capitalised names that are launched, rolled out,
delivered or funded ("The Household Support Fund was launched"). Word lists: nlp/data/name_words.json.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ingest.assemble import list_items
from nlp.councils import gazetteer
from nlp.dates import doc_text
from nlp.name_lists import bad_words, is_organisation, known_kind, national_acronyms, only_places, words
from nlp.rules import fired

_QUOTED = re.compile(r"(?<![A-Za-z])['‘\"“]([A-Z][^'‘’\"“”\n]{0,60}?)['’\"”](?![A-Za-z])")
_QUOTED_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+)$")


def headless_names(doc: Doc) -> list[Span]:
    """Every operation name in a passage that no head word ("scheme", "project") marks."""
    out: list[Span] = []
    for rule, find in (
        ("operations: quoted name", _quoted),
        ("operations: defined as a scheme", _defined),
        ("operations: launched, funded or run", _launched),
        ("operations: listed under a scheme lead-in", _listed),
        ("operations: scheme noun after a name", _in_context),
        ("operations: names before a plural scheme noun", _before_plural),
        ("operations: Operations A and B", _operations_plural),
        ("operations: a table's column of schemes", _table_column),
    ):
        out += [span for span in find(doc) if fired(rule)]
    return out


def _quoted(doc: Doc) -> list[Span]:
    """Quoted capitalised names the sentence calls a project, scheme, programme ...: 'SCAMnesty'."""
    text = doc_text(doc)
    found = list(_QUOTED.finditer(text))
    out: list[Span] = []
    group: list[re.Match[str]] = []
    for i, m in enumerate(found):
        group.append(m)
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt and _QUOTED_LIST_GAP.match(text[m.end() : nxt.start()]):
            continue  # a list of quoted names shares the head after the last one
        if _quoted_context(text[m.end() : m.end() + 80], group[0].group(1)) or _quoted_sentence(text, group):
            for g in group:
                span = doc.char_span(g.start(1), g.end(1), label="operation", alignment_mode="expand")
                if span is not None and len(span) <= 6:
                    out.append(span)
        group = []
    return out


@lru_cache(maxsize=2)
def _after_quote(heads_of: frozenset[str]) -> re.Pattern[str]:
    """What follows a quoted name that makes it an operation: "(ACR) projects", "is an early ... project"."""
    heads = "|".join(sorted(heads_of))
    return re.compile(
        r"^['’]?\s*(?:\([^)]{1,60}\)\s*)?(?:(?:is|was|are)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?|"
        r"(?:[a-z-]+\s+){0,2}?)(?:" + heads + r")\b"
    )


@lru_cache(maxsize=2)
def _defined_as(heads_of: frozenset[str]) -> re.Pattern[str]:
    """'The Big Band Buffet is an annual event', 'Channel is the government programme', and in apposition:
    'ReferKent, an online referral service, ...' (mid-sentence too)."""
    heads = "|".join(sorted(heads_of))
    return re.compile(
        r"(?:(?:^|(?<=[.:!?]\s))(?:The\s+)?((?:[A-Z][\w'’-]*\s+){0,4}?[A-Z][\w'’-]*)\s+(?:is|was)|"
        r"\b(?:the\s+)?((?:[A-Z][\w'’-]*\s+){0,4}?[A-Z][\w'’-]*),)\s+"
        r"(?:an?|the)\s+(?:[a-z][\w-]*\s+){0,4}?(?:" + heads + r")\b"
    )


_SENTENCE_CONTEXT = re.compile(
    r"\b(?:fund(?:ing|ed)|projects?|schemes?|programmes?|initiatives?|pilot(?:ed)?|trial|"
    r"launch(?:ed)?|renamed|rolled out)\b",
    re.I,
)


def _quoted_sentence(text: str, group: list[re.Match[str]]) -> bool:
    """A quoted proper name ("Government funding for 'Basic Need'", "the project had been renamed 'West
    Rapid Transport'") in a sentence about funding, projects or schemes: every word capitalised but connectors."""
    w = words()
    for g in group:
        name = g.group(1).split()
        if not 1 <= len(name) <= 5 or not all(x[:1].isupper() or x.lower() in w.connectors for x in name[1:]):
            return False
        if {x.lower() for x in name} & (w.not_operation_words | w.breakers) or name[
            -1
        ].lower() in w.partnership_heads:
            return False
        if len(name) == 1 and not re.fullmatch(r"[A-Z]{3,6}|[A-Z][a-z]+[A-Z]\w*", name[0]):
            return False  # one plain word in quotes is a term being defined
    after = re.match(r"\W*(\w+)", text[group[-1].end() : group[-1].end() + 30])
    if after and (
        after.group(1).lower() in w.partnership_heads
        or after.group(1).lower().rstrip("s") in w.partnership_heads
    ):
        return False  # "'The Yellow Brick Road' and 'UpSkillU' groups": organisations
    start = max(text.rfind(". ", 0, group[0].start()), 0)
    end = text.find(". ", group[-1].end())
    sentence = text[start : end if end >= 0 else len(text)]
    outside = sentence.replace(group[0].group(0), " ")
    return bool(_SENTENCE_CONTEXT.search(outside))


def _quoted_context(after: str, first: str) -> bool:
    w = words()
    low = first.lower()
    if re.match(r"(operation|op|project)\s", low) or low.rsplit(" ", 1)[-1] in w.operation_heads:
        return True
    return bool(_after_quote(words().quoted_context_heads).match(after))


def _defined(doc: Doc) -> list[Span]:
    w, out = words(), []
    for m in _defined_as(words().defined_as_heads).finditer(doc_text(doc)):
        g = 1 if m.group(1) else 2
        span = doc.char_span(m.start(g), m.end(g), label="operation", alignment_mode="expand")
        if (
            g == 2
            and span is not None
            and (
                span.start > 0
                and doc[span.start - 1].is_title
                or (len(span) == 1 and not re.fullmatch(r"[A-Z]{3,6}|[A-Z][a-z]+[A-Z]\w*", span.text))
                or all(t.lower_ in w.generic_operation_modifiers for t in span)
            )
        ):
            continue  # the tail of a capitalised run, one plain word ("Furthermore, the"), generic words
        if span is None or span[0].lower_ in w.leading_stop or bad_words(span, w.not_operation_words):
            continue
        if span[-1].lower_ in w.partnership_heads or is_organisation(span.text) or known_kind(span.text):
            continue
        out.append(span)
    return out


_NAME_RUN = r"(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&)\s+)?){0,5}[A-Z][\w'’&-]*"
# "The Household Support Fund was launched", "ReferKent has been rolled out", "launched the Safe Space pilot"
_LAUNCHED = re.compile(
    rf"(?:(?<=[.:;!?]\s)|^|(?<=\bthe\s)|(?<=\bThe\s))(?P<s>{_NAME_RUN})\s+(?:(?:has|have|had|was|were|is|are|will)\s+"
    rf"(?:now\s+|also\s+|successfully\s+)?(?:been\s+|be\s+)?)?(?:launched|rolled\s+out|piloted|relaunched|"
    rf"delivered|funded|commissioned|introduced|implemented|expanded|extended|operated|ran|worked\s+with|"
    rf"went\s+live|promoted|re-?launched|continues\s+to\s+(?:run|operate|support|be\s+delivered)|"
    rf"continued\s+to\s+(?:run|operate|support|be\s+delivered))\b"
    rf"(?!\s+(?:by|to|with)\s+[A-Z]|\s+and\s+(?:outlined|presented|summarised|explained))"
    rf"|\b(?:launch(?:ed|es)?|roll(?:ed|s)?\s+out|pilot(?:ed|s)?|relaunch(?:ed|es)?)\s+(?:of\s+)?the\s+"
    rf"(?P<o>{_NAME_RUN})\b(?!\s+[A-Z])"
)
# who launches or funds, not what is launched
_NOT_LAUNCHED = frozenset(
    {
        "government",
        "council",
        "councils",
        "police",
        "constabulary",
        "minister",
        "secretary",
        "mayor",
        "department",
        "office",
        "agency",
        "nhs",
        "authority",
        "authorities",
        "trust",
        "commissioner",
        "university",
        "college",
        "school",
        "schools",
        "ltd",
        "limited",
        "plc",
        "funding",
        "money",
        "work",
        "works",
        "it",
        "this",
        "these",
        "which",
        "phase",
        "stage",
    }
)


def _launched(doc: Doc) -> list[Span]:
    """Capitalised names that are launched, rolled out, delivered or funded, with no head word."""
    out: list[Span] = []
    for m in _LAUNCHED.finditer(doc_text(doc)):
        g = "s" if m.group("s") else "o"
        out += _names_in_run(doc, m.start(g), m.end(g), 1)
    return out


def _names_in_run(doc: Doc, start: int, end: int, shortest: int) -> list[Span]:
    """The scheme names in a capitalised run (characters `start`..`end`): without a leading "The", split at
    "and" where one name ends (in capitals or a head word) or another begins ("Operation"), not inside one
    ("Family Drug and Alcohol Court"); each of `shortest` tokens or more and passing `_proper`."""
    w = words()
    span = doc.char_span(start, end, label="operation", alignment_mode="contract")
    if span is None or not len(span):
        return []
    while len(span) > 1 and (span[0].lower_ in w.leading_stop or span[0].lower_ in w.connectors):
        span = span[1:]
    parts, first = [], span.start
    for t in span:
        if (
            t.lower_ in ("and", "&")
            and t.i - first >= 2
            and span.end - t.i - 1 >= 2
            and (
                doc[t.i - 1].is_upper
                or doc[t.i - 1].lower_ in w.operation_heads
                or doc[t.i + 1].text in ("Operation", "Op", "Project")
            )
        ):
            parts.append((first, t.i))  # two names: "Ask for ANGELA and Safe Spaces", "... and Op Mazi"
            first = t.i + 1
    parts.append((first, span.end))
    out = []
    for a, b in parts:
        part = Span(doc, a, b, label="operation")  # a slice loses its label
        if (
            (len(part) >= shortest or (len(part) == 1 and part[0].is_upper and word_like(part[0])))
            and not all(t.lower_ in w.service_area_words or t.lower_ in w.connectors for t in part)
            and not (len(part) > 1 and all(t.is_upper for t in part) and not all(map(word_like, part)))
            and part[-1].lower_ not in w.national_partnership_acronyms
            and _proper(part)
        ):  # not "OPCC CSP grant"
            out.append(part)
    return out


def word_like(t: Token) -> bool:
    """A word in capitals, not initials: "GET", "SAFE", "DRIVE" (vowels, no run of four consonants, not an
    acronym a national body or a council goes by), not "OPCC", "CSP", "KCC"."""
    text = t.text
    return (
        len(text) >= 3
        and bool(re.search(r"[AEIOUY]", text))
        and not re.search(r"[^AEIOUY]{4}", text)
        and text not in national_acronyms()
        and text not in gazetteer().initials
        and text.lower() not in words().national_partnership_acronyms
    )


def _proper(span: Span) -> bool:
    """A capitalised run that can name a scheme: not one plain word, not an organisation, a place or a role.
    Who funds or runs it is judged on the words before "for"/"of"/"against": "Prevent for Schools" is a
    scheme, "Department for Education" is not."""
    w, text = words(), span.text
    if span[0].text == "Operations":
        return False  # "Operations Sceptre and Makesafe" is two operations (_operations_plural)
    if is_organisation(span[-1].text) and fired("operations: a funder's initials end the run"):
        return False  # "Additional DfE funding": who funds, not what
    if len(span) == 1 and not (
        re.fullmatch(r"[A-Z]{3,6}", text)
        or re.fullmatch(r"[A-Z]+[a-z]+[A-Z]\w*", text)
        or re.fullmatch(r"[A-Z]{2,}[a-z]{2,}", text)
    ):
        return False  # one plain capitalised word is a sentence's first word, a place or a person ("SCAMnesty" is a name)
    low = {t.lower_ for t in span}
    if len(low) < len(span):
        return False  # a word twice: table cells run together
    cut = next((k for k, t in enumerate(span) if k and t.lower_ in ("for", "of", "against")), len(span))
    head = {t.lower_ for t in span[:cut]}
    return not (
        span[0].lower_ in w.leading_stop
        or low & (w.not_operation_words | w.breakers)
        or head & _NOT_LAUNCHED
        or span[-1].lower_ in w.partnership_heads
        or is_organisation(text)
        or (known_kind(text) and len(span) == 1)
        or only_places(span)
        or all(t.lower_ in w.generic_operation_modifiers for t in span)
    )


@lru_cache(maxsize=2)
def _context_after(nouns: frozenset[str]) -> re.Pattern[str]:
    """A capitalised run followed by a noun that says it is a scheme: "Purple Flag accreditation", "Safer
    Streets 5 funding", "Prevent for Schools training" (nlp/data/name_words.json)."""
    after = "|".join(sorted(nouns, key=len, reverse=True))
    return re.compile(
        rf"(?:(?<=[\s(“‘\"'])|^)(?P<s>{_NAME_RUN})(?:\s+\((?P<x>[^()\n]{{3,60}})\))?(?:\s+\d{{1,2}})?\s+"
        rf"(?:{after})\b"
    )  # "WAVE (Welfare and Vulnerability Engagement) course"


def _in_context(doc: Doc) -> list[Span]:
    """Proper names of schemes told by the noun after them, or by a round or week of their own ("Safer
    Streets Round 5", "Hate Crime Awareness Week"): two words or more, not a service area, a funder or a
    body ("Public Health funding", "Home Office grant", "Violence Reduction Unit funding")."""
    out: list[Span] = []
    text = doc_text(doc)
    for m in _context_after(words().scheme_context_after).finditer(text):
        if re.search(r"[A-Z][\w'’&-]*,\s+$", text[max(0, m.start("s") - 40) : m.start("s")]):
            continue  # the last of a list of names ("Crucial Crew, Junior Citizen and Safety Zone events"): _before_plural
        if m.group(
            "x"
        ):  # "Free SCaN (See Check and Notify) training": the name spelt out, its initials a mention
            if re.fullmatch(_NAME_RUN, m.group("x")) and re.search(
                r"[A-Z][A-Za-z]*[A-Z]", text[m.start("s") : m.end("s")]
            ):
                out += _names_in_run(doc, m.start("x"), m.end("x"), 2)
            continue
        out += _names_in_run(doc, m.start("s"), m.end("s"), 2)
    for m in _ROUND.finditer(text):
        out += _names_in_run(doc, m.start("s"), m.end("s"), 2)
    return out


# a scheme with rounds or phases, and campaigns named as weeks or days of action
_ROUND = re.compile(
    r"(?:(?<=[\s(“‘\"'])|^)(?P<s>(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&)\s+)?){1,5}?"
    r"(?:(?=(?:Round|Phase|Tranche|Wave)\s+\d)|[A-Z][\w'’&-]*\s+(?:Awareness\s+Week|Week\s+of\s+Action|"
    r"Days?\s+of\s+Action)\b))"
)


# a list introduced as schemes: "The following projects were funded:\n- Street Angels – volunteers ..."
# (in lower case, or opening the sentence: "the Devolution Priority Programme commits to:" names no schemes)
_LIST_LEAD = re.compile(
    r"(?:\b(?:projects?|schemes?|initiatives?|programmes?|campaigns?|operations?|interventions?|"
    r"pilots?)|(?:^|[.:]\s+)(?:Projects|Schemes|Initiatives|Programmes|Campaigns|Operations|"
    r"Interventions|Pilots))\b[^.\n]*:\s*$"
)
_LIST_ITEM = re.compile(
    r"^(?:The\s+)?(?P<n>(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&|in|against|on|to)\s+)?){0,5}"
    r"[A-Z][\w'’&-]*)"
    r"(?=\s*(?:[:–—]|\s-\s|\(|$))"
)


def _listed(doc: Doc) -> list[Span]:
    """The titles of list items under a lead-in naming projects or schemes, whatever the list's glyphs."""
    text = doc_text(doc)
    items = list_items(text)
    if not items or not _LIST_LEAD.search(text[: items[0][1]].rsplit("\n", 1)[0]):
        return []
    out: list[Span] = []
    for item, offset in items:
        m = _LIST_ITEM.match(item)
        if not m:
            continue
        span = doc.char_span(
            offset + m.start("n"), offset + m.end("n"), label="operation", alignment_mode="contract"
        )
        if span is None or not len(span) or not _proper(span):
            continue
        out.append(span)
    return out


_ONE_NAME = r"[A-Z][\w'’&-]*(?:\s+(?:(?:and|of|for|in|&)\s+)?[A-Z][\w'’&-]*){0,4}"
# "Pubwatch and Shopwatch schemes", "the Street Pastors, Street Angels and Safe Haven projects"
_BEFORE_PLURAL = re.compile(
    rf"(?P<list>{_ONE_NAME}(?:,\s+{_ONE_NAME})*,?\s+(?:and|&)\s+{_ONE_NAME})\s+"
    r"(?:schemes|projects|programmes|programs|campaigns|initiatives|pilots|operations|"
    r"interventions|events|sessions|courses|patrols|awards)\b"
)


def _before_plural(doc: Doc) -> list[Span]:
    """Each name of a list that a plural scheme noun closes: "Pubwatch and Shopwatch schemes"."""
    w, out = words(), []
    text = doc_text(doc)
    for m in _BEFORE_PLURAL.finditer(text):
        listed = m.group("list")
        cut = [x.end() for x in re.finditer(r",\s+(?:(?:and|&)\s+)?", listed)]
        tail = listed[cut[-1] if cut else 0 :]
        # "... and Eastmere Fire and Rescue Service events": one body's name, not two
        last = [] if is_organisation(tail) else list(re.finditer(r"\s+(?:and|&)\s+", tail))
        bounds = [0, *cut] + ([(cut[-1] if cut else 0) + last[-1].end()] if last else [])
        for k, a0 in enumerate(bounds):
            part = listed[a0 : bounds[k + 1] if k + 1 < len(bounds) else len(listed)]
            part = re.sub(r"(?:,\s*|\s+(?:and|&)\s*)$", "", part.rstrip())
            a = m.start("list") + a0
            span = doc.char_span(a, a + len(part), label="operation", alignment_mode="contract")
            if span is None or not len(span):
                continue
            while len(span) > 1 and (span[0].lower_ in w.leading_stop or span[0].lower_ in w.connectors):
                span = Span(doc, span.start + 1, span.end, label="operation")
            one_word = (
                len(span) == 1
                and span[0].is_alpha
                and span[0].lower_
                not in (
                    w.leading_stop
                    | w.generic_operation_modifiers
                    | w.service_area_words
                    | w.not_operation_words
                    | _NOT_LAUNCHED
                )
                and not only_places(span)
                and not is_organisation(span.text)
            )
            if one_word or (len(span) > 1 and _proper(span)):
                out.append(span)
    return out


_OPERATIONS = re.compile(
    r"\bOperations\s+(?P<names>[A-Z][a-z]\w+(?:,\s+[A-Z][a-z]\w+)*,?\s+(?:and|&)\s+[A-Z][a-z]\w+)"
)


def _operations_plural(doc: Doc) -> list[Span]:
    """ "Operations Sceptre and Makesafe": each an operation, named "Operation Sceptre" (span id "Operation")."""
    out = []
    text = doc_text(doc)
    for m in _OPERATIONS.finditer(text):
        for name in re.finditer(r"[A-Z][a-z]\w+", m.group("names")):
            a = m.start("names") + name.start()
            span = doc.char_span(a, a + len(name.group(0)), label="operation")
            if span is not None:
                out.append(Span(doc, span.start, span.end, label="operation", span_id="Operation"))
    return out


# a table column headed by what its cells are: "Project", "Scheme", "Name of initiative"
_COLUMN = re.compile(
    r"^(?:(?:name\s+of\s+(?:the\s+)?)?(?:project|scheme|initiative|programme|intervention|campaign|"
    r"operation|service)s?(?:\s+name)?)$",
    re.I,
)


def _table_column(doc: Doc) -> list[Span]:
    """The cells of a table's column headed "Project", "Scheme", "Initiative" ...: each a scheme's name when it
    reads as one (capitalised, not a total, a body or a funder)."""
    w, out = words(), []
    text = doc_text(doc)
    col, pos = None, 0
    for line in text.split("\n"):
        cells = line.split(" | ")
        if col is None and len(cells) > 1:
            col = next((k for k, c in enumerate(cells) if _COLUMN.match(c.strip(" *:"))), None)
        elif col is not None and col < len(cells):
            cell = cells[col].strip()
            at = pos + sum(len(c) + 3 for c in cells[:col]) + (len(cells[col]) - len(cells[col].lstrip()))
            span = doc.char_span(at, at + len(cell), label="operation", alignment_mode="contract")
            if (
                span is not None
                and 1 <= len(span) <= MAX_CELL_TOKENS
                and span[0].text[:1].isupper()
                and (
                    len(span) > 1
                    and _proper(span)
                    or len(span) == 1
                    and span[0].is_alpha
                    and span[0].lower_
                    not in (
                        w.leading_stop
                        | w.generic_operation_modifiers
                        | w.service_area_words
                        | {"total", "other"}
                    )
                )
            ):
                out.append(span)
        pos += len(line) + 1
    return out


MAX_CELL_TOKENS = 8

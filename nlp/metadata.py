"""Paper metadata: council, committee, meeting date, title and author.

Read from the labelled cover-sheet fields councils print ("Decision Maker: Cabinet", "Report to:",
"Contact name:", tab or pipe separated), labels being data (nlp/data/metadata_labels.csv); where a
paper has no labels, from its header lines ("OVERVIEW AND SCRUTINY PERFORMANCE BOARD 20 OCTOBER
2022"). Labels: nlp/metadata_labels.py; committee web pages (ModernGov): nlp/metadata_pages.py. The council
comes from the gazetteer (nlp/councils.py). Metadata given with the file wins;
the extracted value is kept in `Metadata.extracted`.
"""

from __future__ import annotations

import re

from ingest.dates import FULL_DATE, MONTH_PATTERN, WEEKDAY_PATTERN, iso_date
from ingest.model import Document
from nlp.councils import Council, find_council, lookup
from nlp.metadata_labels import BODY, HEADER_CHARS, LABEL, Field, is_label_line, labelled_fields, unjoin
from nlp.metadata_pages import is_standing_item, not_a_title, page_committee, page_lines, page_title
from nlp.model import Metadata
from nlp.rules import fired

FIELDS = ("council", "committee", "meeting_date", "title", "author")

_TIME = re.compile(r"\b(?:at\s+)?\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:at|on)\b", re.I)
_BOILERPLATE = re.compile(
    r"^(?:part\s+[iv1-3]+\b|decision report|committee report|report|agenda item|item\s+\d+|"
    r"classification|open|unrestricted|exempt|confidential|public|summary|purpose|"
    r"recommendations?|key decision|wards? affected|decision type|not for publication|"
    r"decision details|issue details|issue history|decision notice|decision recording form)",
    re.I,
)
_HEADER_END = re.compile(
    r"^(?:\d+\.?\s+)?(?:summary|purpose|introduction|background|recommendations?|"
    r"executive summary|purpose of (?:this |the )?report)\b",
    re.I,
)
_NOT_NAME = re.compile(
    r"\b(?:director|manager|head|officer|council|team|service|services|department|community|"
    r"safety|partnership|public|health|chief|executive|leader|member|cabinet|corporate|"
    r"assistant|interim|deputy|strategic|lead|group|board|committee|report|policy|unit|"
    r"practitioner|adviser|advisor|coordinator|co-ordinator|democratic|for|of|the|and|n/a|"
    r"none|tbc|scrutiny|police|county|borough|district|city)\b",
    re.I,
)
_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof|professor|cllr|councillor|sir|dame|rev|reverend|"
    r"superintendent|chief superintendent|ch supt|supt|inspector|chief inspector|"
    r"sergeant|sgt|detective|dci|di|ds|pc|insp|canon|col|lt col|colonel|major|captain|brigadier|"
    r"relevant director|report authors?)\.?\s*:?\s+)+",
    re.I,
)
_NAME_CUT = re.compile(
    r"\s*(?:,|\s[-–—]\s|\(|\||\btel\b|\bemail\b|\be-mail\b|\bext\b|\bjob title\b|"
    r"\bphone\b|\btelephone\b|\bCC\b|\d|@).*$",
    re.I,
)
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "to", "a", "an", "with", "by", "at"})


def _date_line(text: str) -> str | None:
    """The first full date standing on a line of its own ("Thursday, 12 March 2024 at 7pm"), not one inside a
    sentence ("the contracts come to an end on 31 March 2025"): at most four other words on its line."""
    for line in text.splitlines():
        if (d := iso_date(line)) and len(FULL_DATE.sub(" ", line).split()) <= 4:
            return d
    return None


def _case(text: str) -> str:
    """Capitals or lower case as a display name: "HEALTH AND WELLBEING board" -> "Health and Wellbeing Board"."""
    words = text.split()
    shout = not re.search(r"[a-z]", re.sub(r"\b(?:and|of|the|for|in|on|to)\b", "", text))
    out = []
    for k, w in enumerate(words):
        if k and w.lower() in _SMALL_WORDS:
            out.append(w.lower())
        elif shout and len(w) > 1:
            out.append(re.sub(r"[A-Z]{2,}", lambda m: m.group(0).capitalize(), w))
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def person_name(value: str) -> str | None:
    """A person's name from an author field ("Superintendent Helen Wain", "Andy Stovold, Head of ...",
    "Nick Abrahams Assistant Director Education": a role joined on after the name is cut off)."""
    v = _NAME_CUT.sub("", value).strip(" :;-–")
    v = _HONORIFIC.sub("", v).strip()
    words = v.split()
    if len(words) > 2 and (cut := next((k for k, w in enumerate(words) if _NOT_NAME.fullmatch(w)), None)):
        words = words[:cut]
        v = " ".join(words)
    if not 2 <= len(words) <= 4 or _NOT_NAME.search(v):
        return None
    if not all(re.fullmatch(r"[A-Z][A-Za-z'’-]*\.?", w) for w in words):
        return None
    return _case(v) if v.isupper() else v


def clean_committee(value: str, council: Council | None) -> str | None:
    """ "Overview & Scrutiny" -> "Overview and Scrutiny Committee"; dates and the council's place removed."""
    v = _TIME.sub("", FULL_DATE.sub("", re.sub(r"\(\s*item[^)]*\)", "", value, flags=re.I)))
    v = re.sub(r"\b(?:meeting|on|held on|held|at)\b\s*$", "", v.strip(" ,;-–—"), flags=re.I)
    v = v.replace("&", "and").strip(" ,;-–—")
    if council:
        for prefix in (council.name, f"{council.place} Council", council.place):
            rest = re.sub(rf"^{re.escape(prefix)}(?:'s)?\s+", "", v, flags=re.I)
            if rest != v and BODY.search(rest):
                v = rest
                break
    v = re.sub(
        r"^(?:(?:draft\s+)?minutes of\s+|agenda (?:for|of)\s+|by\s+)?(?:a\s+)?(?:(?:special\s+)?meeting of\s+)?"
        r"(?:the\s+)?",
        "",
        v,
        flags=re.I,
    ).strip(" ,;-–—")
    if (
        not v
        or len(v.split()) > 12
        or not re.search(r"[A-Za-z]", v)
        or re.search(r",.*\bmember for\b", v, re.I)
    ):
        return None
    if re.search(r"\bscrutiny\b", v, re.I) and not re.search(
        r"\b(?:committee|board|panel|commission)\b", v, re.I
    ):
        v += " Committee"
    return _case(v)


def header_lines(text: str) -> list[tuple[int, str]]:
    """The cover sheet's lines (offset, text), up to the first section heading or long sentence; a body's name
    wrapped onto a second line joined ("Minutes of the Transport and Connectivity" / "Policy Committee")."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text[:HEADER_CHARS].split("\n"):
        s = line.strip()
        if s:
            if _HEADER_END.match(s) or len(s.split()) > 30:
                break
            if out and _wrapped_name(out[-1][1], s) and fired("metadata: a name wrapped onto the next line"):
                out[-1] = (out[-1][0], f"{out[-1][1]} {s}")
            else:
                out.append((pos, s))
        pos += len(line) + 1
    return out


_OPENS_NAME = re.compile(
    r"^(?:(?:draft\s+|printed\s+)?minutes?\s+of|(?:a\s+)?meeting\s+of|report\s+to)\b", re.I
)


def _wrapped_name(first: str, second: str) -> bool:
    """ "Minutes of the Transport and Connectivity" + "Policy Committee": a meeting's name cut by a line break
    (the first line names no body, the second is a short capitalised end of one)."""
    words = second.split()
    return (
        bool(_OPENS_NAME.match(first))
        and not BODY.search(first.split()[-1])
        and not FULL_DATE.search(first)
        and 1 <= len(words) <= 6
        and bool(BODY.fullmatch(words[-1].strip(" ,.")))
        and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)
        and not LABEL.match(second)
    )


def _header_committee(lines: list[tuple[int, str]], council: Council | None) -> tuple[str, str] | None:
    """An unlabelled committee line: "OVERVIEW AND SCRUTINY PERFORMANCE BOARD 20 OCTOBER 2022"."""
    for _pos, s in lines:
        if LABEL.match(s) or "|" in s or not (BODY.search(s) or _MEMBER_FOR.match(s)) or len(s.split()) > 12:
            continue
        if lookup_exact(s, council) or re.search(
            r"\b(?:report|forward plan|index of|notice of|on behalf of)\b|"
            r"^\w+\s+by\b",
            s,
            re.I,
        ):
            continue  # the council's own name, a title, or a forward plan's heading
        name = clean_committee(s, council)
        if name and _committee_shaped(name):
            return s, name
    return None


_COUNCIL_NAME = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+){1,4}(?:County|Borough|District|City|Metropolitan Borough|Town|"
    r"Parish|Unitary)\s+Council$"
)


def _committee_shaped(name: str) -> bool:
    """A body's name ends with a body word and is capitalised throughout: not "Cabinet Approved the Serious
    Violence Duty Strategy", not a council's own name ("Eastmere Borough Council")."""
    words = re.sub(r"\s*\([^)]*\)\s*$", "", name).split()
    if _MEMBER_FOR.match(name) and len(words) <= 12 and fired("metadata: a member who decides"):
        return True
    return (
        bool(words)
        and bool(BODY.fullmatch(words[-1]))
        and not _COUNCIL_NAME.match(name)
        and all(w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in words)
        and not any(re.fullmatch(r"[A-Z][a-z]+ed", w) for w in words)
    )


def lookup_exact(line: str, council: Council | None) -> bool:
    """True when `line` is just the council's name ("HAMPSHIRE COUNTY COUNCIL")."""
    norm = re.sub(r"\s+", " ", line).strip(" .").lower()
    return council is not None and norm in (council.name.lower(), f"{council.place.lower()} council")


def _strip_council(s: str, council: Council | None) -> str:
    if council:
        for prefix in (council.name, f"{council.place} Council"):
            s = re.sub(rf"^{re.escape(prefix)}\b\s*[-–:]?\s*", "", s, flags=re.I)
    return s


_AGENDA_ITEM = re.compile(r"^(?:agenda\s+)?item\s*(?:no\.?\s*)?\d{1,3}[a-z]?\s*[-–:.]\s+(?=\S)", re.I)
_BY_LINE = re.compile(r"^(?:(?:joint\s+)?report\s+(?:of|by|from)|presented\s+by|prepared\s+by)\b", re.I)
# a single member who takes decisions: "Cabinet Member for Housing", "Portfolio Holder for Community Safety"
_MEMBER_FOR = re.compile(
    r"^(?:(?:Cabinet|Executive|Lead|Deputy)\s+Member|Portfolio\s+Holder|Executive\s+Councillor)"
    r"\s+for\s+[A-Z]",
    re.I,
)
_MEMBERS = re.compile(
    r"^(?:membership|members|councillors|other members|present|apologies|in attendance)\b[^:]*:-?\s*$", re.I
)


def _header_title(lines: list[tuple[int, str]], council: Council | None, skip: set[str]) -> str | None:
    """The first cover-sheet line that reads as a report title."""
    for k, (_pos, line) in enumerate(lines):
        s = _AGENDA_ITEM.sub("", line)  # "Agenda Item 6 - Derbyshire Community Safety Agreement"
        if (
            line in skip
            or not s
            or "|" in s
            or lookup_exact(s, council)
            or not _title_like(s)
            or (_COUNCIL_NAME.match(_case(s) if s.isupper() else s))
        ):
            continue
        if k and _MEMBERS.match(lines[k - 1][1]):
            continue  # "Councillors:" then the members' names: an agenda's membership, not its title
        if (
            FULL_DATE.search(s)
            and len(
                re.findall(r"\w+", re.sub(rf"\b{WEEKDAY_PATTERN}\b", "", _TIME.sub("", FULL_DATE.sub("", s))))
            )
            < 2
        ):
            continue  # "10.00am, Tuesday, 12 March 2024": the meeting's date and time
        if _BY_LINE.match(s) or _MEMBER_FOR.match(s) or is_standing_item(s):
            continue  # "Report by the Director of Place", "Cabinet Member for Housing": who, not what; "Apologies"
        t = re.sub(r"^(?:item\s+)?\d{1,2}[.)]?\s+|^issue\s*-\s*items at meetings\s*-\s*", "", s, flags=re.I)
        t = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", t)  # a directorate code: "(CED)"
        t = _strip_council(t, council).strip(" :-–")
        if _BOILERPLATE.match(t) and len(t.split()) <= 4:
            continue
        if len(t.split()) < 2:
            continue
        t = _wrapped_title(t, [x for _, x in lines[k + 1 : k + 3]])
        return _case(t) if t.isupper() else t
    return None


_OPEN_END = re.compile(r"(?:\b(?:and|of|for|the|to|in|on|with|by|from|a|an)|[&,:;–—-])$", re.I)


def _wrapped_title(title: str, after: list[str]) -> str:
    """A title wrapped onto the next lines: "Serious Violence Duty: Local Strategy and" / "Strategic Needs
    Assessment", or lines of capitals that go on in capitals."""
    for s in after:
        if (
            LABEL.match(s)
            or "|" in s
            or FULL_DATE.search(s)
            or _BY_LINE.match(s)
            or _BOILERPLATE.match(s)
            or not_a_title(s)
            or len(s.split()) > 10
        ):
            break
        shouted = title.isupper() and s.isupper() and not BODY.search(s.split()[-1])
        if not (_OPEN_END.search(title) or shouted) or not fired(
            "metadata: a title wrapped onto the next line"
        ):
            break
        title = f"{title} {s}"
    return title


# decision notices, forward plans and agendas name their committee in a sentence
_NARRATIVE_COMMITTEE = re.compile(
    r"\b(?:decisions?\s+(?:determined|taken|made|to\s+be\s+taken)\s+(?:at|by)|meeting\s+of|"
    r"^report\s+(?:of|by|from)\b[^\n]{3,120}?\bto\s+(?:the\s+)?(?:meeting\s+of\s+)?)\s*(?:the\s+)?"
    r"(?P<c>[A-Z][\w&,' -]{2,80}?\b(?:Committee|Cabinet|Board|Council|Panel|Executive|Forum|Commission|"
    r"Partnership|Assembly))\b(?:\s+meeting)?(?:\s+(?:(?:to\s+be\s+)?held\s+)?on\s+\S+\s+\S+\s+\S+)?",
    re.I | re.M,
)
_PUBLISHED = re.compile(
    rf"\b(?:published|updated|issued|printed|despatched|dispatched|circulated|publication\s+date)\b"
    rf"(?:\s+on)?\s*:?\s*(?:\w+day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PATTERN}\.?,?\s+\d{{4}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{4}})",
    re.I,
)
_MINUTES = re.compile(
    r"^(?:draft\s+|printed\s+|confirmed\s+|signed\s+)?minutes?\s+of\b", re.I
)  # "MINUTE OF MEETING"


def _minutes_title(lines: list[tuple[int, str]], council: Council | None) -> str | None:
    """Minutes are titled by their heading, "Minutes of the Cabinet" (its date and time dropped)."""
    for _pos, s in lines[:6]:
        t = _strip_council(s, council).strip(" :-–")
        if _MINUTES.match(t):
            t = _TIME.sub(" ", FULL_DATE.sub(" ", t))
            t = re.sub(
                rf"\s+held\b.*$|\s+(?:on|at)?\s*(?:{WEEKDAY_PATTERN})?,?\s*$", "", re.sub(r"\s+", " ", t)
            ).strip(" ,.:-–")
            return _case(t) if t.isupper() else t
    return None


def _best(fields: list[Field], name: str, header_end: int) -> list[Field]:
    """This field's labelled values, explicit labels first, then those in the header, then in order."""
    return sorted((f for f in fields if f.field == name), key=lambda f: (f.rank, f.pos >= header_end, f.pos))


def _council_of(text: str, fields: list[Field], header_end: int) -> Council | None:
    for f in _best(fields, "council", header_end):
        if (c := lookup(f.value)) and fired("metadata: council label"):
            return c
    c = find_council(text, header_end)
    return c if c and fired("metadata: council from the gazetteer") else None


def printed_name(council: Council, text: str) -> str:
    """The council's name as the paper prints it: the gazetteer's full name ("London Borough of Merton") when
    printed, else the form of it the paper prints most ("Merton Council", "City of Cardiff Council", "Bradford
    Council"; not "Kent Council" of "Kent Council Leaders"), else the gazetteer's."""
    if council.name.lower() in text.lower():
        return council.name
    place = re.escape(council.place)
    forms = re.compile(
        rf"\b(?:(?:The\s+)?(?:Royal\s+|London\s+)?(?:City\s+and\s+County|County\s+Borough|Borough|City|"
        rf"County|District)\s+of\s+{place}(?:\s+Council)?|{place}(?:\s+(?:Metropolitan\s+Borough|"
        rf"Metropolitan\s+District|County\s+Borough|Borough|District|City|County|Town))?\s+Council)",
        re.I,
    )
    counts: dict[str, int] = {}
    for m in forms.finditer(text):
        rest = text[m.end() : text.find("\n", m.end()) % (len(text) + 1)].strip()
        if re.match(r"[A-Z]", rest) and not BODY.search(rest.split()[-1]):
            continue  # "Kent Council Leaders": a name the council's is part of
        form = re.sub(r"\s+", " ", m.group(0))
        form = _case(form) if form.isupper() else form
        counts[form] = counts.get(form, 0) + 1
    return (
        max(counts, key=lambda f: counts[f])
        if counts and fired("metadata: the council's name as printed")
        else council.name
    )


def _committee_and_date(
    text: str, lines: list[tuple[int, str]], fields: list[Field], header_end: int, council: Council | None
) -> tuple[str | None, str | None, set[str]]:
    """(committee, meeting date, header lines used for them): a label, a web page's meeting line, a sentence
    naming the meeting, then an unlabelled header line."""
    committee = next(
        (
            c
            for f in _best(fields, "committee", header_end)
            if (f.rank == 0 or BODY.search(f.value))
            and (c := clean_committee(f.value, council))
            and fired("metadata: committee label")
        ),
        None,
    )
    date = next(
        (
            d
            for f in _best(fields, "meeting_date", header_end)
            if f.rank == 0 and (d := iso_date(f.value)) and fired("metadata: date label")
        ),
        None,
    )
    used: set[str] = set()
    page = page_committee([s for _, s in lines])
    hc = _header_committee(lines, council)
    if hc:
        used.add(hc[0])
    nc = _NARRATIVE_COMMITTEE.search("\n".join(s for _, s in lines))
    if (
        committee is None
        and page
        and (c := clean_committee(page[1], council))
        and fired("metadata: committee in a web page's meeting line")
    ):
        committee, date = c, date or iso_date(page[0])
        used.add(page[0])
    elif (
        committee is None
        and nc
        and (c := clean_committee(nc.group("c"), council))
        and fired("metadata: committee named in a sentence")
    ):
        committee, date = c, date or iso_date(nc.group(0))
    elif committee is None and hc and fired("metadata: committee header line"):
        committee, date = hc[1], date or iso_date(hc[0])
    if (
        committee is None
        and (rc := _addressed_committee(text, council))
        and fired("metadata: the body a sentence asks to decide")
    ):
        committee = rc
    date = date or next(
        (
            d
            for f in _best(fields, "committee", header_end)
            if (d := iso_date(f.value)) and fired("metadata: date beside the committee")
        ),
        None,
    )
    date = date or next(
        (
            d
            for f in _best(fields, "meeting_date", header_end)
            if (d := iso_date(f.value)) and fired("metadata: date from a weak label")
        ),
        None,
    )
    # a forward plan's or agenda's publication date is not its meeting's
    header_date = iso_date(" ".join(_PUBLISHED.sub("", s) for _, s in lines))
    date = date or (header_date if header_date and fired("metadata: date in the header") else None)
    if (
        date is None
        and (m := _MEETING_DATE.search(text[: 3 * HEADER_CHARS]))
        and fired("metadata: date of a meeting in a sentence")
    ):
        date = iso_date(m.group(0))
    if (
        date is None
        and (d := _date_line(_PUBLISHED.sub("", text[: 3 * HEADER_CHARS])))
        and fired("metadata: the first date of an excerpt")
    ):
        date = d  # an excerpt that names its meeting's date nowhere near a meeting: its first date on a line of its own
    return committee, date, used


_BODY_NAME = (
    r"(?:[A-Z][\w&'’-]*[ \t]+(?:(?:and|of|for|&)[ \t]+)?){0,7}?(?:Committee|Cabinet|Board|Panel|Council|Executive|"
    r"Commission|Forum|Partnership|Assembly|Sub-Committee)"
)
# the body a paper goes to, named where it is asked to decide: "Cabinet is asked to", "recommendations to the
# Health and Wellbeing Board", "That Cabinet approves", and in minutes "The Safer Communities Panel RESOLVED"
_ADDRESSED = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<a>{_BODY_NAME})\s+(?:is|are|was|were|will\s+be)\s+(?:asked|recommended|requested|invited)\s+to\b"
    rf"|\b(?:report(?:ed)?|recommendations?|submitted|presented)\s+to\s+(?:the\s+)?(?P<b>{_BODY_NAME})\b"
    rf"|\b[Tt]hat\s+(?:the\s+)?(?P<c>{_BODY_NAME})\s+(?:approves?|notes?|agrees?|endorses?|supports?|considers?)\b"
    rf"|(?:^|(?<=[.:]\s))(?:The\s+)?(?P<d>{_BODY_NAME})\s+(?:RESOLVED|resolved|considered|received|noted|agreed)\b"
    rf"|\b(?:[Tt]he\s+)?(?P<e>{_BODY_NAME})[ \t]+at[ \t]+its[ \t]+meeting\b",
    re.M,
)
_ALONE = re.compile(r"^(?:Cabinet|Executive|(?:Full|County|City|Borough|District)\s+Council)$")
# a full date in a sentence about a meeting: "At its meeting on 12 March 2024, Cabinet approved ..."
_MEETING_DATE = re.compile(
    rf"\b(?:meeting|met|held|Cabinet|Committee|Board|Panel|Council)\b[^.\n]{{0,60}}?"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PATTERN}\.?,?\s+(?:19|20)\d\d\b",
    re.I,
)


def _addressed_committee(text: str, council: Council | None) -> str | None:
    """The body the running text asks to decide, the one named most (first on a tie); a generic "the
    Committee" or "the Board" names none."""
    counts: dict[str, int] = {}
    for m in _ADDRESSED.finditer(text[: 4 * HEADER_CHARS]):
        raw = next(g for g in m.groups() if g)
        name = clean_committee(raw, council)
        if (
            name
            and _committee_shaped(name)
            and (len(name.split()) > 1 or _ALONE.match(name))
            and (not _ALONE.match(name) or name in ("Cabinet", "Executive") or not lookup_exact(raw, council))
        ):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else None


def _title_like(line: str) -> bool:
    """A line that can be a paper's title: not a label, a page heading, a purpose sentence, a section's
    heading ("Background Documents"), a sentence's tail ("and partners across the county.") or a version line."""
    s = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", line.strip())
    return bool(s) and not (
        not_a_title(s)
        or is_label_line(s)
        or _HEADER_END.match(s)
        or s[:1].islower()
        or _VERSION.match(s)
        or s.endswith("?")
        or (_BOILERPLATE.match(s) and len(s.split()) <= 4)
    )


_VERSION = re.compile(r"^(?:version|v\d|draft|final|page\s+\d|issue\s+\d|updated)\b", re.I)


def _label_title(f: Field, lines: list[tuple[int, str]], council: Council | None) -> str:
    """A title label's value, and its second line where the reader set it apart ("Subject: Community Safety
    Partnership" / "Annual Report 2022/23"): a short capitalised line that is no label, date, heading or body."""
    value = re.sub(r"\s+", " ", f.value).strip(" :-–")
    k = next((k for k, (pos, _s) in enumerate(lines) if pos == f.pos), None)
    if k is not None and k + 1 < len(lines) and lines[k + 1][1].strip(" :-–") == value:
        k += 1  # the value printed below its label
    if k is None or k + 1 >= len(lines) or value.endswith((".", ")")):
        return value
    s = lines[k + 1][1]
    words = s.split()
    if (
        len(words) <= 6
        and ":" not in s
        and "|" not in s
        and not s.endswith(".")
        and not FULL_DATE.search(s)
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in words)
        and (s.isupper() == value.isupper())
        and not (_HEADER_END.match(s) or _BOILERPLATE.match(s) or _BY_LINE.match(s) or _MEMBER_FOR.match(s))
        and not BODY.search(words[-1])
        and not lookup_exact(s, council)
        and not not_a_title(s)
        and fired("metadata: a title label's second line")
    ):
        return f"{value} {s}"
    return value


def _title(
    document: Document,
    lines: list[tuple[int, str]],
    fields: list[Field],
    header_end: int,
    council: Council | None,
    used: set[str],
) -> str | None:
    """A title label; a web page's item heading; a minutes heading; the first title-like header line."""
    labelled = next(
        (
            _case(v) if v.isupper() else v
            for f in _best(fields, "title", header_end)
            if len((v := _label_title(f, lines, council)).split()) >= 2
        ),
        None,
    )
    given = document.title if document.title and _title_like(document.title) else None
    for rule, found in (
        ("metadata: title label", lambda: labelled),
        ("metadata: title of a web page", lambda: page_title(page_lines(document, 2 * HEADER_CHARS))),
        ("metadata: minutes heading", lambda: _minutes_title(lines, council)),
        ("metadata: title header line", lambda: _header_title(lines, council, used)),
        ("metadata: title the reader found", lambda: given),
    ):
        if (title := found()) and fired(rule):
            return _ITEM_SUFFIX.sub("", title) or title
    return None


_ITEM_SUFFIX = re.compile(
    r"\s*\((?:agenda\s+)?item\s*(?:no\.?\s*)?[\w.]{0,6}\)\s*$", re.I
)  # "... (agenda item 7)"


def extract_found(document: Document) -> dict[str, str | None]:
    """What the paper itself says, before given metadata is applied."""
    text = unjoin(document.text)
    lines = header_lines(text)
    header_end = max((p + len(s) for p, s in lines), default=0) + 1
    fields = labelled_fields(text)
    council = _council_of(text, fields, header_end)
    committee, date, used = _committee_and_date(text, lines, fields, header_end, council)
    title = _title(document, lines, fields, header_end, council, used)
    authors = _best(fields, "author", header_end)
    author = next(
        (
            n
            for f, rule in [(f, "metadata: author label") for f in authors if f.rank == 0]
            + [(f, "metadata: author from a weak label") for f in authors]
            if (n := person_name(f.value)) and fired(rule)
        ),
        None,
    )
    return {
        "council": printed_name(council, text) if council else None,
        "council_code": council.code if council else None,
        "council_type": council.type if council else None,
        "committee": committee,
        "meeting_date": date,
        "title": title,
        "author": author,
    }


def extract_metadata(document: Document) -> Metadata:
    """The paper's metadata; values given with the file win, the extracted ones kept in `extracted`."""
    found = extract_found(document)
    given = {k: v for k, v in document.given_dict().items() if v}
    out = dict(found)
    overridden: list[tuple[str, str | None]] = []
    for k in FIELDS:
        if k in given:
            out[k] = iso_date(given[k]) or given[k] if k == "meeting_date" else given[k]
            if found[k] != out[k]:
                overridden.append((k, found[k]))
    if "council" in given:
        c = lookup(given["council"])
        out["council_code"], out["council_type"] = (c.code, c.type) if c else (None, None)
        if c and c.name.lower() in given["council"].lower():
            out["council"] = c.name
    return Metadata(**out, extracted=tuple(overridden))

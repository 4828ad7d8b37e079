"""Named partnerships and operations: the `cp_names` spaCy component and `collect_named`.

`cp_names` finds head words with a Matcher (patterns in nlp/patterns/names.jsonl: "Board",
"Partnership", "Scheme", "Operation X" ...), widens each to the capitalised phrase before it
("Hampshire Community Safety Strategy Group", "Sanctuary Scheme", "the DRIVE perpetrator program"),
adds the names no head word marks (nlp/names_free.py: quoted, defined, launched) and
writes them to `doc.spans["names"]` (labels "partnership" / "operation") and acronym-shaped tokens
to `doc.spans["name_acronyms"]`. `collect_named` (nlp/names_merge.py) merges the mentions per paper.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ingest.datafiles import rule_rows
from nlp.kinds import kind_of
from nlp.name_lists import all_places, bad_words, is_organisation, known_kind, only_places, words
from nlp.names_free import headless_names
from nlp.rules import fired

if TYPE_CHECKING:
    from spacy.vocab import Vocab

HERE = Path(__file__).parent
MAX_OPERATION_TOKENS = 9  # longer capitalised runs are lists or table rows, not one name
PATTERNS = HERE / "patterns" / "names.jsonl"


def _capword(t: Token) -> bool:
    """A word that can be part of a proper name: Hampshire, VRU, MARACs, SCaN, Children."""
    return t.text[:1].isupper() and (t.is_alpha or t.text.replace("'", "").isalpha())


def _gap(t: Token) -> bool:
    """A line break or tab after `t`: table cells and headings are not one name."""
    return (
        t.is_space
        or (bool(t.whitespace_) and t.whitespace_ != " ")
        or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].is_space)
    )


def _joined(a: Token, b: Token) -> bool:
    return a.i + 1 == b.i and not a.whitespace_


def _head_plural(t: Token) -> bool:
    low = t.lower_
    return low.endswith("s") and not low.endswith("ss") and low not in words().plural_heads_kept


def expand_left(doc: Doc, head: int) -> int:
    """Start index of the capitalised phrase ending at token `head` (connectors, hyphens, "(ACR)")."""
    w = words()
    start, j = head, head - 1
    while j >= 0:
        t = doc[j]
        if t.lower_ in w.breakers or _gap(t):
            break
        if (
            _capword(t)
            and t.lower_ in w.leading_stop
            and not _number_in_name(doc, j)
            and not (t.lower_ in w.inner_nouns and j > 0 and _capword(doc[j - 1]) and not _gap(doc[j - 1]))
        ):
            start = j  # "The" inside a run of capitals starts a new name: "... Board The Board"
            break
        if _capword(t):
            start, j = j, j - 1
        elif t.text == "'s" and j > 0 and _capword(doc[j - 1]) and _joined(doc[j - 1], t):
            start, j = j, j - 1
        elif (
            t.text == "-"
            and j > 0
            and _joined(doc[j - 1], t)
            and _joined(t, doc[j + 1])
            and doc[j - 1].is_alpha
        ):
            start, j = j, j - 1
        elif t.is_lower and t.is_alpha and j > 0 and doc[j - 1].text == "-" and _joined(t.nbor(-1), t):
            start, j = j, j - 1  # "ordinating" in "Co-ordinating"
        elif (
            t.text == ")"
            and j >= 3
            and doc[j - 2].text == "("
            and doc[j - 1].is_upper
            and _capword(doc[j - 3])
        ):
            start, j = j - 2, j - 3  # "Arrangements (MAPPA) Performance and Standards Group"
        elif t.lower_ in w.connectors and j > 0 and _capword(doc[j - 1]) and start == j + 1:
            if t.lower_ == "and" and (
                doc[j - 1].lower_ in w.partnership_heads or doc[j - 1].lower_ in w.operation_heads
            ):
                break  # "... Executive and Domestic Abuse Executive": a list, not one name
            left = doc[j - 1].lower_
            if (
                t.lower_ == "and"
                and left in w.list_words
                and doc[j + 1].lower_ not in w.and_pairs_kept.get(left, ())
            ):
                break  # "the Police and Youth Offending Team", but "Police and Crime Panel"
            start, j = j, j - 1
        elif (
            t.lower_ in w.inner_connectors
            and start == j + 1
            and _mid_sentence_capital(doc, j - 1)
            and fired("operations: a lower-case word inside a name")
        ):
            start, j = (
                j,
                j - 1,
            )  # "Mentors in Violence Prevention programme", "Women against Violence Project"
        elif t.lower_ == "the" and j > 0 and doc[j - 1].lower_ in {"of", "for"} and start == j + 1:
            start, j = j, j - 1
        elif t.like_num and start == j + 1 and j >= 2 and doc[j - 1].text == "-" and doc[j - 2].like_num:
            start = j - 2  # "11-19 Strategy Group"
            break
        else:
            break
    return _trim_left(doc, start, head)


def _mid_sentence_capital(doc: Doc, j: int) -> bool:
    """A capitalised word that is not a sentence's first: a name's (the word before it is a lower-case word
    or another capitalised one, not a full stop, a line break or the passage's start)."""
    if j < 1 or not _capword(doc[j]) or doc[j].lower_ in words().leading_stop:
        return False
    before = doc[j - 1]
    return not (before.is_punct or before.is_space or _gap(before)) and (before.is_lower or _capword(before))


def _number_in_name(doc: Doc, j: int) -> bool:
    """ "One City Transport Board": a capitalised number word mid-sentence begins a name."""
    t = doc[j]
    return t.text in ("One", "Two", "Three") and j > 0 and not doc[j - 1].is_punct and not doc[j - 1].is_space


def _trim_left(doc: Doc, start: int, head: int) -> int:
    w = words()
    while (
        start < head
        and not _number_in_name(doc, start)
        and (
            doc[start].lower_ in w.leading_stop
            or doc[start].lower_ in w.connectors
            or not (_capword(doc[start]) or doc[start].like_num)
        )
    ):
        start += 1
    return start


def _continues(doc: Doc, head: int) -> bool:
    """Does the name go on past `head` ("Partnership Board", "Project Management Group")?"""
    if head + 1 >= len(doc):
        return False
    nxt = doc[head + 1]
    if nxt.lower_ in words().after_head_document_words:
        return False
    return _capword(nxt) and not nxt.is_upper


class NameFinder:
    """Partnership and operation mentions in one passage, as `doc.spans["names"]`."""

    def __init__(self, vocab: Vocab, patterns_path: Path = PATTERNS) -> None:
        self.matcher = Matcher(vocab)
        for _, row in rule_rows(patterns_path, "pattern"):
            self.matcher.add(row["label"], [row["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> tuple[list[Span], list[Span]]:
        names: list[Span] = []
        acronyms: list[Span] = []
        for match_id, s, e in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "acronym":
                acronyms.append(doc[s:e])
                continue
            span = {
                "partnership_head": _partnership,
                "operation_head": _operation,
                "operation_prefix": _prefixed,
                "caps_operation": _caps_operation,
            }[label](doc, s, e)
            if span is not None:
                names.append(span)
        names += headless_names(doc)
        return _resolve(names), acronyms

    def set_annotations(self, doc: Doc, found: tuple[list[Span], list[Span]]) -> None:
        doc.spans["names"], doc.spans["name_acronyms"] = found


def _partnership(doc: Doc, s: int, e: int) -> Span | None:
    w, head = words(), doc[s]
    if _continues(doc, s) or (head.is_lower and (s == 0 or not _capword(doc[s - 1]))):
        return None
    if _head_plural(head) and head.is_lower and fired("partnerships: generic plural"):
        return None
    if s + 1 < len(doc) and doc[s + 1].lower_ in w.job_words_after and fired("partnerships: job title"):
        return None  # "Road Safety Group Manager": a job title, not the body
    if (
        head.lower_ in {"network", "networks", "alliance"}
        and s > 0
        and doc[s - 1].lower_ in w.infrastructure_words
        and fired("partnerships: transport network")
    ):
        return (
            None  # "Greater Bristol Bus Network", "Bristol Walking Alliance": a network of routes, a campaign
        )
    if (
        head.lower_ in {"conference", "conferences"}
        and kind_of(doc[max(0, s - 4) : s + 1].text) != "marac"
        and fired("partnerships: conference is an event")
    ):
        return None  # "White Ribbon conference" is an event; a Risk Assessment Conference is a body
    start = expand_left(doc, s)
    span = Span(doc, start, s + 1, label="partnership")
    core = [t.lower_ for t in span[:-1] if t.is_alpha]
    if head.is_upper or head.lower_ in w.national_partnership_acronyms:
        if (not core or any(t.is_upper for t in span[:-1])) and fired("partnerships: bare acronym"):
            return None  # a bare "CSP" is an acronym mention; "Herefordshire CSP" is a name
    elif not core:
        return None
    if (
        all(c in w.generic_modifiers for c in core)
        and not known_kind(span.text)
        and fired("partnerships: generic words only")
    ):
        return None
    if bad_words(span, w.not_partnership_words) and fired("partnerships: not a partnership word"):
        return None
    if (
        head.lower_ in {"team", "teams", "hub"}
        and not (set(core) & w.team_signals)
        and fired("partnerships: a team not multi-agency")
    ):
        return None
    if (
        head.lower_ in {"network", "networks"}
        and not (set(core) & w.network_signals)
        and fired("partnerships: a network not of people")
    ):
        return None  # "Robin Hood Network", "Family Hub network": a ticket or a chain of centres, not people
    if (
        head.lower_ == "group"
        and len(span) == 2
        and core[0] not in w.generic_modifiers | w.team_signals
        and fired("partnerships: a company group")
    ):
        return None  # "Link Group", "Capita Group": a company
    if (is_organisation(span.text) or _organisation_core(span)) and fired(
        "partnerships: single organisation"
    ):
        return None
    fired("partnerships: head word")
    return span


def _organisation_core(span: Span) -> bool:
    """'DfT scheme', 'Natural England panel': a single organisation's name before the head word."""
    core = span[:-1]
    return len(core) > 0 and is_organisation(core.text)


def _operation(doc: Doc, s: int, e: int) -> Span | None:
    w, head = words(), doc[s]

    if _head_plural(head) or s == 0 or not _capword(doc[s - 1]):
        return None
    if (
        s + 1 < len(doc)
        and doc[s + 1].lower_ in w.operation_blockers_after
        and fired("operations: plan or budget after")
    ):
        return None  # "the Community Partnership service plan"
    end = s + 1
    if _continues(doc, s):
        end = _extend_right(doc, s)
        if end is None:
            return None
    start = expand_left(doc, s)
    span = _without_funder(Span(doc, start, end, label="operation"))
    if (
        len(span) < 2
        or (bad_words(span, w.not_operation_words) or is_organisation(span.text))
        and fired("operations: not an operation word or an organisation")
    ):
        return None
    if head.lower_ == "programme" and doc[s - 1].lower_ == "work" and fired("operations: work programme"):
        return None  # "Scrutiny Work Programme": a committee's list of business, not a scheme
    modifiers = [t.lower_ for t in span if t.i != s and t.is_alpha and t.lower_ not in w.connectors]
    if (all(m in w.generic_operation_modifiers for m in modifiers) or _organisation_core(span)) and fired(
        "operations: no proper name"
    ):
        return None  # "the Revised Model", "the DfT scheme": no proper name
    if (
        head.lower_ in {"framework", "campaign"}
        and (only_places(span[:-1]) or (head.text == "Campaign" and span[0].lower_ in all_places()))
        and fired("operations: place-only framework")
    ):
        return (
            None  # "Kent & Medway Framework" names no scheme; "Bristol Cycling Campaign" is a campaign group
        )
    if len(span) > MAX_OPERATION_TOKENS and fired("operations: too long for a name"):
        return None  # a run of table cells or a list read as one name
    fired("operations: head word")
    return span


def _without_funder(span: Span) -> Span:
    """ "Home Office Safer Streets Fund" -> "Safer Streets Fund": the funder or owner named before a scheme
    of two words or more is not part of its name; nor is what is said of it before "of the" ("Stage Two of the
    WPL project", "Misuse and Abuse of the Blue Badge scheme")."""
    for k in range(1, len(span) - 2):
        if (
            span[k].lower_ == "of"
            and span[k + 1].lower_ == "the"
            and len(span) - k - 2 >= 2
            and fired("operations: what is said of a scheme before 'of the'")
        ):
            return Span(span.doc, span.start + k + 2, span.end, label=span.label_)
    for k in range(1, len(span) - 1):
        owner = span[: k - 1] if span[k - 1].text in ("'s", "’s") else span[:k]
        if (
            len(owner)
            and (
                is_organisation(owner.text)
                or (span[k - 1].text in ("'s", "’s") and owner[-1].lower_ in words().owner_heads)
            )
            and len(span) - k >= 2
            and _capword(span[k])
            and fired("operations: the funder before a scheme's name")
        ):
            return Span(span.doc, span.start + k, span.end, label=span.label_)
    return span


def _extend_right(doc: Doc, head: int) -> int | None:
    """End of a name that goes on past its head word: 'Community Accommodation Service Tier 3'."""
    w, end = words(), head + 1
    if doc[head].lower_ != "service":
        return None
    while end < len(doc) and end - head <= 4 and not _gap(doc[end - 1]):
        t = doc[end]
        if t.lower_ in w.leading_stop and t.lower_ not in w.connectors:
            break
        if t.lower_ in w.partnership_heads or t.lower_ in w.operation_heads or t.lower_ in w.breakers:
            return None
        if _capword(t) and t.lower_ not in w.after_head_document_words:
            end += 1
        elif t.lower_ in w.connectors and end + 1 < len(doc) and _capword(doc[end + 1]):
            end += 1
        elif t.like_num and not t.text.isdigit() or (t.is_digit and len(t.text) <= 2):
            end += 1
            break
        else:
            break
    return end if end - head > 1 and doc[end - 1].lower_ not in w.connectors else None


def _prefixed(doc: Doc, s: int, e: int) -> Span | None:
    """'Operation Venetic', 'Op Mazi', 'Project Gateway', 'Operation Close Pass'."""
    end = e
    if end + 1 < len(doc) and _capword(doc[end]) and not _capword(doc[end + 1]):
        end += 1  # a second name word, unless a third follows ("Operation Monument Hampshire Constabulary")
    if any(
        t.lower_ in words().partnership_heads or t.lower_ in words().breakers for t in doc[s + 1 : end]
    ) and fired("operations: prefix before a body"):
        return None
    if (
        doc[s].text == "Project"
        and doc[s + 1].lower_ in words().project_words_not_names
        and fired("operations: project-management words")
    ):
        return None  # "Project Management", "Project Support": project-management vocabulary, not a name
    fired("operations: Operation, Op or Project prefix")
    return Span(doc, s, end, label="operation")


def _caps_operation(doc: Doc, s: int, e: int) -> Span | None:
    """'the DRIVE perpetrator program', 'GET SAFE child criminal exploitation services': the capitals."""
    caps_end = s
    while caps_end < e and doc[caps_end].is_upper:
        caps_end += 1
    span = Span(doc, s, caps_end, label="operation")
    if (s > 0 and doc[s - 1].is_upper or is_organisation(span.text) or len(span.text) < 3) and fired(
        "operations: capitals name an organisation"
    ):
        return None
    if any(t.lower_.endswith(("ed", "ly")) or t.lower_ in {"and", "or"} for t in doc[caps_end:e]) and fired(
        "operations: capitals name the funder"
    ):
        return None  # "a DFE funded programme", "KCC continually revisits service", "CEO recruitment and
        # training program": the capitals name the funder or a role, not the programme
    fired("operations: capitals before a scheme noun")
    return span


def _resolve(spans: list[Span]) -> list[Span]:
    """Longest first; a partnership wins over an operation it overlaps."""
    order = sorted(spans, key=lambda s: (s.label_ != "partnership", -(s.end - s.start), s.start))
    taken: set[int] = set()
    out = []
    for s in order:
        if any(i in taken for i in range(s.start, s.end)):
            continue
        taken.update(range(s.start, s.end))
        out.append(s)
    return sorted(out, key=lambda s: s.start)


@Language.factory("cp_names")
def make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(nlp.vocab)

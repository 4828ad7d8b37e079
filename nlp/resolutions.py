"""Resolutions: the decisions one item's record holds, each with its own outcome.

A meeting's record of an item ("RESOLVED that Cabinet: (i) noted the objections; (ii) approved the
making of the Orders") is cut into units (lines, sentences, numbered and lettered parts, "... and
delegated authority"), and each unit is read as one of: the head that introduces resolutions
("RESOLVED that Cabinet:", "It was APPROVED that;", "Decision taken"), a vote ("the recommendation
was CARRIED"), a proposal ("the report recommended that ..."), a sentence about an earlier decision
("Cabinet had approved ... in 2023"), a resolution, or narrative. Each resolution is one decision
with its own outcome: its own verb, else the head's, else the vote's. The vocabulary is data
(nlp/data/decision_outcomes.jsonl); `outcome_of` reads one resolution.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.datafiles import rule_rows

DATA = Path(__file__).parent / "data"
OUTCOMES: tuple[str, ...] = (
    "approved",
    "agreed",
    "noted",
    "rejected",
    "deferred",
    "amended",
    "referred",
    "recommended",
    "called_in",
)
# how far after a verb of agreeing the verb it agrees to may stand ("RESOLVED that the report be noted")
AGREE_REACH = 90
_AGREEING = re.compile(r"^(?:agre|resolv|decid)", re.I)

# A list item's mark: "(i)", "(a)", "a)", "1.", "1)", "2a.", "A.", "-", "•"
_ENUM = re.compile(
    r"^\s*(?:\(?(?:[ivx]{1,5}|[a-z]|\d{1,2}[a-z]?)\)|\d{1,2}[a-z]?\.(?!\d)|[a-z]\.(?=\s)|[-•*·–—])\s*", re.I
)
# where a unit ends within a line: a sentence end before a capital, or a list mark after [.;:]
_CUT = re.compile(
    r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9£])"
    r"|(?<=[.;:,])\s+(?:and\s+)?(?=(?:\((?:[ivx]{1,5}|[a-z]|\d{1,2})\)|\d{1,2}\.(?=\s?[A-Za-z])|[a-h]\)\s)\s*)"
    r"|;\s+and\s+(?=\S)"
    r"|,?\s+and\s+(?=(?:RESOLVED|AGREED|[Aa]greed that|[Rr]esolved that)\b)"
)  # "seconded by X and RESOLVED"
# words run together by a reader before a resolution ("... (Agenda item 4) RESOLVED: That ..."), unless a
# body is its subject ("The Policy Committee RESOLVED:")
_BEFORE_RESOLVED = re.compile(r"(?<=\S)\s+(?=RESOLVED\b)|(?<=\))\s+(?=(?:AGREED|NOTED|APPROVED|DEFERRED)\b)")
_BODY_END = re.compile(
    r"\b(?:committee|cabinet|council|board|panel|executive|forum|members|it was|and|further|then)\s*$", re.I
)
_JOIN_NEXT = re.compile(
    r"^\s*(?:\(?(?:[ivx]{1,5}|[a-z]|\d{1,2}[a-z]?)[.)])\s*$|\b(?:Cllr|Councillor|Mr|Mrs|Ms|Dr|No|St|Nos"
    r"|e\.g|i\.e|etc|para|paras|approx|Co|Ltd|cf|vs)\.$",
    re.I,
)
# "approved the plan and delegated authority to the Director": two resolutions
_AND_VERB = re.compile(
    r",?\s+and\s+(?=(?:further |also |then )?(?:approved|agreed|noted|authori[sz]ed|delegated|endorsed|adopted"
    r"|requested|resolved|deferred|referred|recommended|welcomed|asked|instructed|accepted|confirmed)\b)"
)
# "RESOLVED to note the report and approve the terms of reference": verbs in the infinitive, after a first one
_BASE_VERB = (
    r"(?:approve|agree|note|authori[sz]e|delegate|endorse|adopt|request|defer|refer|recommend|instruct|accept"
    r"|confirm)"
)
_TO_BASE = re.compile(rf"^(?:[\w ,'&()/-]{{0,80}}? )?to {_BASE_VERB}\b", re.I)
_AND_BASE = re.compile(
    rf",?\s+and\s+(?:to\s+)?(?={_BASE_VERB} (?:the|that|a|an|its|their|officers|authority)\b)"
)
# "that the report be noted and the recovery actions be endorsed": two resolutions in the passive
_PASSIVE_FIRST = re.compile(
    r"^(?:that )?(?:the )?[\w ,'()/&-]{1,80}? be (?:hereby |duly )?(?:approved|noted|agreed"
    r"|adopted|endorsed|deferred|refused|rejected|referred|received|authori[sz]ed|delegated|accepted"
    r"|confirmed|requested|asked|instructed)\b",
    re.I,
)
_AND_PASSIVE = re.compile(
    r",?\s+and\s+(?=(?:that )?(?:the )?[\w ,'()/&-]{1,80}? be (?:hereby |duly )?(?:approved|noted"
    r"|agreed|adopted|endorsed|deferred|refused|rejected|referred|received|authori[sz]ed|delegated"
    r"|accepted|confirmed|requested|asked|instructed)\b)",
    re.I,
)
_BODY = r"(?:committee|cabinet|council|board|panel|sub-committee|executive|forum|leader|cabinet member|mayor|partnership)"
# "Members noted the report": members as the body only where what they noted or agreed is the item itself
_MEMBERS = re.compile(
    r"^(?:the )?members (?:noted|agreed|approved|endorsed|resolved|supported) the (?:report|update|contents"
    r"|information|recommendations?|proposals?|progress|position|presentation|work programme|minutes)\b",
    re.I,
)
# a body as the subject of a verb that records a decision ("The Policy Committee for Transport noted the report")
_BODY_VERB = re.compile(
    rf"^(?:that )?(?:the )?(?:[\w&,'()/-]+ ){{0,9}}?{_BODY}(?: for [\w&,' ]{{3,60}}?)?,?\s+"
    r"(?:(?:has|have|unanimously|formally|then|also|further|therefore|duly|accordingly) )*"
    r"(?:approv|adopt|endors|authori[sz]|delegat|ratif|accept|confirm|not(?:ed|es) (?!that)|receiv|welcom|agre|decid"
    r"|resolv|request|ask|instruct|support|defer|refer|recommend|reject|refus|initiat|establish|appoint|call(?:ed|s) (?:on|upon))",
    re.I,
)
# a resolution that starts with its verb ("Approved the approach", "To note the report", "Approve and implement")
_VERB_FIRST = re.compile(
    r"^(?:to |that it be )?(?:approv(?:e|ed|es)|adopt(?:s|ed)?|endors(?:e|ed|es)|authori[sz](?:e|ed|es)|delegat(?:e|ed|es)"
    r"|ratif(?:y|ied|ies)|accept(?:s|ed)?|confirm(?:s|ed)?|not(?:e|ed|es)|receiv(?:e|ed|es)|welcom(?:e|ed|es)|agree[ds]?"
    r"|decid(?:e|ed|es)|resolv(?:e|ed|es)|request(?:s|ed)?|ask(?:s|ed)?|instruct(?:s|ed)?|support(?:s|ed)?|defer(?:s|red)?"
    r"|refer(?:s|red)?|recommend(?:s|ed)?|reject(?:s|ed)?|refus(?:e|ed|es)|initiat(?:e|ed|es)|establish(?:es|ed)?"
    r"|appoint(?:s|ed)?|implement(?:s|ed)?|call(?:ed|s)? (?:on|upon))\b",
    re.I,
)
# "That the report be noted", "the minutes ... were approved as a correct record"
_PASSIVE = re.compile(
    r"\b(?:be|is|are|was|were) (?:hereby |duly |unanimously |formally )?(?:approved|noted|agreed|adopted"
    r"|endorsed|deferred|refused|rejected|referred|received|authori[sz]ed|delegated|granted|accepted"
    r"|confirmed|requested|asked|instructed|established|set up|withdrawn|supported)\b",
    re.I,
)
_UPPER = re.compile(
    r"^(?:[Ii]t was )?(?:RESOLVED|AGREED|APPROVED|NOTED|DECIDED|DEFERRED|REFUSED|REJECTED|RECOMMENDED)\b"
    r"|\b(?:was|were|be|been|[Cc]ommittee|[Cc]abinet|[Cc]ouncil|[Bb]oard|[Pp]anel) (?:RESOLVED|AGREED|APPROVED"
    r"|NOTED|DECIDED|DEFERRED|REFUSED|REJECTED|RECOMMENDED)\b"
)
_BULLET = re.compile(r"^\s*[-•*·–]\s")
# "Residents Parking - Approved all permit types": a resolution titled by its recommendation
_TITLED = re.compile(r"^[\w ,&'()/]{2,80}?\s[-–—:]\s+(?=\S)")
_NARRATIVE = re.compile(
    r"^(?:(?:please )?(?:refer|see) (?:to )?(?:the )?(?:slide|appendix|annex|report|paragraph|section|table"
    r"|attached|page|document|minutes?)\b|it was (?:noted|said|suggested|reported|explained|clarified|confirmed|highlighted|stated|"
    r"felt|considered|queried|asked|agreed by (?:officers|the chair))|in response|during (?:the )?discussion"
    r"|members (?:noted|asked|queried|raised|commented|expressed|highlighted|felt|discussed|suggested|welcomed|supported"
    r"|thanked|praised|requested|sought|emphasised|emphasized|agreed that)"
    r"|the (?:chair|officer|head|director)\b"
    # an executive member's own decision is no narrative ("The Cabinet Member approved ...")
    r"|the (?:cabinet member|leader)\b(?!(?: for [\w ,&'-]{3,60}?)? (?:approved|agreed|decided|resolved"
    r"|endorsed|adopted|authori[sz]ed|delegated|noted the|rejected|deferred)\b))",
    re.I,
)
# what a parse leaves on a line besides the words: page footers (an e-mail address, a web address, a page number)
# what a head that introduces resolutions speaks of (not "The following comments were made:")
_HEAD_WORD = re.compile(
    r"\b(?:resolv\w*|agree\w*|approv\w*|decid\w*|decisions?|committee|cabinet|council|board|panel"
    r"|executive|sub-committee|forum)\b",
    re.I,
)
_STRONG = re.compile(r"^(?:it was )?(?:unanimously )?(?:RESOLVED|AGREED|DECIDED|APPROVED)\b")
_FURNITURE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\bpage \d+\b", re.I)
_NOT_DECISION = re.compile(
    r"^(?:reasons? for|reason for (?:the )?decision|alternative options|options considered|additional"
    r" information|declarations? of interest|exempt|decision made in exempt|is (?:this a )?key decision"
    r"|is subject to call|publication date|date of decision|effective from|decision maker)",
    re.I,
)


@dataclass(frozen=True)
class Unit:
    start: int  # offsets into the text the units were cut from
    end: int
    text: str  # as written, list mark included
    body: str  # the words after the list mark
    listed: bool  # it has a list mark


@dataclass(frozen=True)
class Resolution:
    start: int
    end: int
    text: str
    outcome: str


@dataclass(frozen=True)
class OutcomeRule:
    outcome: str
    pattern: re.Pattern[str]
    strip: re.Pattern[str] | None = None  # phrases removed before this rule looks ("the amendment FELL")


@dataclass(frozen=True)
class Vocabulary:
    outcomes: tuple[OutcomeRule, ...]
    families: tuple[tuple[str, re.Pattern[str]], ...]
    proposal: re.Pattern[str]
    earlier: re.Pattern[str]
    vote: re.Pattern[str]
    leads: tuple[re.Pattern[str], ...]


def _join(rows: list[tuple[int, dict]], key: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{row[key]})" for _, row in rows), re.I)


@lru_cache(maxsize=2)
def vocabulary(path: Path = DATA / "decision_outcomes.jsonl") -> Vocabulary:
    outcomes = []
    for n, row in rule_rows(path, "outcome"):
        if row["outcome"] not in OUTCOMES:
            raise ValueError(f"decision_outcomes.jsonl line {n}: unknown outcome {row['outcome']!r}")
        flags = 0 if row.get("case") else re.I
        try:
            strip = re.compile(row["strip"], flags) if row.get("strip") else None
            outcomes.append(OutcomeRule(row["outcome"], re.compile(row["pattern"], flags), strip))
        except re.error as e:
            raise ValueError(f"decision_outcomes.jsonl line {n}: bad pattern: {e}") from None
    families = tuple(
        (row["family"], re.compile(row["pattern"], re.I)) for _, row in rule_rows(path, "family")
    )
    if not {f for f, _ in families} <= set(OUTCOMES):
        raise ValueError("decision_outcomes.jsonl: a family row names an unknown outcome")
    leads = tuple(
        re.compile(row["lead"], 0 if row.get("case") else re.I) for _, row in rule_rows(path, "lead")
    )
    return Vocabulary(
        tuple(outcomes),
        families,
        _join(rule_rows(path, "proposal"), "proposal"),
        _join(rule_rows(path, "earlier"), "earlier"),
        _join(rule_rows(path, "vote"), "vote"),
        leads,
    )


def outcome_of(text: str) -> str | None:
    """The outcome one resolution's words record, or None when they record none."""
    vocab = vocabulary()
    for rule in vocab.outcomes:
        seen = rule.strip.sub(" ", text) if rule.strip else text
        if rule.pattern.search(seen):
            return rule.outcome
    found = sorted(
        (m.start(), -m.end(), family) for family, pattern in vocab.families for m in pattern.finditer(text)
    )  # the earliest verb; of two there, the longer phrase
    if not found:
        return None
    start, end, family = found[0][0], -found[0][1], found[0][2]
    if family == "agreed" and _AGREEING.match(
        text[start:end]
    ):  # "agreed to adopt", "RESOLVED that ... be noted"
        later = [
            f
            for s, e, f in found[1:]
            if end <= s <= end + AGREE_REACH
            and (f == "approved" or (f == "noted" and re.match(r"not", text[s:-e], re.I)))
        ]
        if later:  # but "agreed to receive a further update" is an agreement
            return later[0]
    return family


def units(text: str) -> list[Unit]:
    """The text cut into units: each line, cut again at sentence ends, list marks and "; and"."""
    out: list[Unit] = []
    for line in re.finditer(r"[^\n|]+", text):
        found = [(m.start(), m.end()) for m in _CUT.finditer(line.group(0))]
        found += [
            (m.start(), m.end())
            for m in _BEFORE_RESOLVED.finditer(line.group(0))
            if not _BODY_END.search(line.group(0)[: m.start()])
        ]
        cuts = [0] + [x for pair in sorted(found) for x in pair] + [len(line.group(0))]
        pieces = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        merged: list[tuple[int, int]] = []
        for a, b in pieces:  # a list mark or an abbreviation alone ("c.", "Cllr.") goes with what follows
            if merged and _JOIN_NEXT.search(line.group(0)[merged[-1][0] : merged[-1][1]]):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        for a, b in merged:
            out.extend(_split_and(text, line.start() + a, line.group(0)[a:b]))
    return [u for u in out if u.body]


def _split_and(text: str, start: int, piece: str) -> Iterator[Unit]:
    body = strip_lead(_strip_mark(piece)[1])[0]
    if _VERB_FIRST.match(body) or _BODY_VERB.match(body):
        joins = sorted(
            [*_AND_VERB.finditer(piece), *(_AND_BASE.finditer(piece) if _TO_BASE.match(body) else ())],
            key=lambda m: m.start(),
        )
    else:
        # "the Issues and Options document be approved" is one: the words before 'and' must be a resolution
        joins = [
            m
            for m in _AND_PASSIVE.finditer(piece)
            if _PASSIVE_FIRST.match(body)
            and re.search(r"\bbe (?:hereby |duly )?\w+ed\b", piece[: m.start()], re.I)
        ]
    bounds = [0] + [x for m in joins for x in (m.start(), m.end())] + [len(piece)]
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        chunk = piece[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        chunk = chunk.strip()
        listed, body = _strip_mark(chunk)
        yield Unit(start + a + lead, start + a + lead + len(chunk), chunk, body.strip(" ;,"), listed)


def _strip_mark(text: str) -> tuple[bool, str]:
    m = _ENUM.match(text)
    return (True, text[m.end() :]) if m and m.end() < len(text) else (False, text.strip())


def strip_lead(body: str) -> tuple[str, bool]:
    """The words after a resolution's lead-in ("RESOLVED that", "Decision taken", "That the Committee:"),
    and whether there was one."""
    for lead in vocabulary().leads:
        m = lead.match(body)
        if m and m.end():
            return body[m.end() :].strip(), True
    return body, False


def is_record(body: str) -> bool:
    """Whether a unit is in a form that records a decision (not narrative that happens to say "approved")."""
    if _MEMBERS.match(body):
        return True
    if _NARRATIVE.match(body):
        return False
    rest, lead = strip_lead(body)
    if lead and rest and not _NARRATIVE.match(rest):
        return True
    return bool(
        _BODY_VERB.match(body)
        or _VERB_FIRST.match(body)
        or _UPPER.search(body)
        or (re.match(r"^that\b", body, re.I) and _PASSIVE.search(body))
        or _PASSIVE_FIRST.match(body)
        or re.match(
            r"^(?:the )?(?:(?!was\b|were\b)[\w&,'()/-]+ ){0,6}?(?:was|were) (?:unanimously |duly )?(?:approved|noted|agreed"
            r"|adopted|endorsed|deferred|refused|rejected|received|confirmed|signed)\b",
            body,
            re.I,
        )
    )


@dataclass
class _State:
    """What the units read so far say about the ones to come."""

    head: str | None = None  # the outcome a head gives the resolutions under it ("It was APPROVED that;")
    listing: bool = False  # under a head: list items are resolutions even without a verb
    proposing: bool = False  # under a proposal's or an amendment's text ("The amendment text as follows:")
    amended: bool = False  # an amendment was carried: what is then approved is approved as amended
    pending: Resolution | None = None  # a vote not yet followed by the resolutions it carried
    parts: bool = False  # after "Authorised the Director to:": its lettered parts are that one decision
    voted: bool = False  # the unit before was a vote (its outcome heads the resolutions it carried)
    status: Resolution | None = None  # a decision page's "Decision status: Recommendations approved"


def resolutions(text: str, record: list[tuple[int, int]] | None = None) -> list[Resolution]:
    """The decisions the record of one item holds, in order. The whole item is read, so that a proposal,
    an amendment's text or a vote is known for what it is; `record` (offsets into `text`; default: all of
    it) is where resolutions may be taken from (the passages that record what was decided)."""
    out: list[Resolution] = []
    st = _State()
    for u in units(text):
        taken = record is None or any(a < u.end and b > u.start for a, b in record)
        found = _read(u, st, taken)
        if found is not None:
            out.append(found)
    if st.pending:
        out.append(st.pending)
    return out or ([st.status] if st.status else [])


def _read(u: Unit, st: _State, taken: bool) -> Resolution | None:
    """One unit: the resolution it records (or, at a new vote, the last vote's when no resolution followed it)."""
    vocab = vocabulary()
    rest, lead = strip_lead(u.body)
    rest = _FURNITURE.sub("", rest).strip(" ;:,.")
    strong = lead and bool(_STRONG.match(u.body))
    if _NOT_DECISION.match(u.body):
        st.listing = False
        return None
    if _NARRATIVE.match(u.body) and not _MEMBERS.match(u.body):
        return None
    if re.match(r"decision status\b", u.body, re.I):
        outcome = outcome_of(rest)
        if outcome and taken:
            st.status = Resolution(u.start, u.end, u.text, outcome)
        return None
    if vocab.vote.search(u.body):
        return _vote(u, st, taken)
    if not strong and (vocab.proposal.search(u.body) or vocab.earlier.search(u.body)):
        st.proposing = st.proposing or bool(re.search(r"(?::|\bfollows[;.]?)\s*$", u.body))
        st.listing = False
        return None
    voted, st.voted = st.voted, False
    if _is_head(u.body, rest, lead):
        found = outcome_of(u.body)
        if found == "rejected":  # "Recommendation 3 was not approved:" and the words of what was not
            st.proposing, st.listing = True, False
            return Resolution(u.start, u.end, u.text, found) if taken else None
        if not (
            voted and st.head == "amended" and found == "approved"
        ):  # "It was APPROVED" after a vote as amended
            st.head = found or st.head or ("agreed" if lead else None)
        st.listing, st.proposing, st.voted = True, False, voted
        return None
    if st.proposing or not taken:
        return None
    if st.parts and u.listed:
        return None
    if u.listed and _BULLET.match(u.text) and not st.listing:
        return (
            None  # a bulleted point of the discussion ("- It was agreed that charges could displace parking")
        )
    st.parts = False
    titled = _TITLED.match(u.body)
    if not (
        is_record(u.body)
        or (st.listing and (u.listed or _VERB_FIRST.match(u.body[titled.end() :] if titled else u.body)))
    ):
        st.listing = st.listing and u.listed
        return None
    outcome = (
        outcome_of(u.body)
        or st.head
        or (st.pending.outcome if st.pending else None)
        or ("agreed" if lead else None)
    )
    if outcome is None:
        return None
    st.pending = None
    st.parts = bool(re.search(r"(?::|\b(?:to|that|following|as follows))\s*$", u.body))
    return Resolution(
        u.start, u.end, u.text, "amended" if st.head == "amended" and outcome == "approved" else outcome
    )


def _vote(u: Unit, st: _State, taken: bool) -> Resolution | None:
    """A vote: on an amendment it only sets the context; on a recommendation it is the decision unless
    resolutions follow ("It was APPROVED that; ..."), and it heads them."""
    outcome = outcome_of(u.body)
    st.proposing = False
    if re.search(r"\bamendments?\b", u.body, re.I) and not re.search(r"\bas amended\b", u.body, re.I):
        st.amended = st.amended or outcome == "amended"
        return None
    outcome = "approved" if outcome == "agreed" else outcome
    if outcome == "approved" and st.amended:
        outcome = "amended"
    st.amended = False  # the amendment was part of this vote
    if outcome == "rejected":  # a recommendation lost is a decision; no list of what was approved follows it
        return Resolution(u.start, u.end, u.text, outcome) if taken else None
    st.voted = True
    before = st.pending  # a vote no resolution followed: it is the decision
    if outcome:
        st.head, st.listing = outcome, True
    st.pending = Resolution(u.start, u.end, u.text, outcome) if outcome and taken else None
    return before


def _is_head(body: str, rest: str, lead: bool) -> bool:
    """A unit that introduces the resolutions after it: "RESOLVED that Cabinet:", "It was APPROVED that;",
    "Decision taken", "The Policy Committee:", "The Cabinet agreed to:"."""
    if lead and (
        not rest
        or _ENUM.fullmatch(rest)
        or body.rstrip().endswith((":", ";"))
        or re.fullmatch(r"(?:the )?[\w&,' ()/-]{0,80}?", rest, re.I)
        and not _VERB_FIRST.match(rest)
        and outcome_of(rest) is None
    ):
        return True
    return (
        bool(re.search(r"(?::|\bthat\s*[;:]?|\bto\s*:)\s*$", body))
        and not _NARRATIVE.match(body)
        and bool(_HEAD_WORD.search(body))
    )

"""The rules that say a number written with digits is not an amount (a date, an identifier, an age, a
page number, list numbering, a file size ...), each named, in the order they are tried.

`why_not(...)` returns the kind of the first rule that holds ("identifier", "age", "page" ...) or None for
an amount. Every rule reports itself through `nlp.rules.fired`, so the extraction benchmark can count the
councils whose papers it fires on and switch it off in a leave-council-out run. Sources: the exclusions of
shared/eval/GUIDELINES.md (dates, years, paragraph and priority numbers, legal citations, phone numbers,
ages and time limits, numbers inside names) and the page furniture of agendas, minutes and web pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.dates import MONTH_PATTERN
from nlp.metrics_context import not_after_words
from nlp.rules import fired

AGE_BEFORE = re.compile(
    r"\bpeople\s+(?:aged\s+)?(?:over|under)\s+$|\b(?:aged?|ages|age\s+(?:range|band|group)s?)"
    r"(?:\s+(?:over|under|between|of|from|up\s+to))?\s*$|\b(?:young\s+people|children|adults|"
    r"transitions?)\s+(?:aged\s+|between\s+)?$|\b(?:between|at|under)\s+$",
    re.IGNORECASE,
)
AGE_AFTER = re.compile(
    r"^(?:\s*(?:-|to|and)\s*\d+)?(?:[\s-]*(?:years?|yrs?)[\s-]*olds?\b|\s?years?\b(?!\s+(?:of|to|from|"
    r"in|and)\b))|^(?:\s*[-–]\s*\d{1,2}\+?|\+)\s+(?:services?|teams?|sections?|cohorts?|age\s+groups?|"
    r"transitions?|(?-i:[A-Z]{2,5}))\b",
    re.IGNORECASE,
)  # "0- 25years", "18-25 services", "18+ services"
OVER_UNDER = re.compile(r"\b(?:over|under)\s*$", re.IGNORECASE)
BARE_AFTER = re.compile(r"^\s*(?:and\b|or\b|[,.;:)]|$)")
TIME_AFTER = re.compile(
    r"^(?:\s*[-–]\s*\d{1,3})?\s*(?:working\s+|calendar\s+)?(?:days?|weeks?|months?|mths|years?|yrs|"
    r"minutes?|mins|seconds)\b",
    re.IGNORECASE,
)
NUMBERING_AFTER = re.compile(r"^(?:[.)](?:\s|[A-Z][a-z])|\t|\s*$)")
# a bare number ending a block after a word: the page column of an agenda or contents list
PAGE_AT_END = re.compile(r"^[ \t]*(?:\n[ \t]*\n|$)")
PAGE_WORD_BEFORE = re.compile(r"(?:^|\n)[^\n]*?([A-Za-z][A-Za-z’']*)[ \t.…]+$")
NOT_PAGE_WORDS = frozenset(
    """to of by was were is are be at from total totalled totals reached than about around
approximately only just over under with and or nearly almost some least most top all is were rose fell""".split()
)
RUNNING_HEAD_AFTER = re.compile(
    r"^[ \t]+[A-Z]{2,}[ \t]+[A-Z]{2,}\b"
)  # "3 AUDIT COMMITTEE": page, then the header
MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+{MONTH_PATTERN}\b", re.IGNORECASE)
PARA_REF_BEFORE = re.compile(
    r"\b(?:set\s+out|see|detailed|described|outlined|referred\s+to|shown|listed|explained|"
    r"defined|stated)\s+(?:in|at|under)\s+$",
    re.IGNORECASE,
)
FY_SHORT = re.compile(r"^(?P<a>[1-4]\d)\s?[-/]\s?(?P<b>[1-4]\d)\b(?!\s*%)")
# a number (or list of them) before a separator and a person's name: public forum questions and statements
NAMED_AFTER = re.compile(
    r"^(?:\s*(?:,|&|and)\s*\d{1,3})*\s*(?:\||[-–])\s*(?:Cllr\.?\s+|Councillor\s+|Dr\.?\s+)?"
    r"[A-Z][a-z]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-z'-]+\b(?!\s+(?:Road|Street|Lane|Park|Avenue|Way))"
)
NUMBERED_TITLE = re.compile(r"(?:^|\n|\|)\s*$")


@dataclass(frozen=True)
class Figure:
    """A number and what surrounds it, as the rules read them."""

    text: str
    m: re.Match[str]
    dates: list[tuple[int, int]]
    cell: bool  # one table cell
    heading: bool  # a heading or cover line

    @property
    def num(self) -> str:
        return self.m.group("num")

    @property
    def bare(self) -> bool:
        return not (self.m.group("cur") or self.m.group("unit") or self.m.group("mult"))

    @property
    def before(self) -> str:
        return self.text[max(0, self.m.start() - 40) : self.m.start()]

    @property
    def after(self) -> str:
        return self.text[self.m.end() : self.m.end() + 40]

    @property
    def value(self) -> float:
        return float(self.num.replace(",", ""))

    @property
    def small(self) -> bool:
        return self.bare and self.value <= 120


def _identifier_word(f: Figure) -> bool:
    """The word before names what the number labels: "Priority 1", "s.17", "Ext: 8640", "Covid 19"."""
    m = re.search(r"([A-Za-z]+)\.?[\s:|(]*(?:no\.?\s*)?$", f.before)
    if not m:
        return False
    word = m.group(1)
    if word.lower() in not_after_words() or word.lower().rstrip("s") in not_after_words():
        return True
    # an acronym right before a number labels it ("DHR 10", "COVID 19"); "(" or ":" before lists do not
    return bool(re.fullmatch(r"[A-Z]{2,6}s?", word)) and f.before.endswith((word + " ", word + "s "))


def _age_range_after(after: str) -> bool:
    """After "between N" / "at N" / "under N": an age range or an age ("between 18-25 for", "at 16, young")."""
    return bool(
        re.match(
            r"^(?:\s*(?:-|–|and|to)\s*\d{1,2}\b(?!\s*%)(?!\s+[a-z]+s\b)|,\s+(?:young|people|children|"
            r"individuals)|\s+(?:individuals|young|contraception|year\s+olds))",
            after,
        )
    )


def _age_before(f: Figure) -> bool:
    m = AGE_BEFORE.search(f.before)
    return (
        f.small
        and m is not None
        and (not re.match(r"\s*(?:between|at|under)\s*$", m.group(0), re.I) or _age_range_after(f.after))
    )


def _page_column(f: Figure) -> bool:
    """ "Annual complaints report 9" in an agenda; "Final Accounts Memorandum 2008/09 155"."""
    if f.cell or not PAGE_AT_END.match(f.after) or len(f.num) > 3:
        return False
    w = PAGE_WORD_BEFORE.search(f.before)
    line = f.text[max(0, f.m.start() - 160) : f.m.start()]
    counted = re.search(r"(?:^|\n)[ \t]*(?:total|number|numbers|no\.? of|count)\b[^\n]*$", line, re.I)
    if w and not counted and w.group(1).lower() not in NOT_PAGE_WORDS:
        return True
    return bool(re.search(r"\b(?:19|20)\d\d(?:/\d\d)?[ \t]+$", f.before))


def _digit_group(f: Figure) -> bool:
    """Digit groups in a row ("1 2 1 support", codes) are not amounts; a date before is fine."""
    group_before = re.search(r"(?<![\d,.])\d+ $", f.before)
    s = f.m.start()
    if group_before and any(ds < s - 1 <= de for ds, de in f.dates):
        group_before = None
    return f.bare and bool(group_before or re.match(r"^ \d+(?![\d,.]*\s*%)", f.after))


def _short_fy(f: Figure) -> bool:
    fy = FY_SHORT.match(f.num + f.after)
    return fy is not None and int(fy.group("b")) == int(fy.group("a")) + 1


Rule = tuple[str, str, Callable[[Figure], bool]]
# (rule id, what the number is, test) in the order they are tried; the first that holds decides
RULES: tuple[Rule, ...] = (
    (
        "metrics: inside a date",
        "date",
        lambda f: any(f.m.start() < de and ds < f.m.end() for ds, de in f.dates),
    ),
    (
        "metrics: a year in a name",
        "year",  # "Act 1998": a year not read as a date
        lambda f: (
            f.bare and bool(re.fullmatch(r"(?:19[5-9]|20[0-9])\d", f.num)) and not f.after.startswith("+")
        ),
    ),
    (
        "metrics: file size",
        "file size",
        lambda f: bool(re.match(r"\s?(?:KB|MB|GB|kB|Kb|Mb|bytes)\b", f.after)),
    ),
    (
        "metrics: No. or Ref before",
        "identifier",  # "Report No. 45-2024", "Ref: 123"
        lambda f: bool(re.search(r"(?:\b(?:No|NO|Nos|Ref|REF)\.?|\b(?:no|ref)\.)\s*:?\s*$", f.before)),
    ),
    ("metrics: identifier word before", "identifier", _identifier_word),  # "Priority 1", "s.17", "Covid 19"
    (
        "metrics: citation brackets",
        "identifier",  # "149(7)", "192(2)", a reference "24-00093"
        lambda f: bool(re.search(r"\w\($", f.before) or re.match(r"\)\w|\(\w{1,3}\)|-0\d", f.after)),
    ),
    (
        "metrics: cross-reference",
        "identifier",
        lambda f: bool(PARA_REF_BEFORE.search(f.before)),
    ),  # "set out in 8.5"
    (
        "metrics: day of a month",
        "date",  # "on 23 September"
        lambda f: f.bare and int(f.value) <= 31 and bool(MONTH_AFTER.match(f.after)),
    ),
    (
        "metrics: item before a name or title",
        "identifier",  # "Transport issues 55, 56 | Dan Jones"
        lambda f: (
            f.bare
            and bool(
                NAMED_AFTER.match(f.after)
                or NUMBERED_TITLE.search(f.before)
                and re.match(r"\s+[-–]\s+[A-Z]", f.after)
                or re.match(r"^(?:\s*(?:,|&|and)\s*\d{1,3})*[-–]\s+[A-Z]", f.after)
            )
        ),
    ),
    (
        "metrics: ages a service is for",
        "age",  # "Strengthening Independence Service (18-25)"
        lambda f: (
            f.bare
            and bool(re.match(r"\s*[-–]\s*\d{1,3}\)", f.after) and re.search(r"[A-Za-z]\)?\s*\($", f.before))
        ),
    ),
    ("metrics: short financial year", "identifier", lambda f: f.bare and _short_fy(f)),  # "budgets for 25-26"
    (
        "metrics: age plus",
        "age",  # "older people (65+)"
        lambda f: (
            f.bare and bool(re.search(r"\(\s*$", f.before) and re.match(r"\+\)", f.after)) and f.value <= 120
        ),
    ),
    (
        "metrics: numbered decision",
        "numbering",  # "Connectivity 1. Approved the submission"
        lambda f: f.bare and bool(re.match(r"\.\s+[A-Z][a-z]+ed\b", f.after)),
    ),
    (
        "metrics: label and colon",
        "identifier",  # "Option 3: ...", "Streetspace 2: Denmark Street"
        lambda f: f.bare and bool(re.match(r":\s+[A-Z]", f.after)),
    ),
    (
        "metrics: numbered after a colon",
        "numbering",  # "The Committee: 1. Noted the membership"
        lambda f: (
            f.bare
            and bool(re.search(r"(?:^|[:.;]\s*)$", f.before) and re.match(r"\.\s+[A-Z][a-z]+", f.after))
        ),
    ),
    (
        "metrics: page number",
        "page",  # "3 AUDIT COMMITTEE", "Page 5 of 12", "- 23 -"
        lambda f: (
            f.bare
            and bool(
                RUNNING_HEAD_AFTER.match(f.after)
                or re.search(r"\bpage\s+\d{1,4}\s+of\s+$", f.before, re.I)
                or (
                    re.search(r"(?:^|\n)[ \t]*[-–][ \t]*$", f.before)
                    and re.match(r"[ \t]*[-–][ \t]*(?:\n|$)", f.after)
                )
            )
        ),
    ),
    ("metrics: page column of a contents list", "page", lambda f: f.bare and _page_column(f)),
    (
        "metrics: time of day or leading zero",
        "identifier",  # "5.00 pm", "02"
        lambda f: bool(
            re.match(r"\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)", f.after, re.I) or re.fullmatch(r"0\d+", f.num)
        ),
    ),
    (
        "metrics: months or metres",
        "name",  # "12m to Dec 23"; "£8-10m" is money
        lambda f: (
            (f.m.group("mult") or "").strip() == "m"
            and not f.m.group("cur")
            and "." not in f.num
            and not re.search(r"£\s?\d+(?:\.\d+)?\s?(?:-|–|to)\s?$", f.before)
        ),
    ),
    ("metrics: age before", "age", _age_before),  # "aged 18-25", "young people 0-25", "at 16,"
    (
        "metrics: age range from birth",
        "age",  # "0-19 population"
        lambda f: (
            f.bare
            and f.num == "0"
            and bool(re.match(r"\s*[-–]\s*(?:1?\d|2[0-5])\b(?!\s*%)(?!\s+[a-z]+s\b)", f.after))
        ),
    ),
    ("metrics: years old or an age group after", "age", lambda f: f.small and bool(AGE_AFTER.match(f.after))),
    (
        "metrics: over or under an age",
        "age",  # "an offender aged under 25 and a knife"
        lambda f: f.small and bool(OVER_UNDER.search(f.before) and BARE_AFTER.match(f.after)),
    ),
    ("metrics: duration or time limit", "duration", lambda f: f.bare and bool(TIME_AFTER.match(f.after))),
    (
        "metrics: per or a year's end",
        "name",  # "per 1000 population"; the end of "Strategy 2018-23"
        lambda f: bool(re.search(r"\bper\s*$|(?:19|20)\d\d\s?[-–/]$", f.before, re.IGNORECASE)),
    ),
    (
        "metrics: list numbering",
        "numbering",  # "1. That ...", "1\tPoor", heading "2 Details"
        lambda f: (
            f.bare
            and bool(re.search(r"(?:^|\n)[\s\-•*(]*$", f.before))
            and (f.heading or (not f.cell and bool(NUMBERING_AFTER.match(f.after))))
        ),
    ),
    ("metrics: digit groups", "digits", _digit_group),
)


def why_not(
    text: str, m: re.Match[str], dates: list[tuple[int, int]], cell: bool = False, heading: bool = False
) -> str | None:
    """What the number at `m` is when it is not an amount ("date", "identifier", "age" ...), or None."""
    f = Figure(text, m, dates, cell, heading)
    for rule, kind, holds in RULES:
        if holds(f) and fired(rule):
            return kind
    return None

"""Metrics: figures written with digits that quantify an amount, with value, unit, range and context.

`cp_metrics` is a spaCy component run after `cp_dates`: `match()` finds every figure in a passage
with one compiled regular expression, drops those that are not amounts (dates, identifiers after
words of `data/metrics_not_after.txt`, phone numbers, ages, time limits, list numbering, digits
inside names), joins ranges ("between 15 and 20%"), reads the unit (`data/units_*.csv`) and
attaches what is counted, the direction of change and the period (`nlp.metrics_context`);
`set_annotations()` writes `doc.spans["metrics"]` with the `MetricHit` on `span._.metric`.
Table passages ("a | b | c" rows) are read cell by cell, with row and column labels as context.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.model import Document
from nlp.dates import SPAN_KEY as DATE_KEY
from nlp.dates import doc_text, find_dates, gap_evidence, uncovered
from nlp.evidence import HitComponent, evidence_for
from nlp.metrics_context import (
    Context,
    about_after,
    direction_near,
    money_factors,
    not_after_words,
    sentence_bounds,
    unit_words,
)
from nlp.model import DateSpan, Evidence, Metric

SPAN_KEY = "metrics"

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# a figure: optional currency, the number, an optional magnitude and an optional unit word
FIGURE = re.compile(
    r"(?<![\w/.,:#£$&])(?<![A-Za-z]-)(?P<cur>£\s?|GBP\s?)?(?P<num>" + NUM + r")"
    r"(?P<mult>\s?(?:bn|billion|mn|million|m|k|thousand)(?![A-Za-z]))?"
    r"(?P<unit>\s?(?:%|per\s?cent|percentage points|kg|kgs|kilos|kilogram(?:me)?s|tonnes?|tons|hours|hrs|hour|"
    r"miles?|km|kilometres|metres|litres|acres|hectares|FE|FTE|MW|MWh|kW|kWh|GW|GWh|ha)(?![A-Za-z]))?"
    r"(?![\w/]|[.,]\d|:\d|-[A-Za-z])")
# phone numbers and e-mail/web addresses are masked before figures are read
MASK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\+\d{11,13}\b|(?:\+44\s?\(?0?\)?\s?|\(?\b0\d{2,5}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
                  r"|\b0\d{9,10}\b")
RATE_AFTER = re.compile(r"^(?:\s+[a-z]+){0,3}?\s+per\s+(?:1,?000|10,?000|100,?000|thousand|head|capita)\b",
                        re.IGNORECASE)
AGE_BEFORE = re.compile(r"\bpeople\s+(?:aged\s+)?(?:over|under)\s+$|\b(?:aged?|ages|age\s+(?:range|band|group)s?)(?:\s+(?:over|under|between|of|from|up\s+to))?"
                        r"\s*$|\b(?:young\s+people|children|adults|transitions?)\s+(?:aged\s+|between\s+)?$|"
                        r"\b(?:between|at|under)\s+$", re.IGNORECASE)
AGE_AFTER = re.compile(r"^(?:\s*(?:-|to|and)\s*\d+)?(?:[\s-]*(?:years?|yrs?)[\s-]*olds?\b|\s?years?\b(?!\s+(?:of|to|from|in|and)\b))|"
                       r"^(?:\s*[-–]\s*\d{1,2}\+?|\+)\s+(?:services?|teams?|sections?|cohorts?|age\s+groups?|transitions?|"
                       r"(?-i:[A-Z]{2,5}))\b", re.IGNORECASE)  # "0- 25years", "18-25 services", "the 18-25 SIS", "18+ services"
# "222 Medical Squadron", "11 Infantry Brigade": the number names a unit
UNIT_NAME_AFTER = re.compile(r"^(?:\s+[A-Z][\w-]*){0,4}?\s+(?:Brigade|Squadron|Sqn|Regiment|Battalion|Company|Wing|Corps|"
                             r"Division|Flight|Troop|Battery|Signals|Commando|Field\s+Hospital)\b")
OVER_UNDER = re.compile(r"\b(?:over|under)\s*$", re.IGNORECASE)
BARE_AFTER = re.compile(r"^\s*(?:and\b|or\b|[,.;:)]|$)")
TIME_AFTER = re.compile(r"^(?:\s*[-–]\s*\d{1,3})?\s*(?:working\s+|calendar\s+)?(?:days?|weeks?|months?|mths|years?|yrs|minutes?|mins|seconds)\b",
                        re.IGNORECASE)
NUMBERING_AFTER = re.compile(r"^(?:[.)](?:\s|[A-Z][a-z])|\t|\s*$)")
RANGE_JOIN = re.compile(r"^\s*(?:-|–|to)\s*$")
# a bare number ending a block after a word: the page column of an agenda or contents list
PAGE_AT_END = re.compile(r"^[ \t]*(?:\n[ \t]*\n|$)")
PAGE_WORD_BEFORE = re.compile(r"(?:^|\n)[^\n]*?([A-Za-z][A-Za-z’']*)[ \t.…]+$")
NOT_PAGE_WORDS = frozenset("""to of by was were is are be at from total totalled totals reached than about around
approximately only just over under with and or nearly almost some least most top all is were rose fell""".split())
RUNNING_HEAD_AFTER = re.compile(r"^[ \t]+[A-Z]{2,}[ \t]+[A-Z]{2,}\b")  # "3 AUDIT COMMITTEE": page, then the header
MONTH_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|"
                         r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b", re.IGNORECASE)
PARA_REF_BEFORE = re.compile(r"\b(?:set\s+out|see|detailed|described|outlined|referred\s+to|shown|listed|explained|"
                             r"defined|stated)\s+(?:in|at|under)\s+$", re.IGNORECASE)
# a number listed after a code or a numbered item: "Q26, 27, 28", "Recommendations 4c and 5"
CODE_LIST_BEFORE = re.compile(r"(?:\b[A-Za-z]{1,3}\d+[a-z]?|\b\d+(?![mk]\b)[a-z])\s*(?:,|and|&|or)\s*$")
FY_SHORT = re.compile(r"^(?P<a>[1-4]\d)\s?[-/]\s?(?P<b>[1-4]\d)\b(?!\s*%)")
# "First Time Entrants per 100,000 in December was 175": a rate stated before its figure, in one clause
RATE_BEFORE = re.compile(r"\bper\s+(?:1,?000|10,?000|100,?000)\b[^.;:\d%£]*$", re.IGNORECASE)
MONTH_BEFORE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December)\s+$")
# a number (or list of them) before a separator and a person's name: public forum questions and statements
NAMED_AFTER = re.compile(r"^(?:\s*(?:,|&|and)\s*\d{1,3})*\s*(?:\||[-–])\s*(?:Cllr\.?\s+|Councillor\s+|Dr\.?\s+)?"
                         r"[A-Z][a-z]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-z'-]+\b(?!\s+(?:Road|Street|Lane|Park|Avenue|Way))")
NUMBERED_TITLE = re.compile(r"(?:^|\n|\|)\s*$")
# ("Priority 1 - 332 incidents": a spaced dash separates a label from its figure; "DHRs 9-10" chains)
CHAIN_GAP = re.compile(r"\s*\)?(?:\s*\([a-z0-9]{1,4}\))*\s*(?:and|&|,|or|to)\s*\(?\s*|\)?[-–]\(?")


@dataclass(frozen=True)
class MetricHit:
    start_char: int
    end_char: int
    value: float
    unit: str
    value_max: float | None = None
    about: str | None = None
    direction: str | None = None
    period: tuple[int, int] | None = None  # char offsets of the date span in the same doc


NAMED = MetricHit(0, 0, 0.0, "other")  # marks a range that is part of a name

if not Span.has_extension("metric"):
    Span.set_extension("metric", default=None)


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def _unit_of(m: re.Match[str]) -> tuple[str, float] | None:
    """(unit, factor) a figure's own signs give it, or None for a bare number."""
    if m.group("cur"):
        mult = (m.group("mult") or "").strip().lower()
        return "GBP", money_factors().get(mult, 1.0)
    if m.group("unit"):
        word = re.sub(r"\s+", " ", m.group("unit").strip().lower())
        return unit_words().get(word, ("other", 1.0))
    if m.group("mult") and m.group("mult").strip().lower() in ("million", "billion", "thousand", "bn"):
        return "count", money_factors()[m.group("mult").strip().lower()]
    if (m.group("mult") or "").strip() == "m" and "." in m.group("num"):
        return "count", 1e6  # "circa 1.9m resident population"
    return None


def _is_identifier(text: str, start: int) -> bool:
    """The word before names what the number labels: "Priority 1", "s.17", "Ext: 8640", "Covid 19"."""
    before = text[max(0, start - 40):start]
    m = re.search(r"([A-Za-z]+)\.?[\s:|(]*(?:no\.?\s*)?$", before, re.IGNORECASE)
    if not m:
        return False
    word = m.group(1)
    if word.lower() in not_after_words() or word.lower().rstrip("s") in not_after_words():
        return True
    # an acronym right before a number labels it ("DHR 10", "COVID 19"); "(" or ":" before lists do not
    return bool(re.fullmatch(r"[A-Z]{2,6}s?", word)) and before.endswith((word + " ", word + "s "))


def _why_not(text: str, m: re.Match[str], dates: list[tuple[int, int]], cell: bool = False,
             heading: bool = False) -> str | None:
    """Why a figure is not an amount ("date", "identifier", "age", ...), or None if it is one."""
    s, e = m.start(), m.end()
    if any(s < de and ds < e for ds, de in dates):
        return "date"
    bare = not (m.group("cur") or m.group("unit") or m.group("mult"))
    before, after = text[max(0, s - 40):s], text[e:e + 40]
    if bare and re.fullmatch(r"(?:19[5-9]|20[0-9])\d", m.group("num")) and not after.startswith("+"):
        return "year"  # a year not read as a date is part of a name ("Act 1998")
    if re.match(r"\s?(?:KB|MB|GB|kB|Kb|Mb|bytes)\b", after):
        return "file size"  # "PDF 312 KB" on a committee web page
    if re.search(r"(?:\b(?:No|NO|Nos|Ref|REF)\.?|\b(?:no|ref)\.)\s*:?\s*$", before):
        return "identifier"  # "Report No. 45-2024", "Ref: 123"
    if _is_identifier(text, s) or re.search(r"\w\($", before) or re.match(r"\)\w|\(\w{1,3}\)|-0\d", after):
        return "identifier"  # "Priority 1", "s.17", "149(7)", "192(2)", a reference "24-00093"
    if PARA_REF_BEFORE.search(before) or (bare and CODE_LIST_BEFORE.search(before)):
        return "identifier"  # "as set out in 8.5", "Q26, 27, 28"
    reason = _minutes_reason(text, m, before, after, bare, cell)
    if reason:
        return reason
    if re.match(r"\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)", after, re.IGNORECASE) or re.fullmatch(r"0\d+", m.group("num")):
        return "identifier"  # a time of day ("5.00 pm"), a code with a leading zero ("02")
    if (m.group("mult") or "").strip() == "m" and not m.group("cur") and "." not in m.group("num") and not (
            re.search(r"£\s?\d+(?:\.\d+)?\s?(?:-|–|to)\s?$", before)):
        return "name"  # "12m to Dec 23": months or metres, not an amount we can read; "£8-10m" is money
    small = bare and _number(m.group("num")) <= 120
    age_before = AGE_BEFORE.search(before)
    if small and age_before and (not re.match(r"\s*(?:between|at|under)\s*$", age_before.group(0), re.I)
                                 or _age_range_after(after)):
        return "age"  # "aged 18-25", "young people 0-25", "between 18-25 for", "at 16,"
    if bare and m.group("num") == "0" and re.match(r"\s*[-–]\s*(?:1?\d|2[0-5])\b(?!\s*%)(?!\s+[a-z]+s\b)", after):
        return "age"  # "0-19 population", "aged 0-25": a range from birth is an age range
    if small and AGE_AFTER.match(after):
        return "age"  # "18-25 services", "the 18-25 SIS"
    if small and OVER_UNDER.search(before) and BARE_AFTER.match(after):
        return "age"  # "an offender aged under 25 and a knife"
    if bare and UNIT_NAME_AFTER.match(after):
        return "name"
    if bare and TIME_AFTER.match(after):
        return "duration"  # durations and time limits ("within 7 days", "the last 12 months")
    if re.search(r"\bper\s*$|(?:19|20)\d\d\s?[-–/]$", before, re.IGNORECASE):
        return "name"  # "per 1000 population"; the end of "Strategy 2018-23" named, not a date
    line_start = re.search(r"(?:^|\n)[\s\-•*(]*$", before)
    if bare and line_start and (heading or (not cell and NUMBERING_AFTER.match(after))):
        return "numbering"  # list numbering "1. That ...", "1\tPoor", heading "2 Details"
    # digit groups in a row ("1 2 1 support", codes) are not amounts; a date before is fine
    group_before = re.search(r"(?<![\d,.])\d+ $", before)
    if group_before and any(ds < s - 1 <= de for ds, de in dates):
        group_before = None
    if bare and (group_before or re.match(r"^ \d+(?![\d,.]*\s*%)", after)):
        return "digits"
    return None


def _age_range_after(after: str) -> bool:
    """After "between N" / "at N" / "under N": an age range or an age ("between 18-25 for", "at 16, young")."""
    return bool(re.match(r"^(?:\s*(?:-|–|and|to)\s*\d{1,2}\b(?!\s*%)(?!\s+[a-z]+s\b)|,\s+(?:young|people|children|"
                         r"individuals)|\s+(?:individuals|young|contraception|year\s+olds))", after))


def _minutes_reason(text: str, m: re.Match[str], before: str, after: str, bare: bool, cell: bool) -> str | None:
    """Numbers that minutes, agendas and page furniture carry: votes, page numbers, days of a month."""
    if not bare:
        return None
    if re.match(r"\s?mph\b", after, re.I):
        return "name"  # a speed limit ("20 mph zone") names a kind of road, it counts nothing
    if int(float(m.group("num").replace(",", ""))) <= 31 and MONTH_AFTER.match(after):
        return "date"  # "on 23 September": a day without its year
    if len(m.group("num")) == 2 and MONTH_BEFORE.search(before):
        return "date"  # "Between April 21 and March 23": a month and a two-digit year
    if NAMED_AFTER.match(after) or NUMBERED_TITLE.search(before) and re.match(r"\s+[-–]\s+[A-Z]", after) or (
            re.match(r"^(?:\s*(?:,|&|and)\s*\d{1,3})*[-–]\s+[A-Z]", after)):
        return "identifier"  # "Transport issues 55, 56 | Dan Jones", "12 – Public information relating to"
    if bare and re.match(r"\s*[-–]\s*\d{1,3}\)", after) and re.search(r"[A-Za-z]\)?\s*\($", before):
        return "age"  # "Strengthening Independence Service (18-25)": the ages a service is for
    fy = FY_SHORT.match(m.group("num") + after) if bare else None
    if fy and int(fy.group("b")) == int(fy.group("a")) + 1:
        return "identifier"  # "indicative budgets for 25-26": a financial year, its second year chained
    if bare and re.search(r"\(\s*$", before) and re.match(r"\+\)", after) and _number(m.group("num")) <= 120:
        return "age"  # "older people (65+)"
    if bare and re.search(r"\btop\s+$", before, re.I) or bare and re.match(r"\.\s+[A-Z][a-z]+ed\b", after):
        return "numbering"  # "(Top 20)"; "Connectivity 1. Approved the submission"
    if bare and re.match(r":\s+[A-Z]", after):
        return "identifier"  # "Streetspace 2: Denmark Street", "Option 3: ..."
    if re.search(r"\bnearest\s+$|p\s?a\s?g\s?e\s*\|?\s*$", before, re.I):
        return "identifier"  # "rounded to the nearest 10,000"; a footer "P a g e | 67"
    if re.search(r"(?:^|[:.;]\s*)$", before) and re.match(r"\.\s+[A-Z][a-z]+", after):
        return "numbering"  # "The Committee: 1. Noted the membership", "... services. 2. Authorised the"
    if RUNNING_HEAD_AFTER.match(after) or re.search(r"\bpage\s+\d{1,4}\s+of\s+$", before, re.I) or (
            re.search(r"(?:^|\n)[ \t]*[-–][ \t]*$", before) and re.match(r"[ \t]*[-–][ \t]*(?:\n|$)", after)):
        return "page"  # "3 AUDIT COMMITTEE", "Page 5 of 12", "- 23 -"
    if not cell and PAGE_AT_END.match(after):
        w = PAGE_WORD_BEFORE.search(before)
        line = text[max(0, m.start() - 160):m.start()]
        counted = re.search(r"(?:^|\n)[ \t]*(?:total|number|numbers|no\.? of|count)\b[^\n]*$", line, re.I)
        if w and not counted and w.group(1).lower() not in NOT_PAGE_WORDS and len(m.group("num")) <= 3:
            return "page"  # "Annual complaints report 9" in an agenda
        if re.search(r"\b(?:19|20)\d\d(?:/\d\d)?[ \t]+$", before) and len(m.group("num")) <= 3:
            return "page"  # "Final Accounts Memorandum 2008/09 155"
    return None


def _about_and_unit(text: str, m: re.Match[str], unit: tuple[str, float] | None,
                    ctx: Context) -> tuple[str, float, str | None]:
    after = text[m.end():m.end() + 80]
    if unit is None and ctx.unit is not None:
        unit = ctx.unit
    if unit is None and re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d\d", m.group("num")):
        unit = ("GBP", 1.0)  # "826,051.39": pounds and pence
    if unit is None:
        rate = RATE_AFTER.match(after) or ctx.rate or RATE_BEFORE.search(text[max(0, m.start() - 90):m.start()])
        whole = "." not in m.group("num")
        unit = ("rate", 1.0) if rate else ("count", 1.0) if whole else ("other", 1.0)  # a count is whole
    return unit[0], unit[1], about_after(text, m.start(), m.end()) or ctx.label


def figures(text: str, dates: list[tuple[int, int]], ctx: Context | None = None,
            cell: bool = False, heading: bool = False) -> list[MetricHit]:
    """Every amount written with digits in `text` (a passage, or one table cell when `cell`)."""
    ctx = ctx or Context()
    masked = MASK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[re.Match[str], tuple[str, float] | None]] = []
    last_dropped, last_reason = -1000, ""
    for m in FIGURE.finditer(masked):
        # "DHRs 9 and 10": a number listed with an identifier is one too; "aged 18 – 25": an age range
        bare = not (m.group("cur") or m.group("unit") or m.group("mult"))
        gap = masked[last_dropped:m.start()] if last_dropped >= 0 else ""
        chained = bare and last_dropped >= 0 and (CHAIN_GAP.fullmatch(gap) is not None or (
            last_reason == "age" and re.fullmatch(r"\s*[-–]\s*", gap) is not None))
        reason = last_reason if chained else _why_not(masked, m, dates, cell, heading)
        if reason in ("identifier", "age"):
            last_dropped, last_reason = m.end(), reason
        elif reason is None:
            found.append((m, _unit_of(m)))
    hits: list[MetricHit] = []
    i = 0
    while i < len(found):
        m, unit = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        joined = _range(masked, m, unit, nxt)
        if joined is not None:
            if joined is not NAMED:
                hits.append(joined)
            i += 2
            continue
        name, factor, about = _about_and_unit(masked, m, unit, ctx)
        hits.append(MetricHit(m.start(), m.end(), _number(m.group("num")) * factor, name, about=about))
        i += 1
    bounds = sentence_bounds(masked)
    return [replace(h, direction=direction_near(masked, h.start_char, h.end_char, bounds)) for h in hits]


def _range(text: str, m: re.Match[str], unit: tuple[str, float] | None,
           nxt: tuple[re.Match[str], tuple[str, float] | None] | None) -> MetricHit | None:
    """"15-20%", "between 15 and 20%", "£1m to £2m" -> one hit with value and value_max."""
    if nxt is None:
        return None
    m2, unit2 = nxt
    gap = text[m.end():m2.start()]
    between = re.search(r"\bbetween\s+(?:£\s?)?$", text[max(0, m.start() - 12):m.start()], re.IGNORECASE)
    if not (RANGE_JOIN.match(gap) or (between and re.fullmatch(r"\s+and\s+", gap))):
        return None
    if re.search(r"(?:^|[\s(])[-–]$", text[max(0, m.start() - 2):m.start()]):
        return None  # "-£3.1m -£10m": two negative figures, not a range (a list's "- £2,808-£3,744" is one)
    if re.search(r"\bfrom\s+$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE) or (
            re.search(r"\b(?:increase|decrease|rise|reduction|change)\s+(?:of\s+)?$", text[max(0, m.start() - 20):m.start()],
                      re.IGNORECASE) and "to" in gap):
        return None  # "rose from 10 to 20", "an increase of £56 to £124": two figures, a change
    if m2.group("cur") and not m.group("cur") and not m2.group("mult"):
        return None
    if unit is not None and unit2 is None and not m.group("cur"):
        return None  # "fell by 12% to 1,204 incidents": a rate, then a count
    if re.search(r"\bby\s+$", text[max(0, m.start() - 4):m.start()]):
        return None  # "rose by 5 to 20": the change and the new figure
    if unit is not None and unit2 is not None and unit[0] != unit2[0]:
        return None
    if not unit2 and re.match(r"\s*[A-Z][a-z]+\s+[A-Z]", text[m2.end():]):
        return NAMED  # "11-19 Strategy Group": a name, neither number is an amount
    name, factor, about = _about_and_unit(text, m2, unit2 or unit, Context())
    if m.group("cur") and not m.group("mult") and m2.group("mult"):
        factor = money_factors().get(m2.group("mult").strip().lower(), factor)
        low = _number(m.group("num")) * factor  # "£1-2m"
    else:
        low = _number(m.group("num")) * (unit or unit2 or (name, factor))[1]
    high = _number(m2.group("num")) * factor
    if high <= low:
        return None
    start = m.start() - (len(m.group(0)) - len(m.group(0).lstrip()))
    return MetricHit(start, m2.end(), low, name, value_max=high, about=about)


def _date_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s._.date.start_char, s._.date.end_char) for s in doc.spans.get(DATE_KEY, []) if s._.date]


def find_metrics(doc: Doc) -> list[MetricHit]:
    """All metrics of one passage; table rows ("a | b | c") are read cell by cell."""
    from nlp.metrics_context import nearest_period, table_figures

    text = doc_text(doc)
    dates = _date_spans(doc)
    hits = table_figures(text, dates, figures) if " | " in text else figures(text, dates)
    if not hits or not dates:
        return hits
    bounds = sentence_bounds(text)
    return [replace(h, period=h.period or nearest_period(text, h.start_char, dates, bounds)) for h in hits]


class MetricFinder(HitComponent):
    """spaCy component: finds metrics in a Doc and writes them to doc.spans["metrics"]."""

    extension = "metric"

    def __init__(self, nlp: Language, name: str = "cp_metrics", span_key: str = SPAN_KEY) -> None:
        super().__init__(name, span_key)
        not_after_words(), unit_words(), money_factors()  # fail at build time on a broken data file

    def match(self, doc: Doc) -> list[MetricHit]:
        return find_metrics(doc)

    def label_of(self, hit: MetricHit) -> str:
        return hit.unit


@Language.factory("cp_metrics", default_config={"span_key": SPAN_KEY})
def make_metric_finder(nlp: Language, name: str, span_key: str) -> MetricFinder:
    return MetricFinder(nlp, name, span_key)


def _period(document: Document, i: int, doc: Doc, where: tuple[int, int] | None) -> DateSpan | None:
    if where is None:
        return None
    for s in doc.spans.get(DATE_KEY, []):
        h = s._.date
        if h is not None and (h.start_char, h.end_char) == where:
            ev = evidence_for(document, i, h.start_char, h.end_char)
            return DateSpan(text=ev.text, start=h.start, end=h.end, kind=h.kind, evidence=(ev,))
    return None


def _gap_hits(document: Document) -> list[tuple[MetricHit, str, int, Evidence | None]]:
    """Metrics in headings and cover lines, which are outside every passage: (hit, text, offset, evidence
    when a passage's heading holds it)."""
    out = []
    for lo, hi, index in uncovered(document):
        text = document.text[lo:hi]
        dates = [(h.start_char, h.end_char) for h in find_dates(text)]
        for h in figures(text, dates, heading=True):
            a, b = lo + h.start_char, lo + h.end_char
            out.append((replace(h, period=None), document.text[a:b], a, gap_evidence(document, index, a, b)))
    return out


def collect_metrics(document: Document, docs: list[Doc]) -> tuple[Metric, ...]:
    """One Metric per distinct (value, range, unit, about) in the paper, every mention as evidence (a cover
    line that no passage holds counts, without evidence)."""
    found: list[tuple[MetricHit, str, int, Evidence | None, DateSpan | None]] = []
    for i, doc in enumerate(docs):
        for span in doc.spans.get(SPAN_KEY, []):
            h: MetricHit | None = span._.metric
            if h is not None:
                ev = evidence_for(document, i, h.start_char, h.end_char)
                found.append((h, ev.text, ev.start, ev, _period(document, i, doc, h.period)))
    found += [(h, text, pos, ev, None) for h, text, pos, ev in _gap_hits(document)]
    found.sort(key=lambda f: f[2])
    items: dict[tuple, Metric] = {}
    evidence: dict[tuple, list[Evidence]] = {}
    for h, text, _pos, ev, period in found:
        key = (h.value, h.value_max, h.unit, (h.about or "").lower())
        evidence.setdefault(key, []).extend([ev] if ev else [])
        if key not in items:
            items[key] = Metric(value=h.value, unit=h.unit, text=text, value_max=h.value_max,  # type: ignore[arg-type]
                                about=h.about, direction=h.direction, period=period)  # type: ignore[arg-type]
    return tuple(replace(m, evidence=tuple(evidence[k])) for k, m in items.items())

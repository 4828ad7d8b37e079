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
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.model import Document
from nlp.dates import SPAN_KEY as DATE_KEY
from nlp.dates import doc_text, find_dates, gap_evidence, uncovered
from nlp.evidence import HitComponent, evidence_for
from nlp.metrics_context import (
    Context,
    MetricHit,
    about_after,
    direction_near,
    money_factors,
    nearest_period,
    not_after_words,
    sentence_bounds,
    table_figures,
    unit_words,
)
from nlp.metrics_rules import why_not
from nlp.model import DateSpan, Evidence, Metric
from nlp.rules import fired

SPAN_KEY = "metrics"

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# a figure: optional currency, the number, an optional magnitude and an optional unit word
FIGURE = re.compile(
    r"(?<![\w/.,:#£$&])(?<![A-Za-z]-)(?P<cur>£\s?|GBP\s?)?(?P<num>" + NUM + r")"
    r"(?P<mult>\s?(?:bn|billion|mn|million|m|k|thousand)(?![A-Za-z]))?"
    r"(?P<unit>\s?(?:%|per\s?cent|percentage points|kg|kgs|kilos|kilogram(?:me)?s|tonnes?|tons|hours|hrs|hour|"
    r"miles?|km|kilometres|metres|litres|acres|hectares|FE|FTE|MW|MWh|kW|kWh|GW|GWh|ha)(?![A-Za-z]))?"
    r"(?![\w/]|[.,]\d|:\d|-[A-Za-z])"
)
# phone numbers and e-mail/web addresses are masked before figures are read
MASK = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\+\d{11,13}\b|(?:\+44\s?\(?0?\)?\s?|\(?\b0\d{2,5}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
    r"|\b0\d{9,10}\b"
)
RATE_AFTER = re.compile(
    r"^(?:\s+[a-z]+){0,3}?\s+per\s+(?:1,?000|10,?000|100,?000|thousand|head|capita)\b", re.IGNORECASE
)
RANGE_JOIN = re.compile(r"^\s*(?:-|–|to)\s*$")
# "First Time Entrants per 100,000 in December was 175": a rate stated before its figure, in one clause
RATE_BEFORE = re.compile(r"\bper\s+(?:1,?000|10,?000|100,?000)\b[^.;:\d%£]*$", re.IGNORECASE)
# ("Priority 1 - 332 incidents": a spaced dash separates a label from its figure; "DHRs 9-10" chains)
CHAIN_GAP = re.compile(r"\s*\)?(?:\s*\([a-z0-9]{1,4}\))*\s*(?:and|&|,|or|to)\s*\(?\s*|\)?[-–]\(?")


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


def _about_and_unit(
    text: str, m: re.Match[str], unit: tuple[str, float] | None, ctx: Context
) -> tuple[str, float, str | None]:
    after = text[m.end() : m.end() + 80]
    if unit is None and ctx.unit is not None:
        unit = ctx.unit
    if unit is None and re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d\d", m.group("num")):
        unit = ("GBP", 1.0)  # "826,051.39": pounds and pence
    if unit is None:
        rate = (
            RATE_AFTER.match(after)
            or ctx.rate
            or RATE_BEFORE.search(text[max(0, m.start() - 90) : m.start()])
        )
        whole = "." not in m.group("num")
        unit = ("rate", 1.0) if rate else ("count", 1.0) if whole else ("other", 1.0)  # a count is whole
    return unit[0], unit[1], about_after(text, m.start(), m.end()) or ctx.label


def figures(
    text: str,
    dates: list[tuple[int, int]],
    ctx: Context | None = None,
    cell: bool = False,
    heading: bool = False,
) -> list[MetricHit]:
    """Every amount written with digits in `text` (a passage, or one table cell when `cell`)."""
    ctx = ctx or Context()
    masked = MASK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[re.Match[str], tuple[str, float] | None]] = []
    last_dropped, last_reason = -1000, ""
    for m in FIGURE.finditer(masked):
        # "DHRs 9 and 10": a number listed with an identifier is one too; "aged 18 – 25": an age range
        bare = not (m.group("cur") or m.group("unit") or m.group("mult"))
        gap = masked[last_dropped : m.start()] if last_dropped >= 0 else ""
        chained = (
            bare
            and last_dropped >= 0
            and (
                CHAIN_GAP.fullmatch(gap) is not None
                or (last_reason == "age" and re.fullmatch(r"\s*[-–]\s*", gap) is not None)
            )
        )
        reason = (
            last_reason
            if chained and fired("metrics: listed with an identifier")
            else why_not(masked, m, dates, cell, heading)
        )
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


def _range(
    text: str,
    m: re.Match[str],
    unit: tuple[str, float] | None,
    nxt: tuple[re.Match[str], tuple[str, float] | None] | None,
) -> MetricHit | None:
    """ "15-20%", "between 15 and 20%", "£1m to £2m" -> one hit with value and value_max."""
    if nxt is None:
        return None
    m2, unit2 = nxt
    gap = text[m.end() : m2.start()]
    between = re.search(r"\bbetween\s+(?:£\s?)?$", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE)
    if not (RANGE_JOIN.match(gap) or (between and re.fullmatch(r"\s+and\s+", gap))):
        return None
    if re.search(r"(?:^|[\s(])[-–]$", text[max(0, m.start() - 2) : m.start()]) and fired(
        "metrics: not a range, negatives"
    ):
        return None  # "-£3.1m -£10m": two negative figures, not a range (a list's "- £2,808-£3,744" is one)
    if (
        re.search(r"\bfrom\s+$", text[max(0, m.start() - 8) : m.start()], re.IGNORECASE)
        or (
            re.search(
                r"\b(?:increase|decrease|rise|reduction|change)\s+(?:of\s+)?$",
                text[max(0, m.start() - 20) : m.start()],
                re.IGNORECASE,
            )
            and "to" in gap
        )
        and fired("metrics: not a range, a change")
    ):
        return None  # "rose from 10 to 20", "an increase of £56 to £124": two figures, a change
    if (
        m2.group("cur")
        and not m.group("cur")
        and not m2.group("mult")
        and fired("metrics: not a range, money")
    ):
        return None
    if (
        unit is not None
        and unit2 is None
        and not m.group("cur")
        and fired("metrics: not a range, rate then count")
    ):
        return None  # "fell by 12% to 1,204 incidents": a rate, then a count
    if re.search(r"\bby\s+$", text[max(0, m.start() - 4) : m.start()]) and fired("metrics: not a range, by"):
        return None  # "rose by 5 to 20": the change and the new figure
    if (
        unit is not None
        and unit2 is not None
        and unit[0] != unit2[0]
        and fired("metrics: not a range, units")
    ):
        return None
    if (
        not unit2
        and re.match(r"\s*[A-Z][a-z]+\s+[A-Z]", text[m2.end() :])
        and fired("metrics: range in a name")
    ):
        return NAMED  # "11-19 Strategy Group": a name, neither number is an amount
    name, factor, about = _about_and_unit(text, m2, unit2 or unit, Context())
    if m.group("cur") and not m.group("mult") and m2.group("mult"):
        factor = money_factors().get(m2.group("mult").strip().lower(), factor)
        low = _number(m.group("num")) * factor  # "£1-2m"
    else:
        low = _number(m.group("num")) * (unit or unit2 or (name, factor))[1]
    high = _number(m2.group("num")) * factor
    if high <= low or not fired("metrics: range"):
        return None
    start = m.start() - (len(m.group(0)) - len(m.group(0).lstrip()))
    return MetricHit(start, m2.end(), low, name, value_max=high, about=about)


def _date_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s._.date.start_char, s._.date.end_char) for s in doc.spans.get(DATE_KEY, []) if s._.date]


def find_metrics(doc: Doc) -> list[MetricHit]:
    """All metrics of one passage; table rows ("a | b | c") are read cell by cell."""
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
            items[key] = Metric(
                value=h.value,
                unit=h.unit,
                text=text,
                value_max=h.value_max,  # type: ignore[arg-type]
                about=h.about,
                direction=h.direction,
                period=period,
            )  # type: ignore[arg-type]
    return tuple(replace(m, evidence=tuple(evidence[k])) for k, m in items.items())

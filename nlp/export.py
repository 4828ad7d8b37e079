"""An `Extraction` as the JSON of `extraction.schema.json`, with evidence and extras beside it."""

from __future__ import annotations

from typing import Any

from nlp.model import DateSpan, Decision, Evidence, Extraction, Metadata, Metric, Named, Priority


def _evidence(ev: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {
            "passage": e.passage,
            "page": e.page,
            "paragraph": e.paragraph,
            "start": e.start,
            "end": e.end,
            "text": e.text,
        }
        for e in ev
    ]


def _named(n: Named) -> dict[str, Any]:
    out: dict[str, Any] = {"name": n.name, "mentions": list(n.mentions)}
    if n.acronym:
        out["acronym"] = n.acronym
    if n.kind:
        out["kind"] = n.kind
    out["evidence"] = _evidence(n.evidence)
    return out


def _priority(p: Priority) -> dict[str, Any]:
    return {"text": p.text, "themes": list(p.themes), "evidence": _evidence(p.evidence)}


def _date(d: DateSpan) -> dict[str, Any]:
    return {"text": d.text, "start": d.start, "end": d.end, "kind": d.kind, "evidence": _evidence(d.evidence)}


def _metric(m: Metric) -> dict[str, Any]:
    return {
        "value": m.value,
        "value_max": m.value_max,
        "unit": m.unit,
        "text": m.text,
        "about": m.about,
        "direction": m.direction,
        "period": _date(m.period) if m.period else None,
        "evidence": _evidence(m.evidence),
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "item": d.item,
        "item_number": d.item_number,
        "outcome": d.outcome,
        "reference": d.reference,
        "text": d.text,
        "passages": list(d.passages),
        "page": d.page,
    }


def extraction_json(e: Extraction) -> dict[str, Any]:
    md = e.metadata
    return {
        "source": e.source,
        "document": e.document,
        "metadata": {
            "council": md.council,
            "council_code": md.council_code,
            "council_type": md.council_type,
            "committee": md.committee,
            "meeting_date": md.meeting_date,
            "title": md.title,
            "author": md.author,
            "kind": md.kind,
            "extracted": dict(md.extracted),
        },
        "partnerships": [_named(n) for n in e.partnerships],
        "operations": [_named(n) for n in e.operations],
        "priorities": [_priority(p) for p in e.priorities],
        "metrics": [_metric(m) for m in e.metrics],
        "dates": [_date(d) for d in e.dates],
        "acronyms": [{"short": s, "long": long} for s, long in e.acronyms],
        "sections": list(e.sections),
        "section_sources": list(e.section_sources),
        "decisions": [_decision(d) for d in e.decisions],
        "references": list(e.references),
        "cites": [{"body": b, "date": day, "text": words} for b, day, words in e.cites],
    }


def extraction_from_json(data: dict[str, Any]) -> Extraction:
    """The inverse of `extraction_json` (Parquet shards and stores keep extractions as this JSON)."""

    def ev(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
        return tuple(
            Evidence(e["passage"], e["page"], e["paragraph"], e["start"], e["end"], e["text"]) for e in items
        )

    def named(type_: str, n: dict[str, Any]) -> Named:
        return Named(
            type_, n["name"], tuple(n["mentions"]), n.get("acronym"), n.get("kind"), ev(n["evidence"])
        )  # type: ignore[arg-type]

    def date(d: dict[str, Any]) -> DateSpan:
        return DateSpan(d["text"], d["start"], d["end"], d["kind"], ev(d["evidence"]))

    md = data["metadata"]
    return Extraction(
        document=data["document"],
        source=data["source"],
        metadata=Metadata(
            council=md["council"],
            council_code=md["council_code"],
            council_type=md["council_type"],
            committee=md["committee"],
            meeting_date=md["meeting_date"],
            title=md["title"],
            author=md["author"],
            kind=md.get("kind"),
            extracted=tuple(md.get("extracted", {}).items()),
        ),
        partnerships=tuple(named("partnership", n) for n in data["partnerships"]),
        operations=tuple(named("operation", n) for n in data["operations"]),
        priorities=tuple(
            Priority(p["text"], tuple(p["themes"]), ev(p["evidence"])) for p in data["priorities"]
        ),
        metrics=tuple(
            Metric(
                m["value"],
                m["unit"],
                m["text"],
                m["value_max"],
                m["about"],
                m["direction"],
                date(m["period"]) if m["period"] else None,
                ev(m["evidence"]),
            )
            for m in data["metrics"]
        ),
        dates=tuple(date(d) for d in data["dates"]),
        acronyms=tuple((a["short"], a["long"]) for a in data["acronyms"]),
        sections=tuple(data.get("sections") or ()),
        section_sources=tuple(data.get("section_sources") or ()),
        decisions=tuple(
            Decision(
                d["item"],
                d["item_number"],
                d["outcome"],
                d["text"],
                d["reference"],
                tuple(d["passages"]),
                d["page"],
            )
            for d in data.get("decisions") or ()
        ),
        references=tuple(data.get("references") or ()),
        cites=tuple((c["body"], c["date"], c["text"]) for c in data.get("cites") or ()),
    )

"""Evidence for a span found in one passage: page, paragraph and offsets into the document text."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ingest.model import Document
from nlp.model import Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc


def evidence_for(document: Document, passage_index: int, start_char: int, end_char: int) -> Evidence:
    """`start_char`/`end_char` are offsets in the passage text (a spaCy span's)."""
    p = document.passages[passage_index]
    return Evidence(passage=p.index, page=p.page, paragraph=p.paragraph, start=p.start + start_char,
                    end=p.start + end_char, text=p.text[start_char:end_char])


def set_hit_spans(doc: Doc, hits: Iterable[Any], span_key: str, extension: str, label: Callable[[Any], str]) -> None:
    """A rule component's `set_annotations`: each hit (with start_char/end_char) becomes a span in
    `doc.spans[span_key]` carrying the hit as `span._.<extension>`."""
    spans = []
    for h in hits:
        span = doc.char_span(h.start_char, h.end_char, label=label(h), alignment_mode="expand")
        if span is not None:
            span._.set(extension, h)
            spans.append(span)
    doc.spans[span_key] = spans

"""Evidence for a span found in one passage: page, paragraph and offsets into the document text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ingest.model import Document
from nlp.model import Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc


def evidence_for(document: Document, passage_index: int, start_char: int, end_char: int) -> Evidence:
    """`start_char`/`end_char` are offsets in the passage text (a spaCy span's); negative for the passage's
    heading, printed before it."""
    p = document.passages[passage_index]
    start, end = p.start + start_char, p.start + end_char
    return Evidence(
        passage=p.index,
        page=p.page,
        paragraph=p.paragraph,
        start=start,
        end=end,
        text=document.text[start:end],
    )


class HitComponent:
    """A rule component in spaCy's shape: `match()` finds hits (objects with start_char/end_char) and
    `set_annotations()` writes each as a span in `doc.spans[span_key]`, the hit as `span._.<extension>`.
    Subclasses set `extension` and `label_of` and write `match`."""

    extension = ""

    def __init__(self, name: str, span_key: str) -> None:
        self.name = name
        self.span_key = span_key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def match(self, doc: Doc) -> list[Any]:
        raise NotImplementedError

    def label_of(self, hit: Any) -> str:
        raise NotImplementedError

    def set_annotations(self, doc: Doc, hits: Iterable[Any]) -> None:
        spans = []
        for h in hits:
            span = doc.char_span(h.start_char, h.end_char, label=self.label_of(h), alignment_mode="expand")
            if span is not None:
                span._.set(self.extension, h)
                spans.append(span)
        doc.spans[self.span_key] = spans

"""Evidence for a span found in one passage: page, paragraph and offsets into the document text."""
from __future__ import annotations

from ingest.model import Document
from nlp.model import Evidence


def evidence_for(document: Document, passage_index: int, start_char: int, end_char: int) -> Evidence:
    """`start_char`/`end_char` are offsets in the passage text (a spaCy span's)."""
    p = document.passages[passage_index]
    return Evidence(passage=p.index, page=p.page, paragraph=p.paragraph, start=p.start + start_char,
                    end=p.start + end_char, text=p.text[start_char:end_char])

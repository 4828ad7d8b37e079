"""The extraction pipeline: spaCy rule components over a blank English pipeline.

Each passage of a `Document` is one spaCy `Doc`; the rule components write spans
(`doc.spans["dates"]`, `["metrics"]`, `["names"]`), and the `collect_*` functions of each module
turn them, with the passage's page, paragraph and offsets, into the items of an `Extraction`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.model import Document
from nlp.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language

# component names, in pipeline order; each registered with @Language.factory in its module
COMPONENTS = ("cp_dates", "cp_metrics", "cp_names")


# spaCy takes seconds to import, and every extraction module imports it: this module is imported by the
# command line at start-up, so it imports them when a pipeline is built or used, not at its top.
def build_pipeline() -> Language:
    import spacy

    # importing the modules registers their factories
    from nlp import dates, metrics, names  # noqa: F401

    nlp = spacy.blank("en")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def extract(document: Document, nlp: Language) -> Extraction:
    """One parsed paper -> everything the users compare, each item with its evidence."""
    from nlp.acronyms import find_acronyms
    from nlp.dates import collect_dates
    from nlp.decisions import collect_decisions
    from nlp.history import paper_references
    from nlp.metadata import extract_metadata
    from nlp.metrics import collect_metrics
    from nlp.names_headings import headings
    from nlp.names_merge import collect_named
    from nlp.priorities import collect_priorities
    from nlp.sections import paper_kind, passage_roles

    docs = list(nlp.pipe(p.text for p in document.passages))
    acronyms = find_acronyms(document.text)
    partnerships, operations = collect_named(document, docs, acronyms, headings(document, nlp))
    metadata = replace(extract_metadata(document), kind=paper_kind(document))
    found = passage_roles(document)
    roles = tuple(r.role for r in found)
    references, cites = paper_references(document, metadata.meeting_date)
    return Extraction(
        document=document.id,
        source=document.source,
        metadata=metadata,
        partnerships=partnerships,
        operations=operations,
        priorities=collect_priorities(document, docs),
        metrics=collect_metrics(document, docs),
        dates=collect_dates(document, docs),
        acronyms=tuple(sorted(acronyms.items())),
        sections=roles,
        section_sources=tuple(r.source for r in found),
        decisions=collect_decisions(document, roles),
        references=references,
        cites=cites,
    )

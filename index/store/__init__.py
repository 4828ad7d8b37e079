"""The store: one SQLite file (WAL) holding documents, sources, passages, entities and evidence; this
package owns every SQL statement of the project's index (the harvester keeps its own state in ingest/).

Writes happen one document per transaction, so a crash leaves whole documents or none.
A document is `pending` until its vectors are saved in the FAISS file, then `indexed`
(see `index.pipeline.reconcile`). Reads return small frozen dataclasses (`index.reads`).

By concern: `base` (connection, transactions, meta), `documents` (papers, sources, passages),
`entities` (entities, canonical entities, passage themes), `decisions` (decisions, links, sections,
committee names), `embeddings` (the embedding cache), `alerts` (saved searches and the mail outbox),
`queries` (the read queries), `filters` (shared SQL conditions), `search` (keyword and vector search's
lookups), `analysis` (compare's and precedents' lookups).
"""

from __future__ import annotations

from index.store.analysis import AnalysisMixin
from index.store.base import DB_NAME, SCHEMA_VERSION
from index.store.decisions import DecisionsMixin
from index.store.documents import GIVEN_COLUMNS, DocumentsMixin, extraction_text, source_key
from index.store.embeddings import EmbeddingCacheMixin
from index.store.entities import EntitiesMixin
from index.store.search import SearchMixin

__all__ = ("DB_NAME", "GIVEN_COLUMNS", "SCHEMA_VERSION", "Store", "extraction_text", "source_key")


class Store(DocumentsMixin, EntitiesMixin, DecisionsMixin, EmbeddingCacheMixin, AnalysisMixin, SearchMixin):
    """Open with `Store.open(settings)`; use as a context manager or call `close()`."""

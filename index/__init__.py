"""The store (SQLite + FAISS), ingest into it, and hybrid search over it."""

"""Ingest: committee papers (PDF, DOCX, HTML, text) in, structured `Document`s out."""

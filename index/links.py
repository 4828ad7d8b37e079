"""Links to papers, one way for every output: exports, alert digests, e-mails, CLI lines.

A citation links to the council's published copy when its URL is known (manifest, harvester), at
the page for PDFs; otherwise to this instance's paper page under `Settings.public_url`. Nothing
links to a server path or `file://`: without a published URL or a public URL there is no link.
"""

from __future__ import annotations


def paper_path(document_id: str, passage: int | None = None) -> str:
    """The web app's page of a paper, at the cited passage when given (relative to the app's root)."""
    return f"/app/papers/{document_id}" + (f"#p{passage}" if passage is not None else "")


def absolute(public_url: str, path: str) -> str | None:
    """`path` under the base URL the app is reached at, or None when no public URL is set."""
    base = public_url.strip().rstrip("/")
    return base + path if base.startswith(("http://", "https://")) else None


def published_link(source: str | None, page: int | None = None) -> str | None:
    """The published paper's URL ('#page=N' for PDFs), or None when it has no http(s) address."""
    if not source or not source.startswith(("http://", "https://")):
        return None
    return f"{source}#page={page}" if page and source.lower().split("?")[0].endswith(".pdf") else source


def citation_link(
    public_url: str,
    document_id: str,
    *,
    url: str | None = None,
    page: int | None = None,
    passage: int | None = None,
) -> str | None:
    """Where a reader opens a cited passage: the published copy, else this instance's page, else None."""
    return published_link(url, page) or absolute(public_url, paper_path(document_id, passage))

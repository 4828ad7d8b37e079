"""Documents as JSON and as a readable summary (the `parse` command's two outputs)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ingest.model import Document


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "format": doc.format,
        "title": doc.title,
        "page_count": doc.page_count,
        "given": doc.given_dict(),
        "passages": [
            {
                "index": p.index,
                "text": p.text,
                "pages": list(p.pages),
                "heading_path": list(p.heading_path),
                "paragraph": p.paragraph,
                "start": p.start,
                "end": p.end,
                "kind": p.kind,
            }
            for p in doc.passages
        ],
        "tables": [{**asdict(t), "rows": [list(r) for r in t.rows]} for t in doc.tables],
    }


def document_summary(doc: Document) -> str:
    lines = [
        f"{doc.source}  [{doc.format}, id {doc.id}]",
        f"  title: {doc.title or '-'}",
        f"  pages: {doc.page_count or '-'}  passages: {len(doc.passages)}  tables: {len(doc.tables)}",
    ]
    for p in doc.passages[:8]:
        where = f"p{p.page}" if p.page else ""
        num = f"¶{p.paragraph}" if p.paragraph else ""
        head = " > ".join(p.heading_path)[-50:]
        lines.append(f"  {where:>4} {num:>7}  {head:<50}  {p.text[:70]!r}")
    if len(doc.passages) > 8:
        lines.append(f"  ... {len(doc.passages) - 8} more passages")
    return "\n".join(lines)

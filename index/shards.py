"""Parquet shards: parsed, extracted and embedded papers, ready to `load` into a store without re-parsing.

A shard is a folder `shard-<id>/` holding four Parquet files and a JSON list of the files that failed:

- documents.parquet: id, source, format, title, page_count, text, given (JSON), extraction (nlp.export JSON)
- passages.parquet: document_id, idx, text, pages, heading_path, section, paragraph, start, end, kind,
  themes (those of the paper's priorities citing the passage), windows (sentence vectors besides its own)
- entities.parquet: document_id, type, name, norm, acronym, kind, mentions, passages (evidence)
- vectors.parquet: document_id, idx (passage), window (0 = the passage's own), vector (float32)
- failures.json: one line per file that could not be read, as `ingest` prints them

It is written in a temporary folder and renamed, so a shard folder that exists is complete: a rerun
skips it. The shard id is a hash of the names, sizes and times of its input files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.reads import norm_name
from index.store import extraction_text
from ingest.model import Document, Passage
from nlp.export import extraction_from_json

if TYPE_CHECKING:
    import numpy as np

    from nlp.model import Extraction

PREFIX = "shard-"
FAILURES = "failures.json"
TABLES = ("documents", "passages", "entities", "vectors")


@dataclass(frozen=True)
class Paper:
    """One paper as a shard holds it: the parsed document, its extraction, and its vectors in the order
    `index.pipeline.document_items` gives the items (passage by passage, own vector first)."""

    document: Document
    extraction: Extraction | None
    windows: tuple[int, ...]
    vectors: np.ndarray


def shard_id(files: list[tuple[str, tuple[tuple[str, str], ...]]]) -> str:
    """A stable id for a group of input files (path, given metadata): a changed file gives a new id."""
    h = hashlib.sha256()
    for path, given in files:
        try:
            st = os.stat(path)
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        h.update(f"{path}\0{stamp}\0{json.dumps(given)}\n".encode())
    return h.hexdigest()[:16]


def shard_folder(out: Path, sid: str) -> Path:
    return out / f"{PREFIX}{sid}"


def find_shards(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Shard folders given directly or inside the folders given, sorted; problems as one line each."""
    found: list[Path] = []
    problems: list[str] = []
    for p in paths:
        if (p / "documents.parquet").is_file():
            found.append(p)
        elif p.is_dir():
            inner = sorted(d for d in p.iterdir() if d.is_dir() and d.name.startswith(PREFIX))
            if not inner:
                problems.append(f"{p}: no shards here (folders named {PREFIX}... holding documents.parquet)")
            found += [d for d in inner if (d / "documents.parquet").is_file()]
        else:
            problems.append(f"{p}: no such shard folder")
    return found, problems


# ---- writing -----------------------------------------------------------------------------------


def write_shard(folder: Path, papers: list[Paper], failures: list[str], model: str) -> None:
    """Write one shard atomically (a temporary folder renamed into place); `model` names the vectors'."""
    import pyarrow.parquet as pq

    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, table in tables(papers).items():
        table = table.replace_schema_metadata({"model": model})
        pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
    (tmp / FAILURES).write_text(json.dumps(failures, ensure_ascii=False), encoding="utf-8")
    if folder.exists():  # written meanwhile by another run of the same shard: the same content
        shutil.rmtree(tmp, ignore_errors=True)
        return
    os.replace(tmp, folder)


def tables(papers: list[Paper]) -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa

    docs: dict[str, list[Any]] = {
        k: [] for k in ("id", "source", "format", "title", "page_count", "text", "given", "extraction")
    }
    pas: dict[str, list[Any]] = {
        k: []
        for k in (
            "document_id",
            "idx",
            "text",
            "pages",
            "heading_path",
            "section",
            "paragraph",
            "start",
            "end",
            "kind",
            "themes",
            "windows",
        )
    }
    ents: dict[str, list[Any]] = {
        k: [] for k in ("document_id", "type", "name", "norm", "acronym", "kind", "mentions", "passages")
    }
    vec_doc: list[str] = []
    vec_idx: list[int] = []
    vec_win: list[int] = []
    mats = []
    for paper in papers:
        d, ex = paper.document, paper.extraction
        for k, v in (
            ("id", d.id),
            ("source", d.source),
            ("format", d.format),
            ("title", d.title),
            ("page_count", d.page_count),
            ("text", d.text),
            ("given", json.dumps(d.given_dict())),
            ("extraction", extraction_text(ex)),
        ):
            docs[k].append(v)
        themes: dict[int, set[str]] = {}
        for pr in ex.priorities if ex else ():
            for e in pr.evidence:
                themes.setdefault(e.passage, set()).update(pr.themes)
        for p, w in zip(d.passages, paper.windows, strict=True):
            for k, v in (
                ("document_id", d.id),
                ("idx", p.index),
                ("text", p.text),
                ("pages", list(p.pages)),
                ("heading_path", list(p.heading_path)),
                ("section", " > ".join(p.heading_path)),
                ("paragraph", p.paragraph),
                ("start", p.start),
                ("end", p.end),
                ("kind", p.kind),
                ("themes", sorted(themes.get(p.index, ()))),
                ("windows", w),
            ):
                pas[k].append(v)
            vec_doc += [d.id] * (w + 1)
            vec_idx += [p.index] * (w + 1)
            vec_win += list(range(w + 1))
        for n in (*ex.partnerships, *ex.operations) if ex else ():
            for k, v in (
                ("document_id", d.id),
                ("type", n.type),
                ("name", n.name),
                ("norm", norm_name(n.name)),
                ("acronym", n.acronym),
                ("kind", n.kind),
                ("mentions", list(n.mentions)),
                ("passages", sorted({e.passage for e in n.evidence})),
            ):
                ents[k].append(v)
        mats.append(np.asarray(paper.vectors, dtype=np.float32))
    dim = mats[0].shape[1] if mats and mats[0].ndim == 2 else 384
    flat = np.concatenate(mats).reshape(-1) if mats else np.zeros(0, dtype=np.float32)
    vectors = pa.table(
        {
            "document_id": pa.array(vec_doc, pa.string()),
            "idx": pa.array(vec_idx, pa.int32()),
            "window": pa.array(vec_win, pa.int32()),
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.float32()), dim),
        }
    )
    return {
        "documents": pa.table(docs, schema=_DOC_SCHEMA()),
        "passages": pa.table(pas, schema=_PAS_SCHEMA()),
        "entities": pa.table(ents, schema=_ENT_SCHEMA()),
        "vectors": vectors,
    }


def _DOC_SCHEMA() -> Any:  # noqa: N802
    import pyarrow as pa

    return pa.schema(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("format", pa.string()),
            ("title", pa.string()),
            ("page_count", pa.int32()),
            ("text", pa.large_string()),
            ("given", pa.string()),
            ("extraction", pa.large_string()),
        ]
    )


def _PAS_SCHEMA() -> Any:  # noqa: N802
    import pyarrow as pa

    return pa.schema(
        [
            ("document_id", pa.string()),
            ("idx", pa.int32()),
            ("text", pa.string()),
            ("pages", pa.list_(pa.int32())),
            ("heading_path", pa.list_(pa.string())),
            ("section", pa.string()),
            ("paragraph", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("kind", pa.string()),
            ("themes", pa.list_(pa.string())),
            ("windows", pa.int32()),
        ]
    )


def _ENT_SCHEMA() -> Any:  # noqa: N802
    import pyarrow as pa

    return pa.schema(
        [
            ("document_id", pa.string()),
            ("type", pa.string()),
            ("name", pa.string()),
            ("norm", pa.string()),
            ("acronym", pa.string()),
            ("kind", pa.string()),
            ("mentions", pa.list_(pa.string())),
            ("passages", pa.list_(pa.int32())),
        ]
    )


# ---- reading -----------------------------------------------------------------------------------


def read_failures(folder: Path) -> list[str]:
    path = folder / FAILURES
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def shard_model(folder: Path) -> str:
    """The embedding model that made the shard's vectors."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(folder / "vectors.parquet").metadata or {}
    except (OSError, ValueError) as e:
        raise ValueError(f"{folder}: unreadable shard ({type(e).__name__}: {str(e)[:160]})") from None
    return meta.get(b"model", b"").decode()


def read_shard(folder: Path) -> Iterator[Paper]:
    """The papers of one shard, in the order written. Raises ValueError naming the file on a bad shard."""
    import numpy as np
    import pyarrow.parquet as pq

    try:
        docs = pq.read_table(folder / "documents.parquet").to_pylist()
        pas = pq.read_table(folder / "passages.parquet").to_pylist()
        vt = pq.read_table(folder / "vectors.parquet")
    except (OSError, ValueError) as e:
        raise ValueError(f"{folder}: unreadable shard ({type(e).__name__}: {str(e)[:160]})") from None
    vec_docs = vt.column("document_id").to_pylist()
    col = vt.column("vector").combine_chunks()
    dim = col.type.list_size
    flat = col.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    matrix = flat.reshape(-1, dim) if dim else flat.reshape(0, 0)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in pas:
        by_doc.setdefault(row["document_id"], []).append(row)
    starts: dict[str, list[int]] = {}
    for i, d in enumerate(vec_docs):
        starts.setdefault(d, []).append(i)
    for row in docs:
        rows = sorted(by_doc.get(row["id"], []), key=lambda r: r["idx"])
        passages = tuple(
            Passage(
                index=r["idx"],
                text=r["text"],
                pages=tuple(r["pages"] or ()),
                heading_path=tuple(r["heading_path"] or ()),
                paragraph=r["paragraph"],
                start=r["start"],
                end=r["end"],
                kind=r["kind"],
            )
            for r in rows
        )
        given = tuple(json.loads(row["given"] or "{}").items())
        doc = Document(
            id=row["id"],
            source=row["source"],
            format=row["format"],
            title=row["title"],
            page_count=row["page_count"],
            text=row["text"],
            passages=passages,
            given=given,
        )
        windows = tuple(int(r["windows"]) for r in rows)
        at = starts.get(row["id"], [])
        if len(at) != sum(windows) + len(windows):
            raise ValueError(
                f"{folder}: document {row['id']} has {len(at)} vectors where its passages "
                f"need {sum(windows) + len(windows)}"
            )
        ex = extraction_from_json(json.loads(row["extraction"])) if row["extraction"] else None
        yield Paper(doc, ex, windows, matrix[at[0] : at[-1] + 1] if at else matrix[:0])

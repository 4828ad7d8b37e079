"""Papers: list, read, the original file, upload (POST) and removal (DELETE; both need the API key)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from api.deps import DocumentDep, IsoDate, ParserDep, PoolDep, SettingsDep, StoreDep, StorePool, WriteAccess
from api.errors import ApiError, error_responses
from api.originals import (
    MEDIA_TYPES,
    download_name,
    find_original,
    keep_original,
    original_path,
    safe_upload_name,
)
from api.schemas import Deleted, DocumentList, DocumentOut, Uploaded, document_out, document_summary
from index.diskfull import write_failure
from index.lock import StoreBusy
from index.pipeline import ingest_document, remove_document
from index.reads import DocumentRow
from ingest.detect import detect_format
from ingest.errors import IngestError
from ingest.isolated import RETRY_AFTER, IsolatedParser, UploadsBusy
from ingest.model import Document, content_id
from ingest.settings import Settings

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentList, responses=error_responses(422))
def list_documents(
    store: StoreDep,
    council: Annotated[str | None, Query(max_length=200)] = None,
    committee: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[IsoDate | None, Query(alias="from")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DocumentList:
    """Stored papers, newest meeting first, filtered by council, committee and meeting date."""
    rows = store.list_documents(
        council or None,
        committee or None,
        date_from.isoformat() if date_from else None,
        date_to.isoformat() if date_to else None,
    )
    return DocumentList(
        total=len(rows),
        offset=offset,
        limit=limit,
        documents=[document_summary(r) for r in rows[offset : offset + limit]],
    )


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=error_responses(404))
def get_document(detail: DocumentDep) -> DocumentOut:
    """A paper's metadata, passages (page, paragraph, heading path) and entities with their evidence."""
    return document_out(detail)


@router.get(
    "/documents/{doc_id}/file",
    response_class=FileResponse,
    responses={
        200: {
            "content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()},
            "description": "the original file",
        },
        **error_responses(404),
    },
)
def get_document_file(detail: DocumentDep, settings: SettingsDep) -> FileResponse:
    """The original file as it was ingested (HTML and DOCX as downloads, PDF and text inline)."""
    doc = detail.document
    path = find_original(settings.store, doc, settings.max_file_bytes)
    if path is None:
        raise ApiError(
            404,
            f"the original file of {doc.id} is not kept in the store and its source "
            f"{doc.source!r} is gone or has changed",
            "doc_id",
        )
    inline = doc.format in ("pdf", "text")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(doc.format, "application/octet-stream"),
        filename=download_name(doc),
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.post(
    "/documents",
    response_model=Uploaded,
    status_code=201,
    responses={
        200: {"model": Uploaded, "description": "already stored"},
        **error_responses(400, 401, 403, 413, 415, 422, 503, 507),
    },
)
async def upload_document(
    _: WriteAccess,
    pool: PoolDep,
    settings: SettingsDep,
    parser: ParserDep,
    request: Request,
    file: Annotated[UploadFile, File(description="a paper: PDF, DOCX, HTML or text")],
    council: Annotated[str | None, Form(max_length=200)] = None,
    committee: Annotated[str | None, Form(max_length=200)] = None,
    meeting_date: Annotated[IsoDate | None, Form()] = None,
    title: Annotated[str | None, Form(max_length=500)] = None,
) -> JSONResponse:
    """Upload one paper: parsed, extracted and indexed. A bad file leaves the store as it was. Parsing runs in
    a bounded pool of worker processes, not on the request threads: when it is full, 503 with Retry-After."""
    given = tuple(
        (k, str(v))
        for k, v in (
            ("council", council),
            ("committee", committee),
            ("meeting_date", meeting_date),
            ("title", title),
        )
        if v
    )
    try:
        with parser.admit():
            data = await _read_limited(file, settings.max_upload_bytes)
            created, row = await store_upload(
                pool, parser, settings, data, safe_upload_name(file.filename), given, _index_limiter(request)
            )
    except UploadsBusy as e:
        raise HTTPException(503, str(e), headers={"Retry-After": str(RETRY_AFTER)}) from None
    body = Uploaded(created=created, document=document_summary(row))
    return JSONResponse(body.model_dump(), status_code=201 if created else 200)


@router.delete("/documents/{doc_id}", response_model=Deleted, responses=error_responses(401, 403, 404, 503))
def delete_document(_: WriteAccess, pool: PoolDep, settings: SettingsDep, detail: DocumentDep) -> Deleted:
    """Remove a paper everywhere: passages, vectors, entities and the kept original."""
    doc = detail.document
    try:
        if not remove_document(pool.get(), doc.id, settings, timeout=settings.write_timeout):
            raise ApiError(404, f"no document with id {doc.id!r}", "doc_id")
    except StoreBusy as e:
        raise ApiError(503, str(e)) from None
    original_path(settings.store, doc.id, doc.format).unlink(missing_ok=True)
    return Deleted(deleted=doc.id)


async def _read_limited(file: UploadFile, limit: int) -> bytes:
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(
            413,
            f"{safe_upload_name(file.filename)}: upload is over the limit of {limit / 1e6:.1f} MB "
            "(COUNCILPAPERS_MAX_UPLOAD_BYTES)",
            "file",
        )
    return data


def _index_limiter(request: Request) -> object:
    """One upload stored and embedded at a time, on a thread outside the request threads' limit (made on first
    use: it belongs to the server's event loop)."""
    import anyio

    state = request.app.state
    if getattr(state, "index_limiter", None) is None:
        state.index_limiter = anyio.CapacityLimiter(1)
    return state.index_limiter


async def store_upload(
    pool: StorePool,
    parser: IsolatedParser,
    settings: Settings,
    data: bytes,
    name: str,
    given: tuple[tuple[str, str], ...],
    limiter: object,
) -> tuple[bool, DocumentRow]:
    """Parse and extract (in the parser's worker processes, awaited: no thread waits), then store and embed (on
    a thread of `limiter`) one uploaded paper; (created?, its DocumentRow). Raises ApiError."""
    import anyio

    doc_id = content_id(data)
    try:
        detect_format(data, name)
    except IngestError as e:
        raise ApiError(400 if e.reason == "empty file" else 415, str(e), "file") from None
    stored = await anyio.to_thread.run_sync(lambda: pool.get().get_document(doc_id))
    if stored is not None:
        return False, stored.document
    try:
        document, extracted = await parser.wait(parser.submit(data, name, given), name)
    except IngestError as e:
        raise ApiError(422, str(e), "file") from None
    return await anyio.to_thread.run_sync(
        lambda: _index_upload(pool, settings, data, document, extracted),
        limiter=limiter,
        abandon_on_cancel=True,
    )  # type: ignore[arg-type]


def _index_upload(
    pool: StorePool, settings: Settings, data: bytes, document: Document, extracted: object
) -> tuple[bool, DocumentRow]:
    store = pool.get()
    doc_id = document.id
    # the source names the content, not the client's path: two uploads called "report.pdf" never collide
    document = replace(document, source=f"upload:{doc_id}/{document.source}")
    path = keep_original(settings.store, doc_id, document.format, data)
    try:
        ingest_document(document, settings, store, extracted=extracted)  # type: ignore[arg-type]
    except BaseException as e:
        if not store.has_document(doc_id):  # kept only while its paper is stored
            path.unlink(missing_ok=True)
        if isinstance(e, StoreBusy):
            raise ApiError(503, str(e)) from None
        if isinstance(e, IngestError):  # indexing it failed (time limit, an error of its own): not stored
            raise ApiError(422, str(e), "file") from None

        if (
            isinstance(e, Exception)
            and (failure := write_failure(e, settings.store, "the store")) is not None
        ):
            raise ApiError(507, str(failure)) from None  # a full disk: one line, the store as it was
        raise
    return True, store.get_document(doc_id).document  # type: ignore[union-attr]

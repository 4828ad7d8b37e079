"""A paper's decision history: report, decision, call-in, later updates, each cited."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import DocumentDep, StoreDep
from api.errors import error_responses
from api.schemas import HistoryOut, history_out
from index.history import paper_history

router = APIRouter(tags=["documents"])


@router.get("/documents/{doc_id}/history", response_model=HistoryOut, responses=error_responses(404))
def get_history(detail: DocumentDep, store: StoreDep) -> HistoryOut:
    """Papers on the same matter as this one, by meeting date: the reports, the decisions taken on them
    (with their outcome and the passages recording them), call-ins and later updates, each with why it is linked."""
    history = paper_history(store, detail.document.id)
    assert history is not None  # DocumentDep found the paper
    return history_out(history)

"""`check_store`: are SQLite and FAISS consistent, and the decision links what the papers give? Each problem
is one line; none means consistent."""

from __future__ import annotations

from index.embed import model_name
from index.history import council_links
from index.pipeline import links_pending
from index.store import DB_NAME, Store
from index.vectors import INDEX_NAME, VectorIndex, vector_ids
from ingest.settings import Settings


def check_store(settings: Settings) -> list[str]:
    import numpy as np

    folder = settings.store
    if not (folder / DB_NAME).exists():
        return [f"{folder}: no store here"]
    problems: list[str] = []
    with Store.open(settings, create=False) as store:
        problems += store.integrity_problems()
        pending = store.pending_documents()
        if pending:
            problems.append(
                f"{len(pending)} documents pending (an ingest was interrupted; rerun ingest): "
                + ", ".join(pending[:5])
            )
        for doc_id, source, reason in store.failed_papers():
            problems.append(
                f"paper {doc_id} ({source}) failed at ingest and is not stored: {reason};"
                f" `councilpapers remove {doc_id}` forgets it, and the next ingest of it tries again"
            )
        problems += link_problems(store)
        orphans = store.orphan_documents()
        if orphans:
            problems.append(f"{len(orphans)} documents without any source: " + ", ".join(orphans[:5]))
        in_sql = np.asarray(store.passage_ids(), dtype=np.int64)
        if len(in_sql) and not (folder / INDEX_NAME).exists():
            return [*problems, f"{len(in_sql)} passages but no vector index {folder / INDEX_NAME}"]
        try:
            vectors = VectorIndex.open(folder, model_name(settings), None)
        except (ValueError, RuntimeError) as e:
            return [*problems, f"vector index: {e}"]

        rows = np.array(store.passage_windows(), dtype=np.int64).reshape(-1, 2)
        want = np.sort(vector_ids(rows[:, 0], rows[:, 1]))
        have = vectors.ids()
        if len(np.unique(have)) != len(have):
            problems.append("vector index holds duplicate ids")
        in_faiss = vectors.passage_ids()
        if not len(np.setdiff1d(in_sql, in_faiss)) and not np.array_equal(want, have):
            problems.append(f"vector index holds {len(have)} vectors where the passages need {len(want)}")
        missing = np.setdiff1d(in_sql, in_faiss)
        extra = np.setdiff1d(in_faiss, in_sql)
        if len(missing):
            problems.append(f"{len(missing)} passages have no vector (e.g. passage id {int(missing[0])})")
        if len(extra):
            problems.append(f"{len(extra)} vectors have no passage (e.g. id {int(extra[0])})")
    return problems


def link_problems(store: Store) -> list[str]:
    """Decision links that differ from what the stored papers give (index.history.council_links), or were
    left to rebuild by a run that stopped first; a line a council."""
    problems = []
    pending = links_pending(store)
    if pending:
        problems.append(
            f"decision links of {len(pending)} councils not rebuilt (an ingest stopped first; rerun"
            f" ingest): {', '.join(sorted(pending)[:5])}"
        )
    for council in sorted({d.council for d in store.list_documents() if d.council} - pending):
        ids, links = council_links(store, council)
        want = {(k.source, k.target, k.relation) for k in links}
        have = {(k.source, k.target, k.relation) for k in store.links_of(ids)}
        if want != have:
            problems.append(
                f"decision links of {council}: {len(have)} stored where its papers give {len(want)}"
                f" ({len(want - have)} missing, {len(have - want)} extra); rerun ingest of a paper of it"
            )
    return problems

"""Hybrid search: BM25 (FTS5) and dense (FAISS) rankings fused, with filters, a floor and snippets.

Fusion is a convex combination of BM25 (divided by the query's best) and cosine similarity
over the union of the top `CANDIDATES` of each ranking; it beat reciprocal rank fusion on the
development queries (0.89 against 0.86 nDCG@10), since BM25 is much the stronger ranking
here and RRF weighs both alike. A passage flagged as procedural boilerplate (index.boilerplate) has its fused score scaled by
`BOILERPLATE_FACTOR`. The relevance floor is semantic: when no candidate's cosine
similarity to the query reaches `QUERY_FLOOR`, the query is about nothing in the store and
gets no results; candidates under `PASSAGE_FLOOR` are dropped. Weights and floors were set
on the development queries and are the same for every council and query.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from index.keyword import KeywordQuery, build_query, keyword_search, matches_all
from index.reads import PassageRow, document_filter_sql, norm_name
from index.store import Store
from ingest.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from index.vectors import VectorIndex

Mode = Literal["hybrid", "keyword", "dense"]
MODES = ("hybrid", "keyword", "dense")
CANDIDATES = 100
DENSE_SHARE = 0.5  # weight of cosine against normalised BM25 in hybrid scores
BOILERPLATE_FACTOR = 0.5
# Best cosine a query needs to get any result (hybrid and dense), unless some passage holds every
# word of it. Nonsense and off-topic queries peak at 0.15-0.28 against the development papers
# (short sentences match anything a little); real questions start at 0.40.
QUERY_FLOOR = 0.35
PASSAGE_FLOOR = 0.15  # a candidate below this cosine, without every query word, is noise
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class SearchFilters:
    council: str | None = None
    committee: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    theme: str | None = None  # theme id of eval/themes.json
    entity: str | None = None  # a partnership or operation, by name or acronym
    document: str | None = None  # document id (or its first characters)

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class SearchResult:
    document: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    passage: int  # Passage.index within the document
    page: int | None
    pages: tuple[int, ...]
    paragraph: str | None
    heading_path: tuple[str, ...]
    text: str
    snippet: str  # HTML-escaped text around the matches, matched words in <mark></mark>
    score: float
    boilerplate: bool = False


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int  # candidates over the floor (before the cut to k)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # council/committee/theme -> value -> n


def filter_sql(f: SearchFilters) -> tuple[str, list[Any]]:
    """Conditions on documents `d` for the filters ('' when there are none): filters select papers."""
    where, args = document_filter_sql("d", f.council, f.committee, f.date_from, f.date_to)
    conds = [where] if where else []
    if f.theme:  # passage themes, or "priority:THEME" for stated priorities only (index.reads.theme_filter_sql)
        from index.reads import theme_filter_sql

        cond, targs = theme_filter_sql("d", f.theme)
        conds.append(cond)
        args += targs
    if f.entity:
        key = norm_name(f.entity)
        conds.append("d.id IN (SELECT document_id FROM entities WHERE norm = ? OR lower(acronym) = ?"
                     " OR norm LIKE ?)")
        args += [key, key, f"%{key}%"]
    if f.document:
        conds.append("(d.id = ? OR d.id LIKE ?)")
        args += [f.document, f"{f.document}%"]
    return " AND ".join(conds), args


def passage_condition(doc_conds: str) -> str:
    """The filter as a condition on passages `p` (documents found first, through their indexes)."""
    return f"p.document_id IN (SELECT d.id FROM documents d WHERE {doc_conds})" if doc_conds else ""


def allowed_ranges(store: Store, doc_conds: str, args: list[Any]) -> tuple[list[int], list[int]]:
    """The passage id ranges (first ids, last ids; sorted) of the papers the filters allow."""
    rows = store.conn.execute(f"SELECT first_passage, last_passage FROM documents d WHERE {doc_conds}"
                              " AND first_passage IS NOT NULL ORDER BY first_passage", args).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def allowed_ids(ranges: tuple[list[int], list[int]]) -> np.ndarray:
    """Every passage id inside the ranges."""
    import numpy as np

    firsts = np.asarray(ranges[0], dtype=np.int64)
    counts = np.asarray(ranges[1], dtype=np.int64) - firsts + 1
    if not len(firsts):
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(firsts - (np.cumsum(counts) - counts), counts)
    return starts + np.arange(int(counts.sum()), dtype=np.int64)


def search(store: Store, query: str, *, settings: Settings, mode: Mode = "hybrid", k: int = 10,
           filters: SearchFilters = SearchFilters()) -> list[SearchResult]:
    return search_page(store, query, settings=settings, mode=mode, k=k, filters=filters).results


def search_page(store: Store, query: str, *, settings: Settings, mode: Mode = "hybrid", k: int = 10,
                filters: SearchFilters = SearchFilters(), facets: bool = False) -> SearchPage:
    """Results best first, the number over the floor, and (on request) facet counts over those."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: must be one of {', '.join(MODES)}")
    doc_conds, args = filter_sql(filters)
    where = passage_condition(doc_conds)
    ranges = allowed_ranges(store, doc_conds, args) if doc_conds else None
    kq = build_query(query, store.conn)
    keyword: list[tuple[int, float]] = []
    dense: list[tuple[int, float]] = []
    cosines: dict[int, float] = {}
    if mode == "keyword":
        keyword = keyword_search(store.conn, kq, CANDIDATES, where, args, ranges)
    else:
        from index.pipeline import open_vectors

        vectors = open_vectors(store, settings)
        # the query embedding and FAISS search (ONNX Runtime and FAISS let go of the GIL) run on the
        # other core, beside keyword search (SQLite lets go of it too) on this thread; SQLite is only
        # ever used on the calling thread, whose connection it is
        pending = _pool().submit(_dense, vectors, query, settings, ranges)
        try:
            keyword = keyword_search(store.conn, kq, CANDIDATES, where, args, ranges) if mode == "hybrid" else []
        finally:
            qvec, dense = pending.result()
        cosines = dict(dense)
        cosines.update(_cosines(store, vectors, qvec, [i for i, _ in keyword if i not in cosines]))
        if (not cosines or max(cosines.values()) < QUERY_FLOOR) and not matches_all(store.conn, kq, where, args, ranges):
            return SearchPage([], 0, {})
    scored = _fuse(keyword, dense, cosines, mode)
    if cosines:
        scored = {i: s for i, s in scored.items() if cosines.get(i, 0.0) >= PASSAGE_FLOOR}
    rows = store.passages_by_id(list(scored))
    final = sorted(((s * (BOILERPLATE_FACTOR if rows[i].boilerplate else 1.0), i)
                    for i, s in scored.items() if i in rows), reverse=True)
    docs = _documents(store, {rows[i].document_id for _, i in final})
    results = [_result(rows[i], docs[rows[i].document_id], s, kq) for s, i in final[:k]]
    counts = _facets(store, [rows[i].document_id for _, i in final], docs) if facets else {}
    return SearchPage(results, len(final), counts)


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """Threads for the dense half of a search (they hold no connection and no per-query state)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="dense")


def _dense(vectors: VectorIndex, query: str, settings: Settings,
           ranges: tuple[list[int], list[int]] | None) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """The query's vector and its nearest passages (within the filter's passage-id ranges)."""
    from index.pipeline import query_vector

    qvec = query_vector(query, settings)
    return qvec, vectors.search(qvec, CANDIDATES, allowed_ids(ranges) if ranges is not None else None)


def _fuse(keyword: list[tuple[int, float]], dense: list[tuple[int, float]], cosines: dict[int, float],
          mode: str) -> dict[int, float]:
    """Keyword: BM25. Dense: cosine. Hybrid: a convex mix of BM25 / the query's best BM25 and cosine."""
    if mode == "keyword":
        return dict(keyword)
    if mode == "dense":
        return dict(dense)
    top = max((s for _, s in keyword), default=0.0)
    bm25 = {i: s / top for i, s in keyword} if top > 0 else {}
    return {i: (1 - DENSE_SHARE) * bm25.get(i, 0.0) + DENSE_SHARE * cosines.get(i, 0.0)
            for i in {*bm25, *(i for i, _ in dense)}}


def _cosines(store: Store, vectors: VectorIndex, qvec: np.ndarray, ids: list[int]) -> dict[int, float]:
    """Cosine of each passage's best vector (for keyword hits the dense search did not return)."""
    import numpy as np

    from index.vectors import PASSAGE_MASK, dot, vector_ids

    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = np.array(store.conn.execute(f"SELECT id, windows FROM passages WHERE id IN ({marks})", ids)
                    .fetchall(), dtype=np.int64).reshape(-1, 2)
    vids = vectors.present(vector_ids(rows[:, 0], rows[:, 1]))  # vectors not saved yet have no cosine
    out: dict[int, float] = {}
    for vid, sim in zip((vids & PASSAGE_MASK).tolist(), dot(vectors.vectors(vids), qvec.reshape(-1)).tolist(),
                        strict=True):
        out[vid] = max(out.get(vid, -1.0), float(sim))
    return out


def _documents(store: Store, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute("SELECT id, source, title, council, committee, meeting_date FROM documents"
                              f" WHERE id IN ({marks})", list(ids))
    return {r["id"]: dict(r) for r in rows}


def _facets(store: Store, doc_ids: list[str], docs: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = {"council": Counter(), "committee": Counter(), "theme": Counter()}
    for d in doc_ids:
        for key in ("council", "committee"):
            if docs[d].get(key):
                out[key][docs[d][key]] += 1
    if doc_ids:
        per_doc = Counter(doc_ids)
        marks = ",".join("?" * len(per_doc))
        for r in store.conn.execute(f"SELECT document_id, theme FROM themes WHERE document_id IN ({marks})",
                                    list(per_doc)):
            out["theme"][r[1]] += per_doc[r[0]]
    return {k: dict(v.most_common()) for k, v in out.items()}


def _result(p: PassageRow, doc: dict[str, Any], score: float, kq: KeywordQuery) -> SearchResult:
    return SearchResult(document=p.document_id, source=doc["source"], title=doc["title"], council=doc["council"],
                        committee=doc["committee"], meeting_date=doc["meeting_date"], passage=p.index,
                        page=p.page, pages=p.pages, paragraph=p.paragraph, heading_path=p.heading_path,
                        text=p.text, snippet=snippet(p.text, kq.terms), score=round(score, 6),
                        boilerplate=p.boilerplate)


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = []
    for t in terms:
        words = t.split()
        # a word matches on its first letters, so "partnerships" marks "partnership" (FTS5 stems too)
        stems = [re.escape(w[: max(4, len(w) - 3)]) if len(w) > 4 else re.escape(w) for w in words]
        alts.append(r"\W+".join(s + r"\w*" for s in stems))
    return re.compile(r"\b(" + "|".join(alts) + r")", re.IGNORECASE) if alts else None


def snippet(text: str, terms: tuple[str, ...], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of the passage around its first match, HTML-escaped, matches marked."""
    pattern = _term_pattern(terms)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 4) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    piece = text[start:end]
    out, pos = [], 0
    for m in pattern.finditer(piece) if pattern else ():
        out += [html.escape(piece[pos:m.start()]), "<mark>", html.escape(m.group(0)), "</mark>"]
        pos = m.end()
    out.append(html.escape(piece[pos:]))
    return ("\u2026" if start > 0 else "") + "".join(out) + ("\u2026" if end < len(text) else "")

"""Hybrid search: BM25 (FTS5) and dense (FAISS) rankings fused, with filters, a floor and snippets.

`candidates` reads the query's evidence (index.evidence: codes, quoted phrases, proper names), runs
both searches (the top `CANDIDATES` of each, inside the filters) and adds every passage holding all of
the evidence; `index.fusion.fuse` puts the rankings on one scale, mixes them (its constants are chosen
by cross-validation, benchmarks/bench_search_cv.py) and puts the evidence's holders first, then the
found passages. A quoted phrase must be in every result, in every mode. When no candidate's cosine
similarity to the query reaches `QUERY_FLOOR`, the query is about nothing in the store and gets no
results (unless some passage holds every word of it, or its evidence); candidates under `PASSAGE_FLOOR`
are dropped. "N found" counts the passages over index.fusion's absolute floor, each judged on its own,
so a filter can only lower it. Snippets mark what FTS5 matched (index.highlight).
"""

from __future__ import annotations

import math
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

from index.evidence import Evidence, analyse, held
from index.fusion import FUSION, Candidates, Fusion, found, fuse
from index.highlight import highlights, snippet_spans
from index.keyword import KeywordQuery, build_query, keyword_search, matches_all, phrase_matches
from index.reads import PassageRow, norm_name
from index.runtime import Runtime
from index.store import Store
from index.store.search import paper_filter_sql, passage_condition, passage_filter_sql
from index.vectors import PASSAGE_MASK, dot, vector_ids
from ingest.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from index.vectors import VectorIndex

Mode = Literal["hybrid", "keyword", "dense"]
MODES = ("hybrid", "keyword", "dense")
Group = Literal["passage", "paper"]
GROUPS = ("passage", "paper")
CANDIDATES = 100
# Keyword scores kept for the dense candidates the keyword top CANDIDATES missed: each passage is
# scored by both searches, as each keyword hit gets its cosine. Left at BM25 0, a passage dense
# search found that holds a query word less often than the top hundred lost to ones holding only
# common words (cross-validated nDCG@10 0.833 -> 0.853; benchmarks/bench_search_cv.py; 1,000 scored as
# well as all matches there, 200 slightly less). In a large store keyword search scores at most
# keyword.MAX_SCORED matches (those holding every word first), so a dense candidate outside them gets 0.
SCORED_DEPTH = 1_000
# Best cosine a query needs to get any result (hybrid and dense), unless some passage holds every
# word of it. Nonsense and off-topic queries peak at 0.15-0.28 against the development papers
# (short sentences match anything a little); real questions start at 0.40.
QUERY_FLOOR = 0.35
PASSAGE_FLOOR = 0.15  # a candidate below this cosine is noise
# A query word held by at most this share of the store's passages is evidence keyword search owns
# (index.evidence): a passage holding it ranks above one that does not. Chosen by cross-validation.
RARE_SHARE = 0.0


@dataclass(frozen=True)
class SearchFilters:
    council: str | None = None
    committee: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    theme: str | None = None  # theme id of eval/themes.json
    entity: str | None = None  # a partnership or operation, by name or acronym: the passages naming it
    document: str | None = None  # document id (or its first characters)
    section: str | None = (
        None  # a section role (nlp/data/section_roles.jsonl): recommendations, financial ...
    )

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
    score: float  # 0-1, higher is better (the fused z-score through a logistic)
    boilerplate: bool = False
    snippet_text: str = ""  # the same snippet as plain text
    matches: tuple[tuple[int, int], ...] = ()  # (start, end) of each match in snippet_text
    more: int = 0  # grouped by paper: other passages of this paper found
    section: str | None = None  # the passage's section role (nlp.sections): recommendations, financial ...
    found: bool = True  # over the relevance floor (counted in "N found"); the rest are "more, less relevant"


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int  # results over the relevance floor (papers, when grouped by paper); they come first
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # council/committee/theme -> value -> n


def filter_sql(f: SearchFilters) -> tuple[str, list[Any]]:
    """Conditions on documents `d` for the paper filters ('' when there are none); the entity and section
    filters select passages (`passage_filter`)."""
    return paper_filter_sql(f.council, f.committee, f.date_from, f.date_to, f.theme, f.document)


def passage_filter(store: Store, f: SearchFilters) -> tuple[str, list[Any]]:
    """Conditions on passages `p` for the passage filters: the passages naming the entity (any spelling of
    its canonical entity: "Op Mazi" = "Operation Mazi"; a name no paper uses as an entity matches by
    name, in the papers naming it), and the passages of a section."""
    ids = store.entity_passages(f.entity) if f.entity else None
    return passage_filter_sql(ids, norm_name(f.entity) if f.entity and not ids else None, f.section)


def passage_ranges(store: Store, where: str, args: list[Any]) -> tuple[list[int], list[int]]:
    """The passages a filter on `p` allows, as sorted runs of consecutive ids (a section is one run)."""
    import numpy as np

    ids = np.array(store.filtered_passage_ids(where, args), dtype=np.int64)
    if not len(ids):
        return [], []
    breaks = np.flatnonzero(np.diff(ids) != 1)
    return ids[np.r_[0, breaks + 1]].tolist(), ids[np.r_[breaks, len(ids) - 1]].tolist()


def allowed_ranges(store: Store, doc_conds: str, args: list[Any]) -> tuple[list[int], list[int]]:
    """The passage id ranges (first ids, last ids; sorted) of the papers the filters allow."""
    return store.document_ranges(doc_conds, args)


def allowed_ids(ranges: tuple[list[int], list[int]]) -> np.ndarray:
    """Every passage id inside the ranges."""
    import numpy as np

    firsts = np.asarray(ranges[0], dtype=np.int64)
    counts = np.asarray(ranges[1], dtype=np.int64) - firsts + 1
    if not len(firsts):
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(firsts - (np.cumsum(counts) - counts), counts)
    return starts + np.arange(int(counts.sum()), dtype=np.int64)


def search(
    store: Store,
    query: str,
    *,
    settings: Settings,
    mode: Mode = "hybrid",
    k: int = 10,
    filters: SearchFilters = SearchFilters(),
    runtime: Runtime | None = None,
) -> list[SearchResult]:
    return search_page(
        store, query, settings=settings, mode=mode, k=k, filters=filters, runtime=runtime
    ).results


def search_page(
    store: Store,
    query: str,
    *,
    settings: Settings,
    mode: Mode = "hybrid",
    k: int = 10,
    filters: SearchFilters = SearchFilters(),
    facets: bool = False,
    group: Group = "passage",
    fusion: Fusion = FUSION,
    runtime: Runtime | None = None,
) -> SearchPage:
    """Results best first, the number found (over the relevance floor) and, on request, facet counts.

    `group="paper"`: the best passage of each paper, with the number of its other passages found. The
    model, vectors and search threads are `runtime`'s (a call given none makes one for itself).
    """
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: must be one of {', '.join(MODES)}")
    if group not in GROUPS:
        raise ValueError(f"group {group!r}: must be one of {', '.join(GROUPS)}")
    kq, cands = candidates(store, query, settings=settings, mode=mode, filters=filters, runtime=runtime)
    scored = fuse(cands, mode, fusion) if cands else []
    counted = found(scored, cands, mode, fusion) if cands else []
    rows = store.passages_by_id([i for _, i in scored])
    doc_of = {i: rows[i].document_id for i in counted if i in rows}
    picked: list[tuple[float, int]] = []
    more: Counter[str] = Counter()
    if group == "paper":
        seen: set[str] = set()
        for s, i in scored:
            if i not in rows:
                continue
            d = rows[i].document_id
            if d in seen:
                more[d] += i in doc_of
                continue
            seen.add(d)
            picked.append((s, i))
        total = len({*doc_of.values()})
    else:
        picked, total = [(s, i) for s, i in scored if i in rows], len(doc_of)
    picked = picked[:k]
    docs = store.result_papers({rows[i].document_id for _, i in picked} | set(doc_of.values()))
    marks = highlights(store.conn, kq, {i: rows[i].text for _, i in picked})
    results = [
        _result(
            rows[i], docs[rows[i].document_id], s, marks.get(i, ()), more[rows[i].document_id], i in doc_of
        )
        for s, i in picked
    ]
    counts = _facets(store, list(doc_of.values()), docs) if facets else {}
    return SearchPage(results, total, counts)


def candidates(
    store: Store,
    query: str,
    *,
    settings: Settings,
    mode: Mode = "hybrid",
    filters: SearchFilters = SearchFilters(),
    rare: float | None = None,
    runtime: Runtime | None = None,
    defined: bool = True,
) -> tuple[KeywordQuery, Candidates | None]:
    """The query as FTS5 sees it, and what each search returned (None: nothing in the store is about it),
    with the passages holding the query's evidence (index.evidence) among them; `defined`: whether terms
    the stored papers define are evidence (precedents ask about a subject, not a name: they are not)."""
    with ExitStack() as stack:
        rt = runtime or stack.enter_context(Runtime(settings, queries=False))  # a call given none: its own
        return _candidates(store, query, rt, mode, filters, RARE_SHARE if rare is None else rare, defined)


def _candidates(
    store: Store,
    query: str,
    runtime: Runtime,
    mode: Mode,
    filters: SearchFilters,
    rare: float,
    defined: bool = True,
) -> tuple[KeywordQuery, Candidates | None]:
    doc_conds, args = filter_sql(filters)
    where = passage_condition(doc_conds)
    ranges = allowed_ranges(store, doc_conds, args) if doc_conds else None
    p_conds, p_args = passage_filter(store, filters)
    if p_conds:  # passages, not papers: the ranges become the runs of passages the filter allows
        where, args = " AND ".join(filter(None, [where, p_conds])), [*args, *p_args]
        ranges = passage_ranges(store, where, args)
    kq = build_query(query, store.conn)
    evidence = analyse(query, store.conn, rare, defined)
    # the passages holding the evidence (the CANDIDATES best by BM25) are candidates: each is found. (Past
    # CANDIDATES holders a filter could bring in one the unfiltered search left out; scoring up to 1,000
    # of them cost 40-60 ms at p95 in a 150,000-passage store, where a common acronym is held by hundreds.)
    holders = (
        keyword_search(
            store.conn, KeywordQuery(evidence.fts(), (), evidence.parts), CANDIDATES, where, args, ranges
        )
        if evidence
        else []
    )
    keyword: list[tuple[int, float]] = []
    dense: list[tuple[int, float]] = []
    cosines: dict[int, float] = {}
    if mode == "keyword":
        keyword = _words(
            store, kq, _merged(keyword_search(store.conn, kq, CANDIDATES, where, args, ranges), holders)
        )
    else:
        vectors = runtime.vectors(store)
        # the query embedding and FAISS search (ONNX Runtime and FAISS let go of the GIL) run on the
        # other core, beside keyword search (SQLite lets go of it too) on this thread; SQLite is only
        # ever used on the calling thread, whose connection it is
        pending = runtime.pool.submit(_dense, vectors, query, runtime, ranges)
        try:
            scored = (
                keyword_search(store.conn, kq, CANDIDATES, where, args, ranges, depth=SCORED_DEPTH)
                if mode == "hybrid"
                else []
            )
        finally:
            qvec, dense = pending.result()
        if (
            len(dense) >= CANDIDATES and dense[-1][1] >= FUSION.floor
        ):  # more may be over the floor: all are found
            dense = vectors.search(qvec, SCORED_DEPTH, allowed_ids(ranges) if ranges is not None else None)
        if kq.required:  # a quoted phrase must be in every result, whatever the mode
            keep = phrase_matches(store.conn, kq, [i for i, _ in dense])
            dense = [(i, s) for i, s in dense if i in keep]
        dense_ids = {i for i, _ in dense}
        keyword = _words(
            store,
            kq,
            _merged([(i, s) for n, (i, s) in enumerate(scored) if n < CANDIDATES or i in dense_ids], holders),
        )
        cosines = dict(dense)
        cosines.update(_cosines(store, vectors, qvec, [i for i, _ in keyword if i not in cosines]))
        if (
            (not cosines or max(cosines.values()) < QUERY_FLOOR)
            and not holders
            and not matches_all(store.conn, kq, where, args, ranges)
        ):
            return kq, None
        low = {i for i, c in cosines.items() if c < PASSAGE_FLOOR and i not in dict(holders)}
        keyword = [(i, s) for i, s in keyword if i not in low]
        dense = [(i, s) for i, s in dense if i not in low]
    return kq, _assemble(store, kq, evidence, mode, keyword, dense, cosines)


def _assemble(
    store: Store,
    kq: KeywordQuery,
    evidence: Evidence,
    mode: Mode,
    keyword: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    cosines: dict[int, float],
) -> Candidates:
    """The candidates with what fusion and the floor need of each: paper, boilerplate, the pieces of the
    evidence held, and the share of the query's words held (only where it can decide "found")."""
    ids = list(dict.fromkeys([i for i, _ in keyword] + [i for i, _ in dense]))
    one = len(kq.parts) == 1  # each keyword hit holds the query's one word: nothing to look up
    look = (
        ids
        if evidence
        else []
        if one
        else [i for i, _ in keyword if mode == "keyword" or cosines.get(i, -1.0) < FUSION.floor]
    )
    parts = [*evidence.parts, *([] if one else kq.parts)]
    holds = held(store.conn, parts, look)
    ev = len(evidence.parts)
    words = (
        {i: 1.0 for i, _ in keyword}
        if one
        else {i: sum(n >= ev for n in h) / len(kq.parts) for i, h in holds.items()}
        if kq.parts
        else {}
    )
    return Candidates(
        keyword,
        dense,
        cosines,
        *store.boilerplate_and_papers(ids),
        held={i: sum(n < ev for n in h) for i, h in holds.items()},
        evidence=ev,
        words=words,
    )


def _merged(keyword: list[tuple[int, float]], holders: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The keyword hits and, after them, the passages holding the evidence that they miss (with the
    BM25 of the evidence alone, at most theirs over the whole query)."""
    have = {i for i, _ in keyword}
    return sorted(keyword + [(i, s) for i, s in holders if i not in have], key=lambda x: -x[1])


def _words(store: Store, kq: KeywordQuery, keyword: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The keyword hits less those whose text matched only through pieces of hyphenated words
    ("lines" in "in-line"; index.highlight); a match in the headings alone stays."""
    if not keyword:
        return []
    texts = store.hyphenated_texts([i for i, _ in keyword])  # only a text with a hyphen can match by a piece
    marks = highlights(store.conn, kq, texts)
    return [(i, s) for i, s in keyword if marks.get(i, True)]


def _dense(
    vectors: VectorIndex, query: str, runtime: Runtime, ranges: tuple[list[int], list[int]] | None
) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """The query's vector and its nearest passages (within the filter's passage-id ranges)."""
    qvec = runtime.query_vector(query)
    return qvec, vectors.search(qvec, CANDIDATES, allowed_ids(ranges) if ranges is not None else None)


def _cosines(store: Store, vectors: VectorIndex, qvec: np.ndarray, ids: list[int]) -> dict[int, float]:
    """Cosine of each passage's best vector (for keyword hits the dense search did not return)."""
    import numpy as np

    if not ids:
        return {}
    rows = np.array(store.windows_of(ids), dtype=np.int64).reshape(-1, 2)
    vids = vectors.present(vector_ids(rows[:, 0], rows[:, 1]))  # vectors not saved yet have no cosine
    out: dict[int, float] = {}
    for vid, sim in zip(
        (vids & PASSAGE_MASK).tolist(), dot(vectors.vectors(vids), qvec.reshape(-1)).tolist(), strict=True
    ):
        out[vid] = max(out.get(vid, -1.0), float(sim))
    return out


def _facets(store: Store, doc_ids: list[str], docs: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = {"council": Counter(), "committee": Counter(), "theme": Counter()}
    for d in doc_ids:
        for key in ("council", "committee"):
            if docs[d].get(key):
                out[key][docs[d][key]] += 1
    per_doc = Counter(doc_ids)
    for doc, theme in store.stated_themes(list(per_doc)):
        out["theme"][theme] += per_doc[doc]
    return {k: dict(v.most_common()) for k, v in out.items()}


def _result(
    p: PassageRow,
    doc: dict[str, Any],
    score: float,
    marks: tuple[tuple[int, int], ...],
    more: int,
    counted: bool,
) -> SearchResult:
    snip = snippet_spans(p.text, marks)
    return SearchResult(
        document=p.document_id,
        source=doc["source"],
        title=doc["title"],
        council=doc["council"],
        committee=doc["committee"],
        meeting_date=doc["meeting_date"],
        passage=p.index,
        page=p.page,
        pages=p.pages,
        paragraph=p.paragraph,
        heading_path=p.heading_path,
        text=p.text,
        snippet=snip.html(),
        score=round(1 / (1 + math.exp(-score)), 6),
        boilerplate=p.boilerplate,
        snippet_text=snip.text,
        matches=snip.marks,
        more=more,
        section=p.section,
        found=counted,
    )

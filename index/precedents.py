"""What other councils have done: named operations, projects and schemes, and the passages describing them.

`precedents(store, query)` runs the hybrid search and keeps the passages that answer the query: found
by search (over its absolute floor, index.fusion.is_found), with a cosine to the query of at least
`COSINE_FLOOR` (or holding the query's evidence: a name, code or quoted phrase, index.evidence), over
`RELATIVE_FLOOR` times the best one's score, holding the query's evidence when some passage does (a
question naming the "PSPO" is answered by papers naming it), and, when the query names themes
(nlp.passage_themes rules), about one of them (passage themes stored at ingest), so a passage about
another problem that shares a few words is not cited. A council is listed only when one of its
passages is kept, and says why (`why`: that passage, its cosine, the evidence it holds, its theme).
Councils rank by their best such passage's score (SCORED_PASSAGES); no council at all is an answer
("nothing found"): fewer, right councils beat many. Each
council's approaches are the canonical operations (resolved at ingest; nothing is clustered per
request) whose evidence lies in those passages, each cited at its mention. `precedents(store, like=DOC_ID)` finds the
papers of other councils closest to a given paper: the mean of its passage vectors (boilerplate left
out) searched against the vector index, each paper scored by its best passages. Every approach and
passage is cited (document, source, page, paragraph, a quote that is words of the passage).
"""

from __future__ import annotations

import math
import re
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from index.compare import Citation, quote_around
from index.evidence import analyse
from index.export import citation_json
from index.fusion import fuse, is_found
from index.runtime import Runtime
from index.search import candidates
from index.store import Store
from ingest.settings import Settings
from nlp.passage_themes import query_themes

SEARCH_K = 60  # passages searched for a query
TOP_PASSAGES = 3  # per council (and per paper) in a result and in its score
# A council's score: the sum of its best passages' scores. Its best passage alone ranks the councils better
# on the development stand-in (benchmarks/bench_precedents.py --quality: nDCG@5 0.884 against 0.880 at
# COSINE_FLOOR 0.5, 0.927 against 0.903 at 0.45): a council is an answer by what it did, not by how often
# its papers say so.
SCORED_PASSAGES = 1
UNKNOWN = "(council not known)"
# A passage answers the query when its hybrid score reaches FLOOR and RELATIVE_FLOOR x the best
# passage's. On the development queries (eval/qrels/dev.jsonl, seeds + corpus/more in the store) these
# keep 93% of the judged relevant passages among the top 60 and 12% of the others (median score 0.73
# against 0.28); of the relevant passages of the 25 queries that name a theme, 26 of 30 are about it.
FLOOR = 0.4
RELATIVE_FLOOR = 0.6
# The cosine a passage needs to make its council a precedent (search's own floor is lower: it counts what
# is worth reading, not what answers). Chosen on the development stand-in (benchmarks/bench_precedents.py
# --quality: each development query as a question, the councils of its judged passages as the answer),
# as the best sum of nDCG@5 and precision of the list: 0.4 gives 0.945 / 0.45, 0.45 0.927 / 0.54, 0.5
# 0.884 / 0.65, 0.55 0.773 / 0.73 (precision there is a lower bound: other councils go unjudged).
COSINE_FLOOR = 0.5
# A question naming themes lists only passages about one of them (passage themes stored at ingest).
THEME_GATE = True
MIN_QUOTE_WORDS = 4  # a shorter sentence ("None specific.") is not shown as what a paper says


@dataclass(frozen=True)
class Approach:
    name: str  # canonical name ("Operation Venetic")
    scope: str  # national | placed | local (nlp.normalise)
    score: float  # best score of the passages naming it
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class PaperHit:
    document: str
    source: str
    title: str | None
    meeting_date: str | None
    score: float


@dataclass(frozen=True)
class CouncilPrecedents:
    council: str
    score: float
    approaches: tuple[Approach, ...]
    passages: tuple[Citation, ...]  # the best passages, best first
    papers: tuple[PaperHit, ...]
    why: str = ""  # why the council is listed: its best passage, how near the question it is, its theme


@dataclass(frozen=True)
class Precedents:
    query: str | None
    like: str | None
    councils: tuple[CouncilPrecedents, ...]
    themes: tuple[str, ...] = ()  # the themes the query names; cited passages are about one of them

    @property
    def found(self) -> bool:
        return bool(self.councils)


@dataclass(frozen=True)
class _Hit:
    document: str
    passage: int
    score: float
    cosine: float | None = None
    evidence: tuple[str, ...] = ()  # what of the query's evidence it holds (labels)


def _same_council(a: str | None, b: str | None) -> bool:
    return bool(a and b) and (a.lower() == b.lower() or b.lower() in a.lower())  # type: ignore[union-attr]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def best_sentence(text: str, query: str) -> str:
    """The sentence of a passage sharing most words with the query (the first on ties; sentences of
    fewer than MIN_QUOTE_WORDS words only when there is nothing else), as a quote."""
    want = _words(query)
    best, best_n = 0, -1
    for m in re.finditer(r"[^.\n]+[.\n]?", text):
        n = len(want & _words(m.group(0))) - (100 if len(m.group(0).split()) < MIN_QUOTE_WORDS else 0)
        if n > best_n and m.group(0).strip():
            best, best_n = m.start() + len(m.group(0)) - len(m.group(0).lstrip()), n
    return quote_around(text, best, best)


def precedents(
    store: Store,
    query: str | None = None,
    *,
    settings: Settings,
    like: str | None = None,
    exclude_council: str | None = None,
    limit: int = 10,
    runtime: Runtime | None = None,
) -> Precedents:
    """Other councils' approaches to `query`, or the papers of other councils like paper `like` (the model,
    vectors and search threads are `runtime`'s; a call given none makes one for itself)."""
    with ExitStack() as stack:
        rt = runtime or stack.enter_context(Runtime(settings, queries=False))
        return _precedents(store, query, rt, like, exclude_council, limit)


def _precedents(
    store: Store, query: str | None, rt: Runtime, like: str | None, exclude_council: str | None, limit: int
) -> Precedents:
    themes: frozenset[str] = frozenset()
    if like:
        doc = _resolve(store, like)
        own = store.council_of(doc)
        hits = _like_hits(store, doc, rt)
        exclude = [exclude_council, own]
        text = query or ""
    else:
        if not query or not query.strip():
            raise ValueError("query: give words to search for, or --like DOC_ID")
        themes = query_themes(query)
        hits = _relevant(store, _answers(store, query, rt), themes)
        exclude, text, doc = [exclude_council], query, None
    groups = _group(store, hits, [e for e in exclude if e], text, tuple(sorted(themes)), like=bool(like))
    return Precedents(query, doc, tuple(groups[:limit]), tuple(sorted(themes)))


def _answers(store: Store, query: str, runtime: Runtime) -> list[_Hit]:
    """The passages search finds for the query (best first), each with its cosine and the evidence it holds."""
    # a council is held to the query's names, codes and phrases, not to a term some paper defines: "anti-social
    # behaviour" is what the question is about, not a name its answers must print
    _, cands = candidates(
        store, query, settings=runtime.settings, mode="hybrid", runtime=runtime, defined=False
    )
    if cands is None:
        return []
    counted = is_found(cands, "hybrid")
    scored = [(s, i) for s, i in fuse(cands, "hybrid")[:SEARCH_K] if i in counted]
    holders = {i for _, i in scored if cands.tier(i) >= 1}
    labels = analyse(query, store.conn, defined=False).labels if holders else ()
    rows = store.passages_by_id([i for _, i in scored])
    return [
        _Hit(
            rows[i].document_id,
            rows[i].index,
            round(1 / (1 + math.exp(-s)), 6),
            cands.cosines.get(i),
            labels if i in holders else (),
        )
        for s, i in scored
        if i in rows
    ]


def _answering(hits: list[_Hit]) -> list[_Hit]:
    """The hits that make their council a precedent: holding the query's evidence when any hit does,
    else with a cosine of at least COSINE_FLOOR."""
    if any(h.evidence for h in hits):
        return [h for h in hits if h.evidence]
    return [h for h in hits if h.cosine is None or h.cosine >= COSINE_FLOOR]


def _relevant(store: Store, hits: list[_Hit], themes: frozenset[str]) -> list[_Hit]:
    """The hits that answer the query: over the floors and, when it names themes, about one of them."""
    if not hits:
        return []
    top = max(h.score for h in hits)
    kept = [h for h in hits if h.score >= FLOOR and h.score >= RELATIVE_FLOOR * top]
    if not themes or not kept or not THEME_GATE:
        return kept
    about = store.passages_about(sorted({(h.document, h.passage) for h in kept}), sorted(themes))
    return [h for h in kept if (h.document, h.passage) in about]


def _resolve(store: Store, doc_id: str) -> str:
    rows = store.documents_named(doc_id)
    if len(rows) != 1:
        raise LookupError(
            f"--like {doc_id}: {'no paper' if not rows else 'more than one paper'} with that id"
        )
    return str(rows[0])


def _like_hits(store: Store, doc: str, runtime: Runtime) -> list[_Hit]:
    """Passages of other papers nearest the mean vector of the paper's own passages."""
    import numpy as np

    vectors = runtime.vectors(store)
    own = np.array(store.prose_passage_ids(doc, of_paper=True), dtype=np.int64)
    own = own[np.isin(own, vectors.ids())]
    if not len(own):
        raise LookupError(f"--like {doc}: the paper has no indexed passages")
    mean = vectors.vectors(own).mean(axis=0)
    mean = (mean / (np.linalg.norm(mean) or 1.0)).astype("float32")
    allowed = np.array(store.prose_passage_ids(doc, of_paper=False), dtype=np.int64)
    found = vectors.search(mean, 20 * TOP_PASSAGES * 5, allowed)
    rows = store.passages_by_id([i for i, _ in found])
    return [_Hit(rows[i].document_id, rows[i].index, s, s) for i, s in found if i in rows]


def _why(h: _Hit, cite: Citation, themes: tuple[str, ...], asked: str = "the question") -> str:
    """Why a council is listed, in words: the passage that answers, how near the question it is, its theme."""
    where = ", ".join(
        x
        for x in (
            cite.title or cite.source,
            f"page {cite.page}" if cite.page else "",
            f"paragraph {cite.paragraph}" if cite.paragraph else "",
        )
        if x
    )
    how = [f"names {', '.join(e.split(' ', 1)[1] for e in h.evidence)}"] if h.evidence else []
    if h.cosine is not None and not h.evidence:
        how.append(f"is close in meaning to {asked} (cosine {h.cosine:.2f})")
    if themes:
        how.append(f"is about {' or '.join(t.replace('_', ' ') for t in themes)}")
    return f"{where} " + " and ".join(how or [f"answers {asked}"]) + "."


def _group(
    store: Store,
    hits: list[_Hit],
    exclude: list[str],
    query: str,
    themes: tuple[str, ...] = (),
    like: bool = False,
) -> list[CouncilPrecedents]:
    docs = sorted({h.document for h in hits})
    meta: dict[str, Any] = store.cited_papers(docs)
    texts = store.cited_passages({(h.document, h.passage) for h in hits})
    by_council: dict[str, list[_Hit]] = {}
    for h in hits:
        council = meta[h.document]["council"] or UNKNOWN
        if any(_same_council(council, e) for e in exclude) or (h.document, h.passage) not in texts:
            continue
        by_council.setdefault(council, []).append(h)
    facts: dict[str, list[Any]] = {}
    for f in store.entity_facts(docs, "operation") if docs else []:
        facts.setdefault(f.document_id, []).append(f)
    out = []
    answering = {id(h) for h in (hits if like else _answering(hits))}  # --like: the nearest papers, no floor
    for council, hs in by_council.items():
        if not any(id(h) in answering for h in hs):
            continue
        hs.sort(key=lambda h: (id(h) not in answering, -h.score))
        cites = tuple(_cite(meta[h.document], h, texts, query) for h in hs[:TOP_PASSAGES])
        mine = [f for d in dict.fromkeys(h.document for h in hs) for f in facts.get(d, ())]
        out.append(
            CouncilPrecedents(
                council,
                round(sum(h.score for h in hs[:SCORED_PASSAGES]), 6),
                _approaches(hs, mine, meta, texts),
                cites,
                _paper_hits(hs, meta),
                _why(hs[0], cites[0], themes, "the paper" if like else "the question"),
            )
        )
    return sorted(out, key=lambda c: (-c.score, c.council))


def _cite(
    doc: dict[str, Any],
    h: _Hit,
    texts: dict[tuple[str, int], Any],
    query: str,
    at: tuple[int, int] | None = None,
) -> Citation:
    p = texts[(h.document, h.passage)]
    quote = quote_around(p["text"], *at) if at else best_sentence(p["text"], query)
    return Citation(
        h.document,
        doc["source"],
        p["page"],
        p["paragraph"],
        quote,
        h.passage,
        doc["title"],
        doc["meeting_date"],
        p["heading"],
        doc.get("url"),
    )


def _approaches(
    hs: list[_Hit], facts: list[Any], meta: dict[str, Any], texts: dict[tuple[str, int], Any]
) -> tuple[Approach, ...]:
    """The canonical operations whose evidence lies in the council's relevant passages, best passage first;
    each cited at its mention in that passage."""
    score = {(h.document, h.passage): h for h in hs}
    found: dict[str, tuple[str, float, list[Citation]]] = {}
    for f in facts:
        for ev in f.evidence:
            h = score.get((f.document_id, ev.passage))
            if h is None:
                continue
            p = texts[(h.document, h.passage)]
            at = (ev.start - p["start"], ev.end - p["start"])
            if p["text"][at[0] : at[1]] != ev.text:
                k = p["text"].find(ev.text)
                at = (k, k + len(ev.text)) if k >= 0 else at
            scope, best, cites = found.get(f.canonical_name, (f.scope, h.score, []))
            if len(cites) < TOP_PASSAGES and all(
                c.passage != h.passage or c.document != h.document for c in cites
            ):
                cites.append(_cite(meta[h.document], h, texts, "", at))
            found[f.canonical_name] = (scope, max(best, h.score), cites)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return tuple(
        Approach(
            name,
            scope,
            round(score_, 6),
            tuple(sorted(cites, key=lambda c: -score[(c.document, c.passage)].score)),
        )
        for name, (scope, score_, cites) in ranked
    )


def _paper_hits(hs: list[_Hit], meta: dict[str, Any]) -> tuple[PaperHit, ...]:
    per: dict[str, list[float]] = {}
    for h in hs:
        per.setdefault(h.document, []).append(h.score)
    scored = {d: sum(sorted(s, reverse=True)[:TOP_PASSAGES]) / TOP_PASSAGES for d, s in per.items()}
    return tuple(
        PaperHit(d, meta[d]["source"], meta[d]["title"], meta[d]["meeting_date"], round(s, 6))
        for d, s in sorted(scored.items(), key=lambda kv: -kv[1])
    )


def precedents_json(result: Precedents) -> dict[str, Any]:
    return {
        "query": result.query,
        "like": result.like,
        "themes": list(result.themes),
        "found": result.found,
        "councils": [
            {
                "council": c.council,
                "score": c.score,
                "why": c.why,
                "approaches": [
                    {
                        "name": a.name,
                        "scope": a.scope,
                        "score": a.score,
                        "citations": [citation_json(x) for x in a.citations],
                    }
                    for a in c.approaches
                ],
                "passages": [citation_json(x) for x in c.passages],
                "papers": [
                    {
                        "document": p.document,
                        "source": p.source,
                        "title": p.title,
                        "meeting_date": p.meeting_date,
                        "score": p.score,
                    }
                    for p in c.papers
                ],
            }
            for c in result.councils
        ],
    }

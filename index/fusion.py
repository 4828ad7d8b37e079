"""Fusing the keyword (BM25) and dense (cosine) rankings of one query, and the relevance floor.

Each ranking is put on one scale before mixing: a score becomes its distance from the mean of
that ranking's top `depth` candidates, in their standard deviations (a z-score). A passage
that matches only common words then scores little, since every other candidate matches them
about as well; one distinctive match stands far above the rest. (Dividing BM25 by the query's
best, as before, gave the best keyword match the whole keyword share however weak it was.)
The mix is `(1 - dense_weight) * keyword + dense_weight * dense`; each candidate is scored by
both searches (a keyword hit gets its cosine, a dense one its BM25), and a passage holding no
query word has BM25 0. Procedural boilerplate loses `boilerplate` z-units. In hybrid,
a passage then gains `neighbour` times how far the better of the passages either side of it in its
paper stands above the weakest candidate: an answer often sits beside the paragraphs that match
the query best (a figure after the paragraph naming the problem), and scores less than they do.

"N found" counts the results within `floor` z-units of the best one that hold a word of the
query (when any passage does; in dense mode, or when none does, meaning alone counts). The
constants of `FUSION` were chosen by cross-validation over the development queries, five folds by paper
(benchmarks/bench_search_cv.py prints the held-out figure); none is set for one query or paper.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import Literal

Mode = Literal["hybrid", "keyword", "dense"]


@dataclass(frozen=True)
class Fusion:
    dense_weight: float = 0.65  # share of the dense z-score in hybrid
    depth: int = 100  # candidates of each ranking whose scores set its mean and spread
    boilerplate: float = 0.25  # z-units taken from a procedural passage
    floor: float = 3.5  # results counted as found: within this many z-units of the best
    neighbour: float = 0.1  # share of the better neighbour's lead over the weakest candidate a passage gains


# Chosen by benchmarks/bench_search_cv.py, 5 folds by paper over the 49 development queries, once dense
# candidates kept their own BM25 (index.search.SCORED_DEPTH): dense_weight 0.65 (four folds; the fifth
# 0.6), depth 100 (all five), boilerplate 0.25 (three; two chose 0), neighbour 0.1 (four; the fifth 0.2),
# which is also what all 49 queries choose. The folds chose floors of 3.25-3.75; 3.5 is their median.
# The neighbour share had raised the held-out figure from 0.809 to 0.833; scoring dense candidates'
# BM25 raised it to 0.853 (hit@5 0.856 -> 0.916).
FUSION = Fusion()


@dataclass(frozen=True)
class Candidates:
    """What the two searches returned for one query (passage ids; best first)."""

    keyword: list[tuple[int, float]]  # (id, BM25, higher is better): the keyword hits and the dense ones holding a query word
    dense: list[tuple[int, float]]  # (id, cosine)
    cosines: dict[int, float]  # cosine of every candidate that has a vector
    boilerplate: frozenset[int] = frozenset()
    papers: dict[int, str] = field(default_factory=dict)  # the paper of each candidate


def _scale(top: list[float]) -> tuple[float, float]:
    if not top:
        return 0.0, 1.0
    spread = pstdev(top) if len(top) > 1 else 0.0
    return fmean(top), spread if spread > 1e-9 else max(abs(top[0]), 1.0)


def fuse(c: Candidates, mode: Mode, f: Fusion = FUSION) -> list[tuple[float, int]]:
    """(score, passage id) best first: z-scores of one ranking, or their mix in hybrid."""
    kmean, kspread = _scale([s for _, s in c.keyword[:f.depth]])
    dmean, dspread = _scale([s for _, s in c.dense[:f.depth]])
    bm25 = dict(c.keyword)
    if mode == "keyword":
        ids, wk, wd = list(bm25), 1.0, 0.0
    elif mode == "dense":
        ids, wk, wd = [i for i, _ in c.dense], 0.0, 1.0
    else:
        ids, wk, wd = list(dict.fromkeys([*bm25, *(i for i, _ in c.dense)])), 1 - f.dense_weight, f.dense_weight
    lowest = min(c.cosines.values(), default=0.0)
    out = []
    for i in ids:
        score = (wk * (bm25.get(i, 0.0) - kmean) / kspread if wk else 0.0) \
            + (wd * (c.cosines.get(i, lowest) - dmean) / dspread if wd else 0.0)
        out.append((score - (f.boilerplate if i in c.boilerplate else 0.0), i))
    out.sort(reverse=True)
    if mode == "hybrid" and f.neighbour and c.papers and out:
        out = _with_neighbours(out, c.papers, f.neighbour)
    return out


def _with_neighbours(scored: list[tuple[float, int]], papers: dict[int, str], share: float) -> list[tuple[float, int]]:
    """Each score plus `share` times the lead of the better candidate either side of it in its paper
    (passage ids run in order through a paper) over the weakest candidate; best first again."""
    score = {i: s for s, i in scored}
    low = scored[-1][0]
    out = [(s + share * max((score[j] - low for j in (i - 1, i + 1) if j in score and papers.get(j) == papers.get(i)),
                            default=0.0), i) for s, i in scored]
    out.sort(reverse=True)
    return out


def found(scored: list[tuple[float, int]], f: Fusion = FUSION, words: set[int] | None = None) -> list[int]:
    """The results (ids, best first) counted as found: within the floor of the best and, when any
    passage holds a word of the query (`words`, the keyword hits), holding one."""
    if not scored:
        return []
    line = scored[0][0] - f.floor
    return [i for s, i in scored if s >= line and (not words or i in words)]

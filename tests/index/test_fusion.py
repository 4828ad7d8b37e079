"""Fusing the keyword and dense rankings (index.fusion), on hand-made candidates."""

from __future__ import annotations

from dataclasses import replace

from index.fusion import FUSION, Candidates, fuse

# passages 10-13 run through paper A, 20-21 through paper B (ids run in order through a paper)
PAPERS = {10: "A", 11: "A", 12: "A", 13: "A", 20: "B", 21: "B"}


def _candidates() -> Candidates:
    cosines = {10: 0.30, 11: 0.62, 12: 0.45, 13: 0.31, 20: 0.45, 21: 0.33}
    keyword = [(11, 9.0), (12, 4.0), (20, 4.0), (13, 1.0)]
    dense = sorted(cosines.items(), key=lambda x: -x[1])
    return Candidates(keyword, dense, cosines, frozenset(), PAPERS)


def test_a_passage_beside_the_best_match_rises_above_its_equal_elsewhere() -> None:
    c = _candidates()
    without = fuse(c, "hybrid", replace(FUSION, neighbour=0.0))
    score = {i: s for s, i in without}
    assert abs(score[12] - score[20]) < 1e-9  # the same words and cosine: level without neighbours
    ranked = [i for _, i in fuse(c, "hybrid", replace(FUSION, neighbour=0.1))]
    assert ranked[0] == 11 and ranked.index(12) < ranked.index(20)  # 12 sits beside the best match
    # the gain is the share of the better neighbour's lead over the weakest candidate
    lifted = {i: s for s, i in fuse(c, "hybrid", replace(FUSION, neighbour=0.1))}
    low = min(score.values())
    assert abs(lifted[12] - score[12] - 0.1 * (score[11] - low)) < 1e-9
    assert abs(lifted[20] - score[20] - 0.1 * (score[21] - low)) < 1e-9


def test_neighbours_count_within_a_paper_and_in_hybrid_only() -> None:
    c = _candidates()
    apart = replace(c, papers={**PAPERS, 12: "C"})  # 12 now in another paper than 11 and 13
    score = {i: s for s, i in fuse(c, "hybrid", replace(FUSION, neighbour=0.0))}
    lifted = {i: s for s, i in fuse(apart, "hybrid", replace(FUSION, neighbour=0.1))}
    assert abs(lifted[12] - score[12]) < 1e-9  # no neighbour in its own paper
    for mode in ("keyword", "dense"):  # each mode alone is its own ranking
        assert fuse(c, mode, replace(FUSION, neighbour=0.1)) == fuse(c, mode, replace(FUSION, neighbour=0.0))
    assert fuse(replace(c, papers={}), "hybrid", FUSION) == fuse(c, "hybrid", replace(FUSION, neighbour=0.0))

"""Passage themes: keyword rules need the passage to be like the theme; similarity alone needs more."""

from __future__ import annotations

import numpy as np

from nlp.passage_themes import (
    RULE_FLOOR,
    SIMILARITY_ONLY,
    classify,
    query_themes,
    rule_themes,
    theme_descriptions,
)


def test_rules_name_the_specific_theme_first() -> None:
    assert rule_themes("Violence against women and girls remains a priority.") == {"vawg"}
    assert "domestic_abuse" in rule_themes("Implementing the Domestic Abuse Act 2021 and MARAC referrals")
    assert rule_themes("The meeting opened at 7pm and the minutes were agreed.") == frozenset()
    assert "public_safety" not in rule_themes("crime")  # fallback rows say nothing about a passage


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def test_a_keyword_needs_a_like_passage_and_similarity_alone_needs_more() -> None:
    ids = ("domestic_abuse", "asb")
    themes = np.eye(2, 8, dtype=np.float32)
    texts = [
        "Domestic abuse referrals rose.",
        "Domestic abuse is mentioned in passing.",
        "The third item on the list.",
    ]
    vectors = np.stack(
        [
            _unit(np.array([0.9, 0, 0.4, 0, 0, 0, 0, 0])),  # like domestic abuse, and names it
            _unit(np.array([RULE_FLOOR / 2, 0, 1, 0, 0, 0, 0, 0])),  # names it, but is not like it
            _unit(np.array([0, SIMILARITY_ONLY + 0.15, 0.6, 0, 0, 0, 0, 0])),
        ]
    )  # like asb, no keyword
    found = classify(texts, vectors, themes, ids)
    assert [t.theme for t in found[0]] == ["domestic_abuse"] and found[0][0].score > 1.0
    assert found[1] == ()
    assert [t.theme for t in found[2]] == ["asb"] and found[2][0].score < 1.0
    assert classify([], np.zeros((0, 8)), themes, ids) == []


def test_descriptions_cover_every_theme_and_queries_name_themes() -> None:
    ids, descriptions = theme_descriptions()
    assert len(ids) == len(descriptions) >= 20 and "serious_violence" in ids
    assert query_themes("young people groomed into drug supply (county lines)") >= {"county_lines"}
    assert query_themes("what happened at the meeting") == frozenset()

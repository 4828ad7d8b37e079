"""The one name key: the forms of one name councils write meet in it, different names stay apart."""

from __future__ import annotations

import pytest

from nlp.namekey import name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The Children's Safeguarding & Co-ordinating Sub-Group",
            "children safeguarding and coordinating subgroup",
        ),
        ("Op Venetic", "Operation Venetic"),
        ("HEALTH AND WELL-BEING BOARD", "Health and Wellbeing Board"),
        ("Combatting Drugs Partnership", "Combating Drugs Partnership"),
        ("Re-offending Board", "Reoffending board"),
        ("Multi-Agency  Programme", "multi agency program"),
        ("Leader’s Decisions", "Leader's decisions"),
        ("Overview / Scrutiny", "overview scrutiny"),
    ],
)
def test_forms_of_one_name_meet(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Safeguarding Adults Board", "Safeguarding Children Board"),
        ("Opera House Trust", "Operation House Trust"),
        ("Theatre Group", "Group"),
    ],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)

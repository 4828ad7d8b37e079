"""Theme ids of short community-safety phrases, including the overlaps the pattern order settles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.themes import theme_labels, theme_rules, themes_for


@pytest.mark.parametrize(
    ("phrase", "want"),
    [
        ("Violence Against Women and Girls (VAWG)", {"vawg"}),  # not also serious violence
        (
            "The threat of serious organised crime, especially related to the exploitation of children, including "
            "'county lines' gangs",
            {"organised_crime", "exploitation", "county_lines"},
        ),  # children: exploitation
        (
            "Drug related harm, and knife crime linked to 'County lines'.",
            {"drugs_alcohol", "serious_violence", "county_lines"},
        ),
        (
            "Maintain rural community confidence, through co-operative partnership amongst landowners",
            {"rural_crime"},
        ),
        (
            "Supporting Vulnerable People in Need, to include Domestic Abuse, Scams, Hate Crimes and Modern Slavery",
            {"vulnerability", "domestic_abuse", "fraud_scams", "hate_crime", "modern_slavery"},
        ),
        ("Prevent and Prepare (violent extremism)", {"extremism"}),
        ("breaking drug supply chains", {"county_lines", "drugs_alcohol"}),
        ("Tackling fly-tipping", {"environmental_crime"}),
        ("Reducing speeding and dangerous driving", {"road_safety"}),
        ("Illegal tobacco and underage sales", {"trading_standards"}),
        ("Reducing reoffending through the Integrated Offender Management scheme", {"reoffending"}),
        ("Tackling crime", {"public_safety"}),  # the fallback: nothing more specific
        ("Burglary, robbery and vehicle crime", {"neighbourhood_crime"}),
        ("Hampshire maintains strong and sustainable economic growth", set()),
        # issue 28: the nations' own terms and wording by meaning, not by one paper's string
        ("Tackling VAWDASV across the region", {"vawg", "domestic_abuse"}),  # Wales
        ("Equally Safe: preventing gender-based violence", {"vawg"}),  # Scotland
        ("Community justice: supporting desistance", {"reoffending"}),  # Scotland
        ("Tackling paramilitarism, criminality and organised crime", {"organised_crime"}),  # Northern Ireland
        (
            "Reducing sectarianism and promoting good relations",
            {"hate_crime", "cohesion"},
        ),  # Northern Ireland
        (
            "Safeguarding children at risk of exploitation",
            {"exploitation", "vulnerability"},
        ),  # not young_people
        ("Drink and drug driving", {"road_safety"}),
        ("Health and wellbeing", set()),  # public health's field, not mental health
        ("Health and social care integration", set()),  # not community integration
    ],
)
def test_themes_for(phrase: str, want: set[str]) -> None:
    assert set(themes_for(phrase)) == want


def test_themes_in_order_of_mention() -> None:
    assert themes_for("anti-social behaviour and domestic abuse") == ("asb", "domestic_abuse")


def test_every_theme_has_a_pattern_and_ids_match_the_copy() -> None:
    data = Path(__file__).resolve().parents[2] / "nlp" / "data" / "themes.json"
    assert set(json.loads(data.read_text())["themes"]) == set(theme_labels())
    assert {r.theme for r in theme_rules()} == set(theme_labels())

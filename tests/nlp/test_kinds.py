from __future__ import annotations

import json
from pathlib import Path

from nlp.kinds import kind_ids, kind_of


def test_county_strategy_groups_of_different_councils_share_a_kind() -> None:
    assert kind_of("Worcestershire Safer Communities Board") == "county_community_safety_board"
    assert kind_of("Hampshire Community Safety Strategy Group") == "county_community_safety_board"


def test_district_partnerships_and_groups() -> None:
    assert kind_of("Three Rivers Community Safety Partnership") == "community_safety_partnership"
    assert kind_of("Community Safety Co-ordinating Group") == "community_safety_partnership"
    assert kind_of("Herefordshire CSP") == "community_safety_partnership"


def test_spelling_variants_and_specific_bodies() -> None:
    assert (
        kind_of("Hereford and Worcestershire Combatting Drugs Partnership") == "combating_drugs_partnership"
    )
    assert kind_of("Combating Drugs Partnership") == "combating_drugs_partnership"
    assert kind_of("Community Multi-Agency Risk Assessment Conferences") == "marac"
    assert kind_of("Worcestershire Channel Panel") == "channel_panel"
    assert kind_of("Worcestershire Reducing Re-offending Strategy Group") == "reducing_reoffending"
    assert kind_of("Health and Well-being Board") == "health_and_wellbeing_board"
    assert kind_of("Strategic Co-ordinating Group") == "resilience_forum"


def test_unknown_bodies_are_other() -> None:
    assert kind_of("Trauma Informed Approaches Board") == "other"


def test_kind_ids_are_those_of_the_data_file_and_every_rule_uses_one() -> None:
    data = Path(__file__).parents[2] / "nlp" / "data"
    ids = set(json.loads((data / "kinds.json").read_text())["kinds"])
    assert set(kind_ids()) == ids and "marac" in ids
    rules = [json.loads(x) for x in (data / "kinds.jsonl").read_text().splitlines() if x.strip()]
    assert all(r["kind"] in ids for r in rules if "kind" in r)

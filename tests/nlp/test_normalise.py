"""Canonical entities across councils: national things joined, local namesakes kept apart, variants joined."""

from __future__ import annotations

import pytest

from nlp.normalise import FUZZY_THRESHOLD, Sighting, key, national_name, normalise, places_in, same_name

HANTS, TVBC, HEREF, WORCS, TRDC = (
    "Hampshire County Council",
    "Test Valley Borough Council",
    "Herefordshire Council",
    "Worcestershire County Council",
    "Three Rivers District Council",
)


def op(name: str, council: str, doc: str, *mentions: str) -> Sighting:
    return Sighting("operation", name, doc, council, mentions or (name,))


def body(name: str, council: str, doc: str, acronym: str | None = None, kind: str | None = None) -> Sighting:
    return Sighting("partnership", name, doc, council, (name,), acronym, kind)


def by_name(found: tuple, name: str) -> list:
    return [c for c in found if c.name == name or name in c.aliases]


def test_a_national_operation_named_two_ways_in_two_councils_is_one_entity() -> None:
    found = normalise([op("Operation Venetic", HANTS, "d1"), op("Op Venetic", WORCS, "d2")])
    assert len(found) == 1
    venetic = found[0]
    assert (venetic.name, venetic.scope, venetic.council) == ("Operation Venetic", "national", None)
    assert venetic.councils == (HANTS, WORCS) and "Op Venetic" in venetic.aliases


def test_a_national_campaign_with_a_generic_word_after_it_is_the_campaign() -> None:
    found = normalise([op("White Ribbon campaign", WORCS, "d1"), op("White Ribbon conference", HEREF, "d2")])
    assert [(c.name, c.councils) for c in found] == [("White Ribbon", (HEREF, WORCS))]
    assert national_name("operation", "White Ribbon campaign 2022") == "White Ribbon"
    assert national_name("operation", "White Ribbon Lane Project") is None  # another name, not a suffix


def test_placeless_bodies_of_two_councils_stay_apart() -> None:
    found = normalise(
        [
            body("Community Safety Partnership", TVBC, "d1"),
            body("Community Safety Partnership", HEREF, "d2"),
            body("Channel Panel", HANTS, "d3"),
            body("Channel Panel", TVBC, "d1"),
        ]
    )
    csps = by_name(found, "Community Safety Partnership")
    assert sorted(c.council for c in csps) == [HEREF, TVBC]
    assert all(c.scope == "local" and len(c.councils) == 1 for c in found)
    assert len({c.id for c in found}) == 4


def test_a_partnership_named_like_a_national_programme_is_still_local() -> None:
    found = normalise(
        [body("Prevent Board", TVBC, "d1"), op("Prevent", TVBC, "d1"), op("PREVENT", HANTS, "d2")]
    )
    board = by_name(found, "Prevent Board")[0]
    prevent = [c for c in found if c.type == "operation"][0]
    assert board.scope == "local" and prevent.scope == "national" and prevent.councils == (HANTS, TVBC)


def test_a_body_of_a_national_organisation_is_national() -> None:
    found = normalise(
        [
            body("Home Office Quality Assurance Panel", TVBC, "d1"),
            body("Home Office Quality Assurance Panel", HEREF, "d2"),
        ]
    )
    assert len(found) == 1 and found[0].scope == "national"


def test_a_placed_body_seen_by_two_councils_is_one_and_different_places_stay_apart() -> None:
    found = normalise(
        [
            body("West Mercia Local Resilience Forum", WORCS, "d1", "LRF"),
            body("West Mercia Local Resilience Forum", HEREF, "d2"),
            body("Hertsmere CSP", TRDC, "d3"),
            body("Watford CSP", TRDC, "d3"),
        ]
    )
    lrf = by_name(found, "West Mercia Local Resilience Forum")
    assert len(lrf) == 1 and lrf[0].councils == (HEREF, WORCS) and lrf[0].scope == "placed"
    assert len(by_name(found, "Hertsmere CSP")) == 1 and len(by_name(found, "Watford CSP")) == 1
    assert by_name(found, "Hertsmere CSP")[0] is not by_name(found, "Watford CSP")[0]
    assert places_in("Hereford and Worcestershire Combatting Drugs Partnership") == {
        "hereford",
        "worcestershire",
    }
    assert places_in("Shared reading group") == frozenset()  # "Reading" is a place only as a name


def test_the_placeless_name_of_the_councils_own_body_joins_it() -> None:
    found = normalise(
        [
            body("Herefordshire Community Safety Partnership", HEREF, "d1"),
            body("Community Safety Partnership", HEREF, "d2"),
            body("CSP", HEREF, "d3", "CSP"),
            body("Community Safety Partnership", TVBC, "d4"),
        ]
    )
    hcsp = by_name(found, "Herefordshire Community Safety Partnership")
    assert len(hcsp) == 1 and hcsp[0].documents == ("d1", "d2", "d3")
    assert by_name(found, "Community Safety Partnership")[-1].council == TVBC


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Combatting Drugs Partnership", "Combating Drugs Partnership"),
        ("Community Partnership service", "Community Partnerships service"),
        ("Health and Well-being Board", "Health and Wellbeing Board"),
        (
            "Worcestershire Children's Safeguarding Partnership",
            "Worcestershire Safeguarding Children Partnership",
        ),
        ("Op Mazi", "Operation Mazi"),
        ("Multi-Agency Tasking and Coordination Group", "Multi Agency Tasking and Co-ordinating Group"),
    ],
)
def test_real_spelling_variants_join(a: str, b: str) -> None:
    assert same_name(key(a), key(b))
    assert len(normalise([body(a, WORCS, "d1"), body(b, WORCS, "d2")])) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Safeguarding Adults Board", "Safeguarding Children Board"),
        ("Worcestershire Prevent Strategy Group", "Worcestershire Protect Group"),
        ("Domestic Abuse Partnership Board", "Domestic Abuse Executive"),
        ("Strategic Co-ordinating Group", "Tactical Co-ordinating Group"),
        ("Mental Health Partnership Board", "Mental Wellbeing Executive"),
    ],
)
def test_different_bodies_with_similar_names_stay_apart(a: str, b: str) -> None:
    from rapidfuzz import fuzz

    assert fuzz.ratio(key(a), key(b)) < FUZZY_THRESHOLD
    assert not same_name(key(a), key(b))
    assert len(normalise([body(a, WORCS, "d1"), body(b, WORCS, "d1")])) == 2


def test_kind_is_the_members_commonest_and_ids_are_stable() -> None:
    sightings = [
        body("Worcestershire Safer Communities Board", WORCS, "d1", "SCB", "county_community_safety_board"),
        body("Worcestershire Safer Communities Board", WORCS, "d2", None, "other"),
    ]
    first, again = normalise(sightings), normalise(list(reversed(sightings)))
    assert first[0].kind == "county_community_safety_board"
    assert first[0].id == again[0].id and first[0].aliases == ("SCB",)


def test_spelling_variants_and_a_panel_a_paper_calls_one_body_join() -> None:
    from nlp.normalise import Sighting, normalise

    council = "Worcestershire County Council"
    found = normalise(
        [
            Sighting("partnership", "Health and Well-being Board", "d1", council),
            Sighting("partnership", "Health and Wellbeing Board", "d2", council),
            Sighting("partnership", "Drugs & Alcohol Group", "d1", council),
            Sighting("partnership", "Drugs and Alcohol Group", "d2", council),
            Sighting("partnership", "Channel Panel", "d1", council, ("Channel Panel", "Channel")),
            Sighting("partnership", "Channel", "d2", council),
            Sighting("partnership", "Prevent Panel", "d2", council),  # no paper says it is "Prevent"
            Sighting("partnership", "Prevent Steering Group", "d3", council),
            Sighting("operation", "Op Mazi", "d1", "Test Valley Borough Council"),
            Sighting("operation", "Operation Mazi", "d2", "Test Valley Borough Council"),
        ]
    )
    by_members = sorted(len(c.members) for c in found)
    assert by_members == [1, 1, 2, 2, 2, 2]
    assert {c.name for c in found if len(c.members) == 1} == {"Prevent Panel", "Prevent Steering Group"}

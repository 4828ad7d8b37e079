"""Council and committee names as users type them: exact, then an unambiguous part, then a suggestion."""

from __future__ import annotations

import pytest

from index.names import UnknownName, resolve, resolve_names, resolve_or_keep, telling

COUNCILS = [
    "Hampshire County Council",
    "Test Valley Borough Council",
    "Worcestershire County Council",
    "Herefordshire Council",
    "Three Rivers District Council",
    "Royal Borough of Kingston upon Thames",
    "Bristol City Council",
    "Hertfordshire County Council",
]
COMMITTEES = [
    "Cabinet",
    "Overview and Scrutiny Committee",
    "Overview and Scrutiny Performance Board",
    "Health and Wellbeing Board",
    "Transport and Connectivity Policy Committee",
]


@pytest.mark.parametrize(
    ("given", "name", "how"),
    [
        ("Hampshire County Council", "Hampshire County Council", "exact"),
        ("  hampshire   COUNTY council ", "Hampshire County Council", "exact"),
        ("hampshire", "Hampshire County Council", "part"),
        ("Test Valley", "Test Valley Borough Council", "part"),
        ("Hampshire CC", "Hampshire County Council", "part"),  # the same telling words
        ("Kingston upon Thames", "Royal Borough of Kingston upon Thames", "part"),
        ("Royal Borough of Kingston-upon-Thames", "Royal Borough of Kingston upon Thames", "exact"),
        ("bristol", "Bristol City Council", "part"),
    ],
)
def test_names_resolve_exactly_or_by_an_unambiguous_part(given: str, name: str, how: str) -> None:
    r = resolve(given, COUNCILS)
    assert (r.name, r.how) == (name, how)


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("Hampshre County Council", "Hampshire County Council"),
        ("Hampshre", "Hampshire County Council"),
        ("Worcestershre County Council", "Worcestershire County Council"),
        ("Test Vally Borough Council", "Test Valley Borough Council"),
        ("Three Rivres", "Three Rivers District Council"),
    ],
)
def test_a_misspelt_name_is_answered_with_a_suggestion(given: str, suggested: str) -> None:
    r = resolve(given, COUNCILS)
    assert r.name is None and r.how == "suggestion" and r.candidates[0] == suggested
    assert r.message().startswith(f"council {given!r}: no such council; did you mean {suggested}")


def test_a_part_of_several_names_lists_them_and_an_unlike_name_gets_no_suggestion() -> None:
    r = resolve("county", COUNCILS)
    assert r.how == "ambiguous" and set(r.candidates) == {
        "Hampshire County Council",
        "Worcestershire County Council",
        "Hertfordshire County Council",
    }
    assert "give more of it" in r.message()
    kent = resolve("Kent County Council", COUNCILS)  # "County Council" is not what tells councils apart
    assert kent.how == "unknown" and "did you mean" not in kent.message()
    assert "known: Hampshire County Council" in resolve("Kent", COUNCILS[:3]).message()
    assert resolve("anything", []).message(0) == "council 'anything': no paper in the store has a council"
    assert telling("The Royal Borough of Kingston upon Thames") == "kingston upon thames"


def test_committees_resolve_the_same_way() -> None:
    assert resolve("cabinet", COMMITTEES, "committee").name == "Cabinet"
    assert resolve("health and wellbeing", COMMITTEES, "committee").name == "Health and Wellbeing Board"
    scrutiny = resolve("scrutiny", COMMITTEES, "committee")
    assert scrutiny.how == "ambiguous" and len(scrutiny.candidates) == 2
    typo = resolve("Transport and Conectivity Policy Committee", COMMITTEES, "committee")
    assert typo.candidates[0] == "Transport and Connectivity Policy Committee"
    assert typo.message().startswith(
        "committee 'Transport and Conectivity Policy Committee': no such committee;"
    )


class _Store:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def names_of(self, field: str) -> list[str]:
        return self.names


def test_lists_resolve_in_order_and_saved_searches_keep_councils_not_yet_stored() -> None:
    store = _Store(COUNCILS)
    assert resolve_names(store, "council", ["hampshire", "Hampshire County Council", "bristol"]) == [  # type: ignore[arg-type]
        "Hampshire County Council",
        "Bristol City Council",
    ]
    with pytest.raises(UnknownName, match="did you mean Hampshire County Council") as e:
        resolve_names(store, "council", ["bristol", "Hampshre"])  # type: ignore[arg-type]
    assert e.value.field == "council"
    assert resolve_or_keep(store, "council", ["Kent County Council", "hampshire"]) == [  # type: ignore[arg-type]
        "Kent County Council",
        "Hampshire County Council",
    ]
    with pytest.raises(UnknownName):
        resolve_or_keep(store, "council", ["Hampshre County Council"])  # type: ignore[arg-type]

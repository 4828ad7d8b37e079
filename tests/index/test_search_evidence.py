"""Query analysis (index.evidence) and its effect: a passage holding a query's code or name ranks first, in every mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index.evidence import analyse, codes, is_code, names
from ingest.settings import Settings


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CAB/WS/21/012", ["CAB/WS/21/012"]),
        ("report ES16051 on parking", ["ES16051"]),
        ("decision 23/00092 on family hubs", ["23/00092"]),
        ("S106 contributions and the A38", ["S106", "A38"]),
        ("what did Outcome 22 say", ["Outcome 22"]),
        ("spending in 2023/24 and 2024-2025", []),  # years and spans of years are not codes
        ("the 18-25 section", []),
        ("knife crime", []),
    ],
)
def test_codes(query: str, expected: list[str]) -> None:
    assert codes(query) == expected


def test_is_code_needs_a_digit_and_more_than_a_number() -> None:
    assert is_code("DHR10") and is_code("24/00115") and not is_code("2023") and not is_code("PSPO")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bronze Group", [["Bronze", "Group"]]),
        ("who chairs the Community Safety Wardens Scheme?", [["Community", "Safety", "Wardens", "Scheme"]]),
        ("Home Office funded hotspot patrols", [["Home", "Office"]]),
        ("the Kent and Medway Shared Delivery Plan", [["Kent", "Medway", "Shared", "Delivery", "Plan"]]),
        ("referrals to the Channel panel", [["Channel"]]),  # one capital, not at the start: a name
        ("Referrals to the panel", []),  # one capital at the start of the query: sentence case
        ("who sits on the HCSSG", [["HCSSG"]]),
        ("MATAC", [["MATAC"]]),  # an acronym alone is a name even at the start
        ("KNIFE CRIME IN THE TOWN CENTRE", []),  # typed in capitals: case says nothing
        ("street drinking, Anti-social Behaviour and Begging", [["Anti-social", "Behaviour", "Begging"]]),
        ("Safer Streets, Prevent", [["Safer", "Streets"], ["Prevent"]]),  # a comma ends a name
    ],
)
def test_names(query: str, expected: list[list[str]]) -> None:
    assert names(query) == expected


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Four made-up papers of two councils: the passages naming a scheme or a decision reference, and
    others closer in meaning to the rest of the query."""
    from index.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("evidence")
    papers = {
        "northby-cabinet.txt": "Northby District Council\n\nCabinet, 12 March 2024\n\n"
        "1. Purpose\n\nThis report asks Cabinet to approve the Community Safety Wardens Scheme for a further "
        "two years, as set out in decision CAB/NB/23/045.\n\n"
        "2. Street patrols\n\nUniformed patrol officers walk the town centre each evening to deter anti-social "
        "behaviour, street drinking and begging, and to reassure residents and traders.\n\n"
        "3. Funding\n\nThe patrols cost £180,000 a year, met from the community safety budget.\n",
        "northby-scrutiny.txt": "Northby District Council\n\nOverview and Scrutiny, 4 June 2024\n\n"
        "1. Night-time economy\n\nOfficers described how council patrol teams and police work together at "
        "weekends to keep people safe in the night-time economy and to stop anti-social behaviour.\n\n"
        "2. Bronze Group\n\nThe Bronze Group meets weekly to plan the tactical response to incidents in "
        "the town centre, chaired by the police inspector.\n",
        "southmere-report.txt": "Southmere Borough Council\n\nCommunity Safety Committee, 9 May 2024\n\n"
        "1. Patrols\n\nThe council's neighbourhood patrol service deters anti-social behaviour in parks and "
        "the high street, working with police community support officers.\n\n"
        "2. Decisions\n\nReport ES16051 on the parking enforcement contract was deferred to July.\n",
        "southmere-minutes.txt": "Southmere Borough Council\n\nCommunity Safety Committee, 11 July 2024\n\n"
        "1. Minutes\n\nMembers noted the report on parking enforcement and asked for figures by ward.\n",
    }
    for name, text in papers.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(store=folder / "store", workers=1)
    summary = ingest_paths([folder], settings, progress=False)
    assert summary.failures == [] and summary.papers == 4
    return settings


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
@pytest.mark.parametrize(
    ("query", "holds"),
    [
        (
            "council patrols to deter anti-social behaviour: the Community Safety Wardens Scheme",
            "Community Safety Wardens Scheme",
        ),
        ("what was decided in CAB/NB/23/045", "CAB/NB/23/045"),
        ("report ES16051", "ES16051"),
        ("Bronze Group tactical response", "Bronze Group"),
    ],
)
def test_a_passage_holding_the_evidence_ranks_first(
    store: Settings, mode: str, query: str, holds: str
) -> None:
    from index.search import search_page
    from index.store import Store

    with Store.open(store, create=False) as st:
        page = search_page(st, query, settings=store, mode=mode, k=10)  # type: ignore[arg-type]
    assert page.results and holds in page.results[0].text
    holding = [holds in r.text for r in page.results]
    assert holding == sorted(holding, reverse=True)  # every passage holding it before any that does not
    assert page.results[0].found and page.total >= 1


def test_a_paraphrase_keeps_the_fusion(store: Settings) -> None:
    """No code, phrase or name: the query's meaning decides (a patrol passage, whichever council)."""
    from index.search import search_page
    from index.store import Store

    with Store.open(store, create=False) as st:
        assert not analyse("uniformed officers walking the streets at night to stop trouble", st.conn)
        page = search_page(
            st, "uniformed officers walking the streets at night to stop trouble", settings=store
        )
    assert "patrol" in page.results[0].text.lower()


def test_evidence_of_an_acronym_is_held_by_its_long_form(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript("""
        CREATE TABLE passages (id INTEGER PRIMARY KEY, text TEXT);
        CREATE TABLE acronyms (short TEXT, long TEXT);
        CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, tokenize = 'porter unicode61');
        INSERT INTO acronyms VALUES ('MATAC', 'Multi-Agency Tasking and Coordination');
    """)
    ev = analyse("who attends MATAC", conn)
    assert ev.labels == ("name MATAC",) and "multi agency tasking and coordination" in ev.parts[0]


@pytest.mark.parametrize("query", ["workplace parking levy", "costs of the Workplace Parking Levy"])
def test_a_term_a_paper_defines_is_evidence_held_as_itself_or_its_acronym(query: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript("""
        CREATE TABLE passages (id INTEGER PRIMARY KEY, text TEXT);
        CREATE TABLE acronyms (short TEXT, long TEXT);
        CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, tokenize = 'porter unicode61');
        INSERT INTO acronyms VALUES ('WPL', 'Workplace Parking Levy');
    """)
    ev = analyse(query, conn)
    assert ev.labels[0] == "defined term Workplace Parking Levy (WPL)"
    assert ev.parts[0] == '("workplace parking levy" OR "wpl")'
    assert len(ev.parts) == 1  # the capitalised name is the same evidence, not a second piece
    # precedents ask which councils did something: a defined term is what the question is about, not a name
    # their papers must print
    assert not analyse("workplace parking levy", conn, defined=False)

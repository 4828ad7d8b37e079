from __future__ import annotations

import pytest

from ingest.assemble import assemble
from ingest.model import Block, Document
from nlp.acronyms import find_acronyms
from nlp.model import Named


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    import spacy

    from nlp import names  # noqa: F401  registers cp_names

    pipeline = spacy.blank("en")
    pipeline.add_pipe("cp_names")
    return pipeline


def _paper(*paragraphs: str) -> Document:
    blocks = tuple(
        Block(kind="paragraph", text=t, page=1, number=str(i + 1)) for i, t in enumerate(paragraphs)
    )
    text, passages, tables = assemble(blocks)
    return Document(
        id="x",
        source="paper.txt",
        format="text",
        title=None,
        page_count=1,
        text=text,
        passages=passages,
        tables=tables,
    )


def _named(nlp, *paragraphs: str) -> tuple[tuple[Named, ...], tuple[Named, ...]]:  # noqa: ANN001
    from nlp.names_merge import collect_named

    doc = _paper(*paragraphs)
    return collect_named(doc, list(nlp.pipe(p.text for p in doc.passages)), find_acronyms(doc.text))


def _by_name(items: tuple[Named, ...]) -> dict[str, Named]:
    return {n.name: n for n in items}


def test_mentions_and_acronym_merge_into_one_partnership_with_evidence(nlp) -> None:  # noqa: ANN001
    ps, _ = _named(
        nlp,
        "That Cabinet note the work of the Hampshire Community Safety Strategy Group (HCSSG).",
        "The HCSSG is chaired by the Director of Adults' Health and Care.",
    )
    hcssg = _by_name(ps)["Hampshire Community Safety Strategy Group"]
    assert hcssg.acronym == "HCSSG" and "HCSSG" in hcssg.mentions
    assert hcssg.kind == "county_community_safety_board"
    assert [(e.paragraph, e.text) for e in hcssg.evidence] == [
        ("1", "Hampshire Community Safety Strategy Group"),
        ("1", "HCSSG"),
        ("2", "HCSSG"),
    ]
    assert "Director" not in " ".join(n.name for n in ps)


def test_short_form_merges_into_the_place_named_body(nlp) -> None:  # noqa: ANN001
    ps, _ = _named(
        nlp,
        "The Hampshire Violence Reduction Unit prepared the plan.",
        "The Constabulary, working with the multi-agency Violence Reduction Unit, adopted it.",
        "Links run through the VRU Core Group.",
    )
    names = _by_name(ps)
    assert "Violence Reduction Unit" in names["Hampshire Violence Reduction Unit"].mentions
    assert "VRU Core Group" in names and "Violence Reduction Unit" not in names


def test_lists_of_bodies_are_split_and_generic_plurals_dropped(nlp) -> None:  # noqa: ANN001
    ps, _ = _named(
        nlp,
        "A new Mental Wellbeing Executive and Domestic Abuse Executive have been created.",
        "All Community Safety Partnerships have a duty to commission reviews.",
        "Officers from the Police and Youth Offending Team attended.",
    )
    names = set(_by_name(ps))
    assert {"Mental Wellbeing Executive", "Domestic Abuse Executive", "Youth Offending Team"} <= names
    assert not any("Partnerships" in n or n.startswith("Police") for n in names)


def test_single_organisations_and_council_teams_are_not_partnerships(nlp) -> None:  # noqa: ANN001
    ps, ops = _named(
        nlp,
        "The Public Health Team met the Integrated Care Board and the Home Office.",
        "The National Probation Service and the Overview and Scrutiny Committee agreed.",
    )
    assert ps == () and ops == ()


def test_operations_named_by_prefix_head_quotes_and_capitals(nlp) -> None:  # noqa: ANN001
    _, ops = _named(
        nlp,
        "Hampshire Constabulary had participated in Operation Venetic and Op Mazi patrols.",
        "Links with Trading Standards 'Operation Liberal', 'SCAMnesty', and 'SCAMchampion' projects.",
        "The Council is commissioning the DRIVE perpetrator program and a Sanctuary Scheme.",
        "The Big Band Buffet is an annual event open to over 55s.",
    )
    names = set(_by_name(ops))
    assert {
        "Operation Venetic",
        "Op Mazi",
        "Operation Liberal",
        "SCAMnesty",
        "SCAMchampion",
        "DRIVE",
        "Sanctuary Scheme",
        "Big Band Buffet",
    } <= names


def test_op_and_operation_are_one_item(nlp) -> None:  # noqa: ANN001
    _, ops = _named(nlp, "Operation Mazi resumed in the town centre.", "Op Mazi patrols were suspended.")
    assert len(ops) == 1 and set(ops[0].mentions) == {"Operation Mazi", "Op Mazi"}


def test_strategies_acts_and_quoted_descriptions_are_not_operations(nlp) -> None:  # noqa: ANN001
    _, ops = _named(
        nlp,
        "The Serious Violence Strategy and the Domestic Abuse Act 2021 apply.",
        "A DHR (pseudonym 'Hodges') was sent; partners rated it 'Excellent' overall.",
        "A DFE funded programme ran, with 'The Yellow Brick Road' and 'UpSkillU' groups.",
    )
    assert ops == ()


def test_name_with_a_number_and_a_service_with_a_tier(nlp) -> None:  # noqa: ANN001
    ps, ops = _named(
        nlp,
        "Consultation with the 11-19 Strategy Group took place.",
        "Community Accommodation Service Tier 3 implementation is due in the new year.",
    )
    assert "11-19 Strategy Group" in _by_name(ps)
    assert "Community Accommodation Service Tier 3" in _by_name(ops)


def test_headings_in_capitals_across_lines_do_not_join(nlp) -> None:  # noqa: ANN001
    ps, _ = _named(nlp, "Kent & Medway Civilian-Military Partnership Board\nThe Board met in May.")
    assert [n.name for n in ps] == ["Kent & Medway Civilian-Military Partnership Board"]

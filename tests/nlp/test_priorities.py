"""Priorities from lists, "Priority N" headings and inline lists, with themes and evidence."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.priorities import collect_priorities

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def parsed(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "paper.txt"
    path.write_text(text, encoding="utf-8")
    return parse_file(path, Settings())


def test_list_after_lead_in(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "1 Strategy\n\nThe partnership met in March 2024. The priority areas for 2024/25 are:\n\n"
            "- Tackling anti-social behaviour in town centres;\n- Violence Against Women and Girls (VAWG)\n"
            "- Reducing reoffending.\n\n2 Funding\n\nThe grant of £15,000 was spent on patrols.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [p.text for p in got] == [
        "Tackling anti-social behaviour in town centres",
        "Violence Against Women and Girls (VAWG)",
        "Reducing reoffending.",
    ]
    assert [p.themes for p in got] == [("asb", "public_safety"), ("vawg",), ("reoffending",)]
    ev = got[1].evidence[0]
    assert doc.text[ev.start : ev.end] == "Violence Against Women and Girls (VAWG)"


def test_numbered_priority_headings(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Priority 1 – The threat of radical extremism\n\n8. The Prevent Board met four times this year.\n\n"
            "Priority 2 - Tackling Hate Crime\n\n9. Reports of hate crime rose by 12%.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [(p.text, p.themes) for p in got] == [
        ("The threat of radical extremism", ("extremism",)),
        ("Tackling Hate Crime", ("hate_crime",)),
    ]
    assert doc.text[got[0].evidence[0].start : got[0].evidence[0].end].endswith("radical extremism")


def test_inline_list_after_colon(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        "The strategy has three priorities: breaking drug supply chains, delivering a "
        "world-class treatment and recovery service and achieving a shift in demand.\n",
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "breaking drug supply chains",
        "delivering a world-class treatment and recovery service",
        "achieving a shift in demand",
    ]


def test_no_priorities_without_a_stated_list(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "The partnership has long held violence as one of its local priorities. The priorities are "
            "documented in the Strategy.\n\nBelow is a summary of progress against each priority:\n\n"
            "- Patrols resumed in July\n- Referrals rose\n\nAreas in the Devolution Priority Programme commit to "
            "the following:\n\n- Creation of a Mayoral Strategic Authority\n- Elections in May 2026\n"
        ),
    )
    assert collect_priorities(doc, []) == ()


def test_seed_priorities() -> None:
    got = collect_priorities(parse_file(CORPUS / "003_794c45cd6cb377ca.txt", Settings()), [])
    texts = [p.text for p in got]
    assert texts[:4] == [
        "Domestic Abuse",
        "Violence Against Women and Girls (VAWG)",
        "Misuse of Drugs",
        "Neighbourhood Crime",
    ]
    assert "serious and organised crime" in texts  # the cross-cutting themes, stated as such


def test_aims_objectives_and_key_themes_introduce_lists(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "1 The Strategy\n\nThe partnership's strategic objectives for 2023-26 are:\n\n"
            "- Reduce serious violence\n- Protect people from exploitation\n\n"
            "2 Plan\n\nThe plan is built around four key themes:\n\n- Safer streets\n- Tackling hate crime\n\n"
            "3 Engagement\n\nThe main objectives of the communications plan will be:\n\n- To inform residents\n"
            "- To update members\n"
        ),
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "Reduce serious violence",
        "Protect people from exploitation",
        "Safer streets",
        "Tackling hate crime",
    ]


def test_priorities_spread_over_paragraphs(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "The Board agreed its priority areas for 2024/25:\n\n"
            "Domestic abuse: working with the refuge to support victims and their children.\n\n"
            "Youth violence – a joint approach with schools and the youth service.\n\n"
            "The Board meets quarterly and reports to the Cabinet each year on the progress it has made "
            "against the plan, with figures from the police and the council.\n"
        ),
    )
    got = [p.text for p in collect_priorities(doc, [])]
    assert got[:2] == ["Domestic abuse", "Youth violence"]


def test_bare_priority_headings_and_objective_numbers(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Priority 1\n\nReducing anti-social behaviour in the town centre. Patrols were increased.\n\n"
            "Objective 2: Supporting victims of fraud\n\nScams awareness sessions ran in May.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [p.text for p in got] == [
        "Reducing anti-social behaviour in the town centre.",
        "Supporting victims of fraud",
    ]
    for p in got:
        assert doc.text[p.evidence[0].start : p.evidence[0].end] == p.evidence[0].text


def test_inline_priorities_are_and_including(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "The CSP's priorities are hate crime, rural crime and modern slavery.\n\n"
            "Members agreed priorities going forward including promoting the council's status as a lead employer.\n\n"
            "These priorities are set out in the plan, and other priorities and objectives regarded as key.\n"
        ),
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "hate crime",
        "rural crime",
        "modern slavery",
        "promoting the council's status as a lead employer",
    ]


def test_table_of_priorities(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Delivery plan\n\n| Priority | Lead | RAG |\n| Tackling drug-related harm | Police | Green |\n"
            "| Violence against women and girls | Council | Amber |\n"
        ),
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "Tackling drug-related harm",
        "Violence against women and girls",
    ]


def test_lead_in_without_a_colon_and_priority_area_headings(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "The Community Safety Partnership's priorities for 2024/25 are\n\n- Serious violence\n- Hate crime\n\n"
            "Priority Area 3 - Reducing reoffending\n\nThe probation service leads this work.\n"
        ),
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "Serious violence",
        "Hate crime",
        "Reducing reoffending",
    ]


def test_a_priority_in_passing_is_not_a_list(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        "It is a priority of adult social care to ensure they are supported to live at home, "
        "after a period of reablement.\n\nThe priority areas for 2023 are hate crime, knife crime "
        "and fraud.\n",
    )
    assert [p.text for p in collect_priorities(doc, [])] == ["hate crime", "knife crime", "fraud"]


def test_a_heading_per_priority_under_a_cue_heading(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Northam Community Safety Plan\n\nThis plan sets out what the partnership will do over three years.\n\n"
            "Our Priorities\n\nDomestic Abuse\n\nWe will support victims and hold perpetrators to account.\n\n"
            "Serious Violence\n\nWe will reduce knife crime in public places.\n\n"
            "Delivering the plan\n\nThe partnership will monitor the plan each quarter.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [(p.text, p.themes) for p in got] == [
        ("Domestic Abuse", ("domestic_abuse",)),
        ("Serious Violence", ("serious_violence",)),
    ]
    assert all(doc.text[p.evidence[0].start : p.evidence[0].end] == p.text for p in got)
    assert all(p.evidence[0].passage is not None for p in got)


def test_themed_lines_one_after_another_are_a_list_not_headings(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Community safety update\n\nThe three priority themes for the Safer Eastmere Partnership are:\n\n"
            "Theme 1 - Keeping people safe\nTheme 2 - Reducing harm from drugs and alcohol\nTheme 3 - Safer neighbourhoods\n\n"
            "The partnership will report progress in the spring.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [p.text for p in got] == [
        "Keeping people safe",
        "Reducing harm from drugs and alcohol",
        "Safer neighbourhoods",
    ]
    # each cites its own line, as a comparison cell quotes it
    assert all(p.evidence[0].text in doc.passages[p.evidence[0].passage].text for p in got)


def test_priority_stated_after_that_and_after_a_dash(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Members were reminded that tackling rural crime is a priority for the partnership this year.\n\n"
            "The partnership identified three key areas of focus - serious violence, exploitation of children and "
            "young people, and domestic abuse.\n"
        ),
    )
    assert [p.text for p in collect_priorities(doc, [])] == [
        "tackling rural crime",
        "serious violence",
        "exploitation of children and young people",
        "domestic abuse",
    ]


def test_a_priority_named_by_its_title_takes_the_themes_of_its_description(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Our strategic priorities are:\n\n- Protecting People: safeguarding adults at risk of exploitation.\n"
            "- Stronger Communities: building cohesion and confidence.\n\nThe Board will review them in 2025.\n"
        ),
    )
    got = collect_priorities(doc, [])
    assert [(p.text, p.themes) for p in got] == [
        ("Protecting People", ("vulnerability", "exploitation")),
        ("Stronger Communities", ("cohesion",)),
    ]

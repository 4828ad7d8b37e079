"""The text reader on the bundled seed papers and on small hand-made fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_bytes, parse_file
from ingest.settings import Settings
from ingest.text import is_wrapped, split_header, text_blocks

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(workers=1)


def _seed(name: str, settings: Settings) -> Document:
    return parse_file(CORPUS / name, settings)


def _para(doc: Document, number: str):
    found = [p for p in doc.passages if p.paragraph == number]
    assert found, f"no paragraph {number}"
    return found[0]


def test_hampshire_priority_headings_and_numbers(settings: Settings) -> None:
    doc = _seed("000_e79f2a3e769e1994.txt", settings)
    assert doc.title == "Hampshire Community Safety Strategy Group"
    p8 = _para(doc, "8")
    assert p8.text.startswith("Nationally Covid-19 has had little impact")
    assert p8.heading_path[-1].startswith("Priority 1 – The threat of serious organised crime")
    # the bullets after paragraph 8 stay with it
    assert p8.kind == "list" and "- a reduction in the quality and purity of drugs" in p8.text
    assert _para(doc, "15").heading_path[-1].startswith("Priority 2 - The increase in serious violence")
    assert _para(doc, "43").heading_path == ("Conclusion",)
    # a paragraph broken by a blank line ("... Senior" / "partners attend ...") is one passage
    assert "Senior partners attend from representing HMP Winchester" in _para(doc, "5").text
    # an unnumbered one-line title between numbered paragraphs heads what follows
    assert _para(doc, "6").heading_path[-1].startswith("Hampshire Strategic Assessment for Community Safety")


def test_hampshire_cover_table(settings: Settings) -> None:
    doc = _seed("000_e79f2a3e769e1994.txt", settings)
    cover = doc.tables[0]
    assert ("Date:", "24 November 2020") in cover.rows
    assert doc.passages[cover.passage_index].kind == "table"


def test_test_valley_artefact_numbers(settings: Settings) -> None:
    doc = _seed("001_ad86c27f65599044.txt", settings)
    p = _para(doc, "1.1")
    assert p.text.startswith("This report follows previous reports")
    assert "**" not in p.text and p.heading_path == ("1 Background",)
    p16 = _para(doc, "1.6")
    assert p16.kind == "list" and "- Anti-Social Behaviour, in particular" in p16.text
    assert _para(doc, "9.2").heading_path == ("9 Anti-Social Behaviour:",)
    assert _para(doc, "6.1").text.startswith("Violence Reduction Unit: Hampshire was identified")
    assert doc.title == "Report on the work of the Test Valley Community Safety Group"


def test_worcestershire_tables_and_captions(settings: Settings) -> None:
    doc = _seed("002_d6bc79f1cfe1ff45.txt", settings)
    climb = next(t for t in doc.tables if t.rows[0][0] == "Worcs Regions")
    # the TOTAL row after a blank line belongs to the same table
    assert climb.rows[0] == ("Worcs Regions", "Accepted", "Rejected", "TOTAL")
    assert climb.rows[-1] == ("TOTAL", "116", "38", "160")
    caption = doc.passages[climb.passage_index]
    assert caption.paragraph == "37" and caption.text.startswith("Breakdown of CLIMB referrals")
    # "40 During 2021/22, the service:" leads a list: a paragraph, not a heading
    p40 = _para(doc, "40")
    assert p40.kind == "list" and "Removed 11,021 unsafe products" in p40.text
    assert _para(doc, "41").heading_path == ("Trading Standards",)
    # paragraph 12 continues after a stray blank line
    assert "Herefordshire and chaired by the PCC" in _para(doc, "12").text


def test_herefordshire_unnumbered_sections_and_cover_labels(settings: Settings) -> None:
    doc = _seed("003_794c45cd6cb377ca.txt", settings)
    assert doc.title == "Herefordshire Community Safety Partnership Update"
    strategy = next(p for p in doc.passages if p.heading_path == ("1 Strategy and priorities",))
    assert strategy.kind == "list" and "- Violence Against Women and Girls (VAWG)" in strategy.text
    # a cover-sheet value is a passage under its label, not a heading
    assert any(p.text == "Open" and p.heading_path == ("Classification",) for p in doc.passages)
    assert _para(doc, "3").heading_path == ("Equality duty",)


def test_three_rivers_multilevel_numbers_and_risk_tables(settings: Settings) -> None:
    doc = _seed("004_ff393e8c3870aa40.txt", settings)
    assert doc.title.startswith("THREE RIVERS SERIOUS VIOLENCE AND EXPLOITATION")
    p = _para(doc, "2.5.3")
    assert p.heading_path == ("2 Details",) and "YC Herts" in p.text
    assert _para(doc, "13.1").heading_path == ("13 Recommendations",)
    risk = [t for t in doc.tables if t.rows[0][0] == "Description of Risk"]
    assert len(risk) == 2


def test_offsets_point_into_full_text(settings: Settings) -> None:
    doc = _seed("004_ff393e8c3870aa40.txt", settings)
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text


def test_header_block_gives_title_and_stays_out(settings: Settings) -> None:
    data = (
        b"SOURCE: example\nCOUNCIL: Anytown Borough Council\nTITLE: Parks Strategy Update\n"
        b"DATE: 2024-01-01\n---\n1. Introduction\n\n1.1 The parks strategy was agreed in 2020 and\n"
        b"is now being refreshed after consultation with residents and\nfriends groups across the borough.\n"
        b"1.2 Members are asked to note the\nupdate and the revised timetable for adoption next year.\n"
        b"1.3 A further report will follow in\nthe autumn once the consultation has closed.\n"
        b"1.4 The budget remains within the\nallocation agreed by Cabinet in February last year.\n"
    )
    doc = parse_bytes(data, "parks.txt", Settings(workers=1))
    assert doc.title == "Parks Strategy Update"
    assert "SOURCE" not in doc.text and "Anytown" not in doc.text
    p11 = next(p for p in doc.passages if p.paragraph == "1.1")
    assert p11.text == (
        "The parks strategy was agreed in 2020 and is now being refreshed after "
        "consultation with residents and friends groups across the borough."
    )
    assert p11.heading_path == ("1 Introduction",)


def test_split_header_and_wrapping_helpers() -> None:
    assert split_header("no header here\n---\n") == ({}, "no header here\n---\n")
    fields, rest = split_header("TITLE: A\nDATE: 2020-01-01\n---\nbody")
    assert fields == {"TITLE": "A", "DATE": "2020-01-01"} and rest == "body"
    assert not is_wrapped((CORPUS / "001_ad86c27f65599044.txt").read_text())


def test_markdown_headings_and_pipe_tables(settings: Settings) -> None:
    md = (
        "# Budget monitoring\n\n## Capital programme\n\nThe capital programme is on track.\n\n"
        "| Scheme | Budget | Spend |\n|---|---|---|\n| Roads | £1.2m | £0.9m |\n| Parks | £0.3m | £0.1m |\n"
    )
    doc = parse_bytes(md.encode(), "budget.md", settings)
    para = doc.passages[0]
    assert para.heading_path == ("Budget monitoring", "Capital programme")
    assert doc.tables[0].rows == (
        ("Scheme", "Budget", "Spend"),
        ("Roads", "£1.2m", "£0.9m"),
        ("Parks", "£0.3m", "£0.1m"),
    )


_ITEMS = ("Reducing serious violence", "Tackling hate crime", "Safer roads")


@pytest.mark.parametrize(
    "body",
    [
        "Our strategic priorities are:\n\n1) Reducing serious violence\n\n2) Tackling hate crime\n\n3) Safer roads\n",
        "Our strategic priorities are:\n(a) Reducing serious violence;\n(b) Tackling hate crime;\n(c) Safer roads.\n",
        "Our strategic priorities are:\n\t(a)\tReducing serious violence\n\t(b)\tTackling hate crime\n\t(c)\tSafer roads\n",
        "The following priorities were identified by the Partnership :-\n• Reducing serious violence\n"
        "•\u00a0Tackling hate crime\n\u2022 Safer roads\n",
        "The following priorities were identified by the Partnership:\n\uf0b7 Reducing serious violence\n"
        "\uf0b7 Tackling hate crime\n\uf0b7 Safer roads\n",
    ],
)
def test_bullets_and_lettered_items_become_one_list_passage(settings: Settings, body: str) -> None:
    from ingest.assemble import list_items

    doc = parse_bytes(body.encode(), "list.txt", settings)
    assert [p.kind for p in doc.passages] == ["list"]
    p = doc.passages[0]
    items = [(text.rstrip(";."), p.text[off : off + len(text)] == text) for text, off in list_items(p.text)]
    assert items == [(t, True) for t in _ITEMS]
    assert p.heading_path == ()  # the lead-in is not a heading


@pytest.mark.parametrize(
    "body",
    [
        "Our strategic priorities are:\n1. Reducing serious violence\n2. Tackling hate crime\n3. Safer roads\n\n"
        "The Board meets quarterly.\n",
        "Our strategic priorities are:\n\t1.\tReducing serious violence\n\t2.\tTackling hate crime\n\t3.\tSafer roads\n",
    ],
)
def test_numbered_entries_after_a_lead_in_are_numbered_paragraphs_not_headings(
    settings: Settings, body: str
) -> None:
    doc = parse_bytes(body.encode(), "list.txt", settings)
    entries = [(p.paragraph, p.text) for p in doc.passages if p.paragraph]
    assert entries == [("1", _ITEMS[0]), ("2", _ITEMS[1]), ("3", _ITEMS[2])]
    assert all(p.heading_path == () for p in doc.passages)  # neither the lead-in nor "3 Safer roads" heads
    assert doc.passages[0].text == "Our strategic priorities are:"


def test_a_run_of_headings_that_ends_the_text_is_its_text(settings: Settings) -> None:
    blocks = text_blocks(
        "Our strategic objectives\n\nObjective 1: Reduce the harm caused by drugs\n"
        "Objective 2: Make our town centres safer at night\nObjective 3: Support victims\n"
    )
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]
    doc = parse_bytes(
        b"Community Safety\nPriority Areas\nObjective 1: Safer streets\n", "short.txt", settings
    )
    assert doc.passages  # a paper of short lines only still has text to search and extract


def test_priority_lines_one_after_another_are_entries_not_headings(settings: Settings) -> None:
    blocks = text_blocks(
        "Our themes are:\n\nTheme 1 - Keeping people safe\nTheme 2 - Reducing harm\n"
        "Theme 3 - Safer neighbourhoods\n\nThe partnership reports each quarter.\n"
    )
    assert [(b.kind, b.text) for b in blocks[1:4]] == [
        ("paragraph", "Theme 1 - Keeping people safe"),
        ("paragraph", "Theme 2 - Reducing harm"),
        ("paragraph", "Theme 3 - Safer neighbourhoods"),
    ]
    one = text_blocks("Priority 1 - Keeping people safe\n\nThe partnership will work with schools.\n")
    assert one[0].kind == "heading"  # one such line over its text heads it


WRAPPED_EXCERPT = """\
12 COMMUNITY SAFETY PARTNERSHIP ANNUAL REPORT

The Community Safety Manager presented the annual report of the Northvale Community Safety
Partnership and the Cabinet agreed to adopt the refreshed plan, delegating authority to the
Director of Place to make minor amendments. In response to questions, officers confirmed that
the anti-social behaviour hotline would be reviewed.

RESOLVED that:
(i) the annual report be noted; and
(ii) the hotline review be circulated.
"""


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_short_paper_wrapped_at_a_width_keeps_its_paragraphs_and_headings(
    settings: Settings, gap: str
) -> None:
    # too short for is_wrapped to tell; its lines break before capitals ("Partnership", "Director") as well as
    # before lower case, so only the width they are cut at shows they run on
    doc = parse_bytes(WRAPPED_EXCERPT.replace("\n\n", gap).encode(), "minutes.txt", settings)
    body = next(p for p in doc.passages if p.text.startswith("The Community Safety Manager"))
    assert body.heading_path == ("12 COMMUNITY SAFETY PARTNERSHIP ANNUAL REPORT",)
    assert "Safety Partnership and" in body.text and "to the Director of Place" in body.text
    assert body.text.rstrip().endswith("would be reviewed.")
    resolved = next(p for p in doc.passages if "(i) the annual report" in p.text)
    assert resolved.text.startswith(
        "RESOLVED that:"
    )  # a lead-in, not a heading: its items finish its sentence


def test_a_line_a_paragraph_paper_is_not_joined_at_its_widest_lines(settings: Settings) -> None:
    text = (
        "Background\n"
        "The Partnership agreed its plan for the year at its meeting in the spring of 2024.\n"
        "Members of the Board received a quarterly report from each of the lead officers.\n"
        "Progress against the plan is reported to the Cabinet by the Portfolio Holder.\n"
        "Recommendations\n"
        "The Cabinet is asked to note the progress made against the partnership plan.\n"
    )
    doc = parse_bytes(text.encode(), "report.txt", settings)
    starts = [p.text[:12] for p in doc.passages]
    assert starts == ["The Partners", "Members of t", "Progress aga", "The Cabinet "]

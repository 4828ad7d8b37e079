"""Blocks -> passages: heading paths, joins across page breaks, lists, captions, splitting, offsets."""

from __future__ import annotations

from ingest.assemble import MAX_WORDS, assemble, merge_tables
from ingest.model import Block


def test_heading_path_replaces_same_and_deeper_levels() -> None:
    blocks = [
        Block("heading", "1 Background", level=1),
        Block("heading", "Funding", level=2),
        Block("paragraph", "The grant is £2m.", number="1.1", page=1),
        Block("heading", "2 Options", level=1),
        Block("paragraph", "Option A is preferred.", page=2),
    ]
    text, passages, _ = assemble(blocks)
    assert passages[0].heading_path == ("1 Background", "Funding") and passages[0].paragraph == "1.1"
    assert passages[1].heading_path == ("2 Options",) and passages[1].pages == (2,)
    assert "1 Background" in text and all(text[p.start : p.end] == p.text for p in passages)


def test_paragraph_cut_by_page_break_is_joined() -> None:
    blocks = [
        Block("paragraph", "The scheme will be delivered in", number="4", page=3),
        Block("paragraph", "three phases over two years.", page=4),
    ]
    _, passages, _ = assemble(blocks)
    assert len(passages) == 1
    assert passages[0].text == "The scheme will be delivered in three phases over two years."
    assert passages[0].pages == (3, 4) and passages[0].paragraph == "4"


def test_items_stay_with_lead_in() -> None:
    blocks = [
        Block("paragraph", "The Board is asked to:", number="5"),
        Block("item", "note the report;", number="a)"),
        Block("item", "agree the plan."),
        Block("paragraph", "Next steps follow."),
    ]
    _, passages, _ = assemble(blocks)
    assert passages[0].kind == "list"
    assert passages[0].text == "The Board is asked to:\na) note the report;\n- agree the plan."
    assert passages[1].text == "Next steps follow."


def test_caption_goes_with_table() -> None:
    rows = (("Area", "Cases"), ("North", "12"))
    blocks = [
        Block("paragraph", "Breakdown of referrals", number="37"),
        Block("table", "", rows=rows, page=5),
    ]
    _, passages, tables = assemble(blocks)
    assert len(passages) == 1 and passages[0].kind == "table"
    assert passages[0].text == "Breakdown of referrals\nArea | Cases\nNorth | 12"
    assert tables[0].rows == rows and tables[0].passage_index == 0 and passages[0].paragraph == "37"


def test_long_paragraph_split_at_sentences() -> None:
    sentence = "The council will continue to monitor demand for the service across every ward. "
    blocks = [Block("paragraph", (sentence * 60).strip(), number="9")]
    _, passages, _ = assemble(blocks)
    assert len(passages) > 1
    assert all(len(p.text.split()) <= MAX_WORDS for p in passages)
    assert all(p.text.endswith("ward.") and p.paragraph == "9" for p in passages)


def test_merge_tables_over_page_break_drops_repeated_header() -> None:
    head = ("Item", "Date")
    blocks = [
        Block("table", "", rows=(head, ("Budget", "May")), page=1),
        Block("table", "", rows=(head, ("Parking", "June")), page=2),
    ]
    merged = merge_tables(blocks)
    assert len(merged) == 1
    assert merged[0].rows == (head, ("Budget", "May"), ("Parking", "June")) and merged[0].pages == (1, 2)


def test_list_item_continued_over_a_page_break_is_joined() -> None:
    blocks = [
        Block("paragraph", "Members noted:", page=1),
        Block("item", "the report on", number="a)", page=1),
        Block("paragraph", "community safety.", page=2),
    ]
    _, passages, _ = assemble(blocks)
    assert [p.text for p in passages] == ["Members noted:\na) the report on community safety."]

"""Limits past parsing and memory limits: a one-line file becomes passages of bounded length; a page too big to
render, a zip that lies about its sizes and a nested-<div> bomb are refused or scaled, in bounded memory."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.assemble import MAX_CHARS
from ingest.parse import parse_file
from ingest.settings import Settings


def one_line(words: int, seed: int = 3, stop: bool = False) -> str:
    """A single line of council-paper words (no line breaks; with full stops only when `stop`)."""
    vocab = ("council partnership committee scrutiny budget transport levy parking report members officers "
             "residents ward community safety funding review scheme consultation approval strategy").split()
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(words):
        word = rng.choice(vocab)
        if stop and (i == 0 or out[-1].endswith(".")):
            word = word.capitalize()
        out.append(word + ("." if stop and i % 17 == 16 else ""))
    return " ".join(out)


def test_a_one_line_file_becomes_passages_cut_at_word_boundaries(tmp_path: Path) -> None:
    text = one_line(40_000)  # about 330,000 characters with no full stop and no line break
    (tmp_path / "one-line.txt").write_text(text, encoding="utf-8")
    doc = parse_file(tmp_path / "one-line.txt", Settings(workers=1))
    assert len(doc.passages) > 100 and max(len(p.text) for p in doc.passages) <= MAX_CHARS
    assert " ".join(p.text for p in doc.passages).split() == text.split()  # no word cut or lost
    assert all(doc.text[p.start:p.end] == p.text for p in doc.passages)


def test_sentences_are_kept_whole_and_a_run_without_spaces_is_cut_at_the_limit(tmp_path: Path) -> None:
    text = one_line(40_000, stop=True)
    (tmp_path / "sentences.txt").write_text(text, encoding="utf-8")
    doc = parse_file(tmp_path / "sentences.txt", Settings(workers=1))
    assert all(p.text.endswith(".") for p in doc.passages[:-1])
    (tmp_path / "no-spaces.txt").write_text("x" * (MAX_CHARS * 3 + 5), encoding="utf-8")
    runs = parse_file(tmp_path / "no-spaces.txt", Settings(workers=1)).passages
    assert [len(p.text) for p in runs] == [MAX_CHARS, MAX_CHARS, MAX_CHARS, 5]


@pytest.mark.parametrize("limit", [MAX_CHARS, 500])
def test_cap_length_keeps_every_character_but_spaces(limit: int) -> None:
    from ingest.assemble import cap_length

    text = one_line(3_000, seed=limit, stop=True) + " " + "y" * (limit + 10) + "\n" + one_line(50)
    pieces = cap_length(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")

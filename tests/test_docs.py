"""Docs are tested: every command and every setting is in the README, and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from api.cli import COMMANDS, build_parser
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_and_exists() -> None:
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    for name in COMMANDS:
        assert name in choices, f"command {name} is not built"
        assert f"councilpapers {name}" in README, f"command {name} is not in the README"


def test_every_setting_is_documented() -> None:
    for field in Settings.model_fields:
        assert f"COUNCILPAPERS_{field.upper()}" in README, f"setting {field} is not in the README"


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert re.search(r"^make run\b", README, re.M) and re.search(r"^make test\b", README, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


README_LIMIT = 15_000  # bytes: a README for users; figures live in docs/
# a path the README names: in backticks or as a link target, starting with one of the checkout's folders
_PATH = re.compile(r"(?:`|\]\()((?:\.ci|api|benchmarks|corpus|docs|index|ingest|nlp|tests)/[\w./-]*)[`)]")


def test_readme_is_short_and_for_users() -> None:
    assert len(README.encode("utf-8")) <= README_LIMIT, f"README.md is {len(README.encode())} bytes"


def test_every_path_the_docs_name_exists() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        base = ROOT if doc.name == "README.md" else doc.parent
        for path in _PATH.findall(text):
            where = (base / path) if (base / path).exists() else ROOT / path
            assert where.exists(), f"{doc.relative_to(ROOT)} names {path}, which does not exist"
        for link in re.findall(r"\]\(([\w./-]+\.md)\)", text):
            assert (base / link).exists(), f"{doc.relative_to(ROOT)} links {link}, which does not exist"


def test_no_paragraph_of_the_readme_is_repeated() -> None:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", README) if len(p.split()) >= 8]
    seen: set[str] = set()
    for p in paragraphs:
        assert p not in seen, f"repeated paragraph: {p[:80]}"
        seen.add(p)
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.;])\s+", p) if len(s.split()) >= 10]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, f"repeated sentences: {sorted(repeated)[:3]}"

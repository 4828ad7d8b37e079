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

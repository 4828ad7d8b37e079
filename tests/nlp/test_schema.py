"""`councilpapers extract` output validates against extraction.schema.json; a bad file is one line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from api.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "eval" / "extraction.schema.json").read_text(encoding="utf-8"))


def test_extract_output_validates(capsys: pytest.CaptureFixture[str]) -> None:
    seeds = sorted(str(p) for p in (ROOT / "corpus").glob("00[13]*.txt"))
    assert main(["extract", *seeds]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        obj = json.loads(line)
        jsonschema.validate(obj, SCHEMA)
        assert obj["metadata"]["council"] in ("Test Valley Borough Council", "Herefordshire Council")
        assert all(isinstance(p["themes"], list) for p in obj["priorities"])


def test_bad_file_is_one_line_and_others_go_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    good = tmp_path / "good.txt"
    good.write_text(
        "Meeting: Cabinet\n\nThe priorities are:\n\n- Domestic abuse\n- Fly-tipping\n", encoding="utf-8"
    )
    assert main(["extract", str(bad), str(good)]) == 1
    out, err = capsys.readouterr()
    errors = [ln for ln in err.splitlines() if ln.strip()]
    assert len(errors) == 1 and "broken.pdf" in errors[0] and "Traceback" not in err
    obj = json.loads(out.strip())
    jsonschema.validate(obj, SCHEMA)
    assert [p["text"] for p in obj["priorities"]] == ["Domestic abuse", "Fly-tipping"]

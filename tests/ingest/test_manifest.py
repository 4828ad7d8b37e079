"""Metadata that travels with local files: manifest.csv / manifest.json beside them, and the flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.manifest import given_for, read_manifest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def papers(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        (folder / name).write_text("Report to Cabinet\n\n1. Purpose of report\n\nTo agree the budget.\n")
        out.append(folder / name)
    return out


def test_csv_manifest_beside_the_files(tmp_path):
    a, b, c = papers(tmp_path, "a.txt", "b.txt", "c.txt")
    (tmp_path / "manifest.csv").write_text(
        "\ufeffFile,Council,Committee,Meeting Date,Title,URL\n"
        "a.txt,Leeds City Council,Executive Board,15/01/2025,Budget proposals,https://democracy.leeds.gov.uk/a.pdf\n"
        "b.txt,Leeds City Council,,2025-02-03,,\n",
        encoding="utf-8",
    )
    given = given_for([a, b, c])
    assert given(a) == (
        ("council", "Leeds City Council"),
        ("committee", "Executive Board"),
        ("meeting_date", "2025-01-15"),
        ("title", "Budget proposals"),
        ("url", "https://democracy.leeds.gov.uk/a.pdf"),
    )
    assert given(b) == (("council", "Leeds City Council"), ("meeting_date", "2025-02-03"))
    assert given(c) == ()


def test_json_manifest_and_flags_win(tmp_path):
    sub = tmp_path / "cabinet"
    a, b = papers(sub, "a.txt", "b.txt")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "cabinet/a.txt": {
                    "council": "Kent County Council",
                    "committee": "Cabinet",
                    "meeting_date": "2024-11-28",
                },
                "cabinet/b.txt": {"title": "Local transport plan"},
            }
        )
    )
    given = dict(given_for([a, b], committee="Environment Committee", date="2024-12-05")(a))
    assert given == {
        "council": "Kent County Council",
        "committee": "Environment Committee",
        "meeting_date": "2024-12-05",
    }
    assert dict(given_for([b], council="Kent County Council")(b)) == {
        "council": "Kent County Council",
        "title": "Local transport plan",
    }
    # a path not passed in at first still gets the flags
    assert given_for([], council="Kent County Council")(CORPUS / "000_e79f2a3e769e1994.txt") == (
        ("council", "Kent County Council"),
    )


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [
        ("file,council,meeting_date\na.txt,Leeds City Council,2025-13-01\n", "row 2", "meeting_date"),
        ("file,council\nmissing.txt,Leeds City Council\n", "row 2", "file"),
        ("file,comittee\na.txt,Cabinet\n", "row 2", "unknown column 'comittee'"),
        ("file,council,url\na.txt,Leeds City Council,ftp://x/a.pdf\n", "row 2", "url"),
        ("file,council\na.txt,Leeds\nb.txt,Leeds,extra\n", "row 3", "more value"),
        ("file,council\n,Leeds\n", "row 2", "file: missing"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path, text, row, field):
    a, _ = papers(tmp_path, "a.txt", "b.txt")
    (tmp_path / "manifest.csv").write_text(text)
    with pytest.raises(IngestError) as e:
        given_for([a])
    msg = str(e.value)
    assert msg.startswith(f"{tmp_path / 'manifest.csv'}: {row}: ") and field in msg and "\n" not in msg


def test_bad_json_and_bad_flags(tmp_path):
    (a,) = papers(tmp_path, "a.txt")
    (tmp_path / "manifest.json").write_text('[{"file": "a.txt", "meeting_date": "soon"}]')
    with pytest.raises(IngestError, match=r"manifest.json: row 1: meeting_date: 'soon' is not a date"):
        read_manifest(tmp_path / "manifest.json")
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(IngestError, match="not valid JSON"):
        given_for([a])
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(IngestError, match=r"^--date: date: '2025/01/15' is not a date"):
        given_for([a], date="2025/01/15")
    with pytest.raises(IngestError, match="^--council: empty value"):
        given_for([a], council=" ")

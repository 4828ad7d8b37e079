"""Bad input: each file gets one line naming it and the reason, the others are still parsed, exit 1."""
from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from ingest.errors import IngestError
from ingest.parse import find_papers, parse_file, parse_many
from ingest.settings import Settings
from tests.badfiles import BAD_FILES, PNG, pdf_bytes

GOOD_TEXT = b"1. Introduction\n\n1.1 The council agreed the budget for the coming year.\n"







CASES = BAD_FILES


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_is_one_line(tmp_path: Path, name: str) -> None:
    data, reason = CASES[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(IngestError) as err:
        parse_file(tmp_path / name, Settings(workers=1))
    message = str(err.value)
    assert message.startswith(str(tmp_path / name) + ": ")
    assert reason in message and "\n" not in message and "Traceback" not in message


def test_cp1252_text_read_without_mojibake(tmp_path: Path) -> None:
    text = "1. The scheme costs £25,000 and the “pilot” runs until March – see appendix.\n"
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    doc = parse_file(tmp_path / "legacy.txt", Settings(workers=1))
    assert doc.passages[0].text == "The scheme costs £25,000 and the “pilot” runs until March – see appendix."
    assert "Â" not in doc.text and "â€" not in doc.text


def test_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(GOOD_TEXT * 50)
    with pytest.raises(IngestError, match=r"big\.txt: file is .* over the limit .*COUNCILPAPERS_MAX_FILE_BYTES"):
        parse_file(tmp_path / "big.txt", Settings(workers=1, max_file_bytes=1000))


def test_page_limit(tmp_path: Path) -> None:
    (tmp_path / "long.pdf").write_bytes(pdf_bytes(pages=4))
    with pytest.raises(IngestError, match=r"long\.pdf: PDF has 4 pages, over the limit of 3"):
        parse_file(tmp_path / "long.pdf", Settings(workers=1, max_pages=3))


def test_parse_many_keeps_going(tmp_path: Path) -> None:
    _write(tmp_path, {"a_good.txt": GOOD_TEXT, "b_empty.txt": b"", "c_picture.pdf": PNG, "d_good.txt": GOOD_TEXT})
    files, missing = find_papers([tmp_path, tmp_path / "nowhere.pdf"])
    assert [str(e) for e in missing] == [f"{tmp_path / 'nowhere.pdf'}: no such file or folder"]
    results = dict(parse_many(files, Settings(workers=2)))
    assert not isinstance(results[tmp_path / "a_good.txt"], IngestError)
    assert not isinstance(results[tmp_path / "d_good.txt"], IngestError)
    assert str(results[tmp_path / "b_empty.txt"]).endswith("empty file")


def test_cli_parse_reports_each_failure_and_exits_1(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COUNCILPAPERS_MAX_FILE_BYTES", "5000")
    monkeypatch.setenv("COUNCILPAPERS_WORKERS", "2")
    files = {name: data for name, (data, _) in CASES.items()}
    files["good.txt"] = GOOD_TEXT
    files["legacy.txt"] = "1. Rent rises by £3 a week.\n".encode("cp1252")
    files["huge.txt"] = GOOD_TEXT * 100
    _write(tmp_path, files)
    status = main(["parse", str(tmp_path), "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    expected = {name: reason for name, (_, reason) in CASES.items()} | {"huge.txt": "over the limit"}
    assert len(lines) == len(expected)
    for name, reason in expected.items():
        line = next(ln for ln in lines if f"{tmp_path / name}:" in ln)
        assert line.startswith("error: ") and reason in line
    assert '"source": "' + str(tmp_path / "good.txt") in out
    assert "Rent rises by £3 a week." in out


def test_cli_all_good_exits_0(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD_TEXT)
    assert main(["parse", str(tmp_path / "good.txt")]) == 0
    assert "passages: 1" in capsys.readouterr().out

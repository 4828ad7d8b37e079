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
    with pytest.raises(
        IngestError, match=r"big\.txt: file is .* over the limit .*COUNCILPAPERS_MAX_FILE_BYTES"
    ):
        parse_file(tmp_path / "big.txt", Settings(workers=1, max_file_bytes=1000))


def test_page_limit(tmp_path: Path) -> None:
    (tmp_path / "long.pdf").write_bytes(pdf_bytes(pages=4))
    with pytest.raises(IngestError, match=r"long\.pdf: PDF has 4 pages, over the limit of 3"):
        parse_file(tmp_path / "long.pdf", Settings(workers=1, max_pages=3))


def test_parse_many_keeps_going(tmp_path: Path) -> None:
    _write(
        tmp_path, {"a_good.txt": GOOD_TEXT, "b_empty.txt": b"", "c_picture.pdf": PNG, "d_good.txt": GOOD_TEXT}
    )
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


def test_odd_file_names_and_links_are_one_line_each(tmp_path: Path) -> None:
    import os

    _write(tmp_path, {"good.txt": GOOD_TEXT})
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_bytes(GOOD_TEXT)  # a Latin-1 name: not UTF-8
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "gone.pdf").symlink_to("nowhere.pdf")
    files, errors = find_papers([tmp_path, tmp_path / "self.txt"])
    assert files == [tmp_path / "good.txt"]
    lines = sorted(str(e) for e in errors)
    assert lines == sorted(
        [
            f"{tmp_path}/caf\\xe9.txt: file name is not valid UTF-8; rename the file",
            f"{tmp_path / 'gone.pdf'}: symbolic link to a file that does not exist",
            f"{tmp_path / 'self.txt'}: symbolic link that leads back to itself (a loop)",
            f"{tmp_path / 'self.txt'}: symbolic link that leads back to itself (a loop)",
        ]
    )
    for line in lines:
        line.encode("utf-8")  # printable and storable


def test_passage_limit(tmp_path: Path) -> None:
    text = b"".join(b"%d. The council noted item %d of the report.\n\n" % (n, n) for n in range(1, 30))
    (tmp_path / "many.txt").write_bytes(text)
    with pytest.raises(IngestError, match=r"many\.txt: \d+ passages, over the limit of 5 .*MAX_PASSAGES"):
        parse_file(tmp_path / "many.txt", Settings(workers=1, max_passages=5))


def _slow_reader(data: bytes, source: str, settings: Settings):  # noqa: ANN202
    import time

    while True:  # a parser in an endless Python loop
        time.sleep(0.01)


def _stuck_reader(data: bytes, source: str, settings: Settings):  # noqa: ANN202
    import signal
    import time

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # like C code that never checks for signals
    time.sleep(60)


def test_parse_timeout_stops_a_slow_parser_in_process(tmp_path: Path, monkeypatch) -> None:
    import ingest.parse

    _write(tmp_path, {"slow.txt": GOOD_TEXT})
    monkeypatch.setattr(ingest.parse, "_reader", lambda fmt: _slow_reader)
    results = dict(parse_many([tmp_path / "slow.txt"], Settings(workers=1, parse_timeout=0.3)))
    assert str(results[tmp_path / "slow.txt"]) == (
        f"{tmp_path / 'slow.txt'}: parsing took over 0.3 s and was stopped (COUNCILPAPERS_PARSE_TIMEOUT)"
    )


def test_stuck_worker_is_killed_and_the_rest_still_parsed(tmp_path: Path, monkeypatch) -> None:
    import time

    import ingest.parse

    _write(
        tmp_path,
        {
            "a.txt": GOOD_TEXT,
            "b_stuck.txt": GOOD_TEXT + b"\n2. Stuck.\n",
            "c.txt": GOOD_TEXT + b"x",
            "d.txt": GOOD_TEXT + b"y",
        },
    )
    real = ingest.parse._reader
    # the forked workers inherit this: only b_stuck.txt hangs
    monkeypatch.setattr(
        ingest.parse,
        "_reader",
        lambda fmt: (
            lambda data, source, settings: (
                _stuck_reader(data, source, settings)
                if source.endswith("stuck.txt")
                else real(fmt)(data, source, settings)
            )
        ),
    )
    files, _ = find_papers([tmp_path])
    started = time.monotonic()
    results = dict(parse_many(files, Settings(workers=2, parse_timeout=3)))
    assert time.monotonic() - started < 30
    assert "parsing took over 6 s; its worker was killed" in str(results[tmp_path / "b_stuck.txt"])
    for name in ("a.txt", "c.txt", "d.txt"):
        assert not isinstance(results[tmp_path / name], IngestError), results[tmp_path / name]


def test_isolated_parser_limits_time_and_keeps_serving() -> None:
    from ingest.isolated import IsolatedParser

    slow = IsolatedParser(Settings(parse_timeout=0.0001))  # no file parses this fast: stopped or killed
    try:
        with pytest.raises(IngestError, match=r"long\.pdf: parsing took over"):
            slow.parse(pdf_bytes(pages=3), "long.pdf")
    finally:
        slow.close()
    parser = IsolatedParser(Settings())
    try:
        doc = parser.parse(pdf_bytes(), "one.pdf", (("council", "Riverside"),))
        assert doc.page_count == 1 and doc.given == (("council", "Riverside"),)
        assert (
            parser.parse(GOOD_TEXT, "next.txt").passages[0].text.startswith("The council agreed")
        )  # same worker
        with pytest.raises(IngestError, match=r"picture\.pdf: content is a PNG image"):
            parser.parse(PNG, "picture.pdf")
    finally:
        parser.close()


def _xlsx() -> bytes:
    import zipfile
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def test_ingest_names_every_file_it_skips_with_the_reason(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """Issue 28: a mixed folder's spreadsheet, table, image, hidden files and README are each named with why
    they were not read; the paper beside them is stored."""
    folder = tmp_path / "papers"
    _write(
        folder,
        {
            "report.txt": GOOD_TEXT,
            "budget.xlsx": _xlsx(),
            "figures.csv": b"ward,cases\nNorth,12\n",
            "chart.png": PNG,
            ".DS_Store": b"\0\0\0\1Bud1",
            "README.md": b"# Papers\n",
        },
    )
    _write(folder / ".git", {"HEAD": b"ref: refs/heads/main\n"})
    _write(folder / "annex", {"old.doc": b"\xd0\xcf\x11\xe0legacy"})
    code = main(["ingest", "--quiet", str(folder), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err
    assert code == 0, err
    skipped = sorted(line for line in err.splitlines() if line.startswith("skipped: "))
    assert skipped == sorted(
        [
            f"skipped: {folder / '.DS_Store'}: a hidden file, not read",
            f"skipped: {folder / '.git'}: a hidden folder, not read",
            f"skipped: {folder / 'README.md'}: a README, not a paper",
            f"skipped: {folder / 'budget.xlsx'}: not a paper (a spreadsheet; papers are PDF, DOCX, HTML or text files)",
            f"skipped: {folder / 'chart.png'}: not a paper (an image; papers are PDF, DOCX, HTML or text files)",
            f"skipped: {folder / 'figures.csv'}: not a paper (a data table; papers are PDF, DOCX, HTML or text files)",
            f"skipped: {folder / 'annex' / 'old.doc'}: not a paper (a legacy Word file: save it as .docx or PDF; "
            "papers are PDF, DOCX, HTML or text files)",
        ]
    )
    assert "1 paper" in err.splitlines()[-1]
    # named alone, a file is judged by its content, and refused with the reason
    for name, reason in (
        ("budget.xlsx", "a zip archive that is not a Word document"),
        ("chart.png", "content is a PNG image named .png, not a paper"),
    ):
        assert main(["ingest", "--quiet", str(folder / name), "--store", str(tmp_path / "store")]) == 1
        assert f"error: {folder / name}: {reason}" in capsys.readouterr().err

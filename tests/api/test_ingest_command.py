"""`councilpapers ingest` with metadata that travels with the files: flags and a manifest beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

from api.cli import main
from index.store import Store
from ingest.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PAPER = "003_794c45cd6cb377ca.txt"  # Herefordshire's paper: the extracted committee is the Health and Wellbeing Board


def _paper(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(CORPUS / PAPER, folder / PAPER)
    return folder


def test_manifest_metadata_wins_and_the_extracted_value_is_kept(tmp_path: Path) -> None:
    folder = _paper(tmp_path)
    (folder / "manifest.csv").write_text(
        "file,council,committee,meeting_date,title,url\n"
        f"{PAPER},Herefordshire Council,Community Safety Scrutiny Panel,2024-09-20,CSP update,"
        "https://councillors.example.gov.uk/doc.pdf\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), "--quiet", str(folder)]) == 0
    with Store.open(Settings(store=store)) as s:
        (doc,) = s.list_documents()
        detail = s.get_document(doc.id)
    assert doc.committee == "Community Safety Scrutiny Panel"
    assert doc.meeting_date == "2024-09-20"
    extracted = detail.extraction["metadata"]["extracted"]
    assert extracted["committee"] == "Health and Wellbeing Board"
    assert extracted["meeting_date"] == "2024-09-16"


def test_flags_win_over_the_manifest(tmp_path: Path) -> None:
    folder = _paper(tmp_path)
    (folder / "manifest.csv").write_text(
        f"file,council,committee\n{PAPER},Herefordshire Council,Cabinet\n", encoding="utf-8"
    )
    store = tmp_path / "store"
    assert (
        main(
            [
                "ingest",
                "--store",
                str(store),
                "--quiet",
                "--committee",
                "Scrutiny Board",
                "--date",
                "2024-10-01",
                str(folder),
            ]
        )
        == 0
    )
    with Store.open(Settings(store=store)) as s:
        (doc,) = s.list_documents()
    assert (doc.committee, doc.meeting_date) == ("Scrutiny Board", "2024-10-01")


def test_a_bad_date_flag_is_one_line_and_stores_nothing(tmp_path: Path, capsys) -> None:
    folder = _paper(tmp_path)
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), "--quiet", "--date", "2024-02-30", str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--date" in err[0] and "Traceback" not in err[0]
    assert not (store / "store.sqlite").exists() or not Store.open(Settings(store=store)).list_documents()


def test_odd_file_names_are_one_line_each_and_the_good_paper_is_stored(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    import os

    folder = _paper(tmp_path)
    (folder / os.fsdecode(b"r\xe9union.txt")).write_bytes(b"1. The board met.\n")  # Latin-1: not UTF-8
    (folder / "loop.txt").symlink_to("loop.txt")
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), "--quiet", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        f"error: {folder}/r\\xe9union.txt: file name is not valid UTF-8; rename the file" in err.splitlines()
    )
    assert (
        f"error: {folder / 'loop.txt'}: symbolic link that leads back to itself (a loop)" in err.splitlines()
    )
    with Store.open(Settings(store=store)) as s:
        assert [d.source for d in s.list_documents()] == [str(folder / PAPER)]

"""The command line as a client of a running server: the same output as working locally, found by itself,
and without the heavy libraries in its process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import chosen_command, main
from api.client import SERVER_FILE, advertised, find_server, healthy, store_tag
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence_transformers", "faiss", "spacy", "onnxruntime", "numpy")


@pytest.fixture(scope="module")
def server(seed_settings: Settings):  # noqa: ANN201
    from api.serving import background_server

    with background_server(seed_settings) as base:
        yield base


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(
    "extra", [(), ("--json", "--facets"), ("--group", "paper", "--council", "Hampshire County Council")]
)
def test_server_mode_prints_what_local_mode_prints(
    server: str,
    seed_settings: Settings,
    capsys,  # noqa: ANN001
    extra: tuple[str, ...],
) -> None:
    store = str(seed_settings.store)
    local = run_cli(capsys, "--store", store, "--server", "off", "search", "county lines", "-k", "4", *extra)
    remote = run_cli(
        capsys, "--store", store, "--server", server, "search", "county lines", "-k", "4", *extra
    )
    assert local[0] == remote[0] == 0, (local[2], remote[2])
    assert "county" in local[1].lower()
    assert remote[1] == local[1]


def test_found_by_itself_and_without_heavy_imports(server: str, seed_settings: Settings, capsys) -> None:  # noqa: ANN001
    store = seed_settings.store
    local = run_cli(capsys, "--store", str(store), "--server", "off", "search", "young people", "-k", "3")[1]
    with advertised(store, server):
        assert find_server(store, None) == server
        done = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "api.cli",
                "--store",
                str(store),
                "search",
                "young people",
                "-k",
                "3",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            check=False,
        )
    assert not (store / SERVER_FILE).exists()  # removed when the server stops advertising
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout == local
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert not imported & set(HEAVY), imported & set(HEAVY)


def test_a_stale_record_or_a_dead_server_means_local_work(
    seed_settings: Settings, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    (tmp_path / SERVER_FILE).write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": os.getpid()}))
    assert find_server(tmp_path, None) is None  # the process lives, but nothing answers there
    (tmp_path / SERVER_FILE).write_text("not json")
    assert find_server(tmp_path, None) is None
    status, out, err = run_cli(
        capsys,
        "--store",
        str(seed_settings.store),
        "--server",
        "http://127.0.0.1:9",
        "search",
        "county lines",
    )
    assert status == 1 and out == ""
    assert (
        err.strip()
        == "councilpapers search: --server http://127.0.0.1:9: no councilpapers server answers there"
    )


def test_a_record_naming_a_server_of_another_store_is_not_believed(server: str, tmp_path: Path) -> None:
    # a server that died left its record; the port is now another server's, over another store
    (tmp_path / SERVER_FILE).write_text(json.dumps({"url": server, "pid": os.getpid()}))
    assert find_server(tmp_path, None) is None
    assert healthy(server) and not healthy(server, store_tag(tmp_path))


def test_a_long_query_is_cut_with_a_note(seed_settings: Settings, capsys) -> None:  # noqa: ANN001
    pasted = "Officers are concerned about county lines exploitation of young people in the district. " * 12
    status, out, err = run_cli(
        capsys,
        "--store",
        str(seed_settings.store),
        "--server",
        "off",
        "search",
        pasted,
        "-k",
        "2",
        "--mode",
        "keyword",
    )
    assert status == 0
    assert "note: the query was cut to its first" in err and f"(of {len(pasted.strip())})" in err
    assert " found" in out


def test_the_command_named_is_the_one_imported() -> None:
    assert chosen_command(["--store", "search", "serve", "--port", "1"]) == "serve"
    assert chosen_command(["--server=off", "search", "x"]) == "search"
    assert chosen_command(["--help"]) is None
    assert chosen_command(["nonsense"]) is None


def test_ingest_summary_says_passages_not_zero_pages() -> None:
    from api.commands.common import summary_line
    from index.pipeline import IngestSummary

    assert summary_line(IngestSummary(papers=1, passages=12, entities=1)).startswith(
        "1 paper, 12 passages, 1 entity ingested; 0 unchanged; 0 failed"
    )
    assert summary_line(IngestSummary(papers=2, pages=9, passages=40, entities=3)).startswith(
        "2 papers, 9 pages, 40 passages, 3 entities ingested"
    )


@pytest.mark.parametrize("extra", [(), ("--json",), ("--exclude-council", "Hampshire County Council")])
def test_precedents_through_the_server_print_what_local_work_prints(
    server: str, seed_settings: Settings, capsys, extra: tuple[str, ...]
) -> None:  # noqa: ANN001
    store = str(seed_settings.store)
    query = "young people groomed into drug supply"
    local = run_cli(capsys, "--store", store, "--server", "off", "precedents", query, *extra)
    remote = run_cli(capsys, "--store", store, "--server", server, "precedents", query, *extra)
    assert local[0] == remote[0] == 0
    assert local[1].strip() and local[1] != "no precedents found\n"
    assert remote[1] == local[1]

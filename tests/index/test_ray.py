"""Ingest on a real two-node Ray cluster started on this machine: the store equals the embedded path's."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.index.test_load import assert_same_store, snapshot

pytest.importorskip("ray", reason="Ray (councilpapers[scale]) is not installed")

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
RAY = Path(sys.executable).parent / "ray"
NODE = [
    "--node-ip-address=127.0.0.1",
    "--num-cpus=1",
    "--object-store-memory=100000000",
    "--disable-usage-stats",
    "--block",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the nodes this test started: their process groups, SIGTERM then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        for p in procs:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(p.poll() is None for p in procs):
            time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A head node and a second node (one CPU each, their own temp folders) on 127.0.0.1: (address, the
    environment a driver needs, with the cluster's token)."""
    if not RAY.exists():
        pytest.skip(f"no `ray` command beside {sys.executable}")
    folder = tmp_path_factory.mktemp("ray")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    env = {
        **os.environ,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "PYTHONPATH": str(CORPUS.parent),
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    str(RAY),
                    "start",
                    "--head",
                    f"--port={port}",
                    f"--temp-dir={folder / 'head'}",
                    "--include-dashboard=false",
                    *NODE,
                ],
                env=env,
                start_new_session=True,
                stdout=open(folder / "head.log", "wb"),
                stderr=subprocess.STDOUT,
            )
        )
        _wait_for_nodes(address, 1, env)
        procs.append(
            subprocess.Popen(
                [
                    str(RAY),
                    "start",
                    f"--address={address}",
                    f"--temp-dir={folder / 'second'}",
                    '--resources={"second_node": 1}',
                    *NODE,
                ],
                env=env,
                start_new_session=True,
                stdout=open(folder / "second.log", "wb"),
                stderr=subprocess.STDOUT,
            )
        )
        _wait_for_nodes(address, 2, env)
        yield address, env
    finally:
        _stop(procs)


def _wait_for_nodes(address: str, n: int, env: dict[str, str], timeout: float = 90.0) -> None:
    """Wait until the cluster has n live nodes (asked in a child process: ray.init is per process)."""
    code = (
        "import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR');"
        "print(sum(1 for x in ray.nodes() if x['Alive']))"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(
            [sys.executable, "-c", code, address], capture_output=True, text=True, timeout=60, env=env
        )
        if out.returncode == 0 and out.stdout.strip().splitlines()[-1:] == [str(n)]:
            return
        time.sleep(1)
    raise AssertionError(f"the Ray cluster at {address} did not reach {n} nodes in {timeout:.0f} s")


@pytest.fixture(scope="module")
def embedded_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from index.pipeline import ingest_paths
    from ingest.manifest import given_for
    from ingest.parse import find_papers

    settings = Settings(store=tmp_path_factory.mktemp("embedded") / "store", workers=1)
    given = given_for(find_papers([CORPUS])[0])  # corpus/manifest.csv, as the command reads it
    summary = ingest_paths([CORPUS], settings, given=given, progress=False)
    assert summary.failures == []
    return settings


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process (Ray reads its token from the environment once per process)."""
    main = "import sys; from api.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", main, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=CORPUS.parent,
    )


@pytest.mark.slow
def test_ray_ingest_on_two_nodes_equals_the_embedded_store(
    cluster: tuple[str, dict[str, str]], embedded_store: Settings, tmp_path: Path
) -> None:
    from index.check import check_store

    address, env = cluster
    store = tmp_path / "store"
    shards = tmp_path / "shards"
    args = [
        "--store",
        str(store),
        "ingest",
        "--engine",
        "ray",
        "--ray-address",
        address,
        "--quiet",
        "--shards",
        str(shards),
        str(CORPUS),
    ]
    run = _cli(args, env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "2 shards written" in run.stderr and "0 failed" in run.stderr
    assert len(list(shards.glob("shard-*"))) == 2  # 9 papers, 8 a shard: work for both nodes
    ray_settings = Settings(store=store, workers=1)
    assert check_store(ray_settings) == []
    assert_same_store(snapshot(ray_settings), snapshot(embedded_store))

    # a rerun skips the shards written, and the store does not change
    before = snapshot(ray_settings)
    run = _cli(args, env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "0 shards written" in run.stderr and "9 already stored" in run.stderr
    after = snapshot(ray_settings)
    assert before["passages"] == after["passages"] and before["vectors"].keys() == after["vectors"].keys()  # type: ignore[union-attr]


def test_an_unreachable_cluster_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(CORPUS.parent), "RAY_AUTH_MODE": "disabled"}
    run = _cli(
        [
            "--store",
            str(tmp_path / "store"),
            "ingest",
            "--engine",
            "ray",
            "--quiet",
            "--ray-address",
            f"127.0.0.1:{_free_port()}",
            str(CORPUS / "000_e79f2a3e769e1994.txt"),
        ],
        env,
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].startswith("councilpapers ingest: Ray")
    assert "Traceback" not in run.stderr

"""CLI start-up benchmark: a `councilpapers search` in a fresh process, cold (no server) and warm (server up).

    python benchmarks/bench_cli.py [--store DIR] [--runs 5] [--first-run]

Cold: `councilpapers --server off search QUERY`, each run a new process that opens the store and
loads the embedding model (the ONNX file converted on an earlier run is in the cache). With
--first-run, one more cold run with an empty cache folder, which converts the model first (what a
new user waits for once). Warm: `councilpapers serve` runs on a free loopback port and records its
URL in the store folder; each run is a new CLI process that finds it and asks GET /search. The
output of the two modes is compared (it must be the same). Without --store, a temporary store is
built of the bundled corpus/ first. Targets: warm < 0.5 s; cold <= 12 s (half the 24 s measured
before the model was loaded lazily and converted once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = [
    "county lines",
    "domestic abuse in rural areas",
    "anti-social behaviour",
    "knife crime",
    "community safety partnership priorities",
]
CLI = [sys.executable, "-m", "api.cli"]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def timed(args: list[str], environ: dict[str, str]) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=environ, cwd=ROOT, check=False)
    took = time.perf_counter() - began
    if done.returncode:
        sys.exit(f"{' '.join(args[2:])} failed: {done.stderr.strip()[:300]}")
    return took, done.stdout


def build_store(folder: Path) -> Path:
    store = folder / "store"
    print("building a store of corpus/ ...", file=sys.stderr, flush=True)
    subprocess.run(
        [*CLI, "--store", str(store), "ingest", "--quiet", str(ROOT / "corpus")], env=env(), check=True
    )
    return store


def wait_for_server(store: Path, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> str:
    from api.client import find_server

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("councilpapers serve exited")
        url = find_server(store, None)
        if url:
            return url
        time.sleep(0.2)
    sys.exit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-run", action="store_true", help="also time a run that converts the model")
    args = parser.parse_args()
    from api.serving import free_port

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or build_store(Path(tmp))
        base = [*CLI, "--store", str(store)]
        queries = [QUERIES[i % len(QUERIES)] for i in range(args.runs)]
        if args.first_run:
            took, _ = timed(
                [*base, "--server", "off", "search", queries[0]], env(COUNCILPAPERS_CACHE=tmp + "/cache")
            )
            print(f"first run (model converted): {took:.2f} s")
        cold, local_out = [], []
        for q in queries:
            took, out = timed([*base, "--server", "off", "search", q], env())
            cold.append(took)
            local_out.append(out)
        port = free_port()
        server = subprocess.Popen(
            [*base, "serve", "--port", str(port)],
            env=env(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = wait_for_server(store, server)
            timed([*base, "search", "warm-up"], env())  # the server loads its model on its first search
            warm, server_out = [], []
            for q in queries:
                took, out = timed([*base, "search", q], env())
                warm.append(took)
                server_out.append(out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    same = sum(a == b for a, b in zip(local_out, server_out, strict=True))
    print(
        f"cold search (no server, fresh process): median {statistics.median(cold):.2f} s, "
        f"max {max(cold):.2f} s over {len(cold)} runs (target <= 12 s)"
    )
    print(
        f"warm search (server at {url}, fresh CLI process): median {statistics.median(warm):.2f} s, "
        f"max {max(warm):.2f} s over {len(warm)} runs (target < 0.5 s)"
    )
    print(f"same output in both modes: {same}/{len(queries)} queries")
    return 0 if same == len(queries) else 1


if __name__ == "__main__":
    sys.exit(main())

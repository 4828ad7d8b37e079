"""Ingest on Ray Data: files -> parse + extract (CPU tasks) -> embed (batched actors) -> Parquet shards -> load.

The stages call the library's own functions (`ingest.parse`, `index.pipeline._extract`, the embedder
of `index.embed` through `index.bulk.embed_papers`), so a shard holds what `ingest` would have
stored. Files are grouped into shards of `Settings.shard_files`; a shard folder that exists was
written whole (`index.shards`), so a rerun skips it. A file that cannot be read is one failure line
in its shard and never stops the job; a shard whose task died is reported and redone on the next run.
Without an address Ray starts a local runtime on `Settings.workers` CPUs; with `--ray-address` (or
RAY_ADDRESS) it joins that cluster, whose nodes must see the input files and the shard folder.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from index.bulk import embed_papers
from index.embed import load_embedder, model_name
from index.pipeline import _extract
from index.shards import shard_folder, shard_id, write_shard
from ingest.parse import _parse_one, find_papers
from ingest.settings import Settings

# one thread per worker for every numeric library, so N workers use N cores and no more
PARSE_MEMORY = 1 << 30  # bytes a parse + extract task may need (a large PDF, spaCy)
EMBED_MEMORY = (
    896 << 20
)  # bytes an embedding actor holds (the model, a shard's vectors): up to 855 MB measured;
# it must differ from PARSE_MEMORY, else Ray fuses the two stages into the actors
ONE_THREAD = MappingProxyType(
    {
        **{
            k: "1"
            for k in (
                "OMP_NUM_THREADS",
                "OPENBLAS_NUM_THREADS",
                "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS",
                "RAYON_NUM_THREADS",
            )
        },
        "TOKENIZERS_PARALLELISM": "false",
    }
)  # torch follows OMP_NUM_THREADS; ONNX: one_thread_embedder


@dataclass
class RaySummary:
    shards: int = 0  # written in this run
    skipped: int = 0  # already written by an earlier run
    papers: int = 0
    passages: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # every shard of the input, written now or before
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"ray: {self.shards} shards written ({self.papers} papers, {self.passages} passages),"
            f" {self.skipped} already written; {len(self.failures)} failed; {self.seconds:.1f} s"
        )


def plan(
    files: list[Path], given: Callable[[Path], tuple[tuple[str, str], ...]], out: Path, per_shard: int
) -> list[dict[str, Any]]:
    """Group the files (in order) into shards: one row per shard, with its folder and inputs."""
    rows = []
    for i in range(0, len(files), max(1, per_shard)):
        group = [(str(f), tuple(given(f))) for f in files[i : i + per_shard]]
        sid = shard_id(group)
        rows.append(
            {
                "shard": sid,
                "folder": str(shard_folder(out, sid)),
                # each file: as given (its source), its metadata, and its absolute path (read by workers,
                # whose folder is not the driver's)
                "files": json.dumps([[p, list(map(list, g)), str(Path(p).resolve())] for p, g in group]),
            }
        )
    return rows


def parse_extract(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Stage 1 (a CPU task): parse and extract the shard's files; failures are lines, never exceptions."""
    import dataclasses

    done, failures, warnings = [], [], []
    cpu = {"parse": 0.0, "extract": 0.0}  # CPU seconds a stage took (benchmarks/bench_ray.py)
    for path, given, absolute in json.loads(row["files"]):
        t = time.process_time()
        try:
            result = _parse_one((absolute, settings, tuple(tuple(g) for g in given)))
        except Exception as e:  # a reader bug: this file fails, the shard goes on
            failures.append(f"{path}: cannot parse ({type(e).__name__}: {str(e)[:160]})")
            continue
        if isinstance(result, Exception):
            failures.append(str(result))
            continue
        result = dataclasses.replace(result, source=path)
        cpu["parse"] += time.process_time() - t
        t = time.process_time()
        extraction, warns = _extract(result)
        cpu["extract"] += time.process_time() - t
        warnings += warns
        done.append((result, extraction))
    return {
        "shard": row["shard"],
        "folder": row["folder"],
        "parsed": pickle.dumps(done),
        "failures": json.dumps(failures),
        "warnings": json.dumps(warnings),
        "cpu": json.dumps(cpu),
    }


class EmbedWriter:
    """Stage 2 (an actor, the model loaded once): embed a shard's papers and write the shard."""

    def __init__(self, settings: Settings) -> None:
        self.model = model_name(settings)
        self.embedder = one_thread_embedder(load_embedder(settings))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, list[Any]] = {
            "shard": [],
            "papers": [],
            "passages": [],
            "pages": [],
            "words": [],
            "failures": [],
            "warnings": [],
            "cpu": [],
            "finished": [],
        }
        for i in range(len(batch["shard"])):
            items = pickle.loads(batch["parsed"][i])
            failures = json.loads(batch["failures"][i])
            t = time.process_time()
            papers = embed_papers(items, self.embedder)
            cpu = {**json.loads(batch["cpu"][i]), "embed": time.process_time() - t}
            write_shard(Path(batch["folder"][i]), papers, failures, self.model)
            for k, v in (
                ("shard", batch["shard"][i]),
                ("papers", len(items)),
                ("passages", sum(len(d.passages) for d, _ in items)),
                ("pages", sum(d.page_count for d, _ in items)),
                ("words", sum(len(d.text.split()) for d, _ in items)),
                ("failures", batch["failures"][i]),
                ("warnings", batch["warnings"][i]),
                ("cpu", json.dumps(cpu)),
                ("finished", time.time()),
            ):
                out[k].append(v)
        return out


def one_thread_embedder(embedder: Any) -> Any:
    """The embedder embedding one text at a time (a Ray worker is one CPU)."""
    import dataclasses

    return dataclasses.replace(embedder, threads=1)


def run_shards(
    rows: list[dict[str, Any]], settings: Settings, workers: int, progress: bool = True
) -> list[dict[str, Any]]:
    """Run the two stages over the shard rows on the connected Ray cluster; one result row per shard."""
    import ray
    from tqdm import tqdm

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # our own bar counts shards
    ctx.max_errored_blocks = -1  # a shard whose task died is reported (and redone by a rerun), not fatal
    ctx.execution_options.preserve_order = False  # the store loads shards in plan order anyway
    ds = ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))
    # half a CPU each: `workers` parse tasks and `workers` embedding actors fit on `workers` CPUs, and
    # the two stages take turns on a core
    # the memory each stage asks for also keeps Ray from fusing them: parsing stays in tasks
    ds = ds.map(parse_extract, fn_kwargs={"settings": settings}, num_cpus=0.5, memory=PARSE_MEMORY)
    ds = ds.map_batches(
        EmbedWriter,
        fn_constructor_kwargs={"settings": settings},
        batch_size=1,
        # two shards queued an actor at most: the actors stay busy and none hoards the last ones
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=2),
        num_cpus=0.5,
        memory=EMBED_MEMORY,
        batch_format="numpy",
    )
    results = []
    with tqdm(
        total=len(rows), unit="shard", file=sys.stderr, disable=not progress, desc="ray ingest", leave=False
    ) as bar:
        for r in ds.iter_rows():
            results.append(r)
            bar.update(1)
    return results


def connect(address: str | None, workers: int) -> Any:
    """Join the cluster at `address` (or RAY_ADDRESS), else start a local runtime on `workers` CPUs."""
    import ray

    code = str(Path(__file__).resolve().parents[1])
    env = {**ONE_THREAD, "PYTHONPATH": os.pathsep.join(p for p in (code, os.environ.get("PYTHONPATH")) if p)}
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address:
        _reachable(address)
        return ray.init(
            address=address, runtime_env={"env_vars": env}, logging_level="WARNING", log_to_driver=False
        )
    return ray.init(
        num_cpus=workers,
        object_store_memory=512 * 1024 * 1024,
        include_dashboard=False,
        runtime_env={"env_vars": env},
        logging_level="WARNING",
        log_to_driver=False,
    )


def _reachable(address: str, timeout: float = 10.0) -> None:
    """Fail fast (ConnectionError) when nothing listens at host:port; Ray itself retries for minutes."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not port.isdigit():
        return  # a form Ray resolves itself ("auto", a name without a port)
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout).close()
    except OSError as e:
        raise ConnectionError(f"no Ray cluster answers at {address} ({e.strerror or e})") from None


def ray_ingest(
    paths: list[Path],
    settings: Settings,
    out: Path,
    given: Callable[[Path], tuple[tuple[str, str], ...]] = lambda p: (),
    address: str | None = None,
    progress: bool = True,
) -> RaySummary:
    """Write the shards of the papers under `paths` into `out` (those not written yet) on Ray."""
    import ray

    started = time.monotonic()
    summary = RaySummary()
    files, errors = find_papers(paths)
    summary.failures += [str(e) for e in errors]
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    rows = plan(files, given, out, settings.shard_files)
    summary.folders = [Path(r["folder"]) for r in rows]
    todo = [r for r in rows if not Path(r["folder"]).exists()]
    summary.skipped = len(rows) - len(todo)
    if todo:
        connect(address, settings.workers)
        results: list[dict[str, Any]] = []
        try:
            results = run_shards(todo, settings, max(1, settings.workers), progress)
        except Exception as e:  # the run itself failed (an actor could not start...): the shards written stay
            summary.failures.append(f"ray: {type(e).__name__}: {(str(e).splitlines() or [''])[0][:200]}")
        finally:
            ray.shutdown()
        for r in results:
            summary.shards += 1
            summary.papers += int(r["papers"])
            summary.passages += int(r["passages"])
            summary.warnings += json.loads(r["warnings"])
        for r in todo:
            if not Path(r["folder"]).exists():  # a shard folder exists once it is written whole
                names = ", ".join(f[0] for f in json.loads(r["files"]))
                summary.failures.append(f"shard {r['shard']} ({names}): its task failed; rerun to retry it")
    summary.seconds = time.monotonic() - started
    return summary

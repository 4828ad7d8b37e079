"""`councilpapers ingest FILE_OR_DIR...`: parse, extract, embed and index papers into the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from api.cli import CommandError
from api.commands.common import prepare_model, summary_line, writing
from index.bulk import load_shards
from index.pipeline import ingest_paths
from index.ray_ingest import ray_ingest
from index.runtime import Runtime
from ingest.errors import IngestError
from ingest.manifest import given_for
from ingest.parse import find_papers
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "ingest",
        help="parse, extract, embed and index papers into the store "
        "(unchanged files are skipped; a changed file replaces its old version)",
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", type=Path)
    p.add_argument("--council", help="council of every paper given (wins over the extracted one)")
    p.add_argument("--committee", help="committee of every paper given")
    p.add_argument("--date", help="meeting date (YYYY-MM-DD) of every paper given")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--engine",
        choices=("embedded", "ray"),
        default="embedded",
        help="embedded: this process (default); ray: Ray Data tasks and actors write Parquet shards,"
        " then `load` them (needs councilpapers[scale])",
    )
    p.add_argument(
        "--ray-address",
        default=None,
        help="Ray cluster to run on (default: $RAY_ADDRESS, else a local Ray runtime)",
    )
    p.add_argument(
        "--shards",
        type=Path,
        default=None,
        help="folder of the Parquet shards for --engine ray (default: STORE/shards)",
    )
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    files, _missing = find_papers(args.paths)  # ingest_paths reports the missing ones
    try:  # flags win over a manifest.csv / manifest.json beside the files
        given = given_for(files, council=args.council, committee=args.committee, date=args.date)
    except IngestError as e:
        raise CommandError(str(e)) from None
    if args.engine == "ray":
        return _run_ray(args, settings, given)
    prepare_model(runtime)  # says so when the first run converts the model
    with writing(settings):
        summary = ingest_paths(list(args.paths), settings, given=given, progress=not args.quiet)
    for w in dict.fromkeys(summary.warnings):
        print(f"warning: {w}", file=sys.stderr)
    for line in summary.passed_over:  # every file not read, with the reason
        print(f"skipped: {line}", file=sys.stderr)
    for f in summary.failures:
        print(f"error: {f}", file=sys.stderr)
    print(summary_line(summary), file=sys.stderr)
    if summary.pruned:
        print(f"embedding cache: {summary.pruned} vectors no passage uses any more dropped", file=sys.stderr)
    if summary.alerts:
        print(
            f"saved searches: {len(summary.alerts)} new matches (councilpapers alerts run)", file=sys.stderr
        )
    return 1 if summary.failures else 0


def _run_ray(
    args: argparse.Namespace, settings: Settings, given: Callable[[Path], tuple[tuple[str, str], ...]]
) -> int:
    """`--engine ray`: write the shards on Ray (`index.ray_ingest`), then load them (`index.bulk`)."""
    try:
        import ray  # noqa: F401

    except ImportError as e:
        raise CommandError(
            f"--engine ray needs Ray ({e.name} is not installed): pip install 'councilpapers[scale]'"
        ) from None
    out = args.shards or settings.store / "shards"
    try:
        ran = ray_ingest(
            list(args.paths), settings, out, given=given, address=args.ray_address, progress=not args.quiet
        )
    except ConnectionError as e:  # no cluster at the address, or its token refused
        raise CommandError(f"Ray: {str(e).splitlines()[0][:200]}") from None
    loaded = load_shards([f for f in ran.folders if f.exists()], settings, progress=not args.quiet)
    for w in dict.fromkeys(ran.warnings):
        print(f"warning: {w}", file=sys.stderr)
    for f in [*ran.failures, *loaded.failures]:
        print(f"error: {f}", file=sys.stderr)
    print(ran.line(), file=sys.stderr)
    print(loaded.line(), file=sys.stderr)
    return 1 if ran.failures or loaded.failures else 0

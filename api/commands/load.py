"""`councilpapers load SHARD_OR_DIR...`: bulk-load Parquet shards (from `ingest --engine ray`) into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.cli import CommandError
from api.commands.common import summary_line
from index.bulk import load_shards
from index.runtime import Runtime


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "load",
        help="bulk-load Parquet shards (parsed, extracted and embedded papers) into the"
        " store; papers already stored are skipped",
    )
    p.add_argument("shards", nargs="+", metavar="SHARD_OR_DIR", type=Path)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    try:
        import pyarrow  # noqa: F401

    except ImportError as e:
        raise CommandError(
            f"load needs pyarrow ({e.name} is not installed): pip install 'councilpapers[scale]'"
        ) from None
    summary = load_shards(list(args.shards), settings, progress=not args.quiet)
    for w in summary.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for f in summary.failures:
        print(f"error: {f}", file=sys.stderr)
    print(summary_line(summary), file=sys.stderr)
    return 1 if summary.failures else 0

"""`councilpapers ingest FILE_OR_DIR...`: parse, extract, embed and index papers into the store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("ingest", help="parse, extract, embed and index papers into the store "
                                      "(unchanged files are skipped; a changed file replaces its old version)")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", type=Path)
    p.add_argument("--council", help="council of every paper given (wins over the extracted one)")
    p.add_argument("--committee", help="committee of every paper given")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    from index.pipeline import ingest_paths

    given = tuple((k, v) for k, v in (("council", args.council), ("committee", args.committee)) if v)
    summary = ingest_paths(list(args.paths), settings, given=lambda p: given, progress=not args.quiet)
    for w in dict.fromkeys(summary.warnings):
        print(f"warning: {w}", file=sys.stderr)
    for f in summary.failures:
        print(f"error: {f}", file=sys.stderr)
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failures else 0

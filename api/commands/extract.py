"""`councilpapers extract FILE_OR_DIR...`: one JSON object per paper (JSON Lines), nothing stored."""
from __future__ import annotations

import argparse
import json
import sys

from ingest.errors import IngestError
from ingest.parse import find_papers, parse_many
from ingest.settings import Settings
from nlp.export import extraction_json
from nlp.pipeline import build_pipeline, extract


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("extract", help="extract partnerships, operations, priorities, metrics, dates and "
                                       "metadata as JSON Lines (nothing is stored)")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    files, errors = find_papers(args.paths)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    failed = len(errors)
    nlp = build_pipeline()
    for _path, result in parse_many(files, settings):
        if isinstance(result, IngestError):
            print(f"error: {result}", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps(extraction_json(extract(result, nlp)), ensure_ascii=False))
    return 1 if failed else 0

"""`councilpapers parse FILE_OR_DIR... [--json]`: what ingest makes of each paper, nothing stored."""
from __future__ import annotations

import argparse
import json
import sys

from ingest.errors import IngestError
from ingest.parse import find_papers, parse_many
from ingest.serialize import document_json, document_summary
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("parse", help="parse papers and print their passages (nothing is stored)")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--json", action="store_true", help="one JSON object per document (JSON Lines)")
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    files, errors = find_papers(args.paths)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    failed = len(errors)
    for _path, result in parse_many(files, settings):
        if isinstance(result, IngestError):
            print(f"error: {result}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(document_json(result), ensure_ascii=False))
        else:
            print(document_summary(result))
    return 1 if failed else 0

"""`councilpapers parse FILE_OR_DIR... [--json]`: what ingest makes of each paper, nothing stored."""

from __future__ import annotations

import argparse
import json

from api.commands.common import each_document
from index.runtime import Runtime
from ingest.model import Document
from ingest.serialize import document_json, document_summary


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("parse", help="parse papers and print their passages (nothing is stored)")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--json", action="store_true", help="one JSON object per document (JSON Lines)")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings

    def show(doc: Document) -> None:
        print(json.dumps(document_json(doc), ensure_ascii=False) if args.json else document_summary(doc))

    return each_document(args.paths, settings, show)

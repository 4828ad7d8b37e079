"""`councilpapers extract FILE_OR_DIR...`: one JSON object per paper (JSON Lines), nothing stored."""

from __future__ import annotations

import argparse
import json

from api.commands.common import each_document
from index.runtime import Runtime
from nlp.export import extraction_json
from nlp.pipeline import build_pipeline, extract


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "extract",
        help="extract partnerships, operations, priorities, metrics, dates and "
        "metadata as JSON Lines (nothing is stored)",
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    nlp = build_pipeline()
    return each_document(
        args.paths,
        settings,
        lambda doc: print(json.dumps(extraction_json(extract(doc, nlp)), ensure_ascii=False)),
    )

"""`councilpapers remove DOC_ID...`: delete papers from the store, everywhere."""

from __future__ import annotations

import argparse

from api.cli import CommandError
from api.commands.common import open_store, writing
from index.pipeline import remove_document
from index.runtime import Runtime


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("remove", help="delete papers (by document id) from the store and its indexes")
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    store = open_store(settings)
    missing = []
    with store, writing(settings):
        for doc_id in args.doc_ids:
            if remove_document(store, doc_id, settings):
                print(f"removed {doc_id}")
            else:
                missing.append(doc_id)
    if missing:
        raise CommandError(f"no such document in {settings.store}: {', '.join(missing)}")
    return 0

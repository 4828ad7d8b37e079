"""`councilpapers check`: verify the store (SQLite, keyword index and vectors agree)."""

from __future__ import annotations

import argparse
import sys

from index.check import check_store
from index.runtime import Runtime
from index.store import Store


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    return sub.add_parser("check", help="verify that passages, keyword index and vectors agree")


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    problems = check_store(settings)
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    if problems:
        return 1
    with Store.open(settings, create=False) as store:
        c = store.counts()
    print(
        f"ok: {c['documents']} documents, {c['passages']} passages, {c['entities']} entities in {settings.store}"
    )
    return 0

"""`councilpapers history DOC_ID`: the papers on the same matter as one paper, by meeting date, each cited."""

from __future__ import annotations

import argparse
import json
from types import MappingProxyType

from api.cli import CommandError
from api.commands.common import open_store
from api.schemas import history_out
from index.history import paper_history
from index.runtime import Runtime

OUTCOME_WORDS = MappingProxyType(
    {
        "approved_as_amended": "approved as amended",
        "amended": "approved as amended",
        "called_in": "called in",
        "recommended": "recommended to Council",
    }
)


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("history", help="a paper's decision history: report, decision, call-in, later updates")
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument(
        "--json", action="store_true", help="print the history as JSON (as GET /documents/{id}/history)"
    )
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    store = open_store(settings)
    with store:
        history = paper_history(store, args.doc_id)
    if history is None:
        raise CommandError(f"no such document in {settings.store}: {args.doc_id}")
    if args.json:
        print(json.dumps(history_out(history).model_dump(), ensure_ascii=False, indent=1))
        return 0
    if len(history.entries) <= 1:
        print(f"{args.doc_id}: no other paper on the same matter is stored")
    for e in history.entries:
        mark = "*" if e.current else " "
        print(
            f"{mark} {e.meeting_date or 'undated':10s}  {e.kind or 'paper':15s}  {e.title or e.document}  [{e.document}]"
        )
        for _, page, text in e.recommendations[:4]:
            print(f"      proposed{f' (p. {page})' if page else ''}: {' '.join(text.split())[:110]}")
        for d in e.decisions:
            where = f"p. {d.page}" if d.page else "passage " + ", ".join(str(i) for i in d.passages[:3])
            item = f"item {d.item_number} " if d.item_number else ""
            print(f"      {item}{d.item or ''}: {OUTCOME_WORDS.get(d.outcome, d.outcome)} ({where})")
        for k in e.links:
            if e.document == k.target:
                print(f"      <- {k.relation.replace('_', ' ')}: {k.reason}")
    return 0

"""`councilpapers entities [--type T] [--kind K] [--council C] [--json]`: the canonical entities resolved at ingest."""

from __future__ import annotations

import argparse
import json
from typing import Any

from api.cli import CommandError
from api.commands.common import open_store
from index.compare import entities
from index.runtime import Runtime
from nlp.kinds import kind_ids


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "entities",
        help="list partnerships and operations as canonical entities across papers, "
        "with their aliases, councils and papers",
    )
    p.add_argument("--type", choices=("partnership", "operation"))
    p.add_argument("--kind", metavar="K", help="partnership kind id, e.g. community_safety_partnership")
    p.add_argument("--council", metavar="C", help="only entities named in this council's papers")
    p.add_argument("--json", action="store_true", help="one JSON object per entity (JSON Lines)")
    return p


def entity_json(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "type": c.type,
        "name": c.name,
        "scope": c.scope,
        "council": c.council,
        "kind": c.kind,
        "acronym": c.acronym,
        "aliases": list(c.aliases),
        "councils": list(c.councils),
        "documents": list(c.document_ids),
    }


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    if args.kind and args.kind not in kind_ids():
        raise CommandError(f"--kind {args.kind!r}: not a kind id (one of {', '.join(kind_ids())})")
    store = open_store(settings)
    with store:
        found = entities(store, args.type, args.kind, args.council)
    for c in found:
        if args.json:
            print(json.dumps(entity_json(c), ensure_ascii=False))
            continue
        what = c.kind if c.type == "partnership" else "operation"
        where = c.council if c.scope == "local" else c.scope
        aka = f"  aka {', '.join(c.aliases)}" if c.aliases else ""
        print(f"{c.name}  [{what}; {where}]  councils: {', '.join(c.councils)}; papers: {c.documents}{aka}")
    return 0

"""`councilpapers precedents "QUERY" [--exclude-council C] [--like DOC_ID] [--json]`: other councils' approaches."""
from __future__ import annotations

import argparse
import json

from api.cli import CommandError
from api.commands.common import open_store
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("precedents", help="what other councils have done about a problem: named operations, "
                                          "projects and schemes and the passages describing them, by council")
    p.add_argument("query", nargs="?", help='the problem, e.g. "street drinking in a town centre"')
    p.add_argument("--exclude-council", metavar="C", help="leave this council out (your own)")
    p.add_argument("--like", metavar="DOC_ID", help="papers of other councils similar to this paper")
    p.add_argument("--limit", type=int, default=10, help="councils shown (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    from index.precedents import precedents, precedents_json

    if not args.query and not args.like:
        raise CommandError('give a QUERY ("young people groomed into drug supply") or --like DOC_ID')
    store = open_store(settings)
    with store:
        try:
            result = precedents(store, args.query, settings=settings, like=args.like,
                                exclude_council=args.exclude_council, limit=args.limit)
        except (LookupError, ValueError) as e:
            raise CommandError(str(e).strip("'\"")) from None
    if args.json:
        print(json.dumps(precedents_json(result), ensure_ascii=False, indent=2))
        return 0
    if not result.councils:
        print("no precedents found")
    for c in result.councils:
        print(f"{c.council}  (score {c.score:.4f})")
        for a in c.approaches:
            x = a.citations[0]
            print(f"  * {a.name} [{a.scope}]: \u201c{x.quote}\u201d ({x.source}{_where(x)})")
        for p in c.papers if args.like else ():
            print(f"  paper {p.document} {p.meeting_date or ''} {p.title or p.source} (score {p.score:.3f})")
        for x in c.passages[: 1 if c.approaches else 2]:
            print(f"  - \u201c{x.quote}\u201d ({x.source}{_where(x)})")
    return 0


def _where(x: object) -> str:
    page, para = getattr(x, "page", None), getattr(x, "paragraph", None)
    return (f", p. {page}" if page else "") + (f", para {para}" if para else "")

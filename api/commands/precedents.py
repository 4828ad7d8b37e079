"""`councilpapers precedents "QUERY" [--exclude-council C] [--like DOC_ID] [--json]`: other councils' approaches."""

from __future__ import annotations

import argparse
import json
from typing import Any

from api.cli import CommandError
from api.client import ServerError, get_json
from api.commands.common import open_store, resolved_names, server_for
from api.querytext import cut_query
from index.precedents import precedents, precedents_json
from index.runtime import Runtime


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "precedents",
        help="what other councils have done about a problem: named operations, "
        "projects and schemes and the passages describing them, by council",
    )
    p.add_argument("query", nargs="?", help='the problem, e.g. "street drinking in a town centre"')
    p.add_argument(
        "--exclude-council",
        metavar="C",
        help="leave this council out (your own; full name or an "
        "unambiguous part; one that matches none exits 2)",
    )
    p.add_argument("--like", metavar="DOC_ID", help="papers of other councils similar to this paper")
    p.add_argument("--limit", type=int, default=10, help="councils shown (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    if not args.query and not args.like:
        raise CommandError('give a QUERY ("young people groomed into drug supply") or --like DOC_ID')
    query = cut_query(args.query)[0] if args.query else None
    args.exclude_council = next(iter(resolved_names(settings, "council", [args.exclude_council])), None)
    server = server_for(args, settings) if args.limit == SERVER_LIMIT else None
    found = _remote(server, args, query) if server else _local(runtime, args, query)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    if not found["councils"]:
        print("no precedents found")
    for c in found["councils"]:
        print(f"{c['council']}  (score {c['score']:.4f})")
        if c.get("why"):
            print(f"  why: {c['why']}")
        for a in c["approaches"]:
            x = a["citations"][0]
            print(f"  * {a['name']} [{a['scope']}]: \u201c{x['quote']}\u201d ({x['source']}{_where(x)})")
        for p in c["papers"] if args.like else ():
            print(
                f"  paper {p['document']} {p['meeting_date'] or ''} {p['title'] or p['source']} (score {p['score']:.3f})"
            )
        for x in c["passages"][: 1 if c["approaches"] else 2]:
            print(f"  - \u201c{x['quote']}\u201d ({x['source']}{_where(x)})")
    return 0


SERVER_LIMIT = 10  # councils GET /precedents gives; another --limit is answered in this process


def _local(runtime: Runtime, args: argparse.Namespace, query: str | None) -> dict[str, Any]:
    """The library in this process: `index.precedents.precedents`, as GET /precedents calls it."""
    settings = runtime.settings
    with open_store(settings) as store:
        try:
            result = precedents(
                store,
                query,
                settings=settings,
                like=args.like,
                exclude_council=args.exclude_council,
                limit=args.limit,
                runtime=runtime,
            )
        except (LookupError, ValueError) as e:
            raise CommandError(str(e).strip("'\"")) from None
    return precedents_json(result)


def _remote(server: str, args: argparse.Namespace, query: str | None) -> dict[str, Any]:
    try:
        return get_json(
            server,
            "/precedents",
            [("q", query), ("like", args.like), ("exclude_council", args.exclude_council)],
        )
    except ServerError as e:
        raise CommandError(str(e)) from None


def _where(x: dict[str, Any]) -> str:
    page, para = x.get("page"), x.get("paragraph")
    return (f", p. {page}" if page else "") + (f", para {para}" if para else "")

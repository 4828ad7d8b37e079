"""`councilpapers search QUERY [filters]` and `--queries FILE`: hybrid search over the store.

With --json (and always with --queries) one JSON line per query:
{"query": ..., "total": N found, "results": [{"source", "text", "score", "document", "council", ...,
"snippet" (HTML), "snippet_text" (plain), "matches" ([start, end] in snippet_text), "more", "section",
"found" (over the relevance floor: the found results come first)}]}. As text: "N found", the found
results, then a divider and the "more, less relevant" ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli import CommandError
from api.client import ServerError, get_json
from api.commands.common import date_arg, open_store, prepare_model, resolved_names, server_for
from api.querytext import cut_query
from index.compare import published_urls
from index.export import search_csv, search_rows
from index.runtime import Runtime
from index.search import SearchFilters, search_page
from ingest.settings import Settings
from nlp.sections import roles

if TYPE_CHECKING:
    from collections.abc import Callable


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("search", help="search the stored papers (hybrid keyword + meaning)")
    p.add_argument("query", nargs="?", help='words, "a phrase", prefix* or an acronym')
    p.add_argument("--queries", type=Path, metavar="FILE", help="one query a line; prints JSON Lines")
    p.add_argument(
        "--council",
        help="full name or an unambiguous part; a name that matches none exits 2, with a suggestion",
    )
    p.add_argument("--committee", help="as --council")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="meeting date on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="meeting date on or before (YYYY-MM-DD)")
    p.add_argument("--theme", help="theme id, e.g. county_lines")
    p.add_argument("--entity", metavar="NAME", help="passages naming this partnership or operation")
    p.add_argument(
        "--section",
        metavar="ROLE",
        help="passages of this section only: recommendations, financial, "
        "legal, equalities, resolution ... (nlp/data/section_roles.jsonl)",
    )
    p.add_argument("--document", metavar="ID", help="only this paper")
    p.add_argument("-k", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--mode", choices=("hybrid", "keyword", "dense"), default="hybrid")
    p.add_argument("--json", action="store_true", help="one JSON line per query")
    p.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="json: as --json; csv: one row per result (headers in words, the sentence matched, a link "
        "to the passage: the published paper, else COUNCILPAPERS_PUBLIC_URL)",
    )
    p.add_argument("--facets", action="store_true", help="add counts by council, committee and theme")
    p.add_argument(
        "--group",
        choices=("passage", "paper"),
        default="passage",
        help="paper: the best passage of each paper, and how many more it has",
    )
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    if bool(args.query) == bool(args.queries):
        raise CommandError("give either a QUERY or --queries FILE")
    if args.k < 1:
        raise CommandError(f"-k {args.k}: must be at least 1")
    if args.section:
        if args.section not in roles():
            raise CommandError(
                f"--section {args.section!r}: not a section role (one of {', '.join(roles())})"
            )
    council, committee = (
        next(iter(resolved_names(settings, kind, [value])), None)
        for kind, value in (("council", args.council), ("committee", args.committee))
    )
    filters = {
        "council": council,
        "committee": committee,
        "date_from": date_arg(args.date_from, "--from"),
        "date_to": date_arg(args.date_to, "--to"),
        "theme": args.theme,
        "entity": args.entity,
        "document": args.document,
        "section": args.section,
    }
    queries, status = _read_queries(args.queries) if args.queries else ([args.query], 0)
    server = server_for(args, settings) if args.k <= MAX_REMOTE_K else None
    with ExitStack() as stack:
        ask = _remote(server, args, filters) if server else _local(runtime, args, filters, stack)
        status = max(
            status,
            _answer_csv(queries, ask, args, settings)
            if args.format == "csv"
            else _answer(queries, ask, args),
        )
    return status


def _answer_csv(
    queries: list[str], ask: Callable[[str], Answer], args: argparse.Namespace, settings: Settings
) -> int:
    """The results as one CSV (index.export.search_csv); with --queries, each row names its query."""
    rows, status = [], 0
    for q in queries:
        query, _ = cut_query(q)
        if not query:
            print("error: empty query; skipped", file=sys.stderr)
            status = 1
            continue
        results = ask(query)[0]
        with open_store(settings) as store:
            urls = published_urls(store, [r["document"] for r in results])
        rows += search_rows(results, urls, settings.public_url, query if args.queries else None)
    sys.stdout.write(search_csv(rows, with_query=bool(args.queries)))
    return status


def _answer(queries: list[str], ask: Callable[[str], Answer], args: argparse.Namespace) -> int:
    status = 0
    for q in queries:
        query, note = cut_query(q)
        if note:
            print(f"note: {note}", file=sys.stderr)
        if not query:
            print("error: empty query; skipped", file=sys.stderr)
            status = 1
            continue
        results, total, facets = ask(query)
        if args.json or args.queries or args.format == "json":
            out: dict[str, Any] = {"query": query, "results": results, "total": total}
            if args.facets:
                out.update(facets=facets)
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            _print(query, results, total, facets if args.facets else {})
    return status


MAX_REMOTE_K = 100  # GET /search's largest `limit`; more is asked of the store directly
Answer = tuple[list[dict[str, Any]], int, dict[str, dict[str, int]]]


def _local(
    runtime: Runtime, args: argparse.Namespace, filters: dict[str, Any], stack: ExitStack
) -> Callable[[str], Answer]:
    """Search the store in this process: the same library call as GET /search (`index.search.search_page`)."""
    settings = runtime.settings
    store = stack.enter_context(open_store(settings))
    if args.mode != "keyword":
        prepare_model(runtime)
    chosen = SearchFilters(**filters)

    def ask(query: str) -> Answer:
        page = search_page(
            store,
            query,
            settings=settings,
            mode=args.mode,
            k=args.k,
            filters=chosen,
            facets=args.facets,
            group=args.group,
            runtime=runtime,
        )
        return [_json(r) for r in page.results], page.total, page.facets

    return ask


def _remote(server: str, args: argparse.Namespace, filters: dict[str, Any]) -> Callable[[str], Answer]:
    """Ask the running server's GET /search: no model or index loaded in this process."""
    names = {"date_from": "from", "date_to": "to"}
    params = [(names.get(k, k), v) for k, v in filters.items()]

    def ask(query: str) -> Answer:
        try:
            body = get_json(
                server,
                "/search",
                [("q", query), ("mode", args.mode), ("group", args.group), ("limit", args.k), *params],
            )
        except ServerError as e:
            raise CommandError(str(e)) from None
        results = [{k: v for k, v in hit.items() if k not in SERVER_ONLY} for hit in body["results"]]
        return results, int(body["total"]), body.get("facets") or {}

    return ask


SERVER_ONLY = ("url", "paper_kind")  # fields of GET /search's hits that the library's results do not have


def _read_queries(path: Path) -> tuple[list[str], int]:
    """The queries of a file, one a line; a line that is not UTF-8 is one error line and is skipped."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CommandError(f"{path}: cannot read queries: {e.strerror or e}") from None
    queries, status = [], 0
    for n, line in enumerate(raw.splitlines(), 1):
        try:
            text = line.decode("utf-8-sig" if n == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            print(f"error: {path} line {n}: not UTF-8 text; skipped", file=sys.stderr)
            status = 1
            continue
        if text:
            queries.append(text)
    return queries, status


def _json(result: Any) -> dict[str, Any]:
    d = asdict(result)
    d["pages"] = list(d["pages"])
    d["heading_path"] = list(d["heading_path"])
    d["matches"] = [list(m) for m in d["matches"]]
    return d


def _marked(text: str, matches: list[list[int]]) -> str:
    """The plain snippet with each match in **bold** (Markdown)."""
    out, pos = [], 0
    for a, b in matches:
        out += [text[pos:a], "**", text[a:b], "**"]
        pos = b
    return "".join(out) + text[pos:]


DIVIDER = "-- more, less relevant --"


def _print(query: str, results: list[dict[str, Any]], total: int, facets: dict[str, dict[str, int]]) -> None:
    """ "N found", the found results, then (when any are shown) a divider and the less relevant ones."""
    if not results:
        print(f"no results for {query!r}", file=sys.stderr)
        return
    print(f"{total} found" if total else "none found over the relevance floor")
    for n, r in enumerate(results, 1):
        if not r.get("found", True) and (n == 1 or results[n - 2].get("found", True)):
            print(DIVIDER)
        where = ", ".join(x for x in (r["council"], r["committee"], r["meeting_date"]) if x)
        loc = " ".join(
            x
            for x in (
                f"p{r['page']}" if r["page"] else "",
                f"\u00b6{r['paragraph']}" if r["paragraph"] else "",
            )
            if x
        )
        print(f"{n:>2}. {r['score']:.4f}  {r['source']}  {loc}  {where}".rstrip())
        if r["heading_path"]:
            print(f"    {' > '.join(r['heading_path'])}")
        print(f"    {_marked(r['snippet_text'], r['matches'])}")
        if r["more"]:
            print(f"    ({r['more']} more from this paper)")
    if facets:
        for name, counts in facets.items():
            print(f"{name}: " + ", ".join(f"{k} ({v})" for k, v in counts.items()))

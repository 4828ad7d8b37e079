"""`councilpapers harvest --site URL --council NAME [--from DATE --to DATE] [--committee PATTERN]`.

Downloads a ModernGov site's public papers into the store (ingest.harvest), then indexes them with
their metadata. A document linked from several meetings is stored and indexed once; each link is
passed to the index as its own source (one `ingest_paths` call per round of repeated links).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from api.cli import CommandError
from api.commands.common import writing
from index.runtime import Runtime
from ingest.errors import IngestError
from ingest.harvest import HarvestedPaper, HarvestError, harvest
from ingest.manifest import parse_date
from ingest.settings import Settings

DEFAULT_BACK_DAYS = 365  # without --from: the last year
DEFAULT_AHEAD_DAYS = 31  # without --to: agendas published for the coming month


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("harvest", help="download a ModernGov council's public papers and index them")
    p.add_argument(
        "--site",
        required=True,
        metavar="URL",
        help="the council's ModernGov address, e.g. https://democracy.example.gov.uk",
    )
    p.add_argument(
        "--council", required=True, metavar="NAME", help="the council's name, attached to every paper"
    )
    p.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY-MM-DD",
        help=f"first meeting date (default: {DEFAULT_BACK_DAYS} days ago)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        metavar="YYYY-MM-DD",
        help=f"last meeting date (default: {DEFAULT_AHEAD_DAYS} days ahead)",
    )
    p.add_argument(
        "--committee", metavar="PATTERN", help="only committees whose title matches (regex, any case)"
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="also fetch documents from this host (repeatable); the site's own host and the council's"
        " domain are always allowed, nothing else is",
    )
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="allow private, loopback and link-local addresses (a site on an intranet); refused otherwise",
    )
    p.add_argument("--no-index", action="store_true", help="download only; do not index the papers")
    p.add_argument("--verbose", action="store_true", help="list skipped items and failed downloads")
    return p


def date_range(date_from: str | None, date_to: str | None, today: date) -> tuple[date, date]:
    try:
        lo = (
            date.fromisoformat(parse_date(date_from, "--from", "date"))
            if date_from
            else today - timedelta(days=DEFAULT_BACK_DAYS)
        )
        hi = (
            date.fromisoformat(parse_date(date_to, "--to", "date"))
            if date_to
            else today + timedelta(days=DEFAULT_AHEAD_DAYS)
        )
    except IngestError as e:
        raise CommandError(str(e)) from None
    if lo > hi:
        raise CommandError(f"--from {lo} is after --to {hi}")
    return lo, hi


def link_rounds(papers: tuple[HarvestedPaper, ...]) -> list[tuple[list[Path], Callable[[Path], tuple]]]:
    """(paths, given) per round: round k holds the k-th link of every file linked more than k times."""
    links: dict[Path, list[HarvestedPaper]] = {}
    for p in papers:
        links.setdefault(p.path, []).append(p)
    rounds = []
    for k in range(max((len(v) for v in links.values()), default=0)):
        paths = [path for path, v in links.items() if len(v) > k]
        given = {path: links[path][k].pairs() for path in paths}
        rounds.append((paths, lambda path, g=given: g.get(path, ())))
    return rounds


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    lo, hi = date_range(args.date_from, args.date_to, date.today())
    settings = settings.model_copy(
        update={
            "harvest_hosts": [*settings.harvest_hosts, *args.allow_host],
            "harvest_allow_private": settings.harvest_allow_private or args.allow_private,
        }
    )
    if not settings.contact:
        print(
            "note: COUNCILPAPERS_CONTACT is not set; sites prefer a harvester they can reach", file=sys.stderr
        )
    try:
        result = harvest(
            args.site,
            args.council,
            settings,
            date_from=lo,
            date_to=hi,
            committee=args.committee,
            note=lambda line: print(f"note: {line}", file=sys.stderr),
        )
    except HarvestError as e:
        raise CommandError(str(e)) from None
    files = len({p.path for p in result.papers})
    print(
        f"harvested {len(result.papers)} links to {files} documents ({lo} to {hi}): "
        f"{result.downloaded} downloaded, {result.unchanged} unchanged, {result.written} item minutes new, "
        f"{len(result.skipped)} skipped, {len(result.refused)} refused, {len(result.failures)} failed"
        + (" (from the public pages)" if result.used_pages else "")
    )
    kinds = Counter(p.paper_kind for p in result.papers)
    if kinds:
        print("kinds: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
    for line in result.refused:  # links off the site or to internal addresses: never fetched, always named
        print(f"refused: {line}")
    for line in result.failures:
        print(f"error: {line}", file=sys.stderr)
    for line in result.skipped:  # cancelled meetings and procedural items are always named
        if args.verbose or line.endswith((": procedural", ": cancelled")):
            print(f"skipped: {line}")
    if not args.no_index and result.papers:
        with writing(settings):
            _index(result.papers, settings)
    return 1 if result.failures else 0


def _index(papers: tuple[HarvestedPaper, ...], settings: Settings) -> None:
    try:
        from index.pipeline import ingest_paths
    except ImportError as e:
        raise CommandError(
            f"cannot index: {e}; the files are in {settings.store / 'files'} (use --no-index)"
        ) from None
    matches = 0
    for paths, given in link_rounds(papers):
        summary = ingest_paths(paths, settings, given=given, progress=False)
        for line in getattr(summary, "failures", ()):
            print(f"error: {line}", file=sys.stderr)
        matches += len(getattr(summary, "alerts", ()))
    if matches:
        print(f"saved searches: {matches} new matches (councilpapers alerts run)")

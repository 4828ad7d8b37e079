"""`councilpapers compare --rows council --cols theme|partnership-kind|operation|metric|section ...`: a cited table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.cli import CommandError
from api.commands.common import date_arg, open_store
from index.compare import COLUMN_TYPES, compare
from index.export import FORMATS, render
from index.names import UnknownName
from index.runtime import Runtime
from nlp.themes import theme_labels


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "compare",
        help="councils side by side: a councils-by-theme/kind/operation/metric table, "
        "every filled cell cited",
    )
    p.add_argument("--rows", choices=("council",), default="council")
    p.add_argument("--cols", choices=COLUMN_TYPES, default="theme")
    p.add_argument(
        "--councils",
        nargs="+",
        metavar="C",
        help="these councils only (full name or an unambiguous part "
        "of it; a name that matches none exits 2, with a "
        "suggestion)",
    )
    p.add_argument("--from", dest="date_from", metavar="DATE", help="meeting date on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="meeting date on or before (YYYY-MM-DD)")
    p.add_argument(
        "--theme",
        metavar="T",
        help="with --cols section: only passages about this theme "
        "(an id of eval/themes.json, e.g. serious_violence)",
    )
    p.add_argument(
        "--min-councils",
        type=int,
        default=1,
        metavar="N",
        help="only columns filled for at least N councils (default 1)",
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (xlsx needs it)")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    if args.format == "xlsx" and not args.output:
        raise CommandError("--format xlsx: give -o FILE.xlsx")
    date_from, date_to = date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
    if date_to and len(date_to) < 10:
        date_to += "-12-31" if len(date_to) == 4 else "-31"  # a year or month is inclusive
    store = open_store(settings)
    if args.theme:
        if args.theme not in theme_labels():
            raise CommandError(f"--theme {args.theme!r}: not a theme id (one of {', '.join(theme_labels())})")
    try:
        with store:
            table = compare(
                store,
                args.cols,
                councils=args.councils,
                date_from=date_from,
                date_to=date_to,
                min_councils=args.min_councils,
                theme=args.theme,
            )
    except UnknownName as e:
        raise CommandError(str(e), status=2) from None
    except ValueError as e:
        raise CommandError(str(e)) from None
    data = render(table, args.format, settings.public_url)
    if args.output:
        try:
            args.output.write_bytes(data)
        except OSError as e:
            raise CommandError(f"{args.output}: cannot write: {e.strerror}") from None
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0

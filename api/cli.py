"""`councilpapers`: one subcommand a module in `api/commands/`, each a thin layer over the library.

Every command shares `--store DIR`; errors are one line on stderr and exit status 1 (2 for a council or
committee name that matches none: index.names).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from index.runtime import Runtime
from ingest.settings import Settings

# subcommand modules, in the order `--help` lists them; each has register(subparsers) and run(args, runtime)
COMMANDS = (
    "parse",
    "extract",
    "ingest",
    "search",
    "remove",
    "check",
    "entities",
    "compare",
    "precedents",
    "history",
    "harvest",
    "alerts",
    "load",
    "serve",
)
# commands that build vector indexes (FAISS keeps every core); the others answer queries (one core each)
BUILDING = frozenset({"ingest", "harvest", "load"})


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1 (or `status`: 2 for an argument that names
    nothing, as argparse's own usage errors exit 2)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _load(name: str):  # noqa: ANN202
    return importlib.import_module(f"api.commands.{name}")


def chosen_command(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (after any --store/--server DIR), or None."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--store", "--server"):
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `only` (a fresh process then imports one command module)."""
    parser = argparse.ArgumentParser(
        prog="councilpapers", description="Search, extract and compare UK council committee papers."
    )
    parser.add_argument(
        "--store", type=Path, default=None, help="store folder (default: $COUNCILPAPERS_STORE or .store)"
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="ask this running server (search, precedents); default: the one `serve` "
        "recorded in the store folder, if it answers; `--server off` works locally",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in (only,) if only else COMMANDS:
        try:
            module = _load(name)
        except ModuleNotFoundError as e:
            if e.name == f"api.commands.{name}":
                continue  # a command not built yet
            raise
        p = module.register(sub)
        p.add_argument("--store", type=Path, default=argparse.SUPPRESS, help="store folder")
        p.add_argument("--server", metavar="URL", default=argparse.SUPPRESS, help="running server to ask")
        p.set_defaults(_run=module.run)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    store = getattr(args, "store", None)
    return Settings(store=store) if store else Settings()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(chosen_command(argv)).parse_args(argv)
    try:
        settings = settings_from(args)
        with Runtime.start(settings, queries=args.command not in BUILDING) as runtime:  # one per call
            return int(args._run(args, runtime) or 0)
    except CommandError as e:
        print(f"councilpapers {args.command}: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"councilpapers {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

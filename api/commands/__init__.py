"""One module a subcommand: `register(subparsers) -> ArgumentParser` and `run(args, settings) -> int`."""

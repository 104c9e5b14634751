"""Command line of the benchmarks: ``python -m benchmarks [COMMAND] [options]``."""

import argparse
import sys
from collections.abc import Sequence

from benchmarks import burst, chart, contacts, floor, scale

_DEFAULT = "contacts"


_BENCHMARKS = {
    "contacts": (contacts, "register new contacts on an empty database and on one with history"),
    "floor": (floor, "the SQL of new contacts through SQLAlchemy alone and sqlite3 alone"),
    "burst": (burst, "deliver a burst of client messages through the bot under Telegram's limits"),
    "chart": (chart, "draw /stats chart for 10 and 100 operators"),
    "scale": (scale, "PostgreSQL: new contacts/s with 1 and 3 processes; /stats and /queue times"),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per benchmark."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=f"Switchboard benchmarks (default subcommand: {_DEFAULT}).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, summary) in _BENCHMARKS.items():
        module.add_arguments(
            commands.add_parser(
                name,
                help=summary,
                description=module.__doc__,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmark; the exit status is 0 when every target passed."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, _DEFAULT)
    args = build_parser().parse_args(args_list)
    module, _ = _BENCHMARKS[args.command]
    return module.run(args)


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the benchmarks: ``python -m benchmarks [contacts|burst|scale] [options]``."""

import argparse
import sys
from collections.abc import Sequence

from benchmarks import burst, contacts, scale

_DEFAULT = "contacts"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per benchmark."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=f"Switchboard benchmarks (default subcommand: {_DEFAULT}).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    contacts.add_arguments(
        commands.add_parser(
            "contacts",
            help="register new contacts on an empty database and on one with history",
            description=contacts.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    burst.add_arguments(
        commands.add_parser(
            "burst",
            help="deliver a burst of client messages through the bot under Telegram's limits",
            description=burst.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    scale.add_arguments(
        commands.add_parser(
            "scale",
            help="PostgreSQL: new contacts/s with 1 and 3 processes; /stats and /queue times",
            description=scale.__doc__,
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
    if args.command == "contacts":
        return contacts.run(args)
    if args.command == "burst":
        return burst.run(args)
    if args.command == "scale":
        return scale.run(args)
    raise AssertionError(f"unknown command {args.command!r}")


if __name__ == "__main__":
    sys.exit(main())

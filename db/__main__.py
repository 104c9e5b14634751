"""``python -m db upgrade|downgrade|current``: migrate the database named by DATABASE_URL.

Without DATABASE_URL the SQLite file ``./switchboard.db`` is used. Exit status: 0 on success,
1 when the database fails (unreachable, migration error), 2 for a bad command or URL.
"""

import argparse
import asyncio
import sys

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from db.migrate import (
    DatabaseURLError,
    current_revisions,
    database_url_from_env,
    downgrade_to_base,
    head_revisions,
    upgrade_to_head,
)

_ACTIONS = {"upgrade": upgrade_to_head, "downgrade": downgrade_to_base}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m db", description="Migrate the Switchboard database (DATABASE_URL)."
    )
    parser.add_argument(
        "command",
        choices=("upgrade", "downgrade", "current"),
        help="upgrade to head, downgrade to base (drops every table), or show the revision",
    )
    command = parser.parse_args(argv).command
    try:
        print(asyncio.run(_run(command, database_url_from_env())))
    except DatabaseURLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DBAPIError, OSError, CommandError) as exc:
        # The driver's own error, first line only: SQLAlchemy appends the SQL statement.
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        message = str(cause).strip().partition("\n")[0]
        print(f"error: {command} failed: {type(cause).__name__}: {message}", file=sys.stderr)
        return 1
    return 0


async def _run(command: str, url: str) -> str:
    before = await current_revisions(url)
    action = _ACTIONS.get(command)
    if action is None:
        return _describe(before)
    await action(url)
    after = await current_revisions(url)
    if after == before:
        return f"nothing to do: database at {_describe(after)}"
    return f"{command}d: {_describe(before)} -> {_describe(after)}"


def _describe(revisions: tuple[str, ...]) -> str:
    heads = head_revisions()
    label = ", ".join(revisions) or "base"
    if set(revisions) == set(heads):
        return f"{label} (head)"
    return f"{label} (head is {', '.join(heads)})"


if __name__ == "__main__":
    sys.exit(main())

"""Schema migrations run programmatically, from inside a running event loop.

Alembic's ``env.py`` normally creates its own engine and calls :func:`asyncio.run`, which
fails inside a running loop. Here we open the connection ourselves and hand it to Alembic
through ``config.attributes["connection"]`` within ``AsyncConnection.run_sync`` (Alembic's
cookbook recipe "Programmatic API use (connection sharing) With Asyncio").
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./switchboard.db"
ALEMBIC_INI = Path(__file__).with_name("alembic.ini")

_T = TypeVar("_T")

# Key of the PostgreSQL advisory lock held while migrating (any constant unique to this app).
_MIGRATION_LOCK = 0x5377_6974_6368  # "Switch"
# Constraints of this schema added NOT VALID and not validated yet: (table, constraint).
_NOT_VALIDATED = text(
    "SELECT cl.relname, co.conname FROM pg_constraint co "
    "JOIN pg_class cl ON cl.oid = co.conrelid "
    "WHERE NOT co.convalidated AND cl.relnamespace = CAST(current_schema() AS regnamespace) "
    "ORDER BY 1, 2"
)


class DatabaseURLError(ValueError):
    """The database URL is unusable: unparsable, unknown dialect or not an asyncio driver."""


def database_url_from_env() -> str:
    """``DATABASE_URL`` from the environment, else the SQLite file in the working directory."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def alembic_config() -> Config:
    """The package's Alembic configuration, located next to this module."""
    return Config(str(ALEMBIC_INI))


def create_migration_engine(url: str) -> AsyncEngine:
    """Engine used to run migrations: no pool, and on SQLite real transactions around DDL.

    Raises :class:`DatabaseURLError` when ``url`` cannot give an asyncio engine. Nothing is
    connected yet, so an unreachable server fails later, on first use.
    """
    try:
        engine = create_async_engine(url, poolclass=NullPool)
    except (ArgumentError, InvalidRequestError, ImportError, ValueError) as exc:
        raise DatabaseURLError(f"invalid database URL {_safe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


async def run_in_transaction(url: str, fn: Callable[[Connection], _T]) -> _T:
    """Call ``fn`` with a sync connection to ``url`` inside one transaction, then commit."""
    engine = create_migration_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(fn)
    finally:
        await engine.dispose()


async def upgrade_to_head(url: str) -> None:
    """Apply every pending migration to the database at ``url``, atomically; then, on
    PostgreSQL, validate the constraints they added ``NOT VALID``."""
    await _run_command(url, command.upgrade, "head")
    await validate_constraints(url)


async def validate_constraints(url: str) -> None:
    """PostgreSQL: validate every constraint added ``NOT VALID``, each in a transaction of its
    own. Migrations add constraints that way so that adding one does not scan the table under
    an exclusive lock; ``VALIDATE CONSTRAINT`` scans it under a lock that lets reads and writes
    go on. A start interrupted before this validates them the next time."""
    engine = create_migration_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            return
        async with engine.connect() as connection:
            pending = (await connection.execute(_NOT_VALIDATED)).all()
            await connection.commit()
            quote = connection.dialect.identifier_preparer.quote
            for table, name in pending:
                async with connection.begin():
                    await connection.execute(
                        text(f"ALTER TABLE {quote(table)} VALIDATE CONSTRAINT {quote(name)}")
                    )
    finally:
        await engine.dispose()


async def downgrade_to_base(url: str) -> None:
    """Revert every migration: drop the whole schema of the database at ``url``."""
    await _run_command(url, command.downgrade, "base")


async def current_revisions(url: str) -> tuple[str, ...]:
    """Revisions the database at ``url`` is at; empty when it was never migrated."""
    return await run_in_transaction(
        url, lambda connection: MigrationContext.configure(connection).get_current_heads()
    )


def head_revisions() -> tuple[str, ...]:
    """Latest revisions shipped with the code (one unless the history branched)."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


async def _run_command(url: str, alembic_command: Callable[[Config, str], Any], rev: str) -> None:
    config = alembic_config()

    def run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Several processes starting at once (replicas) migrate one after the other; the
            # later ones then find the database at head. SQLite's BEGIN IMMEDIATE does the same.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        alembic_command(config, rev)

    await run_in_transaction(url, run)


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    # The sqlite3 driver only opens a transaction before DML, so DDL would autocommit and a
    # failed migration would leave half its tables behind: take over BEGIN ourselves (as
    # db.engine does). Foreign keys stay off, as batch mode requires: dropping the old copy of
    # a rebuilt table would otherwise cascade deletes into the tables that reference it. The
    # pragma is ignored inside a transaction, hence on connect.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _safe(url: str) -> str:
    """``url`` with any password masked; a placeholder when it cannot even be parsed."""
    try:
        return repr(make_url(url).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return "(unparsable)"

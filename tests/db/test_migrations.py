"""Alembic migrations: `upgrade head` gives exactly the schema of db.models, and back.

Runs on a fresh SQLite file, and on PostgreSQL when TEST_DATABASE_URL points at a reachable
server (a throw-away database is created there and dropped afterwards).
"""

import asyncio
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import create_engine, create_session_factory
from db.migrate import (
    ALEMBIC_INI,
    current_revisions,
    downgrade_to_base,
    head_revisions,
    run_in_transaction,
    upgrade_to_head,
)
from db.models import Base, Contact, ContactStatus, Lead, Source

PG_URL_ENV = "TEST_DATABASE_URL"
PG_CONNECT_TIMEOUT = 5.0


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return _sqlite_url(tmp_path / "switchboard.db")


@pytest.fixture
async def postgresql_url() -> AsyncIterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    raw = os.environ.get(PG_URL_ENV)
    if not raw:
        pytest.skip(f"{PG_URL_ENV} is not set")
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        pytest.skip(f"{PG_URL_ENV} is not a PostgreSQL URL")
    url = url.set(drivername="postgresql+asyncpg")
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"switchboard_migrations_{uuid.uuid4().hex[:12]}"
    try:
        async with asyncio.timeout(PG_CONNECT_TIMEOUT), admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except (OSError, DBAPIError, TimeoutError) as exc:
        await admin.dispose()
        where = url.render_as_string(hide_password=True)
        pytest.skip(f"cannot create a database on {where}: {type(exc).__name__}: {exc}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend."""
    return request.getfixturevalue(f"{request.param}_url")


def _schema_diff(connection: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _index_sql(connection: Connection, name: str) -> str:
    if connection.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
    else:
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    return connection.execute(text(query), {"name": name}).scalar_one()


async def test_upgrade_gives_the_models_schema(database_url: str) -> None:
    assert await current_revisions(database_url) == ()

    await upgrade_to_head(database_url)

    assert await current_revisions(database_url) == head_revisions()
    assert await run_in_transaction(database_url, _schema_diff) == []
    unique_open = await run_in_transaction(
        database_url, lambda c: _index_sql(c, "uq_contacts_open_lead_source")
    )
    assert "UNIQUE" in unique_open.upper()
    assert "WHERE" in unique_open.upper()
    assert "'closed'" in unique_open
    queue = await run_in_transaction(database_url, lambda c: _index_sql(c, "ix_contacts_queue"))
    assert "operator_id IS NULL" in queue
    assert "'new'" in queue


async def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    await upgrade_to_head(database_url)
    await upgrade_to_head(database_url)

    assert await current_revisions(database_url) == head_revisions()


async def test_one_open_contact_per_lead_and_source(database_url: str) -> None:
    await upgrade_to_head(database_url)
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            lead = Lead(telegram_id=1001)
            source = Source(bot_id=2001, username="help_bot", title="Help")
            other_source = Source(bot_id=2002, username="sales_bot", title="Sales")
            session.add_all([lead, source, other_source])
            await session.flush()
            session.add_all(
                [
                    Contact(lead_id=lead.id, source_id=source.id, status=ContactStatus.CLOSED),
                    Contact(lead_id=lead.id, source_id=source.id, status=ContactStatus.CLOSED),
                    Contact(lead_id=lead.id, source_id=source.id, status=ContactStatus.NEW),
                    Contact(lead_id=lead.id, source_id=other_source.id),
                ]
            )

        with pytest.raises(IntegrityError):
            async with sessions() as session, session.begin():
                session.add(
                    Contact(lead_id=lead.id, source_id=source.id, status=ContactStatus.IN_PROGRESS)
                )
    finally:
        await engine.dispose()


async def test_downgrade_removes_everything_and_upgrade_again(database_url: str) -> None:
    await upgrade_to_head(database_url)

    await downgrade_to_base(database_url)

    assert await run_in_transaction(database_url, _table_names) <= {"alembic_version"}
    assert await current_revisions(database_url) == ()
    assert await run_in_transaction(database_url, _schema_diff) != []

    await upgrade_to_head(database_url)

    assert await current_revisions(database_url) == head_revisions()
    assert await run_in_transaction(database_url, _schema_diff) == []


async def test_failed_upgrade_leaves_nothing_behind(database_url: str) -> None:
    # "deliveries" is created last: the upgrade fails after creating every other table.
    await run_in_transaction(
        database_url, lambda c: c.exec_driver_sql("CREATE TABLE deliveries (id INTEGER)")
    )

    with pytest.raises(DBAPIError):
        await upgrade_to_head(database_url)

    assert await run_in_transaction(database_url, _table_names) == {"deliveries"}
    assert await current_revisions(database_url) == ()


async def test_programmatic_use_leaves_logging_alone(sqlite_url: str) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    await upgrade_to_head(sqlite_url)

    assert (root.handlers, root.level) == (handlers, level)


def _run_python(
    *args: str, cwd: Path, database_url: str | None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_upgrade_then_current(tmp_path: Path) -> None:
    (head,) = head_revisions()
    (tmp_path / "data").mkdir()
    url = _sqlite_url(tmp_path / "data" / "cli.db")

    upgrade = _run_python("-m", "db", "upgrade", cwd=tmp_path, database_url=url)
    current = _run_python("-m", "db", "current", cwd=tmp_path, database_url=url)

    assert upgrade.returncode == 0, upgrade.stderr
    assert upgrade.stdout.strip().endswith(f"-> {head} (head)")
    assert current.returncode == 0, current.stderr
    assert current.stdout.strip() == f"{head} (head)"


def test_cli_defaults_to_switchboard_db_in_working_directory(tmp_path: Path) -> None:
    result = _run_python("-m", "db", "upgrade", cwd=tmp_path, database_url=None)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "switchboard.db").is_file()


@pytest.mark.parametrize(
    "bad_url",
    ["not a url", "nosuchdb://user:hunter2@host/db", "sqlite:///sync-driver.db"],
)
def test_cli_bad_url_is_one_line_and_exit_2(tmp_path: Path, bad_url: str) -> None:
    result = _run_python("-m", "db", "upgrade", cwd=tmp_path, database_url=bad_url)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: invalid database URL")
    assert "hunter2" not in result.stderr
    assert not (tmp_path / "sync-driver.db").exists()


def test_alembic_command_line_takes_url_from_x_argument(tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path / "alembic.db")
    alembic = ("-m", "alembic", "-c", str(ALEMBIC_INI), "-x", f"url={url}")

    upgrade = _run_python(*alembic, "upgrade", "head", cwd=tmp_path, database_url=None)
    check = _run_python(*alembic, "check", cwd=tmp_path, database_url=None)
    offline = _run_python(*alembic, "upgrade", "head", "--sql", cwd=tmp_path, database_url=None)

    assert upgrade.returncode == 0, upgrade.stderr
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    assert offline.returncode == 0, offline.stderr
    assert "CREATE UNIQUE INDEX uq_contacts_open_lead_source" in offline.stdout
    assert "WHERE status <> 'closed'" in offline.stdout
    assert not (tmp_path / "switchboard.db").exists()

"""Alembic migrations: `upgrade head` gives exactly the schema of db.models, and back.

Runs on a fresh SQLite file, and on PostgreSQL when TEST_DATABASE_URL points at a reachable
server (a throw-away database is created there and dropped afterwards). Revision 0004 (CHECK
constraints; on SQLite it rebuilds tables) also runs on a database holding rows at 0003, and
revision 0005 (operators.paused) on one holding rows at 0004.
"""

import asyncio
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import Connection, column, inspect, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import create_engine, create_session_factory
from db.migrate import (
    ALEMBIC_INI,
    alembic_config,
    current_revisions,
    downgrade_to_base,
    head_revisions,
    run_in_transaction,
    upgrade_to_head,
)
from db.models import Base, Contact, ContactStatus, Lead, Source

PG_URL_ENV = "TEST_DATABASE_URL"
PG_CONNECT_TIMEOUT = 5.0
# The revision before the CHECK constraints on enum-valued columns, and a time for its rows.
BEFORE_CHECKS = "0003"
WITH_CHECKS = "0004"
# The last revision where operators.active was both the admin's and the operator's switch.
BEFORE_PAUSED = "0004"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


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


def _indexes_and_checks(connection: Connection) -> dict[str, list[str]]:
    """Per table, its indexes with their predicate and its CHECK constraints: what
    compare_metadata leaves out (it sees no difference between a partial index and a full one)."""
    inspector = inspect(connection)
    where = f"{connection.dialect.name}_where"
    described = {}
    for name in sorted(_table_names(connection) - {"alembic_version"}):
        indexes = [
            f"{'unique ' if found['unique'] else ''}index {found['name']} {found['column_names']}"
            f" where {found.get('dialect_options', {}).get(where)}"
            for found in inspector.get_indexes(name)
        ]
        checks = [
            f"check {c['name']} {c['sqltext']}" for c in inspector.get_check_constraints(name)
        ]
        described[name] = sorted(indexes + checks)
    return described


def _rows(connection: Connection) -> dict[str, list[dict[str, object]]]:
    """Every row of every table but alembic_version, ordered by the first column (the id)."""
    return {
        name: [
            dict(row)
            for row in connection.execute(text(f"SELECT * FROM {name} ORDER BY 1")).mappings()
        ]
        for name in sorted(_table_names(connection) - {"alembic_version"})
    }


def _alembic(
    connection: Connection, alembic_command: Callable[[Config, str], object], revision: str
) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    alembic_command(config, revision)


async def _migrate(
    url: str, alembic_command: Callable[[Config, str], object], revision: str
) -> None:
    """Upgrade or downgrade to ``revision`` as db.migrate does (its own connection)."""
    await run_in_transaction(url, lambda c: _alembic(c, alembic_command, revision))


def _insert(connection: Connection, name: str, **values: object) -> None:
    """One row in plain SQL, as any client could write it: no model validates the values."""
    connection.execute(table(name, *map(column, values)).insert().values(values))


def _insert_contact(
    connection: Connection, contact_id: int, lead_id: int, source_id: int, status: str
) -> None:
    _insert(
        connection,
        "contacts",
        id=contact_id,
        lead_id=lead_id,
        source_id=source_id,
        operator_id=1 if status == "in_progress" else None,
        status=status,
        created_at=T0,
        last_activity_at=T0,
        closed_at=T0 if status == "closed" else None,
    )


def _insert_message(
    connection: Connection, message_id: int, contact_id: int, source_id: int, direction: str
) -> None:
    _insert(
        connection,
        "messages",
        id=message_id,
        contact_id=contact_id,
        source_id=source_id,
        direction=direction,
        chat_id=contact_id,
        telegram_message_id=message_id,
        content_type="text",
        text="hello",
        created_at=T0,
    )


def _insert_delivery(
    connection: Connection,
    delivery_id: int,
    contact_id: int,
    source_id: int,
    status: str,
    message_id: int | None = None,
) -> None:
    """A notice, or the copy of ``message_id`` when given."""
    _insert(
        connection,
        "deliveries",
        id=delivery_id,
        source_id=source_id,
        chat_id=contact_id,
        contact_id=contact_id,
        message_id=message_id,
        kind="notice" if message_id is None else "copy",
        payload='{"key": "client.queued"}',
        status=status,
        attempts=1,
        created_at=T0,
        next_attempt_at=T0,
    )


def _seed(connection: Connection) -> None:
    """Two bots, two leads, an operator, open and closed contacts with messages and
    deliveries: rows as every revision since 0001 takes them."""
    for n in (1, 2):
        _insert(
            connection,
            "sources",
            id=n,
            bot_id=2000 + n,
            username=f"bot{n}",
            title=f"Bot {n}",
            created_at=T0,
        )
        _insert(
            connection,
            "leads",
            id=n,
            telegram_id=1000 + n,
            first_name=f"Lead {n}",
            created_at=T0,
            last_seen_at=T0,
        )
    _insert(
        connection,
        "operators",
        id=1,
        telegram_id=3001,
        display_name="Olga",
        active=True,
        max_open=5,
        open_count=1,
        created_at=T0,
    )
    _insert(
        connection,
        "operator_sources",
        id=1,
        operator_id=1,
        source_id=1,
        weight=1,
        started=True,
        unreachable=False,
    )
    # Lead 1 in bot 1: a closed contact and an open one; lead 2: one being answered in bot 1
    # and one closed in bot 2.
    contacts = [
        (1, 1, 1, "closed"),
        (2, 1, 1, "new"),
        (3, 2, 1, "in_progress"),
        (4, 2, 2, "closed"),
    ]
    statuses = {"closed": "sent", "new": "pending", "in_progress": "failed"}
    for contact_id, lead_id, source_id, status in contacts:
        _insert_contact(connection, contact_id, lead_id, source_id, status)
        _insert_message(connection, 2 * contact_id, contact_id, source_id, "in")
        _insert_message(connection, 2 * contact_id + 1, contact_id, source_id, "out")
        _insert_delivery(connection, contact_id, contact_id, source_id, statuses[status])
    # A copy references the message as well as the contact.
    _insert_delivery(connection, 10, 3, 1, "sent", message_id=6)


async def _seeded_before_checks(url: str) -> None:
    await _migrate(url, command.upgrade, BEFORE_CHECKS)
    await run_in_transaction(url, _seed)


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


async def test_upgrade_gives_the_models_indexes_and_checks(database_url: str) -> None:
    await upgrade_to_head(database_url)
    migrated = await run_in_transaction(database_url, _indexes_and_checks)
    await downgrade_to_base(database_url)
    await run_in_transaction(database_url, Base.metadata.create_all)

    assert migrated == await run_in_transaction(database_url, _indexes_and_checks)
    assert any(
        line.startswith("check ck_contacts_contact_status ") for line in migrated["contacts"]
    )


async def test_check_constraints_keep_every_row_both_ways(database_url: str) -> None:
    await _seeded_before_checks(database_url)
    rows = await run_in_transaction(database_url, _rows)
    schema = await run_in_transaction(database_url, _indexes_and_checks)
    assert all(rows[name] for name in ("contacts", "messages", "deliveries"))

    await _migrate(database_url, command.upgrade, WITH_CHECKS)
    upgraded = await run_in_transaction(database_url, _rows)
    await _migrate(database_url, command.downgrade, BEFORE_CHECKS)

    assert upgraded == rows
    assert await run_in_transaction(database_url, _rows) == rows
    assert await run_in_transaction(database_url, _indexes_and_checks) == schema
    await _migrate(database_url, command.upgrade, WITH_CHECKS)
    assert await run_in_transaction(database_url, _rows) == rows
    await upgrade_to_head(database_url)
    assert await run_in_transaction(database_url, _schema_diff) == []


def _switches(connection: Connection) -> list[tuple[int, bool, bool]]:
    """(id, active, paused) of every operator."""
    rows = connection.execute(text("SELECT id, active, paused FROM operators ORDER BY id"))
    return [(id_, bool(active), bool(paused)) for id_, active, paused in rows]


def _insert_operator(connection: Connection, operator_id: int, **switches: bool) -> None:
    _insert(
        connection,
        "operators",
        id=operator_id,
        telegram_id=3000 + operator_id,
        display_name=f"Operator {operator_id}",
        max_open=5,
        open_count=0,
        created_at=T0,
        **switches,
    )


async def test_inactive_operators_become_paused_and_inactive_again_on_downgrade(
    database_url: str,
) -> None:
    await _migrate(database_url, command.upgrade, BEFORE_PAUSED)
    await run_in_transaction(database_url, _seed)  # operator 1, active, with contacts
    await run_in_transaction(database_url, lambda c: _insert_operator(c, 2, active=False))
    rows = await run_in_transaction(database_url, _rows)
    schema = await run_in_transaction(database_url, _indexes_and_checks)

    await upgrade_to_head(database_url)
    upgraded = await run_in_transaction(database_url, _switches)
    await _migrate(database_url, command.downgrade, BEFORE_PAUSED)

    # Deactivated by an admin or paused, nobody knows: paused, which the operator can lift.
    assert upgraded == [(1, True, False), (2, True, True)]
    assert await run_in_transaction(database_url, _rows) == rows
    assert await run_in_transaction(database_url, _indexes_and_checks) == schema


async def test_downgrade_makes_paused_or_inactive_operators_inactive(database_url: str) -> None:
    def insert(connection: Connection) -> None:
        _insert_operator(connection, 1, active=True, paused=True)
        _insert_operator(connection, 2, active=False, paused=False)
        _insert_operator(connection, 3, active=False, paused=True)
        # Written without the new column, as before it: not paused.
        _insert_operator(connection, 4, active=True)

    await upgrade_to_head(database_url)
    await run_in_transaction(database_url, insert)

    assert await run_in_transaction(database_url, _switches) == [
        (1, True, True),
        (2, False, False),
        (3, False, True),
        (4, True, False),
    ]
    await _migrate(database_url, command.downgrade, BEFORE_PAUSED)

    def active(connection: Connection) -> list[tuple[int, bool]]:
        rows = connection.execute(text("SELECT id, active FROM operators ORDER BY id"))
        return [(id_, bool(flag)) for id_, flag in rows]

    assert await run_in_transaction(database_url, active) == [
        (1, False),
        (2, False),
        (3, False),
        (4, True),
    ]


async def test_one_open_contact_per_lead_and_source_after_the_upgrade(database_url: str) -> None:
    await _seeded_before_checks(database_url)
    await upgrade_to_head(database_url)

    # Lead 1 has a closed and an open contact in bot 1, lead 2 a closed one in bot 2: one more
    # closed contact and an open one beside a closed one are fine, a second open one is not.
    await run_in_transaction(database_url, lambda c: _insert_contact(c, 20, 1, 1, "closed"))
    await run_in_transaction(database_url, lambda c: _insert_contact(c, 21, 2, 2, "new"))
    with pytest.raises(IntegrityError):
        await run_in_transaction(database_url, lambda c: _insert_contact(c, 22, 1, 1, "new"))


@pytest.mark.parametrize(
    ("constraint", "insert"),
    [
        ("ck_contacts_contact_status", lambda c: _insert_contact(c, 20, 2, 2, "bogus")),
        ("ck_messages_direction", lambda c: _insert_message(c, 20, 2, 1, "bogus")),
        ("ck_deliveries_delivery_status", lambda c: _insert_delivery(c, 20, 2, 1, "bogus")),
    ],
)
async def test_upgraded_database_refuses_a_value_outside_the_enum(
    database_url: str, constraint: str, insert: Callable[[Connection], None]
) -> None:
    await _seeded_before_checks(database_url)
    await upgrade_to_head(database_url)

    with pytest.raises(IntegrityError, match=constraint):
        await run_in_transaction(database_url, insert)


async def test_upgrade_fails_on_a_value_outside_the_enum_and_changes_nothing(
    database_url: str,
) -> None:
    await _seeded_before_checks(database_url)
    await run_in_transaction(database_url, lambda c: _insert_contact(c, 20, 2, 2, "bogus"))
    rows = await run_in_transaction(database_url, _rows)

    with pytest.raises(CommandError, match=r"contacts\.status holds values outside .*'bogus'"):
        await upgrade_to_head(database_url)

    assert await current_revisions(database_url) == (BEFORE_CHECKS,)
    assert await run_in_transaction(database_url, _rows) == rows


async def test_sqlite_upgrade_refuses_to_rebuild_tables_with_foreign_keys_on(
    sqlite_url: str,
) -> None:
    await _seeded_before_checks(sqlite_url)
    rows = await run_in_transaction(sqlite_url, _rows)
    engine = create_engine(sqlite_url)  # the application's engine: foreign keys on
    try:
        with pytest.raises(CommandError, match="foreign keys are on"):
            async with engine.begin() as connection:
                await connection.run_sync(_alembic, command.upgrade, "head")
    finally:
        await engine.dispose()

    assert await current_revisions(sqlite_url) == (BEFORE_CHECKS,)
    assert await run_in_transaction(sqlite_url, _rows) == rows


async def test_sqlite_upgrade_fails_on_a_broken_foreign_key(sqlite_url: str) -> None:
    await _seeded_before_checks(sqlite_url)
    # Written with foreign keys off (the migration engine's connection): contact 99 is missing.
    await run_in_transaction(sqlite_url, lambda c: _insert_message(c, 20, 99, 1, "in"))

    with pytest.raises(CommandError, match="messages row 20 -> contacts"):
        await upgrade_to_head(sqlite_url)

    assert await current_revisions(sqlite_url) == (BEFORE_CHECKS,)


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


def _not_validated(connection: Connection) -> list[str]:
    """The constraints PostgreSQL has not validated (checked on every row) yet."""
    query = "SELECT conname FROM pg_constraint WHERE NOT convalidated ORDER BY conname"
    return list(connection.execute(text(query)).scalars())


@pytest.mark.postgres
async def test_postgresql_adds_the_checks_without_scanning_under_a_lock_then_validates_them(
    postgresql_url: str,
) -> None:
    await _seeded_before_checks(postgresql_url)

    # As revision 0004 leaves them: the rows already there were checked by a plain SELECT,
    # and the constraints hold for every new or changed row, without a scan under the
    # exclusive lock of ALTER TABLE that would stall processes still running.
    await _migrate(postgresql_url, command.upgrade, WITH_CHECKS)
    assert await run_in_transaction(postgresql_url, _not_validated) == [
        "ck_contacts_contact_status",
        "ck_deliveries_delivery_status",
        "ck_messages_direction",
    ]

    # The upgrade as a start runs it validates them after its commit, a table at a time.
    await upgrade_to_head(postgresql_url)
    assert await run_in_transaction(postgresql_url, _not_validated) == []

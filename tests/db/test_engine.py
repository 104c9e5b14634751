"""The SQLite engine: statements on the event loop's thread, every driver call answered, and
the write-ahead log checkpointed off the loop."""

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import event, text

from db.checkpoint import WalCheckpointer
from db.engine import create_engine
from tests.harness import eventually


async def test_sqlite_statements_run_on_the_event_loops_thread(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def _thread_function(dbapi_connection, _record):
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)

    try:
        async with engine.connect() as conn:
            ran_on = (await conn.execute(text("SELECT thread_id()"))).scalar_one()
    finally:
        await engine.dispose()
    assert ran_on == threading.get_ident()


async def test_sqlite_isolation_level_can_be_changed(tmp_path):
    # SQLAlchemy's adapter sets it through aiosqlite's queue to its thread, which is not there.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with asyncio.timeout(10):
            async with engine.connect() as conn:
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                assert (await autocommit.execute(text("SELECT 1"))).scalar_one() == 1
            async with engine.begin() as conn:  # the same connection, reset to the default
                assert (await conn.execute(text("SELECT 2"))).scalar_one() == 2
    finally:
        await engine.dispose()


def _rows_in_database_file(path: Path) -> int:
    # immutable=1 reads the database file alone, ignoring the write-ahead log.
    with contextlib.closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as reader:
        tables = reader.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone()
        return reader.execute("SELECT count(*) FROM t").fetchone()[0] if tables[0] else 0


def _rows_in_file(path: Path, rows: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return _rows_in_database_file(path) == rows

    return check


async def test_checkpointer_moves_commits_from_the_log_into_the_database_file(tmp_path):
    path = tmp_path / "x.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    checkpointer = WalCheckpointer.for_url(url, interval=0.01)
    assert checkpointer is not None
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
            await conn.execute(text("INSERT INTO t SELECT value FROM json_each('[1, 2, 3]')"))
        # Committed, but only in the log: the open pooled connection keeps SQLite from
        # checkpointing, and the automatic threshold is far away.
        assert _rows_in_database_file(path) == 0
        checkpointer.start()
        await eventually(_rows_in_file(path, 3), "3 rows in the database file", timeout=10)
        async with engine.begin() as conn:  # writers carry on beside it
            await conn.execute(text("INSERT INTO t VALUES (4)"))
        await eventually(_rows_in_file(path, 4), "4 rows in the database file", timeout=10)
    finally:
        await checkpointer.stop()
        await engine.dispose()
    assert not any(t.name == "sqlite-checkpoint" for t in threading.enumerate())


def test_checkpointer_only_for_sqlite_files():
    assert WalCheckpointer.for_url("sqlite+aiosqlite:///:memory:") is None
    assert WalCheckpointer.for_url("postgresql+asyncpg://u@localhost/db") is None
    checkpointer = WalCheckpointer.for_url("sqlite+aiosqlite:///./switchboard.db")
    assert checkpointer is not None and checkpointer.database == "./switchboard.db"

"""The SQLite engine: statements on the event loop's thread, and every driver call answered."""

import asyncio
import threading

from sqlalchemy import event, text

from db.engine import create_engine


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

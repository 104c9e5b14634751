"""db.sqlite_inline against the aiosqlite installed: what it relies on is still there, and the
calls really run on the event loop's thread. A failure here means aiosqlite changed under it."""

import asyncio
import inspect
import threading

import aiosqlite
import pytest

from db.sqlite_inline import inline_connector


def test_aiosqlite_still_queues_every_call_to_a_thread_of_its_own():
    parameters = list(inspect.signature(aiosqlite.Connection.__init__).parameters)
    assert parameters[:3] == ["self", "connector", "iter_chunk_size"]
    assert inspect.iscoroutinefunction(aiosqlite.Connection._connect)
    stock = aiosqlite.Connection(lambda: None, 64)  # never awaited: no thread is started
    assert callable(stock._tx.put_nowait)
    assert isinstance(stock._thread, threading.Thread)
    # 0.22 stops its thread with an ordinary call on _tx; earlier versions (a Thread
    # subclass) queued a bare sentinel, which the replacement cannot run.
    assert not issubclass(aiosqlite.Connection, threading.Thread)
    assert "_tx.put_nowait((future, close_and_stop))" in inspect.getsource(
        aiosqlite.Connection.stop
    )


async def test_every_call_runs_on_the_event_loops_thread_without_a_worker(tmp_path):
    async with asyncio.timeout(10):  # a call still meant for the missing thread would hang
        connection = await inline_connector(str(tmp_path / "x.db"))()
        try:
            await connection.create_function("thread_id", 0, threading.get_ident)
            async with connection.execute("SELECT thread_id()") as cursor:
                (ran_on,) = await cursor.fetchone()
            await connection.execute("CREATE TABLE t (n INTEGER)")
            await connection.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
            async with connection.execute("SELECT sum(n) FROM t") as cursor:
                assert await cursor.fetchone() == (3,)
        finally:
            await connection.close()
    assert ran_on == threading.get_ident()
    assert not connection._thread.is_alive() and connection._thread.ident is None  # not started


async def test_errors_reach_the_caller(tmp_path):
    connection = await inline_connector(str(tmp_path / "x.db"))()
    try:
        with pytest.raises(aiosqlite.OperationalError, match="no such table"):
            await connection.execute("SELECT * FROM missing")
    finally:
        await connection.close()

"""aiosqlite's connection without its worker thread: each call runs at once, on the event
loop's thread. The one place that relies on aiosqlite's internals (``tests/db/
test_sqlite_inline.py`` fails when they change); tested on aiosqlite 0.22.

A process has one SQLite connection (see ``db.engine.create_engine``), so the thread buys no
parallelism, while every call crossing to it and back (several per statement) costs more than
the statement itself. What it buys, measured side by side (``python -m benchmarks contacts``,
2,500 contacts, 2026-12-02): 519–566 new contacts/s (p50 1.6 ms) against 164–170/s (p50
6.0 ms) through aiosqlite's thread. What it costs: a statement holds the loop for as long as
it runs (the hot paths are indexed lookups of microseconds), and so does waiting for a write
lock held by another process (busy timeout), which only happens when several processes share
one SQLite file.

Every call of aiosqlite (and of SQLAlchemy's adapter) goes through the queue ``_tx`` to the
thread; replacing it, and not starting the thread, is all it takes.
"""

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite

# What aiosqlite puts on ``_tx``: the future of the awaiting caller and the call to make.
_Call = tuple[asyncio.Future[Any] | None, Callable[[], Any]]


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is queued and
    settles its future, so awaiting that future does not even pass through the event loop."""

    def put_nowait(self, item: _Call) -> None:
        """Run ``function`` now; its result or exception goes to ``future``, as the thread does."""
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting caller, whatever it is
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineSQLiteConnection(aiosqlite.Connection):
    """An ``aiosqlite.Connection`` whose calls run on the caller's thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, "InlineSQLiteConnection"]:
        return self._connect().__await__()  # as aiosqlite's, minus starting the thread


def inline_connector(database: str) -> Callable[[], aiosqlite.Connection]:
    """An ``async_creator`` for SQLAlchemy: opens ``database`` (a path or ``:memory:``) with
    SQLite's own transaction handling off (the engine emits BEGIN itself)."""

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(database, isolation_level=None, check_same_thread=False)

    return lambda: InlineSQLiteConnection(connect, iter_chunk_size=64)

"""Engine and session factory; built once by the application factory and passed down."""

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util import await_, memoized_property
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

from db.session import OutboxSession

# SQLite's own checkpoint runs inside a commit on the event loop; a WalCheckpointer
# (db.checkpoint) does it off the loop, and this threshold (about 40 MB of log) is only the
# safety net for processes that run none.
WAL_AUTOCHECKPOINT_PAGES = 10_000

# Set on every new SQLite connection.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
    f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}",
)
# How every SQLite transaction starts: writers queue on the database lock at once instead of
# failing when a read lock cannot be upgraded.
SQLITE_BEGIN = "BEGIN IMMEDIATE"


class _TakeTurnsQueue(AsyncAdaptedQueue[ConnectionPoolEntry]):
    """Connections handed out in the order they were asked for.

    ``asyncio.Queue`` gives a returned connection to whichever task asks next, not to the one
    waiting longest: a busy task (the bot handling a backlog of updates, one transaction after
    another) takes the only SQLite connection again and again, and a waiting one (the delivery
    worker) starves until the backlog is gone. Here the waiters queue on a fair lock first.
    """

    @memoized_property
    def _turn(self) -> asyncio.Lock:
        return asyncio.Lock()  # created on first use, in the running event loop

    def get(self, block: bool = True, timeout: float | None = None) -> ConnectionPoolEntry:
        """The next connection, once every task that asked earlier got one."""
        if not block:
            return self.get_nowait()
        try:
            return await_(self._get_in_turn(seconds=timeout))
        except TimeoutError as exc:
            raise Empty() from exc

    async def _get_in_turn(self, seconds: float | None) -> ConnectionPoolEntry:
        async with asyncio.timeout(seconds), self._turn:
            return await self._queue.get()


class _TakeTurnsPool(AsyncAdaptedQueuePool):
    _queue_class = _TakeTurnsQueue


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is queued and
    settles its future, so awaiting that future does not even pass through the event loop."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
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


class _InlineSQLiteConnection(aiosqlite.Connection):
    """aiosqlite's connection without its worker thread: each call runs at once, on the
    event loop's thread.

    A process has one SQLite connection (see ``create_engine``), so the thread buys no
    parallelism, while every call crossing to it and back (several per statement) costs more
    than the statement itself: this makes a new contact about 1.5 times as fast. What it costs:
    a statement holds the loop for as long as it runs (the hot paths are indexed lookups of
    microseconds), and so does waiting for a write lock held by another process (busy timeout),
    which only happens when several processes share one SQLite file.

    Every call of aiosqlite (and SQLAlchemy's adapter) goes through the queue ``_tx``; replacing
    it, and not starting the thread, is all it takes.
    """

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, "_InlineSQLiteConnection"]:
        return self._connect().__await__()  # as aiosqlite's, minus starting the thread


def _inline_sqlite_connector(url: str) -> Callable[[], aiosqlite.Connection]:
    database = make_url(url).database or ":memory:"

    def connect() -> sqlite3.Connection:
        # isolation_level None: we emit BEGIN ourselves (see _tune_sqlite).
        return sqlite3.connect(database, isolation_level=None, check_same_thread=False)

    return lambda: _InlineSQLiteConnection(connect, iter_chunk_size=64)


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """Create the async engine, tuned per backend.

    SQLite: statements run on the event loop's thread (see ``_InlineSQLiteConnection``), WAL
    journal, foreign keys on, and every transaction starts with ``BEGIN IMMEDIATE``
    so concurrent writers queue on the database lock instead of failing on a lock upgrade. One
    pooled connection by default: SQLite has one writer anyway, and waiting in the asyncio pool
    is cheaper than SQLite's sleeping busy handler; the pool serves its waiters in turn.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs |= {
            "poolclass": _TakeTurnsPool,
            "pool_size": pool_size or 1,
            "max_overflow": 0,
            "pool_timeout": 120,
            "async_creator": _inline_sqlite_connector(url),
        }
        engine = create_async_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    kwargs |= {"pool_size": pool_size or 10, "max_overflow": 10, "pool_pre_ping": True}
    return create_async_engine(url, **kwargs)


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(SQLITE_BEGIN)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit (no lazy reload in async code)."""
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=False, sync_session_class=OutboxSession
    )

"""Engine and session factory; built once by the application factory and passed down."""

import asyncio
from typing import Any

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


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """Create the async engine, tuned per backend.

    SQLite: WAL journal, foreign keys on, and every transaction starts with ``BEGIN IMMEDIATE``
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
        }
        engine = create_async_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    kwargs |= {"pool_size": pool_size or 10, "max_overflow": 10, "pool_pre_ping": True}
    return create_async_engine(url, **kwargs)


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (see _on_begin); the driver would emit a deferred one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=30000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit (no lazy reload in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)

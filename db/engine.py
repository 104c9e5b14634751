"""Engine and session factory; built once by the application factory and passed down."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """Create the async engine, tuned per backend.

    SQLite: WAL journal, foreign keys on, and every transaction starts with ``BEGIN IMMEDIATE``
    so concurrent writers queue on the database lock instead of failing on a lock upgrade. One
    pooled connection by default: SQLite has one writer anyway, and waiting in the asyncio pool
    is cheaper than SQLite's sleeping busy handler.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs |= {"pool_size": pool_size or 1, "max_overflow": 0, "pool_timeout": 120}
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

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
from sqlalchemy.pool import AsyncAdaptedQueuePool

from db.session import OutboxSession
from db.sqlite_inline import inline_connector

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


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """Create the async engine, tuned per backend.

    SQLite: statements run on the event loop's thread (see ``db.sqlite_inline``), WAL
    journal, foreign keys on, and every transaction starts with ``BEGIN IMMEDIATE``
    so concurrent writers queue on the database lock instead of failing on a lock upgrade. One
    pooled connection by default: SQLite has one writer anyway, and waiting in the asyncio pool
    is cheaper than SQLite's sleeping busy handler.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs |= {
            "poolclass": AsyncAdaptedQueuePool,  # SQLAlchemy's own for async SQLite files
            "pool_size": pool_size or 1,
            "max_overflow": 0,
            "pool_timeout": 120,
            "async_creator": inline_connector(make_url(url).database or ":memory:"),
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

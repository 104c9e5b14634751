"""Shared helpers of the repositories. Repositories never commit: services own transactions."""

from typing import Any

from sqlalchemy import FromClause, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from db.base import Base

_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:name))")


def upsert_for(dialect: str, table: FromClause) -> Any:
    """An ``INSERT`` that supports ``ON CONFLICT`` on the backend named ``dialect``."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {dialect!r}")


class Repository:
    """Base of every repository: holds the session of the current unit of work.

    The statements of the hot paths (every client message) are built once, at import or once
    per backend, with bound parameters: building a statement and computing its cache key cost
    SQLAlchemy more than SQLite takes to run it, and a prebuilt one memoizes its cache key.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        """Name of the session's backend (``sqlite`` or ``postgresql``)."""
        return self.session.get_bind().dialect.name

    async def lock(self, name: str) -> None:
        """Wait until no other transaction holds the lock ``name``; hold it until this one ends.

        For check-then-insert across processes. PostgreSQL: a transaction-level advisory lock.
        SQLite needs none: every transaction starts with ``BEGIN IMMEDIATE``, one at a time.
        """
        if self.dialect == "postgresql":
            await self.session.execute(_ADVISORY_LOCK, {"name": name})

    def refresh_loaded(self, entity: type[Base], key: int, **values: object) -> None:
        """Give the session's loaded ``entity`` of primary key ``key``, if it has one, the
        values an UPDATE on its table just wrote.

        The hot paths update tables, not entities: an ORM UPDATE whose values are bound
        parameters cannot work them out in Python and costs a query's worth of CPU to
        synchronise the session, while the caller knows them (or had them RETURNed).
        """
        loaded = self.session.identity_map.get(self.session.identity_key(entity, key))
        if loaded is None:
            return
        for name, value in values.items():
            set_committed_value(loaded, name, value)

    def upsert(self, table: FromClause) -> Any:
        """An ``INSERT`` that supports ``ON CONFLICT`` on the session's backend."""
        return upsert_for(self.dialect, table)

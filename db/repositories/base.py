"""Shared helpers of the repositories. Repositories never commit: services own transactions."""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


class Repository:
    """Base of every repository: holds the session of the current unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def upsert(self, table: Table) -> Any:
        """An ``INSERT`` that supports ``ON CONFLICT`` on the session's backend."""
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            return postgresql.insert(table)
        if dialect == "sqlite":
            return sqlite.insert(table)
        raise NotImplementedError(f"unsupported database dialect {dialect!r}")

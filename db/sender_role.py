"""Which delivery worker sends for a bot: a hold that ends with the process holding it.

Only the worker holding a bot sends its outbox, so Telegram's limits per bot hold however
many processes run. The hold dies with its holder, so a crashed process's bots are taken over
at the other's next try (a fraction of a second) instead of after a lease runs out:

- PostgreSQL: a session-level advisory lock per bot on a connection of its own. PostgreSQL
  drops it the moment that connection closes, which a killed process's does at once.
- SQLite (one machine): an exclusive ``flock`` on a file beside the database, for all bots at
  once. The kernel drops it when the process dies.
"""

import fcntl
import logging
import os
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# First key of the advisory locks (the second is the source id); any constant unique to this
# app and other than the migrations' lock.
_LOCK_SPACE = 0x5342  # "SB"
_TRY_LOCKS = text(
    "SELECT id FROM unnest(CAST(:ids AS integer[])) AS id "
    "WHERE pg_try_advisory_lock(:space, id) ORDER BY id"
)


class SenderRole(Protocol):
    """Holds bots for one worker."""

    async def hold(self, source_ids: list[int]) -> list[int]:
        """Try to hold each of these bots (keeping those held); the ones held now. A hold
        that was lost (the connection behind it broke) is not among them."""

    async def release(self) -> None:
        """Let go of every bot held; the others may take them at once."""


class AdvisoryLocks:
    """PostgreSQL: one advisory lock per bot, on a connection kept for them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None
        self._held: set[int] = set()

    async def hold(self, source_ids: list[int]) -> list[int]:
        """Try the locks of the bots not held yet; on any error hold nothing until the next
        call connects again (the old connection's locks went with it, or go when it closes)."""
        try:
            if self._connection is None:
                connection = await self.engine.connect()
                self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            wanted = sorted(set(source_ids) - self._held)
            # Also when nothing is wanted: a query shows the connection, and so the locks, alive.
            rows = await self._connection.execute(_TRY_LOCKS, {"ids": wanted, "space": _LOCK_SPACE})
            self._held.update(rows.scalars())
        except Exception:
            log.exception("the connection holding the bots' sender locks failed")
            await self.release()
        return sorted(self._held)

    async def release(self) -> None:
        """Close the connection (invalidated, so that it is not pooled with the locks on it)."""
        connection, self._connection = self._connection, None
        self._held.clear()
        if connection is not None:
            try:
                await connection.invalidate()
                await connection.close()
            except Exception:  # already broken: its locks are gone with it
                log.warning("closing the sender locks' connection failed", exc_info=True)


class FileLock:
    """SQLite: an exclusive lock on ``<database>-sender`` for every bot at once (one process
    sends for all of them; there is hardly ever a second one on SQLite)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    async def hold(self, source_ids: list[int]) -> list[int]:
        """All the bots while this process has the file locked."""
        if self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return []
            self._fd = fd
        return sorted(source_ids)

    async def release(self) -> None:
        """Unlock the file (closing it does)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class OnlyProcess:
    """An in-memory SQLite database: only this process can reach it."""

    async def hold(self, source_ids: list[int]) -> list[int]:
        """Every bot."""
        return sorted(source_ids)

    async def release(self) -> None:
        """Nothing to let go of."""


def sender_role(engine: AsyncEngine) -> SenderRole:
    """The sender role fitting the engine's database."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return AdvisoryLocks(engine)
    if not url.database or url.database == ":memory:":
        return OnlyProcess()
    return FileLock(f"{url.database}-sender")

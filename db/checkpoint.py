"""Checkpointing SQLite's write-ahead log off the event loop."""

import asyncio
import logging
import sqlite3
import threading

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# How often committed pages move from the log into the database file. At a few hundred
# transactions a second the log grows by a few MB a second; checkpointing often keeps it short,
# which keeps reads through it fast.
CHECKPOINT_INTERVAL = 0.2


class WalCheckpointer:
    """Copies committed pages from a SQLite database's write-ahead log into the database file,
    on a thread of its own with a connection of its own.

    Left to itself, SQLite checkpoints inside whichever commit makes the log cross
    ``wal_autocheckpoint`` pages; statements run on the event loop (see ``db.engine``), so that
    commit, and every update waiting behind it, stalls for milliseconds. A PASSIVE checkpoint
    neither waits for nor blocks readers and writers, and the sqlite3 module lets go of the GIL
    while it runs, so here it costs the event loop nothing. The engine keeps a much higher
    automatic threshold as a safety net for when no checkpointer runs (scripts, tests).
    """

    def __init__(self, database: str, interval: float = CHECKPOINT_INTERVAL) -> None:
        self.database = database
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)

    @classmethod
    def for_url(cls, url: str, interval: float = CHECKPOINT_INTERVAL) -> "WalCheckpointer | None":
        """A checkpointer for a SQLite file URL; ``None`` for other databases and memory."""
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
            return None
        return cls(parsed.database, interval)

    def start(self) -> None:
        """Start checkpointing every ``interval`` seconds."""
        self._thread.start()

    async def stop(self) -> None:
        """Stop after the pass under way, if any, without blocking the event loop."""
        self._stop.set()
        if self._thread.is_alive():
            await asyncio.to_thread(self._thread.join)

    def _run(self) -> None:
        connection = sqlite3.connect(self.database, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(self.interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    # Busy (another process checkpoints) or a passing I/O error: the next pass,
                    # or SQLite's own threshold, catches up.
                    log.warning("WAL checkpoint failed; retrying later", exc_info=True)
        finally:
            connection.close()

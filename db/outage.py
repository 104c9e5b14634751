"""Which database errors mean "the database cannot be used right now" rather than "this work is
bad": the callers retry the first kind later (a webhook answers 503) and report the second."""

from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# PostgreSQL SQLSTATE classes of errors that pass by themselves: connection exception,
# transaction rollback (deadlock, serialization failure), insufficient resources (too many
# connections), object not in prerequisite state (database not accepting connections, lock not
# available), operator intervention (shutdown, cannot connect now), system error (I/O).
_TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "55", "57", "58"})
# SQLite's primary result codes of the same kind: busy, locked, I/O error, full, cannot open.
_TRANSIENT_SQLITE_CODES = frozenset({5, 6, 10, 13, 14})


def is_database_outage(exc: BaseException) -> bool:
    """Whether an error means "the database cannot be used right now" (unreachable, not
    accepting connections, connection lost, overloaded, deadlock) rather than "this update is
    bad": an update that failed with one is worth delivering again.

    The driver's error codes decide, as asyncpg reports most server errors, outages and bad
    data alike, as a bare DBAPIError. asyncpg raises OSError when it cannot connect at all;
    SQLAlchemy's pool raises its TimeoutError when no connection frees up.
    """
    if not isinstance(exc, DBAPIError):
        return isinstance(exc, OSError | PoolTimeout)
    if exc.connection_invalidated or isinstance(exc.orig, OSError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate)[:2] in _TRANSIENT_SQLSTATE_CLASSES
    sqlite_code = getattr(exc.orig, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _TRANSIENT_SQLITE_CODES
    return isinstance(exc, InterfaceError)  # e.g. the connection closed mid-statement

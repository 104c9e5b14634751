"""The database-outage classifier: which failures are worth trying again later."""

import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from db.outage import is_database_outage


class _PostgresError(Exception):
    """What asyncpg raises: the server's SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "deliver_again"),
    [
        (DBAPIError("SELECT 1", None, _PostgresError("55000")), True),  # not accepting conns
        (DBAPIError("SELECT 1", None, _PostgresError("57P01")), True),  # admin shutdown
        (DBAPIError("UPDATE", None, _PostgresError("40P01")), True),  # deadlock
        (DBAPIError("SELECT 1", None, _PostgresError("53300")), True),  # too many connections
        (DBAPIError("INSERT", None, _PostgresError("22001")), False),  # value too long
        (DBAPIError("INSERT", None, _PostgresError("22003")), False),  # out of range
        (IntegrityError("INSERT", None, _PostgresError("23505")), False),
        (OperationalError("BEGIN", None, _sqlite_error(5, "database is locked")), True),
        (OperationalError("SELECT", None, _sqlite_error(1, "no such table: x")), False),
        (OperationalError("COMMIT", None, ConnectionResetError()), True),
        (ConnectionRefusedError(), True),
        (PoolTimeout(), True),
        (ValueError("a bug"), False),
    ],
)
def test_which_failures_make_telegram_deliver_an_update_again(error, deliver_again):
    assert is_database_outage(error) is deliver_again

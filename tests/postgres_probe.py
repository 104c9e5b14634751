"""Exit 0 when a PostgreSQL server answers at the URL given as the only argument."""

import asyncio
import sys

import asyncpg
from sqlalchemy.engine import make_url


async def _probe(url: str) -> bool:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(_probe(sys.argv[1])) else 1)

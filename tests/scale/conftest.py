"""Fixtures of the scale-out tests (the harness is tests/support/scale.py)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.db import TEST_DATABASE_URL
from tests.support.scale import dedicated_database


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database the app migrates itself: a SQLite file, or with TEST_DATABASE_URL a
    PostgreSQL database of this test's own."""
    if TEST_DATABASE_URL is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'scale.db'}"
        return
    async with dedicated_database(TEST_DATABASE_URL, "scale") as url:
        yield url

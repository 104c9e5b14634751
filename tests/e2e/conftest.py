"""Fixtures of the end-to-end tests (the harness is tests/support/switchboard.py)."""

import random
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import create_app
from tests.harness import FAST
from tests.support.api import KEY, Api
from tests.support.clock import MovableClock, berlin, running
from tests.support.db import TEST_DATABASE_URL
from tests.support.switchboard import Switchboard


@pytest.fixture
async def database_url(tmp_path) -> str:
    """An empty database the app migrates itself."""
    if TEST_DATABASE_URL is None:
        return f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    engine = create_async_engine(TEST_DATABASE_URL)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return TEST_DATABASE_URL


@pytest.fixture
async def switchboard(telegram, make_settings) -> AsyncIterator[Switchboard]:
    app = await create_app(make_settings(), rng=random.Random(7), pacing=FAST)
    running = Switchboard(app, telegram)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def clock() -> MovableClock:
    """A clock standing on a Thursday evening in Berlin until the test moves it."""
    return MovableClock(berlin(2027, 1, 7, 20, 0))


@pytest.fixture
async def clocked(telegram, make_settings, clock: MovableClock) -> AsyncIterator[Switchboard]:
    """A Switchboard whose services read ``clock``."""
    async with running(telegram, make_settings(), clock) as started:
        yield started


@pytest.fixture
async def api_switchboard(telegram, make_settings) -> AsyncIterator[Switchboard]:
    """A Switchboard with its HTTP API on (key ``tests.support.api.KEY``)."""
    app = await create_app(make_settings(api_keys=KEY), rng=random.Random(7), pacing=FAST)
    running = Switchboard(app, telegram)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def api(api_switchboard: Switchboard) -> Api:
    """A client of ``api_switchboard``'s API with a valid key."""
    return Api(api_switchboard.app.settings.http_port)

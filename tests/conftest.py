"""Shared fixtures: a fresh database per test (SQLite file, or TEST_DATABASE_URL)."""

import random
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.base import Base
from db.engine import create_engine, create_session_factory
from db.models import Operator, OperatorSource, Source
from tests.support.db import TEST_DATABASE_URL

pytest_plugins = ["tests.harness"]


@pytest.fixture
def db_url(tmp_path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set (the whole suite then runs on it), else a
    SQLite file: a file, not :memory:, so WAL and concurrent connections behave as in production."""
    return TEST_DATABASE_URL or f"sqlite+aiosqlite:///{tmp_path / 'switchboard.db'}"


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261123)


SeedSource = Callable[..., Awaitable[Source]]
SeedOperator = Callable[..., Awaitable[Operator]]


@pytest.fixture
def add_source(session_factory) -> SeedSource:
    """Create a source (a bot)."""
    counter = iter(range(1, 1_000))

    async def add(username: str | None = None) -> Source:
        n = next(counter)
        async with session_factory.begin() as session:
            source = Source(bot_id=1000 + n, username=username or f"bot{n}", title=f"Bot {n}")
            session.add(source)
        return source

    return add


@pytest.fixture
def add_operator(session_factory) -> SeedOperator:
    """Create an operator linked to sources with a weight, having started those bots."""
    counter = iter(range(1, 100_000))

    async def add(
        sources: list[Source],
        *,
        weight: int = 1,
        max_open: int = 5,
        active: bool = True,
        paused: bool = False,
        started: bool = True,
        username: str | None = None,
        telegram_id: int | None = None,
    ) -> Operator:
        n = next(counter)
        async with session_factory.begin() as session:
            operator = Operator(
                telegram_id=telegram_id or 500_000 + n,
                username=username,
                display_name=f"Operator {n}",
                active=active,
                paused=paused,
                max_open=max_open,
                open_count=0,
            )
            session.add(operator)
            await session.flush()
            for source in sources:
                session.add(
                    OperatorSource(
                        operator_id=operator.id,
                        source_id=source.id,
                        weight=weight,
                        started=started,
                        unreachable=False,
                    )
                )
        return operator

    return add

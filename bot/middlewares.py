"""Per-update dependencies: one database session, the services bound to it, the source."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import Metrics
from db.models import Source
from services.admin import AdminService
from services.contacts import ContactService
from services.operators import OperatorService
from services.outbox import OutboxSignal


class ServicesMiddleware(BaseMiddleware):
    """Opens one session per update and injects ``contacts``, ``operators``, ``admin`` and
    ``source`` (the Source of the bot that received the update) into handlers."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        rng: random.Random,
        signal: OutboxSignal,
        sources: dict[int, Source],
    ) -> None:
        self.session_factory = session_factory
        self.rng = rng
        self.signal = signal
        self.sources = sources  # bot id → Source

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Run the handler with the services of a fresh session."""
        # Let other tasks run first (the delivery worker, the other bots' updates): on SQLite
        # the statements run on the event loop's thread, so a batch of updates handled back to
        # back would never give them a turn.
        await asyncio.sleep(0)
        bot: Bot = data["bot"]
        async with self.session_factory() as session:
            data["source"] = self.sources[bot.id]
            data["contacts"] = ContactService(session, self.rng, self.signal)
            data["operators"] = OperatorService(session, self.rng, self.signal)
            data["admin"] = AdminService(session, self.rng, self.signal)
            return await handler(event, data)


class CountingMiddleware(BaseMiddleware):
    """Counts updates per bot for /metrics."""

    def __init__(self, metrics: Metrics, sources: dict[int, Source]) -> None:
        self.metrics = metrics
        self.sources = sources

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Count, then handle."""
        bot: Bot = data["bot"]
        self.metrics.updates.labels(bot=self.sources[bot.id].username).inc()
        return await handler(event, data)

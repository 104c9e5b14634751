"""Per-update dependencies: one database session, the services bound to it (each built on
first use), the sender and the source."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import Metrics
from db.models import Source
from services.outbox import OutboxSignal
from services.registry import Services


class Sender:
    """Who sent the update: an admin (from the settings), an operator (from the database),
    both, or else a client.

    Whether they are an operator is asked once per update, when a filter or handler first
    needs it: an admin's command or a /start never needs it, so it costs them no transaction.
    """

    def __init__(self, user: User | None, admin_ids: frozenset[int], services: Services) -> None:
        self.user = user
        self.is_admin = user is not None and user.id in admin_ids
        self._services = services
        self._is_operator: bool | None = None

    async def is_operator(self) -> bool:
        """Whether the sender is an operator (one query, on the first call only)."""
        if self._is_operator is None:
            self._is_operator = self.user is not None and (
                await self._services.operators.is_operator(self.user.id)
            )
        return self._is_operator


class ServicesMiddleware(BaseMiddleware):
    """Opens one session per update and injects ``services``, ``sender`` and ``source`` (the
    Source of the bot that received the update) into filters and handlers."""

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
            services = Services(session, self.rng, self.signal)
            data["services"] = services
            # aiogram's own middleware put the update's user there; the dispatcher, admin_ids.
            data["sender"] = Sender(data.get("event_from_user"), data["admin_ids"], services)
            data["source"] = self.sources[bot.id]
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

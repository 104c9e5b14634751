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
from bot.texts import Languages
from db.models import Source
from services.clock import Clock
from services.outbox import OutboxSignal
from services.registry import Services


class Sender:
    """Who sent the update: an admin (from the settings), an operator (from the database),
    both, or else a client.

    Whether they are an operator, and which language they read, is asked once per update,
    when a filter or handler first needs it: a client's message needs neither (its answers
    are notices, written in the client's language by the services), so it costs no query.
    """

    def __init__(
        self,
        user: User | None,
        admin_ids: frozenset[int],
        languages: Languages,
        services: Services,
    ) -> None:
        self.user = user
        self.is_admin = user is not None and user.id in admin_ids
        self._languages = languages
        self._services = services
        self._is_operator: bool | None = None
        self._language: str | None = None

    async def language(self) -> str:
        """The language to answer in: the sender's own choice (/language), else their
        Telegram language if we have it, else the desk's default (one query, once)."""
        if self._language is None:
            if self.user is None:
                self._language = self._languages.default
            else:
                chosen = await self._services.languages.chosen(self.user.id)
                self._language = self._languages.pick(chosen, self.user.language_code)
        return self._language

    def known_language(self) -> str:
        """The language to answer in as far as it is known without a query."""
        if self._language is not None:
            return self._language
        return self._languages.pick(self.user.language_code if self.user else None)

    def chose(self, language: str) -> None:
        """The sender chose ``language`` just now: answer in it from here on."""
        self._language = language

    async def is_blocked_client(self) -> bool:
        """Whether the sender is a client an operator blocked (``/ban``): they get no answer
        at all. Admins and operators are never blocked clients here (one query or two, asked
        by the few commands every role has)."""
        if self.user is None or self.is_admin or await self.is_operator():
            return False
        return await self._services.contacts.is_blocked(self.user.id)

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
        clock: Clock,
    ) -> None:
        self.session_factory = session_factory
        self.rng = rng
        self.signal = signal
        self.sources = sources  # bot id → Source
        self.clock = clock

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
            services = Services(session, self.rng, self.signal, self.clock)
            data["services"] = services
            # aiogram's own middleware put the update's user there; the dispatcher, admin_ids.
            data["sender"] = Sender(
                data.get("event_from_user"), data["admin_ids"], data["languages"], services
            )
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

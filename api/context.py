"""What the API's views share: the context the composition root gives them, and refusals."""

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.schemas import Problem
from services.clock import SYSTEM_CLOCK, Clock
from services.outbox import OutboxSignal
from services.registry import Services
from services.views import OperatorRemoved


@dataclass(frozen=True)
class ApiContext:
    """What the views need, given by the composition root (``bot/app.py``)."""

    session_factory: async_sessionmaker[AsyncSession]
    rng: random.Random
    signal: OutboxSignal
    default_limit: int
    # What a removal does in Telegram besides the service's notices: the menus of the bots.
    on_operator_removed: Callable[[OperatorRemoved], Awaitable[None]]
    clock: Clock = SYSTEM_CLOCK

    @asynccontextmanager
    async def services(self) -> AsyncIterator[Services]:
        """The services of one request, on a session of its own."""
        async with self.session_factory() as session:
            yield Services(session, self.rng, self.signal, self.clock)


CONTEXT = web.AppKey("api_context", ApiContext)


def problem(status: int, error: str, **headers: str) -> web.Response:
    """A refusal as JSON (``Problem``)."""
    body = Problem(error=error).model_dump_json()
    return web.Response(
        status=status, text=body, content_type="application/json", headers=headers or None
    )

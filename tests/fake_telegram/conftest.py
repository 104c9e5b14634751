"""Fixtures for the fake Telegram tests: servers on free ports and real aiogram bots."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from fake_telegram import FakeTelegram
from tests.support.fake_bots import LEAD_TOKEN, OPERATOR_TOKEN


@pytest.fixture
async def make_fake() -> AsyncIterator[Callable[..., Any]]:
    """Start FakeTelegram servers (with both bots registered) and close them afterwards."""
    servers: list[FakeTelegram] = []

    async def start(**kwargs: Any) -> FakeTelegram:
        server = FakeTelegram(**kwargs)
        server.add_bot(LEAD_TOKEN, "lead_bot", "Lead Bot")
        server.add_bot(OPERATOR_TOKEN, "operator_bot")
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def fake(make_fake: Callable[..., Any]) -> FakeTelegram:
    return await make_fake()


@pytest.fixture
async def make_bot() -> AsyncIterator[Callable[[FakeTelegram, str], Bot]]:
    """Create aiogram bots talking to a fake server; their sessions close afterwards."""
    bots: list[Bot] = []

    def create(server: FakeTelegram, token: str = LEAD_TOKEN) -> Bot:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
        bot = Bot(token, session=session)
        bots.append(bot)
        return bot

    yield create
    for bot in bots:
        await bot.session.close()


@pytest.fixture
def bot(fake: FakeTelegram, make_bot: Callable[[FakeTelegram, str], Bot]) -> Bot:
    return make_bot(fake, LEAD_TOKEN)

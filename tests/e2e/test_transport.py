"""How the outbox's transport names Telegram's failures (the worker retries them all; the
``switchboard_telegram_errors_total`` metric counts them by this name)."""

import asyncio
import random
import socket
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.texts import Languages
from bot.transport import AiogramTransport, DatabaseTranscripts
from db.models import Delivery, DeliveryKind
from services.delivery import Transient
from services.notices import OperatorActivated, notice_payload

TIMEOUT = 0.3  # seconds the bot waits for an answer


async def _hang(_request: web.Request) -> web.Response:
    await asyncio.sleep(10 * TIMEOUT)
    return web.json_response({"ok": True, "result": True})


async def _fail(_request: web.Request) -> web.Response:
    body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
    return web.json_response(body, status=500)


@pytest.fixture
async def api() -> AsyncIterator[Callable[..., str]]:
    """Base URLs of Bot API servers that answer every call with a given handler."""
    runners: list[web.AppRunner] = []

    async def start(handler: Callable[[web.Request], object]) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # nothing listens once closed


async def _no_custom_text(_source_id: int, _name: str, _language: str) -> None:
    return None


async def _error_named(base_url: str) -> list[str]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url), timeout=TIMEOUT)
    bot = Bot("123:secret", session=session)
    names: list[str] = []
    notice = Delivery(
        source_id=1,
        chat_id=5,
        kind=DeliveryKind.NOTICE,
        payload=notice_payload(OperatorActivated()),
    )
    try:
        with pytest.raises(Transient):
            # Never read: the delivery is a notice.
            transcripts = DatabaseTranscripts(async_sessionmaker(), random.Random())
            transport = AiogramTransport(
                {1: bot}, Languages("en"), _no_custom_text, names.append, transcripts
            )
            await transport.send([notice])
    finally:
        await session.close()
    return names


async def test_an_answer_that_never_comes_is_a_timeout(api):
    assert await _error_named(await api(_hang)) == ["timeout"]


async def test_a_server_error_is_a_5xx(api):
    assert await _error_named(await api(_fail)) == ["5xx"]


async def test_no_server_at_all_is_a_network_error():
    assert await _error_named(_closed_port()) == ["network"]

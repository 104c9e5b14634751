"""What the end-to-end and the scale-out tests share: two bots on a fake Telegram, an admin,
and the settings of a Switchboard running against them (a pytest plugin of the root conftest)."""

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from bot.config import Settings
from fake_telegram import FakeTelegram, User
from services.delivery import Pacing

ALPHA = "111111:alpha-secret-token-for-tests"
BETA = "222222:beta-secret-token-for-tests"
ADMIN = User(1, "Ada", username="ada_admin")
# Telegram's own limits are exercised by the fault, rate-limit and multi-process tests;
# elsewhere the pacing must not slow us.
FAST = Pacing(bot_rate=1000, bot_burst=1000, chat_rate=1000, chat_burst=1000)


async def eventually(
    check: Callable[[], Awaitable[bool]],
    what: str,
    timeout: float = 30.0,  # noqa: ASYNC109
    every: float = 0.05,
) -> None:
    """Re-run ``check`` until it is true. Only for state no event tells about (another
    process, the database); raises TimeoutError naming ``what``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if await check():
            return
        if loop.time() > deadline:
            raise TimeoutError(f"{what}: still not true after {timeout}s")
        await asyncio.sleep(every)


def free_port() -> int:
    """A TCP port nobody listens on right now (for servers whose URL must be known first)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram serving the bots @alpha_bot and @beta_bot."""
    fake = FakeTelegram()
    await fake.start()
    fake.add_bot(ALPHA, "alpha_bot", "Alpha")
    fake.add_bot(BETA, "beta_bot", "Beta")
    yield fake
    await fake.close()


@pytest.fixture
def make_settings(telegram: FakeTelegram, database_url: str) -> Callable[..., Settings]:
    """Settings of a Switchboard on ``telegram`` and ``database_url``, with ``overrides``."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "bot_tokens": f"{ALPHA},{BETA}",
            "admin_ids": str(ADMIN.id),
            "database_url": database_url,
            "telegram_api_url": telegram.base_url,
            "http_host": "127.0.0.1",
            "http_port": free_port(),
            "retry_interval_seconds": 3600,  # the queue must drain on events, not on the timer
            "reminder_minutes": 0,
            "auto_close_hours": 0,
            "queue_alert_minutes": 0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make

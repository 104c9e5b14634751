"""``python -m bot`` stops cleanly on SIGINT (Ctrl+C) and SIGTERM (docker stop, systemd)."""

import asyncio
import json
import signal
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from fake_telegram import FakeTelegram, User
from tests.e2e.process import BotProcess, bot_environment
from tests.harness import ADMIN, ALPHA, BETA

BOTS = ["alpha_bot", "beta_bot"]
CLIENT = User(3001, "Anna")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_a_signal_stops_polling_the_scheduler_and_the_database_cleanly(
    telegram: FakeTelegram, database_url: str, tmp_path: Path, signum: signal.Signals
):
    env = bot_environment(
        bot_tokens=f"{ALPHA},{BETA}",
        admin_ids=ADMIN.id,
        database_url=database_url,
        telegram_api_url=telegram.base_url,
        log_format="json",
    )
    bot = BotProcess(telegram, BOTS, env, tmp_path / "bot.log")
    await bot.start()
    try:
        await telegram.send_message("beta_bot", CLIENT, "Hello?")
        (ack,) = await telegram.wait_received("beta_bot", CLIENT.id, 1)
        assert "All operators are busy" in ack.plain_text  # it was really working

        assert bot.process is not None
        bot.process.send_signal(signum)
        status = await asyncio.wait_for(bot.process.wait(), timeout=30)
    finally:
        await bot.stop()

    assert status == 0, bot.log()
    records = [json.loads(line) for line in bot.log().splitlines() if line.startswith("{")]
    problems = [r for r in records if r["level"] in ("ERROR", "CRITICAL")]
    assert not problems, problems
    assert "Traceback" not in bot.log()
    assert not _write_ahead_log_left(database_url)


def _write_ahead_log_left(database_url: str) -> bool:
    """SQLite removes the write-ahead log when the last connection closes properly."""
    url = make_url(database_url)
    return url.get_backend_name() == "sqlite" and Path(f"{url.database}-wal").exists()

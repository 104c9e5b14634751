"""``python -m bot`` as a user runs it: clear start-up errors, and the demo."""

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fake_telegram import FakeTelegram
from tests.e2e.process import bot_environment
from tests.harness import ALPHA

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-Value"
TOKEN = f"123456:{SECRET}"
TIMEOUT = 60  # seconds; the demo itself takes a few


def _run(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    """Run ``python -m bot`` with exactly ``settings`` as environment, outside the project
    directory so no ``.env`` is read."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **settings}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"ADMIN_IDS": "1"}, "BOT_TOKENS: is required"),
        ({"BOT_TOKENS": f"{TOKEN},abc:", "ADMIN_IDS": "1"}, "BOT_TOKENS: each token must look"),
        ({"BOT_TOKENS": TOKEN}, "ADMIN_IDS: is required"),
        ({"BOT_TOKENS": TOKEN, "ADMIN_IDS": ""}, "ADMIN_IDS: List should have at least 1 item"),
        ({"BOT_TOKENS": TOKEN, "ADMIN_IDS": "1,ada"}, "ADMIN_IDS: Input should be a valid integer"),
    ],
)
def test_bad_settings_stop_the_start_with_one_clear_line(tmp_path, settings, problem):
    result = _run(tmp_path, **settings)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"switchboard: invalid setting {problem}"), line
    assert SECRET not in result.stderr


def test_demo_plays_a_day_at_the_help_desk(tmp_path):
    result = _run(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    transcript = result.stdout
    expected = [
        "Ada sees in @shop_help_bot: Weights in @shop_help_bot:",
        "Carla sees in @shop_help_bot: Thank you! An operator has your message",
        "wrote) [photo] 📨 New contact #2 via @shop_help_bot",
        "Carla sees in @shop_help_bot: Sorry, Carla! It ships today, tracking follows.",
        "Eve sees in @shop_help_bot: Thank you! All operators are busy right now.",
        "Eve sees in @shop_help_bot: An operator has joined and is reading your messages.",
        "Finn sees in @app_help_bot: An operator has joined and is reading your messages.",
        "Finn sees in @app_help_bot: This conversation is closed.",
        "Ada sees in @shop_help_bot: @shop_help_bot: 3 contacts, 2 open, 0 queued",
    ]
    missing = [line for line in expected if line not in transcript]
    assert not missing, transcript
    positions = [transcript.index(line) for line in expected]
    assert positions == sorted(positions), "the story is told in order"
    assert transcript.rstrip().endswith("Demo finished.")


def test_demo_plays_in_russian(tmp_path):
    result = _run(tmp_path, "demo", "--language", "ru")
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    for line in (
        "Carla видит в @shop_help_bot: Спасибо! Оператор получил Ваше сообщение",
        "Ann видит в @shop_help_bot: 📨 Новый контакт #1 через @shop_help_bot",
        "Ada видит в @shop_help_bot: @shop_help_bot: 3 контакта, открыто 2, в очереди 0",
        "@app_help_bot: 1 контакт, открыто 0, в очереди 0",
    ):
        assert line in transcript, transcript
    assert transcript.rstrip().endswith("Демо закончено.")


@pytest.mark.parametrize("args", [["--language", "xx"], ["--language"], ["--colour", "ru"]])
def test_demo_refuses_an_unknown_language_with_the_usage(tmp_path, args):
    result = _run(tmp_path, "demo", *args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m bot [demo [--language LANGUAGE]]")
    assert "languages: en, ru" in result.stderr


async def _start_failure(telegram: FakeTelegram, tmp_path: Path, **settings: object) -> str:
    """The one line ``python -m bot`` prints when it cannot start with ``settings``."""
    env = bot_environment(
        admin_ids=1,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram_api_url=telegram.base_url,
        log_level="WARNING",
        **settings,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    output = stderr.decode()
    assert process.returncode != 0
    assert "Traceback" not in output
    assert SECRET not in output
    (line,) = output.splitlines()
    return line


async def test_a_token_telegram_rejects_stops_the_start_with_one_clear_line(
    telegram: FakeTelegram, tmp_path: Path
):
    revoked = f"999999:{SECRET}"  # well-formed, but no such bot (revoked in @BotFather)
    line = await _start_failure(telegram, tmp_path, bot_tokens=f"{ALPHA},{revoked}")
    assert line.endswith("Telegram rejected a token in BOT_TOKENS"), line


@pytest.mark.parametrize(
    "mode", [{}, {"webhook_url": "https://desk.example", "webhook_secret": "s3cret"}]
)
async def test_a_taken_http_port_stops_the_start_before_anything_began(
    telegram: FakeTelegram, tmp_path: Path, mode: dict[str, str]
):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = await _start_failure(
            telegram, tmp_path, bot_tokens=ALPHA, http_host="127.0.0.1", http_port=port, **mode
        )
    assert line.endswith(
        f"invalid setting HTTP_HOST/HTTP_PORT 127.0.0.1:{port}: Address already in use"
    ), line
    assert telegram.calls_of("setWebhook") == []  # in webhook mode: nothing was registered

"""Harness of the scale-out tests: the real bot in webhook or polling mode (in this event loop,
or as ``python -m bot`` subprocesses) against fake_telegram, on SQLite or on a PostgreSQL
database of its own (never the shared ``test`` database, which other runs may be using)."""

import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.app import App, create_app, run_polling, run_webhook
from bot.config import Settings
from fake_telegram import FakeTelegram, User
from tests.harness import ADMIN, FAST, eventually, free_port
from tests.support.db import TEST_DATABASE_URL

BOTS = ("alpha_bot", "beta_bot")
SECRET = "webhook-secret-for-tests"
REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0


def parse_metric(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text; 0 when the series does not exist."""
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


# ------------------------------------------------------------------------------- databases


def postgres_url_or_skip() -> str:
    """TEST_DATABASE_URL when it points at PostgreSQL, else skip the test."""
    if TEST_DATABASE_URL is None:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL needed)")
    if make_url(TEST_DATABASE_URL).get_backend_name() != "postgresql":
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL URL")
    return TEST_DATABASE_URL


@contextlib.asynccontextmanager
async def dedicated_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database on the server of ``server_url``, dropped afterwards.

    Skips the test when the server does not answer."""
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"switchboard_{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError) as exc:
        await admin.dispose()
        pytest.skip(f"PostgreSQL at {make_url(server_url).host} is unreachable: {exc}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


# ------------------------------------------------------------------------ in-process bots


class Running:
    """A Switchboard running in this event loop, its HTTP server, and helpers to drive it."""

    def __init__(self, app: App, telegram: FakeTelegram, mode: str) -> None:
        self.app = app
        self.telegram = telegram
        self.mode = mode
        self.url = f"http://127.0.0.1:{app.settings.http_port}"
        self.http = aiohttp.ClientSession()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run the app and wait until it listens and every bot is connected."""
        if self.mode == "webhook":
            self.task = asyncio.create_task(run_webhook(self.app))
        else:
            self.task = asyncio.create_task(run_polling(self.app))
            await self.telegram.wait_for(lambda: all(map(self.telegram.is_polling, BOTS)))

        async def healthy() -> bool:
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with self.http.get(f"{self.url}/healthz") as response:
                    return response.status == 200
            return False

        await eventually(healthy, "the app answers /healthz with 200")

    async def stop(self) -> None:
        assert self.task is not None
        if self.mode == "webhook":
            self.task.cancel()  # what SIGTERM does in a real process
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        else:
            await self.app.dispatcher.stop_polling()
            await self.task
        await self.http.close()

    async def get(self, path: str) -> tuple[int, Any]:
        """GET a path of the app's HTTP server: (status, JSON or text body)."""
        async with self.http.get(f"{self.url}{path}") as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()

    async def metric(self, name: str, **labels: str) -> float:
        """One sample of /metrics, e.g. ``metric("switchboard_updates_total", bot="alpha_bot")``;
        0 when the series does not exist (yet)."""
        status, body = await self.get("/metrics")
        assert status == 200
        return parse_metric(body, name, **labels)

    async def idle(self) -> None:
        """Wait until every update was acknowledged (handled and committed) and the outbox
        is empty."""
        await self.telegram.wait_for(
            lambda: all(self.telegram.pending_updates(bot) == 0 for bot in BOTS)
        )
        await self.app.worker.drain()

    async def command(self, user: User, command: str, bot: str = "alpha_bot") -> str:
        """Send a command and return the plain text of the bot's answer(s)."""
        before = len(self.telegram.received(bot, user.id))
        await self.telegram.send_command(bot, user, command)
        await self.telegram.wait_received(bot, user.id, before + 1)
        await self.idle()
        received = self.telegram.received(bot, user.id)[before:]
        return "\n".join(item.plain_text or "" for item in received)

    async def add_operator(self, user: User, limit: int) -> None:
        """An admin adds ``user`` as operator, who then starts both bots."""
        await self.command(ADMIN, f"/addop {user.id} {limit}")
        for bot in BOTS:
            await self.command(user, "/start", bot)


async def run_switchboard(
    telegram: FakeTelegram, make_settings: Callable[..., Settings], mode: str, **settings: object
) -> Running:
    """Create and start the app in ``mode``: "webhook" (its own server is the webhook URL the
    fake pushes updates to) or "polling", with ``settings`` over the test defaults."""
    overrides: dict[str, object] = dict(settings)
    if mode == "webhook":
        port = free_port()
        overrides |= {
            "http_port": port,
            "webhook_url": f"http://127.0.0.1:{port}",
            "webhook_secret": SECRET,
        }
    app = await create_app(make_settings(**overrides), rng=random.Random(5), pacing=FAST)
    running = Running(app, telegram, mode)
    await running.start()
    return running


# --------------------------------------------------------------------------- subprocesses


class BotProcess:
    """``python -m bot`` in a subprocess with JSON logs; stderr is kept, line by line."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO),
            "LOG_FORMAT": "json",
            **env,
        }
        self.workdir = workdir  # no .env there: only ``env`` configures the process
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._new_line = asyncio.Condition()

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            env=self.env,
            cwd=self.workdir,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for raw in self.process.stderr:
            async with self._new_line:
                self.lines.append(raw.decode().rstrip("\n"))
                self._new_line.notify_all()
        async with self._new_line:
            self._new_line.notify_all()

    def records(self) -> list[dict[str, Any]]:
        """Every log line as a JSON object (fails the test on a line that is not one)."""
        return [json.loads(line) for line in self.lines]

    async def wait_for_log(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = STARTUP_TIMEOUT,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The first log record matching ``predicate``, waiting for it if need be."""
        assert self._reader is not None

        def found() -> dict[str, Any] | None:
            for line in self.lines:
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    if predicate(record):
                        return record
            return None

        async with asyncio.timeout(timeout), self._new_line:
            while (record := found()) is None:
                if self._reader.done():
                    tail = "\n".join(self.lines[-20:])
                    raise AssertionError(f"{self.name} exited; last log lines:\n{tail}")
                await self._new_line.wait()
        return record

    async def http_port(self) -> int:
        """The port the process's HTTP server bound (it logs it at start)."""
        record = await self.wait_for_log(lambda r: r["message"].startswith("HTTP server on "))
        return int(record["message"].rsplit(":", 1)[1])

    async def stop(self) -> int:
        """SIGTERM, then the exit status."""
        assert self.process is not None and self._reader is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(30):
                await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        await self._reader
        return self.process.returncode

    async def wait(self) -> int:
        """Wait for the process to exit on its own; its exit status."""
        assert self.process is not None and self._reader is not None
        async with asyncio.timeout(STARTUP_TIMEOUT):
            await self.process.wait()
        await self._reader
        return self.process.returncode

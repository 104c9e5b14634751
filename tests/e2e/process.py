"""The bot as a real process (``python -m bot``), for tests that kill it and for benchmarks."""

import asyncio
import os
import sys
import time
from pathlib import Path

from bot.config import Settings
from fake_telegram import FakeTelegram

# The repository root, so the child imports this checkout whatever its working directory.
ROOT = Path(__file__).resolve().parents[2]


# Unless a caller says otherwise: local HTTP on a free port, and no timers, whose messages
# would mix with what a test or benchmark counts.
_QUIET = {
    "http_host": "127.0.0.1",
    "http_port": 0,
    "reminder_minutes": 0,
    "auto_close_hours": 0,
    "queue_alert_minutes": 0,
}


def bot_environment(**settings: object) -> dict[str, str]:
    """This process's environment without any Switchboard setting, plus ``settings``
    (``bot_tokens=...`` becomes ``BOT_TOKENS``) over quiet defaults, so a developer's own
    settings cannot leak in."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in ours}
    env.update({name.upper(): str(value) for name, value in (_QUIET | settings).items()})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


class BotProcess:
    """``python -m bot`` polling ``bots`` of a fake Telegram; its output goes to ``log_path``.

    It runs in the directory of ``log_path``, so no ``.env`` of the checkout is read.
    """

    def __init__(
        self, telegram: FakeTelegram, bots: list[str], env: dict[str, str], log_path: Path
    ) -> None:
        self.telegram = telegram
        self.bots = bots
        self.env = env
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 60) -> None:  # noqa: ASYNC109
        """Start the bot and wait until it polls every bot, i.e. it is fully started."""
        since = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                env=self.env,
                cwd=self.log_path.parent,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        polling = asyncio.ensure_future(
            self.telegram.wait_for(lambda: self._polled_since(since), timeout)
        )
        exited = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited.done():
            polling.cancel()
            raise RuntimeError(f"the bot exited with status {exited.result()}:\n{self.log()}")
        exited.cancel()
        polling.result()  # a TimeoutError names what was missing

    def _polled_since(self, since: float) -> bool:
        return all(
            any(call.at >= since for call in self.telegram.calls_of("getUpdates", bot))
            for bot in self.bots
        )

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed or finished."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self, timeout: float = 30) -> None:  # noqa: ASYNC109
        """SIGTERM and wait for a graceful shutdown (SIGKILL if it takes longer)."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()

    def log(self) -> str:
        """Everything the bot printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

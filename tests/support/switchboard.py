"""The end-to-end harness: the real bot (aiogram, HTTP, long polling) in this event loop
against fake_telegram, and what drives it."""

import asyncio

from bot.app import App, run_polling
from fake_telegram import FakeTelegram, User
from tests.harness import ADMIN


class Switchboard:
    """A running bot process (in this event loop) and helpers to drive it."""

    def __init__(self, app: App, telegram: FakeTelegram) -> None:
        self.app = app
        self.telegram = telegram
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(run_polling(self.app))
        await self.telegram.wait_for(
            lambda: self.telegram.is_polling("alpha_bot") and self.telegram.is_polling("beta_bot")
        )

    async def stop(self) -> None:
        await self.app.dispatcher.stop_polling()
        assert self.task is not None
        await self.task

    async def command(self, user: User, command: str, bot: str = "alpha_bot") -> str:
        """Send a command and return the plain text of the bot's next answer(s)."""
        before = len(self.telegram.received(bot, user.id))
        await self.telegram.send_command(bot, user, command)
        received = await self.telegram.wait_received(bot, user.id, before + 1)
        await self.idle()
        received = self.telegram.received(bot, user.id)
        return "\n".join(r.plain_text or "" for r in received[before:])

    async def idle(self) -> None:
        """Wait until every update was handled and the outbox is empty."""
        await self.telegram.wait_for(
            lambda: (
                all(self.telegram.pending_updates(b) == 0 for b in ("alpha_bot", "beta_bot"))
                and all(self.telegram.is_polling(b) for b in ("alpha_bot", "beta_bot"))
            )
        )
        await self.app.worker.drain()

    async def add_operator(
        self, user: User, limit: int = 5, bots: tuple[str, ...] = ("alpha_bot", "beta_bot")
    ) -> None:
        """An admin adds ``user`` as operator, who then starts the given bots."""
        await self.command(ADMIN, f"/addop {user.id} {limit}")
        for bot in bots:
            await self.command(user, "/start", bot)

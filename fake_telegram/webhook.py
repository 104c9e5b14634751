"""Pushes updates to webhooks: per bot one at a time, in order, retried until 2xx."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout

from .api import ApiExecutor
from .errors import ApiError
from .params import read_body
from .state import BotState, Delivery, Webhook, World

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_FIRST_RETRY_DELAY = 0.05
_MAX_RETRY_DELAY = 2.0
_REQUEST_TIMEOUT = ClientTimeout(total=30)


class WebhookPusher:
    """One delivery task per bot; each waits for "webhook set and updates pending"."""

    def __init__(self, world: World, api: ApiExecutor, session: ClientSession) -> None:
        self._world = world
        self._api = api
        self._session = session
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def watch(self, bot: BotState) -> None:
        """Start delivering ``bot``'s updates whenever it has a webhook."""
        self._tasks[bot.id] = asyncio.create_task(self._run(bot), name=f"webhook-{bot.id}")

    async def close(self) -> None:
        """Stop all delivery tasks; undelivered updates stay pending."""
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()

    async def _run(self, bot: BotState) -> None:
        world = self._world
        delay = _FIRST_RETRY_DELAY
        while not world.closing:
            await world.wait_until(
                lambda: world.closing or (bot.webhook is not None and bool(bot.updates)), None
            )
            hook = bot.webhook
            if hook is None or not bot.updates:
                continue
            update = bot.updates[0]
            error = await self._deliver(bot, hook, update)
            world.deliveries.append(
                Delivery(bot.id, update["update_id"], hook.url, error, time.monotonic())
            )
            if error is None:
                # The update may have been dropped meanwhile (drop_pending_updates).
                if bot.updates and bot.updates[0] is update:
                    bot.updates.popleft()
                delay = _FIRST_RETRY_DELAY
                world.changed()
                continue
            hook.last_error_date = int(time.time())
            hook.last_error_message = error
            world.changed()
            # Back off, but retry at once if the webhook is replaced or removed.
            await world.wait_until(
                lambda current=hook: world.closing or bot.webhook is not current, delay
            )
            delay = min(delay * 2, _MAX_RETRY_DELAY)

    async def _deliver(self, bot: BotState, hook: Webhook, update: dict[str, Any]) -> str | None:
        """POST one update; return None on success or Telegram-style error text."""
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
        try:
            async with self._session.post(
                hook.url, json=update, headers=headers, timeout=_REQUEST_TIMEOUT
            ) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
                reply, uploads = await read_body(response.headers, response.content)
        except (ClientError, TimeoutError) as error:
            return f"Connection failed: {type(error).__name__}: {error}"
        except ApiError:
            return None  # an unreadable reply body is ignored, like Telegram does
        # A webhook may answer with a method call (aiogram does when not handling in the
        # background); Telegram executes it and ignores its outcome.
        method = reply.pop("method", None)
        if isinstance(method, str):
            await self._api.call(bot.token, method, reply, uploads)
        return None

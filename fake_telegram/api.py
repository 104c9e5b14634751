"""Runs one Bot API call: authentication, faults, rate limits, the handler, the record."""

from __future__ import annotations

import time
from http import HTTPStatus
from typing import Any

from .errors import ApiError, too_many_requests
from .faults import Fault, FaultInjector, RateLimiter
from .methods import Context, chat_key, lookup
from .params import Params, Upload
from .state import Call, World


class ApiExecutor:
    """Answers Bot API calls for HTTP requests and for methods returned by webhooks."""

    def __init__(self, world: World, faults: FaultInjector, limiter: RateLimiter | None) -> None:
        self._world = world
        self._faults = faults
        self._limiter = limiter

    async def call(
        self, token: str, method: str, raw: dict[str, Any], uploads: dict[str, Upload]
    ) -> tuple[int, dict[str, Any]]:
        """Run ``method`` for the bot with ``token``; return (HTTP status, JSON envelope)."""
        at = time.monotonic()
        entry = lookup(method)
        name = entry[0] if entry is not None else method
        bot = self._world.bots.get(token)
        try:
            if bot is None:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            params = Params(raw, uploads)
            await self._admit(name, bot.id, params)
            result = await entry[1](Context(self._world, bot, params))
        except ApiError as error:
            status, body, description = error.status, error.envelope(), error.description
            if bot is not None and status == HTTPStatus.TOO_MANY_REQUESTS:
                bot.too_many_requests += 1
        else:
            status, body, description = 200, {"ok": True, "result": result}, None
        self._world.calls.append(Call(token, name, dict(raw), status, at, description))
        self._world.changed()
        return status, body

    async def _admit(self, method: str, bot_id: int, params: Params) -> None:
        # Faults and flood control are decided before the handler runs, so a refused
        # call never has side effects.
        fault = self._faults.pick(method)
        if fault is not None:
            await self._hold(fault)
            raise ApiError(fault.status, fault.description, retry_after=fault.retry_after)
        if self._limiter is not None:
            retry_after = self._limiter.acquire(method, bot_id, chat_key(params))
            if retry_after is not None:
                raise too_many_requests(retry_after)

    async def _hold(self, fault: Fault) -> None:
        # A timeout fault keeps the request open; closing the server cuts the wait short.
        if fault.delay > 0:
            await self._world.wait_until(lambda: self._world.closing, fault.delay)

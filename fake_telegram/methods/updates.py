"""Update delivery methods: getUpdates long polling and webhook registration."""

from __future__ import annotations

import itertools
import re
from typing import Any

from ..errors import ApiError, bad_request
from ..params import Params
from ..state import BotState, Webhook
from .common import Context, Handler

_MAX_LIMIT = 100
_DEFAULT_MAX_CONNECTIONS = 40
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def _set_allowed_updates(bot: BotState, params: Params) -> None:
    allowed = params.json("allowed_updates")
    if allowed is None:
        return  # keep the previous setting, as Telegram does
    if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
        raise bad_request("can't parse allowed_updates JSON object")
    # An empty list restores the default set.
    bot.allowed_updates = frozenset(allowed) or None


async def get_updates(ctx: Context) -> list[dict[str, Any]]:
    """getUpdates: confirm by offset, then return pending updates, long-polling if asked."""
    bot, params, world = ctx.bot, ctx.params, ctx.world
    if bot.webhook is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    offset = params.integer("offset") or 0
    limit = min(max(params.integer("limit") or _MAX_LIMIT, 1), _MAX_LIMIT)
    timeout = max(params.integer("timeout") or 0, 0)
    _set_allowed_updates(bot, params)
    if offset:
        bot.confirm(offset)
    bot.poll_generation += 1
    generation = bot.poll_generation
    world.changed()  # lets an older long poll of this bot notice it was superseded

    def settled() -> bool:
        return (
            bool(bot.updates)
            or bot.poll_generation != generation
            or bot.webhook is not None
            or world.closing
        )

    if timeout and not settled():
        bot.waiting_polls += 1
        world.changed()  # observers (FakeTelegram.is_polling) see the poll start
        try:
            await world.wait_until(settled, timeout)
        finally:
            bot.waiting_polls -= 1
    if bot.poll_generation != generation:
        raise ApiError(409, POLL_CONFLICT)
    return list(itertools.islice(bot.updates, limit))


async def set_webhook(ctx: Context) -> bool:
    """setWebhook: register the URL updates are pushed to (an empty URL removes it).

    Plain http:// URLs are allowed so tests can use local servers.
    """
    bot, params = ctx.bot, ctx.params
    url = params.text("url")
    if url is not None and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    _set_allowed_updates(bot, params)
    if params.flag("drop_pending_updates"):
        bot.updates.clear()
    max_connections = params.integer("max_connections") or _DEFAULT_MAX_CONNECTIONS
    bot.webhook = None if url is None else Webhook(url, secret, max_connections)
    return True


async def delete_webhook(ctx: Context) -> bool:
    """deleteWebhook: switch back to getUpdates, optionally dropping pending updates."""
    if ctx.params.flag("drop_pending_updates"):
        ctx.bot.updates.clear()
    ctx.bot.webhook = None
    return True


async def get_webhook_info(ctx: Context) -> dict[str, Any]:
    """getWebhookInfo: URL, pending count and the last delivery error."""
    bot = ctx.bot
    hook = bot.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    if bot.allowed_updates is not None:
        info["allowed_updates"] = sorted(bot.allowed_updates)
    return info


HANDLERS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}

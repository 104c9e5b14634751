"""JSON control API for the standalone server, so demos can play users over HTTP.

``POST /_fake/{bot}/{action}`` with a JSON body runs a simulation method, where action is
send_message, send_command, send_media, edit_message, press_button, block or unblock and
``user`` is an object with the fields of :class:`~fake_telegram.users.User`.
``GET /_fake/{bot}/received/{chat_id}`` lists what the bot sent into a chat.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .users import User

if TYPE_CHECKING:
    from .server import FakeTelegram

_Action = Callable[["FakeTelegram", str, dict[str, Any]], Awaitable[Any]]


def _user(body: dict[str, Any]) -> User:
    return User(**body["user"])


async def _send_message(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    return await fake.send_message(bot, _user(body), body["text"], reply_to=body.get("reply_to"))


async def _send_command(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    return await fake.send_command(bot, _user(body), body["command"])


async def _send_media(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    return await fake.send_media(
        bot,
        _user(body),
        body["kind"],
        caption=body.get("caption"),
        media_group_id=body.get("media_group_id"),
        reply_to=body.get("reply_to"),
    )


async def _edit_message(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    return await fake.edit_message(bot, _user(body), body["message_id"], body["text"])


async def _press_button(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    return await fake.press_button(bot, _user(body), body["message_id"], body["data"])


async def _block(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    fake.block(bot, body["user_id"])
    return True


async def _unblock(fake: FakeTelegram, bot: str, body: dict[str, Any]) -> Any:
    fake.unblock(bot, body["user_id"])
    return True


_ACTIONS: dict[str, _Action] = {
    "send_message": _send_message,
    "send_command": _send_command,
    "send_media": _send_media,
    "edit_message": _edit_message,
    "press_button": _press_button,
    "block": _block,
    "unblock": _unblock,
}


def _failure(error: Exception, status: int = 400) -> web.Response:
    return web.json_response(
        {"ok": False, "error": f"{type(error).__name__}: {error}"}, status=status
    )


def add_control_routes(app: web.Application, fake: FakeTelegram) -> None:
    """Mount the control API of ``fake`` on ``app``."""

    async def act(request: web.Request) -> web.Response:
        action = _ACTIONS.get(request.match_info["action"])
        if action is None:
            return _failure(LookupError(f"unknown action; use one of {sorted(_ACTIONS)}"), 404)
        try:
            body = await request.json() if request.can_read_body else {}
            result = await action(fake, request.match_info["bot"], body)
        except (LookupError, ValueError, TypeError, RuntimeError) as error:
            return _failure(error)
        return web.json_response({"ok": True, "result": result})

    async def received(request: web.Request) -> web.Response:
        try:
            items = fake.received(request.match_info["bot"], int(request.match_info["chat_id"]))
        except (LookupError, ValueError) as error:
            return _failure(error)
        result = [{**dataclasses.asdict(item), "plain_text": item.plain_text} for item in items]
        return web.json_response({"ok": True, "result": result})

    app.router.add_get("/_fake/{bot}/received/{chat_id}", received)
    app.router.add_post("/_fake/{bot}/{action}", act)

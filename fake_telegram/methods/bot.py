"""Bot-level methods: identity, commands, profile texts, menu button, callbacks, files."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import bad_request, missing
from .common import Context, Handler

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_MAX_DESCRIPTION = 256
_EXPIRED_QUERY = "query is too old and response timeout expired or query ID is invalid"


def commands_key(bot_id: int, scope: Any, language_code: str | None) -> tuple[int, str, str]:
    """Key of ``FakeTelegram.commands``: (bot id, compact sorted scope JSON, language)."""
    normalized = dict(scope or {"type": "default"})
    for field in ("chat_id", "user_id"):
        value = normalized.get(field)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            normalized[field] = int(value)  # form bodies may send ids as strings
    return (
        bot_id,
        json.dumps(normalized, sort_keys=True, separators=(",", ":")),
        language_code or "",
    )


def _key(ctx: Context) -> tuple[int, str, str]:
    scope = ctx.params.json("scope")
    if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
        raise bad_request("can't parse BotCommandScope JSON object")
    return commands_key(ctx.bot.id, scope, ctx.params.text("language_code"))


async def get_me(ctx: Context) -> dict[str, Any]:
    """getMe: the bot's User object with the bot-only flags."""
    return {
        **ctx.bot.as_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def accept(ctx: Context) -> bool:
    """logOut and close: nothing to tear down in the fake."""
    return True


async def set_my_commands(ctx: Context) -> bool:
    """setMyCommands: store the list for (scope, language); an empty list deletes it."""
    commands = ctx.params.json("commands")
    if commands is None:
        raise missing("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    validated = []
    for command in commands:
        name = command.get("command") if isinstance(command, dict) else None
        description = command.get("description") if isinstance(command, dict) else None
        if not isinstance(name, str) or not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= _MAX_DESCRIPTION:
            raise bad_request("command description must be 1-256 characters long")
        validated.append({"command": name, "description": description})
    key = _key(ctx)
    if validated:
        ctx.world.commands[key] = validated
    else:
        ctx.world.commands.pop(key, None)
    return True


async def delete_my_commands(ctx: Context) -> bool:
    """deleteMyCommands: forget the list for (scope, language)."""
    ctx.world.commands.pop(_key(ctx), None)
    return True


async def get_my_commands(ctx: Context) -> list[dict[str, Any]]:
    """getMyCommands: the list for exactly this (scope, language), without fallbacks."""
    return list(ctx.world.commands.get(_key(ctx), []))


def _profile_setter(field: str) -> Handler:
    async def set_text(ctx: Context) -> bool:
        key = (field, ctx.params.text("language_code") or "")
        value = ctx.params.text(field)
        if value:
            ctx.bot.profile[key] = value
        else:
            ctx.bot.profile.pop(key, None)
        return True

    set_text.__doc__ = f"Store the bot's {field} for a language (empty clears it)."
    return set_text


def _profile_getter(field: str) -> Handler:
    async def get_text(ctx: Context) -> dict[str, str]:
        key = (field, ctx.params.text("language_code") or "")
        default = ctx.bot.first_name if field == "name" else ""
        return {field: ctx.bot.profile.get(key, default)}

    get_text.__doc__ = f"Return the bot's {field} for a language."
    return get_text


async def set_chat_menu_button(ctx: Context) -> bool:
    """setChatMenuButton: store the button for one chat, or the default without chat_id."""
    button = ctx.params.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    ctx.bot.menu_buttons[ctx.params.integer("chat_id")] = button
    return True


async def get_chat_menu_button(ctx: Context) -> dict[str, Any]:
    """getChatMenuButton: the chat's button, else the bot's default, else "commands"."""
    buttons = ctx.bot.menu_buttons
    chosen = buttons.get(ctx.params.integer("chat_id")) or buttons.get(None)
    if chosen is None or chosen.get("type") == "default":
        return {"type": "commands"}
    return chosen


async def answer_callback_query(ctx: Context) -> bool:
    """answerCallbackQuery: each query can be answered once; answers are recorded."""
    params = ctx.params
    query_id = params.text("callback_query_id")
    if query_id is None:
        raise missing("callback_query_id")
    if query_id not in ctx.bot.open_callbacks:
        raise bad_request(_EXPIRED_QUERY)
    ctx.bot.open_callbacks.discard(query_id)
    ctx.world.answered_callbacks.append(
        {
            "bot_id": ctx.bot.id,
            "callback_query_id": query_id,
            "text": params.text("text"),
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time") or 0,
        }
    )
    return True


async def get_file(ctx: Context) -> dict[str, Any]:
    """getFile: the File object whose file_path can be downloaded from /file/bot<token>/."""
    file_id = ctx.params.text("file_id")
    if file_id is None:
        raise missing("file_id")
    record = ctx.bot.files.get(file_id)
    if record is None:
        raise bad_request("invalid file_id")
    return record.as_file()


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": accept,
    "close": accept,
    "setMyCommands": set_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getMyCommands": get_my_commands,
    "setMyName": _profile_setter("name"),
    "getMyName": _profile_getter("name"),
    "setMyDescription": _profile_setter("description"),
    "getMyDescription": _profile_getter("description"),
    "setMyShortDescription": _profile_setter("short_description"),
    "getMyShortDescription": _profile_getter("short_description"),
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
}

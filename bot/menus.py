"""Command menus per scope and language: clients, operators and admins each see their own,
in the language they read."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.texts import Languages, available_languages, t
from services.views import OperatorRemoved

log = logging.getLogger(__name__)

CLIENT_COMMANDS = ("help", "language")
OPERATOR_COMMANDS = (
    "contacts",
    "close",
    "transfer",
    "move",
    "t",
    "history",
    "ban",
    "pause",
    "resume",
    "me",
)
ADMIN_COMMANDS = (
    "operators",
    "addop",
    "delop",
    "limit",
    "activate",
    "deactivate",
    "weights",
    "mode",
    "sources",
    "queue",
    "stats",
    "assign",
    "why",
    "invite",
    "texts",
    "text",
    "templates",
    "template",
    "topics",
    "topic",
    "unban",
    "banned",
    "hours",
    "holiday",
    "holidays",
    "afterhours",
    "shift",
    "duty",
)
# Commands of operators that admins have too (refused to others as operators' commands).
ADMIN_AND_OPERATOR_COMMANDS = ("history", "ban", "move")


def _commands(names: tuple[str, ...], language: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=t(f"menu-{name}", language)) for name in names]


async def set_default_menu(bot: Bot, languages: Languages) -> None:
    """What every client sees: in each language we have, for Telegram users of that language,
    and in the default language for everyone else."""
    for language in available_languages():
        await bot.set_my_commands(
            _commands(CLIENT_COMMANDS, language),
            scope=BotCommandScopeDefault(),
            language_code=language,
        )
    await bot.set_my_commands(
        _commands(CLIENT_COMMANDS, languages.default), scope=BotCommandScopeDefault()
    )


async def set_chat_menu(
    bot: Bot, chat_id: int, language: str, *, is_admin: bool, operator: bool = True
) -> None:
    """The menu of one chat, in the language its user reads (whatever Telegram's is): a
    client's who chose a language, an operator's and/or an admin's. A chat that never started
    this bot cannot have a menu yet; that is retried when they press Start."""
    names = (
        CLIENT_COMMANDS
        + (OPERATOR_COMMANDS if operator else ())
        + (ADMIN_AND_OPERATOR_COMMANDS if is_admin and not operator else ())
        + (ADMIN_COMMANDS if is_admin else ())
    )
    try:
        await bot.set_my_commands(
            _commands(names, language), scope=BotCommandScopeChat(chat_id=chat_id)
        )
    except TelegramAPIError as exc:
        log.info("menu for chat %s in bot %s not set yet: %s", chat_id, bot.id, exc.message)


async def reset_removed_operator(
    bots_by_source: dict[int, Bot],
    removed: OperatorRemoved,
    admin_ids: frozenset[int],
    languages: Languages,
) -> None:
    """After ``/delop`` (or the API's removal): every bot the operator had started shows them
    the menu of who they are now, a client's or an admin's, in the language they read."""
    for source_id in removed.started_source_ids:
        await set_chat_menu(
            bots_by_source[source_id],
            removed.telegram_id,
            languages.pick(removed.language),
            is_admin=removed.telegram_id in admin_ids,
            operator=False,
        )

"""Command menus per scope: clients, operators and admins each see their own."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.texts import t
from services.views import OperatorRemoved

log = logging.getLogger(__name__)

OPERATOR_COMMANDS = ("contacts", "close", "pause", "resume", "me")
ADMIN_COMMANDS = (
    "operators",
    "addop",
    "delop",
    "limit",
    "activate",
    "deactivate",
    "weights",
    "sources",
    "queue",
    "stats",
    "assign",
    "invite",
)


def _commands(names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(command=name, description=t(f"menu.{name}")) for name in names]


async def set_default_menu(bot: Bot) -> None:
    """What every client sees."""
    await bot.set_my_commands(_commands(("help",)), scope=BotCommandScopeDefault())


async def set_operator_menu(
    bot: Bot, chat_id: int, *, is_admin: bool, operator: bool = True
) -> None:
    """The menu of one operator and/or admin chat. A chat that never started this bot cannot
    have a menu yet; that is retried when they press Start."""
    names = (
        ("help",) + (OPERATOR_COMMANDS if operator else ()) + (ADMIN_COMMANDS if is_admin else ())
    )
    try:
        await bot.set_my_commands(_commands(names), scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as exc:
        log.info("menu for chat %s in bot %s not set yet: %s", chat_id, bot.id, exc.message)


async def reset_removed_operator(
    bots_by_source: dict[int, Bot], removed: OperatorRemoved, admin_ids: frozenset[int]
) -> None:
    """After ``/delop`` (or the API's removal): every bot the operator had started shows them
    the menu of who they are now, a client's or an admin's."""
    for source_id in removed.started_source_ids:
        await set_operator_menu(
            bots_by_source[source_id],
            removed.telegram_id,
            is_admin=removed.telegram_id in admin_ids,
            operator=False,
        )

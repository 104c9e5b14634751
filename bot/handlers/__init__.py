"""Routers per role; the order of inclusion is the order of precedence."""

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.handlers import admin, client, language, operator, stale, start


def build_router() -> Router:
    """Admin commands first, then /start, /help and /language, operators, everyone else as a
    client, and last an answer to buttons nobody handled."""
    root = Router(name="switchboard")
    # The help desk lives in private chats. In a group the bot was added to, a message is
    # nobody's contact, and an answer (an admin's /queue, say) would show clients to strangers.
    private = F.chat.type == ChatType.PRIVATE
    root.message.filter(private)
    root.edited_message.filter(private)
    root.include_routers(
        admin.build_router(),
        start.build_router(),
        language.build_router(),
        operator.build_router(),
        client.build_router(),
        stale.build_router(),
    )
    return root

"""Inline buttons no other handler took: answered all the same, so none spins forever."""

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.middlewares import Sender
from bot.texts import t


async def stale_button(query: CallbackQuery, sender: Sender) -> None:
    """A button whose action is gone, e.g. Close on an old card of a removed operator."""
    await query.answer(t("button-stale", await sender.language()), show_alert=True)


def build_router() -> Router:
    """The fallback for callback queries; included last so it never shadows a real handler."""
    router = Router(name=__name__)
    router.callback_query.register(stale_button)
    return router

"""Inline buttons no other handler took: answered all the same, so none spins forever."""

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.texts import t


async def stale_button(query: CallbackQuery) -> None:
    """A button whose action is gone, e.g. Close on an old card of a removed operator."""
    await query.answer(t("button.stale", query.from_user.language_code), show_alert=True)


def build_router() -> Router:
    """The fallback for callback queries; included last so it never shadows a real handler."""
    router = Router(name=__name__)
    router.callback_query.register(stale_button)
    return router

"""Small helpers the handlers share to answer with rendered pages and errors."""

import logging

from aiogram.types import ErrorEvent, Message

from bot import render
from bot.texts import t
from services.errors import DomainError

log = logging.getLogger(__name__)


async def answer_pages(message: Message, pages: list[str]) -> None:
    """Answer with one message per page (long lists are split to fit Telegram's limit)."""
    for page in pages:
        await message.answer(page)


async def on_domain_error(event: ErrorEvent) -> None:
    """A refused request: tell the user why; nothing was changed."""
    assert isinstance(event.exception, DomainError)
    await _tell(event, render.error(event.exception))


async def on_unexpected_error(event: ErrorEvent) -> None:
    """A bug or an outage: log it and tell the user to try again, rather than stay silent."""
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(event, t("error.internal"))


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.message is not None:
        await update.message.answer(text)
    elif update.callback_query is not None:
        # Alerts are limited to 200 characters.
        await update.callback_query.answer(text[:200], show_alert=True)

"""Small helpers the handlers share to answer with rendered pages and errors."""

import logging

from aiogram.types import ErrorEvent, Message

from bot import render
from bot.middlewares import Sender
from bot.texts import SOURCE_LANGUAGE, t
from services.errors import DomainError

log = logging.getLogger(__name__)


async def answer_pages(message: Message, pages: list[str]) -> None:
    """Answer with one message per page (long lists are split to fit Telegram's limit)."""
    for page in pages:
        await message.answer(page)


async def on_domain_error(event: ErrorEvent, sender: Sender | None = None) -> None:
    """A refused request: tell the user why, in their language; nothing was changed."""
    assert isinstance(event.exception, DomainError)
    language = await sender.language() if sender else SOURCE_LANGUAGE
    await _tell(event, render.error(event.exception, language))


async def on_unexpected_error(event: ErrorEvent, sender: Sender | None = None) -> None:
    """A bug or an outage: log it and tell the user to try again, rather than stay silent.

    The language is the one known without the database (which may be what failed)."""
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(event, t("error-internal", sender.known_language() if sender else None))


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.message is not None:
        await update.message.answer(text)
    elif update.callback_query is not None:
        # Alerts are limited to 200 characters.
        await update.callback_query.answer(text[:200], show_alert=True)

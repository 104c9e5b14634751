"""The delivery worker's ``Transport``: sends outbox rows through the right aiogram Bot."""

import os
import random
import tempfile
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from contextvars import ContextVar
from typing import Any, Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.types import FSInputFile, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import render
from bot.texts import Languages, plain
from db.models import Delivery, DeliveryKind
from services.delivery import Pacer, Rejected, RetryAfter, Transient, Unreachable
from services.notices import (
    MessageCopy,
    MessageEdit,
    MessageText,
    TranscriptRequest,
    read_notice,
)
from services.transcripts import TranscriptHead, TranscriptLine, TranscriptService

# Errors that sending the same request again cannot fix.
_REJECTED = (
    TelegramBadRequest,
    TelegramUnauthorizedError,
    TelegramNotFound,
    TelegramEntityTooLarge,
)

# In Telegram's answer to an edit to the same text ("message is not modified": the user changed
# only what a copy lacks); the only answer of editMessageText that says so.
_NOT_MODIFIED = "modified"
# Set while the transport sends an outbox row: the worker paced that message itself.
_WORKER_SENDING: ContextVar[bool] = ContextVar("worker_sending", default=False)


def _is_message(method: TelegramMethod[Any]) -> bool:
    """Whether a Bot API call puts (or changes) a message in a chat, which Telegram limits."""
    name = method.__api_method__
    return name.startswith(("send", "copy", "forward", "edit")) and name != "sendChatAction"


class DirectSendCounter(BaseRequestMiddleware):
    """Counts a bot's messages that bypass the outbox (handlers' answers) against the
    worker's pacing, so the outbox makes room for them instead of Telegram answering 429."""

    def __init__(self, pacer: Pacer, source_id: int) -> None:
        self.pacer = pacer
        self.source_id = source_id

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        """Charge the pacer for a direct message, then send it without waiting."""
        chat_id = getattr(method, "chat_id", None)
        if _WORKER_SENDING.get() or not isinstance(chat_id, int) or not _is_message(method):
            return await make_request(bot, method)
        self.pacer.charge(self.source_id, chat_id)
        try:
            return await make_request(bot, method)
        finally:
            self.pacer.settle(self.source_id, chat_id)


# The text a bot's admin set instead of a default one: (source id, name, language) → text.
CustomText = Callable[[int, str, str], Awaitable[str | None]]
# A transcript's file stops short of Telegram's 50 MB a bot may upload (a line more is at most
# 4,096 characters of a message, 16 KB in UTF-8).
TRANSCRIPT_LIMIT = 45 * 1024 * 1024


class Transcripts(Protocol):
    """Reads a contact's conversation from the database when its transcript is sent."""

    async def head(self, contact_id: int) -> TranscriptHead | None:
        """The contact, client, bot and operator (``None``: the contact is gone)."""

    def lines(self, contact_id: int) -> AsyncGenerator[TranscriptLine, None]:
        """Its messages in order, read page by page."""


class DatabaseTranscripts:
    """``Transcripts`` read through sessions of their own (the worker's are short)."""

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], rng: random.Random
    ) -> None:
        self.session_factory = session_factory
        self.rng = rng

    async def head(self, contact_id: int) -> TranscriptHead | None:
        """The contact, client, bot and operator (``None``: the contact is gone)."""
        async with self.session_factory() as session:
            return await TranscriptService(session, self.rng).head(contact_id)

    async def lines(self, contact_id: int) -> AsyncGenerator[TranscriptLine, None]:
        """Its messages in order, a page per transaction of one session."""
        async with self.session_factory() as session:
            async for line in TranscriptService(session, self.rng).lines(contact_id):
                yield line


class AiogramTransport:
    """Sends notices with ``sendMessage`` and relays with ``copyMessage(s)``."""

    def __init__(
        self,
        bots: dict[int, Bot],
        languages: Languages,
        custom_text: CustomText,
        on_error: Callable[[str], None],
        transcripts: Transcripts,
        *,
        ask_rating: bool = True,
    ) -> None:
        self.bots = bots  # source id → Bot
        self.languages = languages
        self.custom_text = custom_text
        self.transcripts = transcripts
        self.on_error = on_error  # counts Telegram's errors by code
        self.ask_rating = ask_rating  # closing a contact asks the client for stars

    def count_direct_sends(self, pacer: Pacer) -> None:
        """Make every bot's messages sent outside the outbox count against ``pacer``."""
        for source_id, bot in self.bots.items():
            bot.session.middleware(DirectSendCounter(pacer, source_id))

    async def send(self, deliveries: list[Delivery]) -> list[int]:
        """Send one delivery or one album; map Telegram's errors to the worker's."""
        head = deliveries[0]
        bot = self.bots.get(head.source_id)
        if bot is None:
            raise Transient(f"bot of source {head.source_id} is not running in this process")
        sending = _WORKER_SENDING.set(True)
        try:
            return await self._send(bot, deliveries)
        finally:
            _WORKER_SENDING.reset(sending)

    async def _render(self, delivery: Delivery) -> tuple[str, InlineKeyboardMarkup | None]:
        """A notice in its reader's language: the bot's own text for it, if its admin set one
        (read now, so a change reaches what is still waiting), else the default."""
        notice, preferred = read_notice(delivery.payload)
        language = self.languages.pick(preferred)
        custom = None
        if notice.custom_text is not None:
            custom = await self.custom_text(delivery.source_id, notice.custom_text, language)
        return render.notice(notice, language, custom, ask_rating=self.ask_rating)

    async def _send(self, bot: Bot, deliveries: list[Delivery]) -> list[int]:
        head = deliveries[0]
        try:
            if head.kind == DeliveryKind.NOTICE:
                text, markup = await self._render(head)
                sent = await bot.send_message(head.chat_id, text, reply_markup=markup)
                return [sent.message_id]
            if head.kind == DeliveryKind.TEXT:
                text = MessageText.model_validate(head.payload).text
                sent = await bot.send_message(head.chat_id, text)
                return [sent.message_id]
            if head.kind == DeliveryKind.DOCUMENT:
                request = TranscriptRequest.model_validate(head.payload)
                return [await self._send_transcript(bot, head.chat_id, request)]
            if head.kind == DeliveryKind.EDIT:
                return [
                    await self._edit(bot, head.chat_id, MessageEdit.model_validate(head.payload))
                ]
            copies = [MessageCopy.model_validate(d.payload) for d in deliveries]
            if copies[0].card is not None:
                return await self._send_carded(bot, head.chat_id, copies[0])
            if len(copies) > 1:
                # copyMessages keeps an album an album and the order of its items.
                ids = await bot.copy_messages(
                    head.chat_id,
                    from_chat_id=copies[0].from_chat_id,
                    message_ids=[copy.message_id for copy in copies],
                )
                return [m.message_id for m in ids]
            copied = await bot.copy_message(
                head.chat_id, from_chat_id=copies[0].from_chat_id, message_id=copies[0].message_id
            )
            return [copied.message_id]
        except TelegramRetryAfter as exc:
            self.on_error("429")
            raise RetryAfter(exc.retry_after) from exc
        except TelegramForbiddenError as exc:
            self.on_error("403")
            raise Unreachable(exc.message) from exc
        except _REJECTED as exc:
            self.on_error("4xx")
            raise Rejected(exc.message) from exc
        except TelegramNetworkError as exc:
            # aiogram reports a request that timed out as a network error, raised while it
            # handled the TimeoutError.
            timed_out = isinstance(exc.__context__, TimeoutError)
            self.on_error("timeout" if timed_out else "network")
            raise Transient(str(exc)) from exc
        except TelegramAPIError as exc:  # 5xx
            self.on_error("5xx")
            raise Transient(str(exc)) from exc

    async def _send_transcript(self, bot: Bot, chat_id: int, request: TranscriptRequest) -> int:
        """A contact's conversation as a UTF-8 text file, written from the database as it is
        now, page by page into a temporary file (never all in memory), then uploaded."""
        language = self.languages.pick(request.language)
        head = await self.transcripts.head(request.contact_id)
        if head is None:
            raise Rejected(f"contact {request.contact_id} no longer exists")
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".txt", delete=False
        ) as file:
            path = file.name
            try:
                file.write(render.transcript_head(head, language) + "\n\n")
                # Closed at once when the file is cut: its session goes back to the pool now.
                async with aclosing(self.transcripts.lines(request.contact_id)) as lines:
                    async for line in lines:
                        if file.tell() > TRANSCRIPT_LIMIT:
                            file.write(plain("transcript-cut", language) + "\n")
                            break
                        file.write(render.transcript_line(line, language) + "\n")
            except BaseException:
                os.unlink(path)
                raise
        try:
            name = f"contact_{request.contact_id}.txt"
            caption = render.transcript_caption(head, language)
            sent = await bot.send_document(
                chat_id, FSInputFile(path, filename=name), caption=caption
            )
        finally:
            os.unlink(path)
        return sent.message_id

    async def _edit(self, bot: Bot, chat_id: int, edit: MessageEdit) -> int:
        """Edit a copy in place; an edit that changes nothing Telegram shows is done."""
        try:
            await bot.edit_message_text(edit.text, chat_id=chat_id, message_id=edit.message_id)
        except TelegramBadRequest as exc:
            if _NOT_MODIFIED not in exc.message:
                raise
        return edit.message_id

    async def _send_carded(self, bot: Bot, chat_id: int, copy: MessageCopy) -> list[int]:
        """A client's first message carrying the operator's card: one message where it fits
        (a text with the card before the words; media with the card in the caption), else the
        card and then the copy, whose ids come back copy first (the worker records both)."""
        card = copy.card
        assert card is not None
        language = self.languages.pick(copy.language)
        markup = render.card_keyboard(card.contact_id, language, form=card.form)
        limit = render.TEXT_LIMIT if copy.is_text else render.CAPTION_LIMIT
        carried = render.carried_card(card, copy.words, language, limit)
        if carried is not None and copy.is_text:
            sent = await bot.send_message(chat_id, carried, reply_markup=markup)
            return [sent.message_id]
        if carried is not None:
            copied = await bot.copy_message(
                chat_id,
                from_chat_id=copy.from_chat_id,
                message_id=copy.message_id,
                caption=carried,
                reply_markup=markup,
            )
            return [copied.message_id]
        text, markup = render.notice(card, language)
        # The worker paced one message: the card, a second one, is counted as a direct send.
        direct = _WORKER_SENDING.set(False)
        try:
            sent = await bot.send_message(chat_id, text, reply_markup=markup)
        finally:
            _WORKER_SENDING.reset(direct)
        copied = await bot.copy_message(
            chat_id, from_chat_id=copy.from_chat_id, message_id=copy.message_id
        )
        return [copied.message_id, sent.message_id]

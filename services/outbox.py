"""What the services ask the bots to send, staged in the transactional outbox.

Services never talk to Telegram: they stage notices (``services.notices``, rendered later by
the bot) and copies in the same transaction as the change that caused them; a delivery worker
sends them once committed. ``OutboxSignal`` lets the worker wake at once instead of at its next
poll.
"""

from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from db.models import Contact, DeliveryKind, Lead, Message, Source
from db.repositories import DeliveryRepository, PastContact
from services.notices import (
    ClientRef,
    EarlierContact,
    MessageCopy,
    MessageEdit,
    MessageText,
    Notice,
    OperatorCard,
    SourceRef,
    TranscriptRequest,
    notice_payload,
)

# The fields of a MessageCopy that only a copy carrying a card has.
_CARD_FIELDS = {"card", "words", "is_text", "language"}
# Telegram delivers an album as separate updates a few milliseconds apart; holding the first
# copy this long lets the rest arrive so the operator gets one album, not scattered pictures.
ALBUM_GATHER = timedelta(seconds=1)


class OutboxSignal(Protocol):
    """Told after a transaction that staged deliveries has committed."""

    def notify(self) -> None:
        """Wake whoever sends the staged deliveries."""


class NoSignal:
    """An ``OutboxSignal`` for when nobody waits (tests, scripts)."""

    def notify(self) -> None:
        """Do nothing."""


class Outbox:
    """Stages notices and copies for the delivery worker."""

    def __init__(self, deliveries: DeliveryRepository) -> None:
        self.deliveries = deliveries

    def notice(self, source_id: int, chat_id: int, notice: Notice, *, language: str | None) -> None:
        """Stage a text notice, rendered in ``language``: the reader's preferred one (their
        choice, else Telegram's, if known), whoever caused it."""
        payload = notice_payload(notice, language)
        self.deliveries.add(
            source_id, chat_id, DeliveryKind.NOTICE, payload, contact_id=notice.contact
        )

    def copy(
        self,
        source_id: int,
        chat_id: int,
        copy: MessageCopy,
        *,
        contact_id: int,
        message_id: int,
    ) -> None:
        """Stage a ``copyMessage`` of a stored message into another chat of the same bot."""
        self.deliveries.add(
            source_id,
            chat_id,
            DeliveryKind.COPY,
            # A plain copy is stored as before cards could ride along (rows stay small).
            copy.model_dump(mode="json", exclude=None if copy.card else _CARD_FIELDS),
            contact_id=contact_id,
            message_id=message_id,
            delay=ALBUM_GATHER if copy.media_group_id else None,
        )

    def edit(self, stored: Message, chat_id: int, copy_message_id: int, text: str) -> None:
        """Stage an edit of the copy of ``stored`` in ``chat_id`` to ``text`` (Telegram HTML)."""
        self.deliveries.add(
            stored.source_id,
            chat_id,
            DeliveryKind.EDIT,
            MessageEdit(message_id=copy_message_id, text=text).model_dump(mode="json"),
            contact_id=stored.contact_id,
            message_id=stored.id,
        )

    def text(
        self, source_id: int, chat_id: int, text: str, contact_id: int, message_id: int
    ) -> None:
        """Stage a ``sendMessage`` of ``text`` (Telegram HTML), the stored message
        ``message_id`` of the contact (a template an operator sent)."""
        self.deliveries.add(
            source_id,
            chat_id,
            DeliveryKind.TEXT,
            MessageText(text=text).model_dump(mode="json"),
            contact_id=contact_id,
            message_id=message_id,
        )

    def transcript(self, source_id: int, chat_id: int, request: TranscriptRequest) -> None:
        """Stage a ``sendDocument`` of a contact's transcript, built when it is sent (so the
        outbox holds a few bytes however long the conversation). Not the contact's delivery:
        a reply to the file is no answer to the client."""
        self.deliveries.add(
            source_id, chat_id, DeliveryKind.DOCUMENT, request.model_dump(mode="json")
        )

    def relay(
        self,
        message: Message,
        chat_id: int,
        card: OperatorCard | None = None,
        words: str | None = None,
        language: str | None = None,
    ) -> None:
        """Stage a copy of a stored message to ``chat_id`` (in the message's own bot); with
        ``card``, the card (in ``language``) and the message (its text or caption ``words``,
        Telegram HTML) as one (see ``MessageCopy``)."""
        copy = MessageCopy(
            from_chat_id=message.chat_id,
            message_id=message.telegram_message_id,
            media_group_id=message.media_group_id,
            card=card,
            words=words,
            is_text=card is not None and message.content_type == "text",
            language=language,
        )
        self.copy(
            message.source_id, chat_id, copy, contact_id=message.contact_id, message_id=message.id
        )

    def card(
        self,
        contact: Contact,
        lead: Lead,
        source: Source,
        operator_chat_id: int,
        operator_language: str | None,
        history: list[PastContact],
        first: Message | None = None,
        words: str | None = None,
        form_messages: Sequence[str] = (),
        topic: str | None = None,
    ) -> None:
        """Stage the card that tells an operator about a contact they now own; with ``first``
        (a message that can carry it, see ``carries_card``; ``words``: its text or caption as
        Telegram HTML), the card and that message as one. A form source's card carries the
        lead's ``form_messages`` and goes out through its announcing bot; ``topic`` is the
        title of the contact's topic, if it has one."""
        card = OperatorCard(
            contact_id=contact.id,
            lead=ClientRef(
                telegram_id=lead.telegram_id,
                first_name=lead.first_name,
                last_name=lead.last_name,
                username=lead.username,
                phone=lead.phone,
                email=lead.email,
                external_id=lead.external_id,
                language=lead.preferred_language,
            ),
            form=source.is_form,
            messages=list(form_messages),
            source=SourceRef(username=source.username),
            history=[
                EarlierContact(
                    id=past.id,
                    source=past.source_username,
                    status=past.status,
                    created_at=past.created_at,
                    closed_how=past.close_reason,
                )
                for past in history
            ],
            earlier=history[0].total if history else 0,
            topic=topic,
            topics=source.has_topics,
        )
        if first is None:
            self.notice(source.bot_source_id, operator_chat_id, card, language=operator_language)
        else:
            self.relay(first, operator_chat_id, card, words, operator_language)


# What can carry a card: a text (the card followed by the words), and media that have a caption
# (Telegram's content types; an album cannot: copyMessages keeps the captions as they are).
_CARD_CARRIERS = frozenset({"text", "photo", "video", "animation", "audio", "document", "voice"})


def carries_card(message: Message) -> bool:
    """Whether a client's message can carry the operator's card (one message, not two)."""
    return message.content_type in _CARD_CARRIERS and message.media_group_id is None

"""What the services ask the bots to send, staged in the transactional outbox.

Services never talk to Telegram: they stage notices (``services.notices``, rendered later by
the bot) and copies in the same transaction as the change that caused them; a delivery worker
sends them once committed. ``OutboxSignal`` lets the worker wake at once instead of at its next
poll.
"""

from datetime import timedelta
from typing import Protocol

from db.models import Contact, DeliveryKind, Lead, Message, Source
from db.repositories import DeliveryRepository, PastContact
from services.notices import (
    ClientRef,
    EarlierContact,
    MessageCopy,
    Notice,
    OperatorCard,
    SourceRef,
    notice_payload,
)

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
            copy.model_dump(mode="json"),
            contact_id=contact_id,
            message_id=message_id,
            delay=ALBUM_GATHER if copy.media_group_id else None,
        )

    def relay(self, message: Message, chat_id: int) -> None:
        """Stage a copy of a stored message to ``chat_id`` (in the message's own bot)."""
        copy = MessageCopy(
            from_chat_id=message.chat_id,
            message_id=message.telegram_message_id,
            media_group_id=message.media_group_id,
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
    ) -> None:
        """Stage the card that tells an operator about a contact they now own."""
        card = OperatorCard(
            contact_id=contact.id,
            lead=ClientRef(
                telegram_id=lead.telegram_id,
                first_name=lead.first_name,
                last_name=lead.last_name,
                username=lead.username,
                phone=lead.phone,
            ),
            source=SourceRef(username=source.username),
            history=[
                EarlierContact(
                    id=past.id,
                    source=past.source_username,
                    status=past.status,
                    created_at=past.created_at,
                )
                for past in history
            ],
        )
        self.notice(source.id, operator_chat_id, card, language=operator_language)

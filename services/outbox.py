"""What the services ask the bots to send, staged in the transactional outbox.

Services never talk to Telegram: they stage notices (rendered later by the bot from a message
key) and copies in the same transaction as the change that caused them; a delivery worker sends
them once committed. ``OutboxSignal`` lets the worker wake at once instead of at its next poll.
"""

import enum
from datetime import datetime, timedelta
from typing import Any, Protocol

from db.models import Contact, DeliveryKind, Lead, Message, Source
from db.repositories import DeliveryRepository, PastContact

# Telegram delivers an album as separate updates a few milliseconds apart; holding the first
# copy this long lets the rest arrive so the operator gets one album, not scattered pictures.
ALBUM_GATHER = timedelta(seconds=1)


class Notice(enum.StrEnum):
    """Message keys of the notices the services stage; the bot's texts render them."""

    CLIENT_ASSIGNED = "client.assigned"
    CLIENT_QUEUED = "client.queued"
    CLIENT_OPERATOR_JOINED = "client.operator_joined"
    CLIENT_CLOSED = "client.closed"
    CLIENT_AUTO_CLOSED = "client.auto_closed"
    OPERATOR_CARD = "operator.card"
    OPERATOR_CLOSED = "operator.contact_closed"
    OPERATOR_TAKEN_AWAY = "operator.contact_taken_away"
    OPERATOR_REMINDER = "operator.reminder"
    OPERATOR_CLIENT_EDITED = "operator.client_edited"
    OPERATOR_DEACTIVATED = "operator.deactivated"
    OPERATOR_ACTIVATED = "operator.activated"
    OPERATOR_ACTIVATED_PAUSED = "operator.activated_paused"
    OPERATOR_LIMIT_CHANGED = "operator.limit_changed"
    ADMIN_ALERT = "admin.alert"


class OutboxSignal(Protocol):
    """Told after a transaction that staged deliveries has committed."""

    def notify(self) -> None:
        """Wake whoever sends the staged deliveries."""


class NoSignal:
    """An ``OutboxSignal`` for when nobody waits (tests, scripts)."""

    def notify(self) -> None:
        """Do nothing."""


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def lead_params(lead: Lead) -> dict[str, Any]:
    """How a notice names a lead."""
    return {
        "telegram_id": lead.telegram_id,
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "username": lead.username,
        "phone": lead.phone,
    }


def source_params(source: Source) -> dict[str, Any]:
    """How a notice names a source."""
    return {"id": source.id, "username": source.username, "title": source.title}


class Outbox:
    """Stages notices and copies for the delivery worker."""

    def __init__(self, deliveries: DeliveryRepository) -> None:
        self.deliveries = deliveries

    def notice(
        self,
        source_id: int,
        chat_id: int,
        key: Notice,
        *,
        contact_id: int | None = None,
        language: str | None = None,
        **params: Any,
    ) -> None:
        """Stage a text notice rendered from ``key`` with ``params``."""
        if contact_id is not None:
            params.setdefault("contact_id", contact_id)
        payload = {"key": key.value, "language": language, "params": params}
        self.deliveries.add(source_id, chat_id, DeliveryKind.NOTICE, payload, contact_id=contact_id)

    def copy(
        self,
        source_id: int,
        chat_id: int,
        *,
        from_chat_id: int,
        telegram_message_id: int,
        contact_id: int,
        message_id: int,
        media_group_id: str | None = None,
    ) -> None:
        """Stage a ``copyMessage`` of a stored message into another chat of the same bot."""
        payload = {
            "from_chat_id": from_chat_id,
            "message_id": telegram_message_id,
            "media_group_id": media_group_id,
        }
        self.deliveries.add(
            source_id,
            chat_id,
            DeliveryKind.COPY,
            payload,
            contact_id=contact_id,
            message_id=message_id,
            delay=ALBUM_GATHER if media_group_id else None,
        )

    def relay(self, message: Message, chat_id: int) -> None:
        """Stage a copy of a stored message to ``chat_id`` (in the message's own bot)."""
        self.copy(
            message.source_id,
            chat_id,
            from_chat_id=message.chat_id,
            telegram_message_id=message.telegram_message_id,
            contact_id=message.contact_id,
            message_id=message.id,
            media_group_id=message.media_group_id,
        )

    def card(
        self,
        contact: Contact,
        lead: Lead,
        source: Source,
        operator_chat_id: int,
        history: list[PastContact],
    ) -> None:
        """Stage the card that tells an operator about a contact they now own."""
        self.notice(
            source.id,
            operator_chat_id,
            Notice.OPERATOR_CARD,
            contact_id=contact.id,
            contact={"id": contact.id, "created_at": _when(contact.created_at)},
            lead=lead_params(lead),
            source=source_params(source),
            history=[
                {
                    "id": past.id,
                    "source": past.source_username,
                    "status": past.status.value,
                    "created_at": _when(past.created_at),
                }
                for past in history
            ],
        )

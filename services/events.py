"""Events for other systems (webhooks), staged in the transaction of the change they tell of.

A use case says what happened (``Events.opened``, ``assigned``, ``requeued``, ``closed``,
``message``); the
event is written, just before the commit, to the outbox of every subscription to it
(``db.repositories.webhooks.write_staged_events``), so it exists exactly when the change does.
A sender (``services.delivery.webhooks``) POSTs it afterwards.
"""

import enum
from typing import Any

from db.base import utcnow
from db.repositories import StagedEvent, WebhookRepository


class EventName(enum.StrEnum):
    """What a subscription can be told of."""

    CONTACT_OPENED = "contact.opened"
    CONTACT_ASSIGNED = "contact.assigned"
    CONTACT_REQUEUED = "contact.requeued"
    CONTACT_CLOSED = "contact.closed"
    MESSAGE_RECEIVED = "message.received"


EVENT_NAMES: tuple[str, ...] = tuple(name.value for name in EventName)


class Events:
    """Stages the events of the transaction under way."""

    def __init__(self, webhooks: WebhookRepository) -> None:
        self.webhooks = webhooks

    def opened(self, contact_id: int, source_id: int, lead_id: int) -> None:
        """A contact was opened (a lead's first message in a source, or their first since
        the last contact there was closed)."""
        self._stage(EventName.CONTACT_OPENED, contact_id, source_id, lead_id)

    def assigned(
        self,
        contact_id: int,
        source_id: int,
        lead_id: int,
        operator_telegram_id: int,
        previous_operator_telegram_id: int | None = None,
    ) -> None:
        """A contact was given to an operator: a new one, one from the queue, or one moved
        (``/assign``, ``/transfer``) from ``previous_operator_telegram_id``."""
        self._stage(
            EventName.CONTACT_ASSIGNED,
            contact_id,
            source_id,
            lead_id,
            operator_telegram_id=operator_telegram_id,
            previous_operator_telegram_id=previous_operator_telegram_id,
        )

    def requeued(
        self,
        contact_id: int,
        source_id: int,
        lead_id: int,
        previous_operator_telegram_id: int,
        reason: str,
    ) -> None:
        """A contact went back to the queue from ``previous_operator_telegram_id``, for
        ``reason``: ``operator_removed``, ``operator_unreachable`` (they blocked the bot) or
        ``topic_changed`` (and nobody of the new topic was free)."""
        self._stage(
            EventName.CONTACT_REQUEUED,
            contact_id,
            source_id,
            lead_id,
            previous_operator_telegram_id=previous_operator_telegram_id,
            reason=reason,
        )

    def closed(
        self,
        contact_id: int,
        source_id: int,
        lead_id: int,
        operator_telegram_id: int | None,
        closed_by: str,
    ) -> None:
        """A contact was closed by ``closed_by`` (``operator``, ``admin``, ``client`` or
        ``system``); ``operator_telegram_id``: whose it was, ``None`` if it was queued."""
        self._stage(
            EventName.CONTACT_CLOSED,
            contact_id,
            source_id,
            lead_id,
            operator_telegram_id=operator_telegram_id,
            closed_by=closed_by,
        )

    def message(
        self,
        contact_id: int,
        source_id: int,
        lead_id: int,
        operator_telegram_id: int | None,
        text: str | None,
        content_type: str,
    ) -> None:
        """A lead's message was stored in a contact; ``text``: its text or caption (``None``
        for media without one); ``operator_telegram_id``: who gets it, ``None`` while queued."""
        self._stage(
            EventName.MESSAGE_RECEIVED,
            contact_id,
            source_id,
            lead_id,
            operator_telegram_id=operator_telegram_id,
            text=text,
            content_type=content_type,
        )

    def _stage(
        self, name: EventName, contact_id: int, source_id: int, lead_id: int, **fields: Any
    ) -> None:
        payload = {
            "event": name.value,
            "id": None,  # given, with the body, only if somebody subscribed (see StagedEvent)
            "occurred_at": utcnow().isoformat(),
            "contact_id": contact_id,
            "source_id": source_id,
            "lead_id": lead_id,
            **fields,
        }
        self.webhooks.stage(StagedEvent(contact_id, name.value, payload))

"""Webhook subscriptions and their outbox of events."""

import json
import uuid
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from db.base import utcnow
from db.models import Webhook, WebhookEvent
from db.repositories.base import Repository

# Where a session keeps the events staged in its transaction (Session.info).
_STAGED = "staged_webhook_events"
_EVENTS = WebhookEvent.__table__
_INSERT = insert(_EVENTS)
_SUBSCRIPTIONS = select(Webhook.id, Webhook.events)


class StagedEvent(NamedTuple):
    """An event staged in the transaction under way, not yet fanned out to subscriptions.

    Its id and body (the JSON of ``payload``, with the id as ``"id"``) are made only when it
    is written, so a desk without subscriptions spends nothing on them.
    """

    contact_id: int
    name: str
    payload: dict[str, Any]

    def body(self, event_id: str) -> str:
        """The JSON sent, with ``event_id``."""
        return json.dumps(
            {**self.payload, "id": event_id}, ensure_ascii=False, separators=(",", ":")
        )


def write_staged_events(session: Session) -> bool:
    """Give each event staged in the session's transaction to every subscription to it, all in
    one INSERT; whether any was written.

    Run just before every commit (``db.session.OutboxSession``). Only a transaction that staged
    events reads the subscriptions (one small SELECT): a desk without webhooks writes nothing.
    """
    staged: list[StagedEvent] | None = session.info.pop(_STAGED, None)
    if not staged:
        return False
    subscriptions = session.execute(_SUBSCRIPTIONS).all()
    if not subscriptions:
        return False
    now = utcnow()
    rows = []
    for event in staged:
        targets = [webhook_id for webhook_id, names in subscriptions if event.name in names]
        if not targets:
            continue
        # One id per event, whoever gets it: receivers de-duplicate by it.
        event_id = str(uuid.uuid4())
        body = event.body(event_id)
        rows.extend(
            {
                "webhook_id": webhook_id,
                "contact_id": event.contact_id,
                "event_id": event_id,
                "name": event.name,
                "body": body,
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
            }
            for webhook_id in targets
        )
    if rows:
        session.execute(_INSERT, rows)
    return bool(rows)


def drop_staged_events(session: Session, _transaction: SessionTransaction) -> None:
    """Forget the events staged in a transaction that was rolled back."""
    session.info.pop(_STAGED, None)


class Claimed(NamedTuple):
    """An event leased for sending, with where it goes and the secret that signs it."""

    event: WebhookEvent
    url: str
    secret: str


class WebhookRepository(Repository):
    """Data access for webhook subscriptions and their events."""

    async def add(self, url: str, events: list[str], secret: str) -> Webhook:
        """A new subscription."""
        webhook = Webhook(url=url, events=events, secret=secret, created_at=utcnow())
        self.session.add(webhook)
        await self.session.flush()
        return webhook

    async def all(self) -> list[Webhook]:
        """Every subscription, oldest first."""
        stmt = select(Webhook).order_by(Webhook.id)
        return list((await self.session.execute(stmt)).scalars())

    async def remove(self, webhook_id: int) -> Webhook | None:
        """Delete a subscription and its events not yet delivered; the row, if it existed."""
        # The events go with it by the foreign key's cascade (on in SQLite too, db.engine).
        stmt = delete(Webhook).where(Webhook.id == webhook_id).returning(Webhook)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def stage(self, event: StagedEvent) -> None:
        """Stage an event: once the transaction commits, every subscription to it gets it."""
        self.session.info.setdefault(_STAGED, []).append(event)

    async def claim(self, limit: int, lease: timedelta) -> list[Claimed]:
        """Lease the oldest event of up to ``limit`` lines (a contact's events for one
        subscription) that are due.

        Only the head of a line is claimed, so a contact's events reach each subscription in
        order, the next one only once the earlier one is delivered or given up; the
        conditional UPDATE makes a row claimable by one sender (of any process) at a time.
        """
        now = utcnow()
        lines = (
            select(func.min(WebhookEvent.id).label("head"))
            .group_by(WebhookEvent.webhook_id, WebhookEvent.contact_id)
            .subquery()
        )
        due = (
            select(WebhookEvent.id)
            .join(lines, lines.c.head == WebhookEvent.id)
            .where(WebhookEvent.next_attempt_at <= now, _free(now))
            .order_by(WebhookEvent.id)
            .limit(limit)
        )
        ids = list((await self.session.execute(due)).scalars())
        if not ids:
            return []
        stmt = (
            update(WebhookEvent)
            .where(WebhookEvent.id.in_(ids), _free(now))
            .values(claimed_until=now + lease, attempts=WebhookEvent.attempts + 1)
            .returning(WebhookEvent)
            .execution_options(synchronize_session=False)
        )
        claimed = sorted((await self.session.execute(stmt)).scalars(), key=lambda e: e.id)
        if not claimed:
            return []
        targets = select(Webhook.id, Webhook.url, Webhook.secret).where(
            Webhook.id.in_({event.webhook_id for event in claimed})
        )
        found = {row.id: row for row in await self.session.execute(targets)}
        return [
            Claimed(event, found[event.webhook_id].url, found[event.webhook_id].secret)
            for event in claimed
            if event.webhook_id in found
        ]

    async def done(self, event_id: int) -> None:
        """Delete an event that was delivered or given up."""
        await self.session.execute(delete(_EVENTS).where(_EVENTS.c.id == event_id))

    async def retry(self, event_id: int, at: datetime, error: str) -> None:
        """Put a leased event back, due again at ``at``."""
        stmt = (
            update(_EVENTS)
            .where(_EVENTS.c.id == event_id)
            .values(next_attempt_at=at, claimed_until=None, last_error=error[:512])
        )
        await self.session.execute(stmt)

    async def release(self, event_ids: list[int]) -> None:
        """Lift the leases of events whose POST was cut off (a stop): due again at once, for
        any process."""
        stmt = update(_EVENTS).where(_EVENTS.c.id.in_(event_ids)).values(claimed_until=None)
        await self.session.execute(stmt)

    async def pending(self) -> int:
        """How many events wait to be delivered."""
        return (await self.session.execute(select(func.count()).select_from(_EVENTS))).scalar_one()


def _free(now: datetime) -> Any:
    """Not leased, or leased by a sender that let its lease run out."""
    return (WebhookEvent.claimed_until.is_(None)) | (WebhookEvent.claimed_until < now)

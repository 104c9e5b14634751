"""The transactional outbox of messages to send through the bots."""

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from db.base import utcnow
from db.models import Delivery, DeliveryKind, DeliveryStatus
from db.repositories.base import Repository

_PENDING = Delivery.status == DeliveryStatus.PENDING
# Where a session keeps the deliveries staged in its transaction (Session.info).
_STAGED = "staged_deliveries"
_INSERT = insert(Delivery.__table__)


def write_staged(session: Session) -> bool:
    """Insert the deliveries staged in the session's transaction, all in one statement;
    whether there were any.

    Run just before every commit (``db.session.OutboxSession``).
    """
    rows = session.info.pop(_STAGED, None)
    if rows:
        session.execute(_INSERT, rows)
    return bool(rows)


def drop_staged(session: Session, _transaction: SessionTransaction) -> None:
    """Forget the deliveries staged in a transaction that was rolled back."""
    session.info.pop(_STAGED, None)


class Head(NamedTuple):
    """The oldest pending message of a chat, leased, and how many are pending there in all."""

    delivery: Delivery
    backlog: int


class DeliveryRepository(Repository):
    """Data access for outgoing messages."""

    def add(
        self,
        source_id: int,
        chat_id: int,
        kind: DeliveryKind,
        payload: dict[str, Any],
        *,
        contact_id: int | None = None,
        message_id: int | None = None,
        delay: timedelta | None = None,
    ) -> None:
        """Stage a message to send; it goes out only if the surrounding transaction commits,
        and not before ``delay`` has passed.

        Staged rather than inserted: the messages of one transaction (often a card, a copy and
        a notice) are written together, in the order they were staged, just before it commits.
        """
        now = utcnow()
        self.session.info.setdefault(_STAGED, []).append(
            {
                "source_id": source_id,
                "chat_id": chat_id,
                "kind": kind,
                "payload": payload,
                "contact_id": contact_id,
                "message_id": message_id,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now + delay if delay else now,
            }
        )

    async def claim(self, limit: int, lease: timedelta, source_ids: list[int]) -> list[Head]:
        """Lease the oldest pending message of up to ``limit`` chats of these sources that are
        due.

        Only the head of each chat's line is claimed, so a chat's messages go out in order; the
        conditional UPDATE makes a row claimable by one worker (of any process) at a time.
        """
        now = utcnow()
        lines = (
            select(func.min(Delivery.id).label("head"), func.count().label("backlog"))
            .where(_PENDING, Delivery.source_id.in_(source_ids))
            .group_by(Delivery.source_id, Delivery.chat_id)
            .subquery()
        )
        due = (
            select(Delivery.id, lines.c.backlog)
            .join(lines, lines.c.head == Delivery.id)
            .where(
                Delivery.next_attempt_at <= now,
                (Delivery.claimed_until.is_(None)) | (Delivery.claimed_until < now),
            )
            .order_by(Delivery.id)
            .limit(limit)
        )
        backlogs: dict[int, int] = dict((await self.session.execute(due)).all())
        if not backlogs:
            return []
        stmt = (
            update(Delivery)
            .where(
                Delivery.id.in_(backlogs),
                _PENDING,
                (Delivery.claimed_until.is_(None)) | (Delivery.claimed_until < now),
            )
            .values(claimed_until=now + lease, attempts=Delivery.attempts + 1)
            .returning(Delivery)
        )
        claimed = sorted((await self.session.execute(stmt)).scalars(), key=lambda d: d.id)
        return [Head(delivery, backlogs[delivery.id]) for delivery in claimed]

    async def claim_album(self, head: Delivery, lease: timedelta) -> list[Delivery]:
        """The head plus the rest of its album (pending copies of the same media group to the
        same chat), leased together so the album goes out as one."""
        # A copy's payload is a services.notices.MessageCopy.
        group = head.payload.get("media_group_id") if head.kind == DeliveryKind.COPY else None
        if not group:
            return [head]
        siblings = (
            select(Delivery.id)
            .where(
                Delivery.source_id == head.source_id,
                Delivery.chat_id == head.chat_id,
                Delivery.id > head.id,
                Delivery.kind == DeliveryKind.COPY,
                Delivery.payload["media_group_id"].as_string() == group,
                _PENDING,
            )
            .order_by(Delivery.id)
            .limit(9)  # Telegram albums hold at most 10 items; the rest form the next album
        )
        ids = list((await self.session.execute(siblings)).scalars())
        if not ids:
            return [head]
        stmt = (
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(claimed_until=utcnow() + lease, attempts=Delivery.attempts + 1)
            .returning(Delivery)
        )
        rest = sorted((await self.session.execute(stmt)).scalars(), key=lambda d: d.id)
        return [head, *rest]

    async def extend_lease(self, delivery_ids: list[int], lease: timedelta) -> None:
        """The worker sending these messages is alive: keep them leased for ``lease`` more.

        Only rows still leased: an outcome recorded meanwhile (sent, failed, put back for a
        retry) cleared the lease, and must not be leased again. Rows locked right now are
        skipped: their outcome is being recorded, and waiting for them could deadlock with
        that transaction, which locks its rows in another order.
        """
        still_leased = (
            select(Delivery.id)
            .where(Delivery.id.in_(delivery_ids), _PENDING, Delivery.claimed_until.is_not(None))
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(Delivery)
            .where(Delivery.id.in_(still_leased))
            .values(claimed_until=utcnow() + lease)
        )
        await self.session.execute(stmt)

    async def mark_sent(self, sent: list[tuple[int, int | None]]) -> None:
        """Telegram confirmed these messages: (delivery id, the message id it gave) pairs."""
        if not sent:
            return
        now = utcnow()
        rows = [
            {
                "id": delivery_id,
                "status": DeliveryStatus.SENT,
                "sent_at": now,
                "sent_message_id": sent_message_id,
                "claimed_until": None,
            }
            for delivery_id, sent_message_id in sorted(sent)  # rows locked in one order
        ]
        await self.session.execute(update(Delivery), rows)  # one executemany by primary key

    async def add_sent(
        self,
        like: Delivery,
        kind: DeliveryKind,
        payload: dict[str, Any],
        sent_message_id: int,
    ) -> None:
        """Record a message sent along with ``like`` (same bot, chat and contact) that had no
        delivery of its own, so that replies to it are routed like replies to ``like``."""
        now = utcnow()
        row = {
            "source_id": like.source_id,
            "chat_id": like.chat_id,
            "kind": kind,
            "payload": payload,
            "contact_id": like.contact_id,
            "status": DeliveryStatus.SENT,
            "attempts": 1,
            "created_at": now,
            "next_attempt_at": now,
            "sent_at": now,
            "sent_message_id": sent_message_id,
        }
        await self.session.execute(_INSERT, [row])

    async def retry_at(
        self, delivery_id: int, when: datetime, error: str, *, count_attempt: bool = True
    ) -> None:
        """Put the message back in line for another attempt at ``when``.

        ``count_attempt=False`` (a 429) does not use up one of the bounded attempts.
        """
        attempts = Delivery.attempts if count_attempt else Delivery.attempts - 1
        stmt = (
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                next_attempt_at=when, claimed_until=None, last_error=error[:512], attempts=attempts
            )
        )
        await self.session.execute(stmt)

    async def fail(self, delivery_id: int, error: str) -> None:
        """Give up on a message."""
        stmt = (
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status=DeliveryStatus.FAILED, claimed_until=None, last_error=error[:512])
        )
        await self.session.execute(stmt)

    async def fail_chat(self, source_id: int, chat_id: int, error: str) -> int:
        """Give up on every pending message to a chat (the user blocked the bot)."""
        stmt = (
            update(Delivery)
            .where(Delivery.source_id == source_id, Delivery.chat_id == chat_id, _PENDING)
            .values(status=DeliveryStatus.FAILED, claimed_until=None, last_error=error[:512])
        )
        return (await self.session.execute(stmt)).rowcount

    async def sent_payload(
        self, source_id: int, chat_id: int, message_id: int
    ) -> dict[str, Any] | None:
        """The payload of the delivery that put message ``message_id`` into a chat."""
        stmt = select(Delivery.payload).where(
            Delivery.source_id == source_id,
            Delivery.chat_id == chat_id,
            Delivery.sent_message_id == message_id,
        )
        return (await self.session.execute(stmt.limit(1))).scalars().first()

    async def contact_of_sent(self, source_id: int, chat_id: int, message_id: int) -> int | None:
        """Which contact a message the bot sent to a chat belongs to."""
        stmt = select(Delivery.contact_id).where(
            Delivery.source_id == source_id,
            Delivery.chat_id == chat_id,
            Delivery.sent_message_id == message_id,
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def alerted_since(self, what: str, since: datetime) -> bool:
        """Whether an admin alert of this kind (its ``what``, stored with its parameters as
        services.notices writes a notice) was staged after ``since``."""
        stmt = select(Delivery.id).where(
            Delivery.kind == DeliveryKind.NOTICE,
            Delivery.created_at > since,
            Delivery.payload["params"]["what"].as_string() == what,
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def take_over(self, source_ids: list[int], keep: list[int]) -> None:
        """This worker has just become the sender of these bots: the leases on their pending
        messages were the previous sender's (stopped or dead), except those in ``keep`` (this
        worker's own, still on their way); lift them so the messages go now, not when the
        leases run out."""
        stmt = (
            update(Delivery)
            .where(
                Delivery.source_id.in_(source_ids),
                _PENDING,
                Delivery.claimed_until.is_not(None),
                Delivery.id.not_in(keep),
            )
            .values(claimed_until=None)
        )
        await self.session.execute(stmt)

    async def pending_count(self, source_id: int) -> int:
        """How many messages of a bot wait to be sent."""
        stmt = select(func.count()).where(Delivery.source_id == source_id, _PENDING)
        return (await self.session.execute(stmt)).scalar_one()

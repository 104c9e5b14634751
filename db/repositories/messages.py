"""Relayed messages."""

from dataclasses import dataclass

from sqlalchemy import Row, and_, exists, insert, select, update

from db.base import utcnow
from db.models import Direction, Message, Operator
from db.repositories.base import Repository

_MESSAGES = Message.__table__
_INSERT = insert(_MESSAGES).returning(_MESSAGES.c.id)


@dataclass(frozen=True, slots=True)
class MessageKey:
    """Where Telegram delivered a message: unique per bot, chat and message id."""

    source_id: int
    chat_id: int
    message_id: int


class MessageRepository(Repository):
    """Data access for relayed messages."""

    async def exists(self, key: MessageKey) -> bool:
        """Whether this Telegram message was already stored (a duplicate update)."""
        stmt = select(
            exists().where(
                Message.source_id == key.source_id,
                Message.chat_id == key.chat_id,
                Message.telegram_message_id == key.message_id,
            )
        )
        return bool((await self.session.execute(stmt)).scalar())

    async def add(
        self,
        key: MessageKey,
        contact_id: int,
        direction: Direction,
        content_type: str,
        text: str | None,
        media_group_id: str | None = None,
    ) -> Message:
        """Store a message at once, so a duplicate fails here; returns it with its id.

        One INSERT rather than the unit of work: this runs for every message relayed. The
        returned object is not attached to the session (nothing about a message changes later
        through the ORM).
        """
        values = {
            "contact_id": contact_id,
            "source_id": key.source_id,
            "direction": direction,
            "chat_id": key.chat_id,
            "telegram_message_id": key.message_id,
            "content_type": content_type,
            "text": text,
            "media_group_id": media_group_id,
            "created_at": utcnow(),
        }
        message_id = (await self.session.execute(_INSERT, values)).scalar_one()
        return Message(id=message_id, **values)

    async def of_contact(self, contact_id: int, direction: Direction) -> list[Message]:
        """A contact's messages in one direction, in the order they arrived."""
        stmt = (
            select(Message)
            .where(Message.contact_id == contact_id, Message.direction == direction)
            .order_by(Message.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def all_of(self, contact_id: int) -> list[Message]:
        """A contact's messages, both directions, in the order they arrived."""
        stmt = select(Message).where(Message.contact_id == contact_id).order_by(Message.id)
        return list((await self.session.execute(stmt)).scalars())

    async def page_of(
        self, contact_id: int, after_id: int, limit: int
    ) -> list[Row[tuple[Message, str | None]]]:
        """A contact's messages after id ``after_id``, in the order they arrived, at most
        ``limit``, each with the name of the operator who wrote it (an answer comes from the
        operator's own chat; ``None`` for the client's, or if that operator was removed)."""
        stmt = (
            select(Message, Operator.display_name)
            .outerjoin(
                Operator,
                and_(Message.direction == Direction.OUT, Operator.telegram_id == Message.chat_id),
            )
            .where(Message.contact_id == contact_id, Message.id > after_id)
            .order_by(Message.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).all())

    async def by_key(self, key: MessageKey) -> Message | None:
        """A stored message by where Telegram delivered it."""
        stmt = select(Message).where(
            Message.source_id == key.source_id,
            Message.chat_id == key.chat_id,
            Message.telegram_message_id == key.message_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def set_copy(self, message_id: int, chat_id: int, copy_message_id: int) -> None:
        """Remember where a message was copied to."""
        stmt = (
            update(Message)
            .where(Message.id == message_id)
            .values(copy_chat_id=chat_id, copy_message_id=copy_message_id)
        )
        await self.session.execute(stmt)

"""Each source's topics and their operators' weights (``/topic``, ``/weights <topic>``)."""

from sqlalchemy import Row, delete, exists, func, select, update

from db.base import utcnow
from db.models import Contact, ContactStatus, Source, Topic, TopicWeight
from db.repositories.base import Repository


class TopicRepository(Repository):
    """Data access for topics and topic weights."""

    async def of_source(self, source_id: int) -> list[Topic]:
        """A source's topics, oldest first (the order of the client's buttons)."""
        stmt = select(Topic).where(Topic.source_id == source_id).order_by(Topic.id)
        return list(await self.session.scalars(stmt))

    async def named(self, source_id: int, name: str) -> Topic | None:
        """A source's topic of that name, as the database has it now (fresh after a ``put``)."""
        stmt = (
            select(Topic)
            .where(Topic.source_id == source_id, Topic.name == name)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, topic_id: int) -> Topic | None:
        """A topic by id (a button names it so)."""
        return await self.session.get(Topic, topic_id)

    async def put(self, source_id: int, name: str, title: str) -> None:
        """Add a topic, or retitle the one of that name (its id and weights stay)."""
        values = {"title": title}
        stmt = self.upsert(Topic.__table__).values(
            source_id=source_id, name=name, created_at=utcnow(), **values
        )
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["source_id", "name"], set_=values)
        )

    async def remove(self, topic_id: int) -> None:
        """Remove a topic and its weights; its contacts keep no topic (there is no foreign
        key to do it, see migration 0016)."""
        await self.session.execute(
            update(Contact).where(Contact.topic_id == topic_id).values(topic_id=None)
        )
        await self.session.execute(delete(Topic).where(Topic.id == topic_id))

    async def mark_source(self, source_id: int) -> None:
        """Bring ``sources.has_topics`` in line with the source's topics (the source's row
        locked by the caller, so two admins at once cannot leave it stale)."""
        has = exists().where(Topic.source_id == source_id)
        await self.session.execute(
            update(Source).where(Source.id == source_id).values(has_topics=has)
        )

    async def weights(self, topic_id: int) -> dict[int, int]:
        """A topic's weights by operator id (empty: the topic takes its source's)."""
        stmt = select(TopicWeight.operator_id, TopicWeight.weight).where(
            TopicWeight.topic_id == topic_id
        )
        return {row[0]: row[1] for row in await self.session.execute(stmt)}

    async def weights_of_source(self, source_id: int) -> dict[int, dict[int, int]]:
        """Every topic's weights of a source: topic id → operator id → weight."""
        stmt = (
            select(TopicWeight.topic_id, TopicWeight.operator_id, TopicWeight.weight)
            .join(Topic, Topic.id == TopicWeight.topic_id)
            .where(Topic.source_id == source_id)
        )
        found: dict[int, dict[int, int]] = {}
        for topic_id, operator_id, weight in await self.session.execute(stmt):
            found.setdefault(topic_id, {})[operator_id] = weight
        return found

    async def set_weight(self, topic_id: int, operator_id: int, weight: int) -> None:
        """Create or change an operator's weight in a topic."""
        stmt = self.upsert(TopicWeight.__table__).values(
            topic_id=topic_id, operator_id=operator_id, weight=weight
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["topic_id", "operator_id"], set_={"weight": weight}
            )
        )

    async def set_contact_topic(self, contact_id: int, topic_id: int | None) -> None:
        """Record the topic of a contact."""
        await self.session.execute(
            update(Contact).where(Contact.id == contact_id).values(topic_id=topic_id)
        )
        self.refresh_loaded(Contact, contact_id, topic_id=topic_id)

    async def contact_counts(self, source_id: int) -> list[Row[tuple[int | None, int, int]]]:
        """A source's contacts by topic: (topic id or None, contacts, open ones)."""
        open_ = func.count().filter(Contact.status != ContactStatus.CLOSED)
        stmt = (
            select(Contact.topic_id, func.count(), open_)
            .where(Contact.source_id == source_id)
            .group_by(Contact.topic_id)
        )
        return list(await self.session.execute(stmt))

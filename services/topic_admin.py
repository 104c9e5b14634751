"""Admins keep each bot's topics (``/topics``, ``/topic``, ``/weights <topic> …``, and the
API's ``/sources/{id}/topics``)."""

from collections.abc import Sequence

from db.models import Source, Topic
from services.admin import parse_weight, parse_weights, resolve_weights
from services.base import Service
from services.errors import FormWithoutTopics
from services.topics import check_name, check_title
from services.views import TopicCount, TopicStats, TopicView


class TopicService(Service):
    """Reads and changes a bot's topics and their weights."""

    async def offered(self, source_id: int) -> list[Topic]:
        """The topics a bot offers its clients, in the order they were added."""
        async with self.transaction():
            return await self.topics.of_source(source_id)

    async def exists(self, source_id: int, name: str) -> bool:
        """Whether the bot has a topic of that name (any case)."""
        async with self.transaction():
            return await self.topics.named(source_id, name.lower()) is not None

    async def of_bot(self, source_id: int) -> list[TopicView]:
        """A source's topics with their weights."""
        async with self.transaction():
            await self.find_source(source_id)
            return await self._views(source_id, await self.topics.of_source(source_id))

    async def _views(self, source_id: int, topics: list[Topic]) -> list[TopicView]:
        operators = {op.id: op for op in await self.operators.all()}
        weights = await self.topics.weights_of_source(source_id)
        return [
            TopicView(
                topic,
                [
                    (operators[op_id], weight)
                    for op_id, weight in sorted(weights.get(topic.id, {}).items())
                ],
            )
            for topic in topics
        ]

    async def add(self, source_id: int, name: str, title: str) -> tuple[Topic, bool]:
        """Add a topic to a bot, or retitle the one of that name (its weights stay); the
        topic, and whether one was retitled. Nothing changes on a refusal."""
        view, replaced = await self.put(source_id, name, title)
        return view.topic, replaced

    async def put(
        self,
        source_id: int,
        name: str,
        title: str,
        weights: Sequence[tuple[str, str | int]] = (),
    ) -> tuple[TopicView, bool]:
        """Add a topic to a source, or retitle the one of that name, and set its own
        ``weights`` (operator reference, weight; the others keep theirs), in one transaction:
        a bad name, title, reference or weight, or an operator given twice, changes nothing.
        The topic with its weights, and whether one was retitled."""
        name, title = check_name(name), check_title(title)
        checked = [(ref, parse_weight(ref, weight)) for ref, weight in weights]
        async with self.transaction():
            if (await self._lock(source_id)).is_form:
                raise FormWithoutTopics(ref=source_id)
            resolved = await resolve_weights(self, checked)
            replaced = await self.topics.named(source_id, name) is not None
            await self.topics.put(source_id, name, title)
            await self.topics.mark_source(source_id)
            topic = await self.topics.named(source_id, name)
            assert topic is not None  # just written
            for operator_id, weight in resolved.items():
                await self.topics.set_weight(topic.id, operator_id, weight)
            if any(resolved.values()):
                self.drain_queue_after_commit()
            return (await self._views(source_id, [topic]))[0], replaced

    async def remove(self, source_id: int, name: str) -> None:
        """Remove a topic of this bot and its weights. Its contacts stay, with no topic: open
        ones go on by the bot's weights (queued ones are distributed by them at once)."""
        name = check_name(name)
        async with self.transaction():
            await self._lock(source_id)
            topic = await self.find_topic(source_id, name)
            await self.topics.remove(topic.id)
            await self.topics.mark_source(source_id)
            self.drain_queue_after_commit()

    async def set_weights(self, source_id: int, name: str, pairs: list[str]) -> TopicView:
        """``/weights <topic> <op>=<w> …``: the topic's own weights, all or nothing (any bad
        pair or operator changes nothing); without pairs, the topic as it is."""
        parsed = parse_weights(pairs)
        async with self.transaction():
            topic = await self.find_topic(source_id, check_name(name))
            if parsed:
                resolved = await resolve_weights(self, parsed)
                for operator_id, weight in resolved.items():
                    await self.topics.set_weight(topic.id, operator_id, weight)
                if any(resolved.values()):
                    self.drain_queue_after_commit()
            return (await self._views(source_id, [topic]))[0]

    async def stats(self) -> list[TopicStats]:
        """``/stats``: the contacts of every bot with topics, by topic."""
        async with self.transaction():
            found = []
            for source in await self.sources.all():
                if not source.has_topics:
                    continue
                titles = {topic.id: topic.title for topic in await self.topics.of_source(source.id)}
                counts = [
                    TopicCount(titles.get(topic_id) if topic_id else None, n, open_)
                    for topic_id, n, open_ in await self.topics.contact_counts(source.id)
                ]
                counts.sort(key=lambda count: (count.title is None, count.title or ""))
                found.append(TopicStats(source, counts))
            return found

    async def _lock(self, source_id: int) -> Source:
        # Two admins changing a bot's topics at once take turns: its has_topics stays true.
        return await self.find_source(source_id, lock=True)

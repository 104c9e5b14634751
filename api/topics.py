"""``/api/v1/sources/{id}/topics``: what ``/topics``, ``/topic`` and ``/weights <topic>`` show
and set, through the same service (the same validation, all or nothing)."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404, r422

from api.schemas import Problem, RemovedOut, TopicIn, TopicOut, TopicPutOut
from api.views import ApiView, json


class TopicsView(ApiView):
    """A source's topics."""

    async def get(
        self, source_id: int, /
    ) -> r200[list[TopicOut]] | r400[Problem] | r401[Problem] | r404[Problem]:
        """The topics the source offers its clients, in the order they were added, each with
        its own weights (as ``/topics``).

        Tags: topics
        """
        async with self.context.services() as services:
            views = await services.topics.of_bot(source_id)
        return json([TopicOut.of(view) for view in views])


class TopicView(ApiView):
    """One topic of a source, by name."""

    async def put(
        self, source_id: int, name: str, /, body: TopicIn
    ) -> r200[TopicPutOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Add the topic, or retitle the one of that name, and set weights of its own (as
        ``/topic add`` and ``/weights <topic> …``), all or nothing: a bad name, title,
        operator or weight changes nothing. The name is 1-32 of a-z 0-9 _ - (any case,
        stored lower-case).

        Tags: topics
        """
        weights = [(str(item.operator), item.weight) for item in body.weights]
        async with self.context.services() as services:
            view, replaced = await services.topics.put(source_id, name, body.title, weights)
        return json(TopicPutOut(**TopicOut.of(view).model_dump(), replaced=replaced))

    async def delete(
        self, source_id: int, name: str, /
    ) -> r200[RemovedOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Remove the topic and its weights (as ``/topic del``): its contacts stay, without
        a topic; queued ones are distributed by the source's weights at once.

        Tags: topics
        """
        async with self.context.services() as services:
            await services.topics.remove(source_id, name)
        return json(RemovedOut(source_id=source_id, name=name.lower()))


def add_routes(api: web.Application) -> None:
    """The topic routes, relative to the API's prefix."""
    api.router.add_view("/sources/{source_id}/topics", TopicsView)
    api.router.add_view("/sources/{source_id}/topics/{name}", TopicView)

"""``/api/v1/sources``: what ``/sources``, ``/weights``, ``/mode`` and ``/hours`` show and set,
through the same service (the same validation, all or nothing)."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404, r422

from api.forms import FormSourcesView
from api.schemas import (
    HoursIn,
    HoursOut,
    ModeIn,
    ModeOut,
    Problem,
    RemovedOut,
    SourceOut,
    TopicIn,
    TopicOut,
    TopicPutOut,
    WeightsIn,
    WeightsOut,
)
from api.views import ApiView, json


class SourcesView(FormSourcesView):
    """Every source; a new form source."""

    async def get(self) -> r200[list[SourceOut]] | r401[Problem]:
        """Every source with its contacts, open and queued counts and operators.

        Tags: sources
        """
        async with self.context.services() as services:
            views = await services.admin.list_sources()
        return json([SourceOut.of(view) for view in views])


class WeightsView(ApiView):
    """A source's weights."""

    async def get(
        self, source_id: int, /
    ) -> r200[WeightsOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """The source's weights and the share of new contacts each gives (as ``/weights``).

        Tags: sources
        """
        async with self.context.services() as services:
            view = await services.admin.weights(source_id)
        return json(WeightsOut.of(view))

    async def put(
        self, source_id: int, /, body: WeightsIn
    ) -> r200[WeightsOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Set weights in the source (as ``/weights <op>=<w> …``), all or nothing: an
        unknown operator, a weight out of range or an operator given twice changes nothing.
        Operators left out keep their weights; 0 gives one no new contacts here.

        Tags: sources
        """
        weights = [(str(item.operator), item.weight) for item in body.weights]
        async with self.context.services() as services:
            view = await services.admin.assign_weights(source_id, weights)
        return json(WeightsOut.of(view))


class ModeView(ApiView):
    """How a source distributes its new contacts."""

    async def get(
        self, source_id: int, /
    ) -> r200[ModeOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """The source's distribution mode (as ``/mode``).

        Tags: sources
        """
        async with self.context.services() as services:
            view = await services.admin.mode(source_id)
        return json(ModeOut.of(view))

    async def put(
        self, source_id: int, /, body: ModeIn
    ) -> r200[ModeOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """Switch the source to another mode (as ``/mode <mode>``). Switching to ``exact``
        starts it over: nobody is owed anything from an earlier run of it.

        Tags: sources
        """
        async with self.context.services() as services:
            view = await services.admin.set_mode(source_id, body.mode.value)
        return json(ModeOut.of(view))


class HoursView(ApiView):
    """A source's business hours."""

    async def get(
        self, source_id: int, /
    ) -> r200[HoursOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """The source's schedule, holidays, what it does while closed, whether it is open
        now and when it opens (as ``/hours``).

        Tags: sources
        """
        async with self.context.services() as services:
            view = await services.hours.hours(source_id)
        return json(HoursOut.of(view))

    async def put(
        self, source_id: int, /, body: HoursIn
    ) -> r200[HoursOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Change the schedule, the holidays (the whole list) and what the source does while
        closed (as ``/hours``, ``/holiday`` and ``/afterhours``), all or nothing: a malformed
        schedule or date changes nothing. A form source can have hours too: outside them
        its leads wait in the queue.

        Tags: sources
        """
        duty = None if body.after_hours is None else body.after_hours == "duty"
        async with self.context.services() as services:
            view = await services.hours.change(
                source_id, spec=body.hours, holidays=body.holidays, duty=duty
            )
        return json(HoursOut.of(view))


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
    """The source routes, relative to the API's prefix."""
    api.router.add_view("/sources", SourcesView)
    api.router.add_view("/sources/{source_id}/weights", WeightsView)
    api.router.add_view("/sources/{source_id}/mode", ModeView)
    api.router.add_view("/sources/{source_id}/hours", HoursView)
    api.router.add_view("/sources/{source_id}/topics", TopicsView)
    api.router.add_view("/sources/{source_id}/topics/{name}", TopicView)

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
    SourceOut,
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


def add_routes(api: web.Application) -> None:
    """The source routes, relative to the API's prefix."""
    api.router.add_view("/sources", SourcesView)
    api.router.add_view("/sources/{source_id}/weights", WeightsView)
    api.router.add_view("/sources/{source_id}/mode", ModeView)
    api.router.add_view("/sources/{source_id}/hours", HoursView)

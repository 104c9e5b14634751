"""``/api/v1/stats``: what ``/stats`` shows, as JSON."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r401

from api.schemas import Problem, StatsOut
from api.views import ApiView, json


class StatsView(ApiView):
    """The distribution's statistics."""

    async def get(self) -> r200[StatsOut] | r401[Problem]:
        """Per source: contacts, open, queued, each operator's share against their weight;
        per operator: load, limit, assigned and closed contacts (as ``/stats``).

        Tags: stats
        """
        async with self.context.services() as services:
            view = await services.admin.stats()
        return json(StatsOut.of(view))


def add_routes(api: web.Application) -> None:
    """The statistics route, relative to the API's prefix."""
    api.router.add_view("/stats", StatsView)

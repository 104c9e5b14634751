"""``/api/v1/stats``: what ``/stats`` shows, as JSON."""

from datetime import datetime

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401

from api.schemas import Problem, StatsOut
from api.views import ApiView, json, utc


class StatsView(ApiView):
    """The distribution's statistics."""

    async def get(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> r200[StatsOut] | r400[Problem] | r401[Problem]:
        """Per source: contacts, open, queued, each operator's share against their weight;
        per operator: load, limit, assigned and closed contacts (as ``/stats``). With
        ``since`` and/or ``until`` (ISO 8601, UTC when no zone is given), the counts are of
        the contacts opened in that range (``since`` included, ``until`` not); an operator's
        load and limit are always the current ones.

        Tags: stats
        """
        async with self.context.services() as services:
            view = await services.admin.stats(since=utc(since), until=utc(until))
        return json(StatsOut.of(view))


def add_routes(api: web.Application) -> None:
    """The statistics route, relative to the API's prefix."""
    api.router.add_view("/stats", StatsView)

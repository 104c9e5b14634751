"""``/api/v1/leads``: search leads, read one with their contacts."""

from typing import Annotated

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404
from pydantic import Field

from api.schemas import LeadDetailOut, LeadPageOut, PageSize, Problem, RowId
from api.views import ApiView, json

# A search text longer than any name, @username or phone can only waste a query.
Search = Annotated[str, Field(max_length=256)]


class LeadsView(ApiView):
    """Leads, newest first."""

    async def get(
        self, q: Search | None = None, cursor: RowId | None = None, limit: PageSize = 50
    ) -> r200[LeadPageOut] | r400[Problem] | r401[Problem]:
        """Leads, newest first; with ``q`` those whose name, @username or phone contains it
        (any case), or whose Telegram id it is. ``cursor`` is the previous page's
        ``next_cursor``.

        Tags: leads
        """
        async with self.context.services() as services:
            page = await services.records.list_leads(q, cursor, limit)
        return json(LeadPageOut.of(page))


class LeadView(ApiView):
    """One lead."""

    async def get(
        self, lead_id: int, /
    ) -> r200[LeadDetailOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """A lead with their contacts through every source, newest first.

        Tags: leads
        """
        async with self.context.services() as services:
            detail = await services.records.lead_detail(lead_id)
        return json(LeadDetailOut.of_detail(detail))


def add_routes(api: web.Application) -> None:
    """The lead routes, relative to the API's prefix."""
    api.router.add_view("/leads", LeadsView)
    api.router.add_view("/leads/{lead_id}", LeadView)

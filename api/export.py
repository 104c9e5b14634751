"""CSV exports of contacts and leads, streamed: rows are read a page per transaction and
written as they come, so a million rows never sit in memory."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime

from aiohttp import web
from aiohttp.web import StreamResponse
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404
from pydantic import BaseModel

from api.schemas import ContactOut, LeadOut, Problem, RowId, StateName
from api.views import ApiView, utc
from db.repositories import ContactFilter, ContactState

CSV = "text/csv"
# Rows written to the connection at once.
CHUNK = 500
# A cell a spreadsheet would run as a formula (a lead named "=HYPERLINK(...)"), kept as text.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


async def _stream(
    request: web.Request, name: str, model: type[BaseModel], rows: AsyncIterator[BaseModel]
) -> StreamResponse:
    """A CSV attachment: a header of ``model``'s fields, then ``rows`` as they come."""
    response = StreamResponse(
        headers={
            "Content-Type": f"{CSV}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        }
    )
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(model.model_fields)
    count = 0
    async for row in rows:
        writer.writerow(_cell(value) for value in row.model_dump(mode="json").values())
        count += 1
        if count % CHUNK == 0:
            await response.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    await response.write(buffer.getvalue().encode())
    await response.write_eof()
    return response


class ContactsExport(ApiView):
    """Contacts as CSV."""

    async def get(
        self,
        state: StateName | None = None,
        source_id: RowId | None = None,
        operator: RowId | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> r200[str] | r400[Problem] | r401[Problem] | r404[Problem]:
        """Every contact matching the filters of ``GET /contacts``, newest first, one CSV
        row each with the fields of a contact.

        Tags: export
        """
        chosen = ContactState(state) if state is not None else None
        where = ContactFilter(chosen, source_id, None, utc(since), utc(until))
        async with self.context.services() as services:
            # Refusals (an unknown operator) come before the answer starts.
            await services.records.list_contacts(where, None, 1, operator)
            rows = services.records.each_contact(where, operator)
            return await _stream(
                self.request, "contacts", ContactOut, (ContactOut.of(row) async for row in rows)
            )


class LeadsExport(ApiView):
    """Leads as CSV."""

    async def get(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> r200[str] | r400[Problem] | r401[Problem]:
        """Every lead first seen from ``since`` until before ``until``, newest first, one
        CSV row each with the fields of a lead.

        Tags: export
        """
        async with self.context.services() as services:
            leads = services.records.each_lead(utc(since), utc(until))
            return await _stream(
                self.request, "leads", LeadOut, (LeadOut.of(lead) async for lead in leads)
            )


def add_routes(api: web.Application) -> None:
    """The export routes, relative to the API's prefix."""
    api.router.add_view("/export/contacts.csv", ContactsExport)
    api.router.add_view("/export/leads.csv", LeadsExport)
